"""The desk's paper with the keyboard: a complaint for someone turned away (Ctrl+K, the number
shown and printed on the receipt printer), the receipt printed by itself after a hand-over (a
printer that is off costs only a message; Ctrl+P prints it again), the daftar nominatif
(Ctrl+D). Real Qt offscreen, real database."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import helpers_desk as hd
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QLineEdit, QMessageBox

from bekasi_field.domain.identifiers import mask
from bekasi_field.gui.complaint_dialog import ComplaintDialog
from bekasi_field.services import receipt_printer

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
UNLISTED = "3275016504900003"


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


def _complaints(site) -> list[dict]:
    conn = site.db.raw()
    conn.row_factory = __import__("sqlcipher3.dbapi2", fromlist=["Row"]).Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM complaints")]
    finally:
        conn.close()


def test_turned_away_offers_a_complaint_and_shows_its_number(
        qtbot, open_window, demo, desk_site, tmp_path) -> None:
    out = tmp_path / "printer.bin"
    receipt_printer.save_printer(desk_site.db, receipt_printer.PrinterConfig(
        name="kasir", kind="file", target=str(out)))
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    verdict = hd.type_code(qtbot, w, UNLISTED)
    assert verdict.code.value == "UNKNOWN"
    assert w.paper.offer.isVisible()
    seen: list[str] = []
    shown: list[str] = []

    def answer(dialog: QDialog) -> None:
        if isinstance(dialog, ComplaintDialog):
            # the KTP scanned, masked on screen (the queue sees the screen), stored in full
            shown.append(dialog.nik.text())
            shown.extend(wdg.text() for kind in (QLineEdit, QLabel)
                         for wdg in dialog.findChildren(kind))
            assert dialog.category.currentData() == "not_listed"
            QTest.keyClicks(dialog.name, "Siti Rahma")
            dialog.phone.setText("0812 3456 7890")
            dialog.note.setPlainText("Belum pernah didata")
            # once it is up: Ctrl+Enter saves; a dialog still open 5 s later fails the test
            QTimer.singleShot(100, lambda: QTest.keyClick(
                dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier))
            QTimer.singleShot(5000, dialog.reject)
        elif isinstance(dialog, QMessageBox):
            seen.append(dialog.text())
            dialog.accept()

    w.dialogs.opened.connect(answer)
    with qtbot.waitSignal(w.paper.printed, timeout=hd.PAGE_WAIT_MS):
        QTest.keyClick(w, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    (row,) = _complaints(desk_site)
    assert shown[0] == mask(UNLISTED)
    assert not any(UNLISTED in text.replace(" ", "") for text in shown), shown
    assert (row["nik"], row["name"], row["phone"], row["verdict"]) == (
        UNLISTED, "Siti Rahma", "081234567890", "UNKNOWN")
    assert len(row["signature"]) == 128  # signed with the device key
    assert seen and row["number"] in seen[0]
    ticket = _escpos_parser().parse(out.read_bytes())
    assert row["number"] in ticket.text and UNLISTED not in ticket.text


def test_ctrl_d_writes_the_daftar_nominatif(qtbot, open_window, demo, desk_site,
                                            tmp_path) -> None:
    import pypdfium2 as pdfium
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.SUPERVISOR)
    target = tmp_path / "danom.pdf"

    def answer(dialog: QDialog) -> None:
        if isinstance(dialog, QFileDialog):
            dialog.selectFile(str(target))
            dialog.accept()

    w.dialogs.opened.connect(answer)
    with qtbot.waitSignal(w.paper.danom_written, timeout=20_000) as written:
        QTest.keyClick(w, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert Path(written.args[0]) == target
    pdf = pdfium.PdfDocument(str(target))
    try:
        assert len(pdf) >= 1 and pdf[0].get_size()[0] > pdf[0].get_size()[1]
    finally:
        pdf.close()


def test_receipt_prints_after_the_hand_over_and_a_dead_printer_blocks_nothing(
        qtbot, open_window, demo, desk_site, tmp_path) -> None:
    import socket

    from bekasi_field.services.receipts import check_receipt
    esc = _escpos_parser()
    (_, slip1), (_, slip2) = hd.slip_texts(desk_site, demo.event_id, n=2)
    out = tmp_path / "printer.bin"
    receipt_printer.save_printer(desk_site.db, receipt_printer.PrinterConfig(
        name="kasir", kind="file", target=str(out)))
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    hd.type_code(qtbot, w, slip1)
    with qtbot.waitSignal(w.paper.printed, timeout=hd.PAGE_WAIT_MS):
        entry = hd.press_enter_to_hand_over(qtbot, w)
    (image,) = esc.parse(out.read_bytes()).images
    (qr,) = esc.decode_qr_image(image)
    check = check_receipt(desk_site.db, qr)
    assert check.ok and check.payload.entry_uuid == entry.uuid
    # the printer is switched off: the next hand-over saves, a message says why no receipt
    free = socket.socket()
    free.bind(("127.0.0.1", 0))
    port = free.getsockname()[1]
    free.close()
    receipt_printer.save_printer(desk_site.db, receipt_printer.PrinterConfig(
        name="mati", kind="network", target=f"127.0.0.1:{port}", timeout=1),
        make_default=True)
    hd.type_code(qtbot, w, slip2)
    with qtbot.waitSignal(w.paper.print_failed, timeout=hd.PAGE_WAIT_MS) as failed:
        second = hd.press_enter_to_hand_over(qtbot, w)
    assert "tidak siap" in failed.args[0]
    assert w.state.saved is not None and w.state.saved.uuid == second.uuid
    assert hd.type_code(qtbot, w, slip1).code.value == "ALREADY_COLLECTED"  # the desk goes on
    # Ctrl+P prints the last receipt again once the printer is back
    receipt_printer.save_printer(desk_site.db, receipt_printer.PrinterConfig(
        name="kasir", kind="file", target=str(out)), make_default=True)
    with qtbot.waitSignal(w.paper.printed, timeout=hd.PAGE_WAIT_MS):
        QTest.keyClick(w, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    (image,) = esc.parse(out.read_bytes()).images
    assert check_receipt(desk_site.db, esc.decode_qr_image(image)[0]).payload.entry_uuid == \
        second.uuid
