"""The desk on a real distribution day: each test drives the real window with keys and shows one
defect found by a walk at 1366x768 is gone (a verdict that outlives its officer, a slip with no
identity check, a proxy approval without a PIN, ...)."""

from __future__ import annotations

import helpers_desk as hd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from bekasi_field.i18n import set_language

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
PTG02 = ("PTG02", "2222")


@pytest.fixture(autouse=True)
def _bahasa():
    set_language("id")
    yield
    set_language("id")


def _journal_kinds(site, household: str) -> list[tuple[str, str]]:
    conn = site.db.raw()
    try:
        return [(r[0], r[1]) for r in conn.execute(
            "SELECT kind, officer_id FROM journal WHERE household_id = ? ORDER BY seq",
            (household,))]
    finally:
        conn.close()


def _enter_saves_nothing(qtbot, w) -> None:
    saved: list[object] = []
    w.flow.saved.connect(saved.append)
    w.desk.code.setFocus()
    QTest.keyClick(w.desk.code, Qt.Key.Key_Return)
    QTest.keyClick(w, Qt.Key.Key_F5)
    qtbot.wait(50)  # let a wrongly started save reach the worker
    qtbot.waitUntil(lambda: w.ops.pending == 0)
    w.flow.saved.disconnect(saved.append)
    assert saved == []


# --- 1: a verdict never outlives the lock, the officer, or two minutes ------------------------
def test_a_verdict_does_not_survive_ctrl_l_and_another_officer(qtbot, open_window, demo,
                                                              desk_site) -> None:
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    household, _nik = hd.household_of_kelurahan(desk_site, demo.event_id, "Kota Baru")
    [(slip_household, slip)] = hd.slip_texts(desk_site, demo.event_id, n=1)
    assert hd.type_code(qtbot, w, slip).code.value == "ELIGIBLE"
    with qtbot.waitSignal(w.page_changed, check_params_cb=lambda p: p == "login"):
        QTest.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    hd.login(qtbot, w, PTG02, expect="desk")
    assert w.state.shown == "" and w.desk.panel.headline.text() == "SIAP MEMINDAI"
    assert not w.desk.handover_button.isEnabled()
    _enter_saves_nothing(qtbot, w)
    assert _journal_kinds(desk_site, slip_household) == []
    assert household  # the day's lists stay: PTG02 scans again
    assert hd.type_code(qtbot, w, slip).code.value == "ELIGIBLE"
    hd.press_enter_to_hand_over(qtbot, w)
    assert _journal_kinds(desk_site, slip_household) == [("handover", "PTG02")]


def test_the_auto_lock_clears_the_verdict(qtbot, open_window, demo, desk_site) -> None:
    w = open_window(idle=0.4)
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    [(slip_household, slip)] = hd.slip_texts(desk_site, demo.event_id, n=1)
    assert hd.type_code(qtbot, w, slip).code.value == "ELIGIBLE"
    with qtbot.waitSignal(w.locked, timeout=5000):
        pass
    hd.login(qtbot, w, hd.PETUGAS, expect="desk")
    assert w.state.verdict is None
    _enter_saves_nothing(qtbot, w)
    assert _journal_kinds(desk_site, slip_household) == []


def test_an_old_verdict_is_checked_again_before_it_hands_over(qtbot, open_window, demo,
                                                             desk_site) -> None:
    w = open_window()
    now = [1000.0]
    w.state.clock = lambda: now[0]
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    [(slip_household, slip)] = hd.slip_texts(desk_site, demo.event_id, n=1)
    assert hd.type_code(qtbot, w, slip).code.value == "ELIGIBLE"
    now[0] += 17 * 60  # the officer walked away; nobody locked (a long auto-lock setting)
    with qtbot.waitSignal(w.desk.verdict_shown):
        QTest.keyClick(w.desk.code, Qt.Key.Key_Return)
    assert _journal_kinds(desk_site, slip_household) == []
    assert "diperiksa ulang" in w.statusBar().currentMessage()
    hd.press_enter_to_hand_over(qtbot, w)  # fresh verdict: one Enter saves
    assert _journal_kinds(desk_site, slip_household) == [("handover", "PTG01")]


# --- 2: a signed slip hands over only after the KTP/KK was matched (one key) -----------------
def _identity(site, household: str) -> dict:
    import json

    conn = site.db.raw()
    try:
        return json.loads(conn.execute("SELECT identity FROM journal WHERE household_id = ? "
                                       "AND kind = 'handover'", (household,)).fetchone()[0])
    finally:
        conn.close()


def test_a_slip_asks_for_the_ktp_or_kk_and_the_journal_says_which(qtbot, open_window, demo,
                                                                  desk_site) -> None:
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    [(first, slip1), (second, slip2)] = hd.slip_texts(desk_site, demo.event_id, n=2)
    assert hd.type_code(qtbot, w, slip1).code.value == "ELIGIBLE"
    shown: list[str] = []

    def answer(dialog) -> None:
        shown.append(dialog.objectName())
        QTest.keyClick(dialog, Qt.Key.Key_Return)  # a reflex Enter does not confirm
        assert dialog.result() == -1
        QTest.keyClick(dialog, Qt.Key.Key_Escape)

    w.flow.dialog_opened.connect(answer)
    QTest.keyClick(w.desk.code, Qt.Key.Key_Return)
    w.flow.dialog_opened.disconnect(answer)
    assert shown == ["idCheckDialog"]
    assert _journal_kinds(desk_site, first) == []
    entry = hd.press_enter_to_hand_over(qtbot, w, document="2")
    assert entry.seq >= 1
    doc = _identity(desk_site, first)
    assert (doc["kk_seen"], doc["ktp_seen"], doc["checked_by"]) == (True, False, "PTG01")
    assert hd.type_code(qtbot, w, slip2).code.value == "ELIGIBLE"
    hd.press_enter_to_hand_over(qtbot, w, document="1")
    assert _identity(desk_site, second)["ktp_seen"] is True
