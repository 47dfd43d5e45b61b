"""Issue 11, point 12: every desk action has a key and a menu entry; the dashboard's BAST and
XLSX are written by key (and its buttons go the same way); the USB bundle is written from the
desk with a progress bar and the hub takes it; F9 with no hub asks for the hub's address."""

from __future__ import annotations

from pathlib import Path

import helpers_desk as hd
import openpyxl
import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog

from bekasi_field.hub.bundles import import_journal_bundle
from bekasi_field.hub.store import HubStore
from bekasi_field.services.site import Site
from bekasi_field.store.db import set_meta

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier



def _save_as(target: Path, seen: list[str]):
    def answer(dialog) -> None:
        if isinstance(dialog, QFileDialog):
            seen.append(dialog.objectName())
            dialog.selectFile(str(target))
            dialog.accept()

    return answer


def _back_to(qtbot, w) -> None:
    w.activateWindow()  # offscreen Qt does not give the focus back after a dialog
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)


def _pdf_text(path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def test_every_action_has_a_key_and_a_menu_entry(qtbot, open_window, demo) -> None:
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.SUPERVISOR)
    in_menus = {a for menu in w.actions.menus.values() for a in menu.actions()}
    keys = []
    for spec in w.actions.table:
        action = w.actions.by_name[spec.name]
        assert not action.shortcut().isEmpty(), spec.name
        assert action in in_menus, spec.name
        assert action.text(), spec.name
        keys.append(action.shortcut().toString())
    assert len(keys) == len(set(keys))  # no key does two things
    reports = [a.shortcut().toString() for a in w.actions.menus["reports"].actions()]
    assert {"Ctrl+Shift+B", "Ctrl+Shift+X", "Ctrl+Shift+U", "Ctrl+R"} <= set(reports)


def test_bast_and_recap_by_key_and_the_dashboard_buttons_go_the_same_way(
        qtbot, open_window, demo, desk_site, tmp_path) -> None:
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.SUPERVISOR)
    [(_household, slip)] = hd.slip_texts(desk_site, demo.event_id, n=1)
    verdict = hd.type_code(qtbot, w, slip)
    hd.press_enter_to_hand_over(qtbot, w)
    name = verdict.details["recipient_name"]
    seen: list[str] = []

    pdf = tmp_path / "bast.pdf"
    w.dialogs.opened.connect(_save_as(pdf, seen))
    with qtbot.waitSignal(w.reports.written, timeout=30_000) as written:
        QTest.keyClick(w, Qt.Key.Key_B, CTRL_SHIFT)
    w.dialogs.opened.disconnect()
    assert written.args == ["bast", str(pdf)]
    assert name in _pdf_text(pdf)

    _back_to(qtbot, w)
    xlsx = tmp_path / "rekap.xlsx"
    w.dialogs.opened.connect(_save_as(xlsx, seen))
    with qtbot.waitSignal(w.reports.written, timeout=30_000) as written:
        QTest.keyClick(w, Qt.Key.Key_X, CTRL_SHIFT)
    w.dialogs.opened.disconnect()
    assert written.args == ["xlsx", str(xlsx)]
    names = [r[4] for r in openpyxl.load_workbook(xlsx).worksheets[0].iter_rows(
        min_row=2, values_only=True)]
    assert names == [name]

    # The dashboard's button (Space on it) asks through the same dialog and worker.
    _back_to(qtbot, w)
    qtbot.waitUntil(lambda: w.desk.dashboard is not None, timeout=10_000)
    QTest.keyClick(w, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    dash = w.desk.dashboard
    assert dash.bast_button.toolTip() == QKeySequence("Ctrl+Shift+B").toString(
        QKeySequence.SequenceFormat.NativeText)
    again = tmp_path / "bast-button.pdf"
    w.dialogs.opened.connect(_save_as(again, seen))
    dash.bast_button.setFocus()
    with qtbot.waitSignal(w.reports.written, timeout=30_000):
        QTest.keyClick(dash.bast_button, Qt.Key.Key_Space)
    w.dialogs.opened.disconnect()
    assert again.exists() and "Tersimpan" in dash.status.text()
    assert seen == ["bastFileDialog", "xlsxFileDialog", "bastFileDialog"]


def test_f9_without_a_hub_asks_a_supervisor_for_the_hub_address(
        qtbot, open_window, demo, desk_site) -> None:
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    assert w.settings.hub_url() == ""
    asked: list[str] = []

    def answer(dialog) -> None:
        asked.append(dialog.objectName())
        if dialog.objectName() == "supervisorApproval":
            dialog.supervisor.setCurrentIndex(dialog.supervisor.findData("SPV01"))
            QTest.keyClicks(dialog.pin, "202611")
            dialog.accept()
        elif dialog.objectName() == "settingsDialog":
            dialog.hub_url.clear()
            QTest.keyClicks(dialog.hub_url, "http://127.0.0.1:9")
            dialog.accept()

    w.dialogs.opened.connect(answer)
    with qtbot.waitSignal(w.flow.status, timeout=10_000,
                          check_params_cb=lambda t: "127.0.0.1:9" in t):
        QTest.keyClick(w, Qt.Key.Key_F9)
    w.dialogs.opened.disconnect()
    assert asked == ["supervisorApproval", "settingsDialog"]
    assert w.settings.hub_url() == "http://127.0.0.1:9"
    qtbot.waitUntil(lambda: w.ops.pending == 0)
    conn = desk_site.db.raw()
    try:
        stored = conn.execute("SELECT value FROM meta WHERE key = 'desk.hub_url'").fetchone()
    finally:
        conn.close()
    assert stored == ("http://127.0.0.1:9",)


@pytest.mark.slow
def test_the_usb_bundle_is_written_from_the_desk_with_progress_and_the_hub_takes_it(
        qtbot, open_window, tmp_path) -> None:
    hh = hd.hub_helpers()
    store = HubStore.open(f"sqlite:///{tmp_path / 'hub.db'}")
    hh.seed_registry(store)
    hub = hh.ThreadHub(store).start()
    fresh = Site.open(tmp_path / "desk")
    with fresh.db.transaction() as conn:
        set_meta(conn, "sync_interval_s", "off")
    try:
        w = open_window(site=fresh)
        page = w.first_run
        QTest.keyClicks(page.hub_url, hub.url)
        QTest.keyClicks(page.enrol_code, hh.enrol_code(store))
        with qtbot.waitSignal(w.page_changed, timeout=30_000,
                              check_params_cb=lambda p: p == "login"):
            QTest.keyClick(page.enrol_code, Qt.Key.Key_Return)
        hub.stop()  # from here on the site has no connection: the USB stick carries it
        hd.login(qtbot, w, ("PTG01", "1111"))
        hd.choose_event(qtbot, w, hh.EVENT)
        hd.type_code(qtbot, w, "KPM-0001")

        def identity(dialog) -> None:
            if hasattr(dialog, "ktp"):
                dialog.ktp.setChecked(True)
                dialog.accept()

        w.flow.dialog_opened.connect(identity)
        hd.press_enter_to_hand_over(qtbot, w)
        w.flow.dialog_opened.disconnect(identity)
        _back_to(qtbot, w)

        stick = tmp_path / "usb" / "desk.bkf"
        stick.parent.mkdir()
        seen: list[str] = []
        steps: list[tuple[int, int]] = []
        w.reports._progress.connect(lambda done, total: steps.append((done, total)))
        w.dialogs.opened.connect(_save_as(stick, seen))
        with qtbot.waitSignal(w.reports.written, timeout=30_000) as written:
            QTest.keyClick(w, Qt.Key.Key_U, CTRL_SHIFT)
        w.dialogs.opened.disconnect()
        assert written.args == ["bundle", str(stick)]
        assert seen == ["bundleFileDialog"]
        assert steps and steps[-1][0] == steps[-1][1]  # the bar ran to its end
        assert w.reports.progress is None  # and closed
        assert "1 entri jurnal" in w.statusBar().currentMessage()
        result = import_journal_bundle(store, stick)
        assert result["stored"] == 1
        w.close()
    finally:
        hub.stop()
        fresh.close()
        store.dispose()
