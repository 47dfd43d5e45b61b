"""The GUI thread never waits on the database or on argon2: a whole desk session, started the
way the app starts (app.start_desktop), runs under a watch that records every SQL statement and
every PIN hash or check made on the GUI thread; there must be none."""

from __future__ import annotations

import helpers_desk as hd
import pytest
from gui_thread_guard import watch_gui_thread
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from bekasi_field import app as desk_app
from bekasi_field.services.site import Site

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def test_the_guard_sees_a_query_and_a_pin_check_on_the_gui_thread(monkeypatch, demo) -> None:
    from bekasi_field.services import officers

    site = Site.open(demo.home)
    try:
        with watch_gui_thread(monkeypatch) as guard:
            site.db.get_meta("device_id")
            officers.login(site.db, officer_id="PTG01", pin="1111")
        kinds = [v.splitlines()[0] for v in guard.violations]
        assert any(k.startswith("Database.raw") for k in kinds)
        assert "argon2 verify" in kinds
    finally:
        site.close()


def test_a_desk_session_runs_no_query_and_no_pin_hash_on_the_gui_thread(
        qtbot, monkeypatch, demo) -> None:
    site = Site.open(demo.home)
    _household, nik = hd.household_of_kelurahan(site, demo.event_id, "Kota Baru", offset=1)
    site.close()
    with watch_gui_thread(monkeypatch) as guard:
        w, site = desk_app.start_desktop(home=demo.home, sound=False)
        qtbot.addWidget(w)
        try:
            qtbot.waitUntil(lambda: bool(w.property("integrityChecked")), timeout=20_000)
            hd.open_desk(qtbot, w, demo.event_id, hd.SUPERVISOR)
            assert hd.type_code(qtbot, w, nik).code.value == "ELIGIBLE"

            def answer(dialog) -> None:
                if hasattr(dialog, "kk"):  # the identity check of a typed NIK
                    dialog.kk.setChecked(True)
                    dialog.accept()
                elif hasattr(dialog, "add_button"):  # Ctrl+O: a new officer, PIN hashed
                    QTest.keyClicks(dialog.officer_id, "PTG09")
                    QTest.keyClicks(dialog.name, "Dewi Lestari")
                    QTest.keyClicks(dialog.pin, "9090")
                    with qtbot.waitSignal(dialog.added):
                        QTest.keyClick(dialog.add_button, Qt.Key.Key_Space)
                    dialog.accept()
                elif hasattr(dialog, "hub_url"):  # Ctrl+,
                    dialog.lock.setValue(7)
                    dialog.accept()
                elif hasattr(dialog, "supervisor"):  # F7: the supervisor's PIN
                    QTest.keyClicks(dialog.reason, "salah orang, diulang")
                    QTest.keyClicks(dialog.pin, "202611")
                    dialog.accept()
                else:
                    dialog.accept()

            w.flow.dialog_opened.connect(answer)
            hd.press_enter_to_hand_over(qtbot, w)
            with qtbot.waitSignal(w.ops.idle):
                QTest.keyClick(w, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
            with qtbot.waitSignal(w.ops.idle):
                QTest.keyClick(w, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
            qtbot.waitUntil(lambda: w.desk.handovers.rowCount() == 1)
            w.desk.handover_view.selectRow(0)
            with qtbot.waitSignal(w.flow.voided, timeout=10_000):
                QTest.keyClick(w, Qt.Key.Key_F7)
            w.activateWindow()  # the closed dialog took the activation with it (offscreen)
            qtbot.waitUntil(w.isActiveWindow)
            with qtbot.waitSignal(w.ops.idle):
                QTest.keyClick(w, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
            with qtbot.waitSignal(w.page_changed, check_params_cb=lambda p: p == "login"):
                QTest.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
            hd.login(qtbot, w, hd.SUPERVISOR, expect="desk")
            with qtbot.waitSignal(w.page_changed, check_params_cb=lambda p: p == "login"):
                QTest.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
                               | Qt.KeyboardModifier.ShiftModifier)
            hd.login(qtbot, w, ("PTG09", "9090"))
        finally:
            w.close()
            site.close()
    assert guard.violations == []
