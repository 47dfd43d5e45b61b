"""Desk polish found in the 1366x768 walk (issue 11): Ctrl+P after a restart of the desk,
the officer's name in the hand-overs list. Real Qt offscreen, real database, key presses."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import helpers_desk as hd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from bekasi_field.services import receipt_printer
from bekasi_field.services.receipts import check_receipt

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def _escpos_parser():
    name = "bkf_escpos_parse"
    if name not in sys.modules:
        path = Path(__file__).parent.parent / "reports" / "escpos_parse.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_ctrl_p_after_a_restart_reprints_todays_last_hand_over(
        qtbot, open_window, demo, desk_site, tmp_path) -> None:
    esc = _escpos_parser()
    (_, slip1), (_, slip2) = hd.slip_texts(desk_site, demo.event_id, n=2)
    out = tmp_path / "printer.bin"
    receipt_printer.save_printer(desk_site.db, receipt_printer.PrinterConfig(
        name="kasir", kind="file", target=str(out)))
    first = open_window()
    hd.open_desk(qtbot, first, demo.event_id, hd.PETUGAS)
    hd.type_code(qtbot, first, slip1)
    with qtbot.waitSignal(first.paper.printed, timeout=hd.PAGE_WAIT_MS):
        hd.press_enter_to_hand_over(qtbot, first)
    hd.type_code(qtbot, first, slip2)
    with qtbot.waitSignal(first.paper.printed, timeout=hd.PAGE_WAIT_MS):
        last = hd.press_enter_to_hand_over(qtbot, first)
    first.close()  # the desk is restarted (a laptop rebooted, the app closed by mistake)
    out.unlink()
    again = open_window()
    hd.open_desk(qtbot, again, demo.event_id, hd.PETUGAS)
    with qtbot.waitSignal(again.paper.printed, timeout=hd.PAGE_WAIT_MS):
        QTest.keyClick(again, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    (image,) = esc.parse(out.read_bytes()).images
    check = check_receipt(desk_site.db, esc.decode_qr_image(image)[0])
    assert check.ok and check.payload.entry_uuid == last.uuid


def test_hand_overs_list_names_the_officer_as_sudah_diambil_does(
        qtbot, open_window, demo, desk_site) -> None:
    conn = desk_site.db.raw()
    try:
        (name,) = conn.execute("SELECT name FROM officers WHERE id = ?",
                               (hd.PETUGAS[0],)).fetchone()
    finally:
        conn.close()
    assert name and name != hd.PETUGAS[0]
    (_, slip), = hd.slip_texts(desk_site, demo.event_id, n=1)
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    hd.type_code(qtbot, w, slip)
    hd.press_enter_to_hand_over(qtbot, w)
    model = w.desk.handovers
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=5000)
    QTest.keyClick(w, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert w.desk.handover_view.hasFocus()
    officer = model.data(model.index(0, 6))
    assert officer == f"{name} ({hd.PETUGAS[0]})"
    # the same words as the verdict for the same slip scanned again
    again = hd.type_code(qtbot, w, slip)
    assert again.code.value == "ALREADY_COLLECTED"
    assert officer in again.message
