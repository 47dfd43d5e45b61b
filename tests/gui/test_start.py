"""Start of the day: first run creates the supervisor, login with PIN, event choice, auto-lock,
language switch, supervisors adding officers."""

from __future__ import annotations

from pathlib import Path

import helpers_desk as hd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from bekasi_field.services import officers
from bekasi_field.services.site import Site

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def test_first_run_creates_the_supervisor_then_asks_for_the_event(qtbot, open_window,
                                                                  tmp_path: Path) -> None:
    empty = Site.open(tmp_path / "fresh")
    try:
        w = open_window(site=empty)
        assert w.stack.currentWidget() is w.first_run
        page = w.first_run
        QTest.keyClicks(page.site, "Kota Baru")
        QTest.keyClicks(page.officer_id, "SPV09")
        QTest.keyClicks(page.name, "Ibu Kepala Seksi")
        QTest.keyClicks(page.pin, "4321")
        QTest.keyClicks(page.pin2, "4321")
        QTest.keyClick(page.pin2, Qt.Key.Key_Return)
        assert page.message.text() == "PIN supervisor harus 6–8 angka."  # 4 digits: a guess
        assert officers.get_officer(empty.db, "SPV09") is None
        for box in (page.pin, page.pin2):
            box.clear()
        QTest.keyClicks(page.pin, "432100")
        QTest.keyClicks(page.pin2, "432000")
        QTest.keyClick(page.pin2, Qt.Key.Key_Return)
        assert page.message.text() == "Kedua PIN tidak sama."
        page.pin2.clear()
        QTest.keyClicks(page.pin2, "432100")
        with qtbot.waitSignal(w.page_changed, check_params_cb=lambda p: p == "event"):
            QTest.keyClick(page.pin2, Qt.Key.Key_Return)
        made = officers.get_officer(empty.db, "SPV09")
        assert made is not None and made.is_supervisor
        assert empty.db.get_meta("site_kelurahan") == "Kota Baru"
        assert w.windowTitle() == "bekasi-field — Kota Baru"
        # No events on a fresh device: the page says what to do instead of showing nothing.
        qtbot.waitUntil(lambda: "Belum ada kegiatan" in w.events.message.text())
        w.close()
    finally:
        empty.close()


def test_wrong_pin_says_so_and_the_right_one_opens_the_desk(qtbot, open_window, demo) -> None:
    w = open_window()
    assert w.stack.currentWidget() is w.login
    page = w.login
    for i in range(page.officer.count()):
        if page.officer.itemData(i).id == "PTG01":
            page.officer.setCurrentIndex(i)
    QTest.keyClicks(page.pin, "9999")
    with qtbot.waitSignal(w.ops.idle):
        QTest.keyClick(page.pin, Qt.Key.Key_Return)
    assert page.message.text().startswith("PIN salah. Sisa percobaan: 4")
    assert w.stack.currentWidget() is w.login
    hd.login(qtbot, w, hd.PETUGAS)
    hd.choose_event(qtbot, w, demo.event_id)
    assert w.stack.currentWidget() is w.desk
    assert w.windowTitle().startswith("bekasi-field — Kota Baru — ")
    assert "Kota Baru" in w.windowTitle().split(" — ")[2]
    assert w.desk.counts is not None and w.desk.counts.entitled > 0
    # a petugas has no supervisor-only actions
    assert not w.actions_by_name["officers"].isEnabled()
    assert w.desk.code.hasFocus()
    # log out: the next login offers the officer who last worked at this desk
    with qtbot.waitSignal(w.page_changed, check_params_cb=lambda p: p == "login"):
        QTest.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
                       | Qt.KeyboardModifier.ShiftModifier)
    assert w.login.officer.currentData().id == "PTG01"
    assert w.login.title.text() == "Masuk"


def test_auto_lock_returns_to_the_pin_and_keeps_the_desk_but_not_the_verdict(qtbot, open_window, demo,
                                                        desk_site) -> None:
    w = open_window(idle=0.4)
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    household, nik = hd.household_of_kelurahan(desk_site, demo.event_id, "Kota Baru")
    verdict = hd.type_code(qtbot, w, nik)
    assert verdict.code.value == "ELIGIBLE"
    with qtbot.waitSignal(w.locked, timeout=5000):
        pass  # nobody touches anything
    assert w.stack.currentWidget() is w.login
    assert w.login.title.text() == "Layar terkunci"
    assert w.login.officer.currentData().id == "PTG01"
    assert not w.actions_by_name["handover"].isEnabled()  # F5 does nothing while locked
    hd.login(qtbot, w, hd.PETUGAS, expect="desk")
    # The desk is kept (event, counts, lists) but not the verdict: whoever unlocks scans again
    # (a verdict left behind a lock was once handed over by the next officer).
    assert w.state.chosen_event.id == demo.event_id and w.desk.counts is not None
    assert w.state.shown == "" and w.desk.code.hasFocus()
    assert hd.type_code(qtbot, w, nik).household_id == household


def test_language_switch_retranslates_what_is_visible(qtbot, open_window, demo,
                                                      desk_site) -> None:
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.SUPERVISOR)
    _, nik = hd.household_of_kelurahan(desk_site, demo.event_id, "Kota Baru")
    hd.type_code(qtbot, w, nik)
    assert w.desk.panel.headline.text() == "BERHAK"
    assert w.desk.handover_button.text() == "Serahkan (Enter)"
    with qtbot.waitSignal(w.desk.verdict_shown):
        QTest.keyClick(w, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert w.desk.panel.headline.text() == "ELIGIBLE"
    assert w.desk.handover_button.text() == "Hand over (Enter)"
    assert w.desk.tabs.tabText(0) == "Today's hand-overs (Ctrl+1)"
    assert w.desk.panel.message.text().startswith(w.state.verdict.details["recipient_name"])
    assert "entitled" in w.desk.panel.message.text() or "ELIGIBLE" in w.desk.panel.headline.text()
    assert w.desk.handovers.headerData(1, Qt.Orientation.Horizontal) == "Time"
    with qtbot.waitSignal(w.desk.verdict_shown):
        QTest.keyClick(w, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert w.desk.panel.headline.text() == "BERHAK"


def test_supervisor_adds_a_facilitator(qtbot, open_window, demo, desk_site) -> None:
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.SUPERVISOR)
    assert w.actions_by_name["officers"].isEnabled()

    messages: list[str] = []

    def fill(dialog) -> None:
        try:
            QTest.keyClicks(dialog.officer_id, "PKH07")
            QTest.keyClicks(dialog.name, "Sri Wahyuni")
            dialog.role.setCurrentIndex(dialog.role.findData("pendamping"))
            QTest.keyClicks(dialog.pin, "7777")
            with qtbot.waitSignal(dialog.added):  # the PIN is hashed on the worker
                QTest.keyClick(dialog.add_button, Qt.Key.Key_Space)
            messages.append(dialog.message.text())
        finally:
            dialog.accept()  # never leave a modal dialog open in a test

    w.flow.dialog_opened.connect(fill)
    QTest.keyClick(w, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert messages == ["Petugas PKH07 disimpan."]
    added = officers.get_officer(desk_site.db, "PKH07")
    assert added is not None and added.role == "pendamping"
    assert officers.login(desk_site.db, officer_id="PKH07", pin="7777").id == "PKH07"


def test_supervisor_sets_the_hub_address_and_the_auto_lock(qtbot, open_window, demo,
                                                           desk_site) -> None:
    from bekasi_field.services import desk

    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.SUPERVISOR)

    def fill(dialog) -> None:
        try:
            dialog.hub_url.clear()
            QTest.keyClicks(dialog.hub_url, "http://10.0.0.5:8000")
            dialog.lock.setValue(2.5)
            dialog.accept()
        finally:
            if dialog.result() == -1:
                dialog.reject()

    w.flow.dialog_opened.connect(fill)
    with qtbot.waitSignal(w.ops.idle):
        QTest.keyClick(w, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    assert w.statusBar().currentMessage() == "Pengaturan disimpan."
    assert desk.get_setting(desk_site.db, "hub_url") == "http://10.0.0.5:8000"
    assert desk.get_setting(desk_site.db, "lock_minutes") == "2.5"
    assert w.idle.seconds == 150
    assert w.flow.hub_url() == "http://10.0.0.5:8000"
