"""The desk on a real distribution day: each test drives the real window with keys and shows one
defect found by a walk at 1366x768 is gone (a verdict that outlives its officer, a slip with no
identity check, a proxy approval without a PIN, ...)."""

from __future__ import annotations

import helpers_desk as hd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
PTG02 = ("PTG02", "2222")


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
    QApplication.processEvents()  # what the keys posted: a wrongly started save reaches Ops
    qtbot.waitUntil(lambda: w.ops.pending == 0)
    w.flow.saved.disconnect(saved.append)
    assert saved == []


def _tick(box) -> None:
    box.setFocus()
    QTest.keyClick(box, Qt.Key.Key_Space)


def _show(qtbot, dialog) -> None:
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)


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


# --- 3: a proxy pick-up is approved by a pendamping's own PIN; nobody present by default -----
def test_a_proxy_needs_the_pendamping_pin_and_the_proxys_ktp(qtbot, open_window, demo,
                                                            desk_site) -> None:
    import json

    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    household, nik = hd.household_of_kelurahan(desk_site, demo.event_id, "Kota Baru", offset=6)
    conn = desk_site.db.raw()
    proxy_nik = conn.execute("SELECT nik FROM members WHERE household_id != ? LIMIT 1",
                             (household,)).fetchone()[0]
    conn.close()
    hd.type_code(qtbot, w, nik)
    seen: dict[str, object] = {}

    def answer(dialog) -> None:
        try:
            fill(dialog)
        finally:
            if dialog.result() == -1:  # never leave a modal dialog open in a test
                seen["left_open"] = dialog.message.text()
                dialog.reject()

    def fill(dialog) -> None:
        _show(qtbot, dialog)  # keys and Alt+letters reach a shown, active dialog
        seen["member_default"] = dialog.member.currentData()
        seen["approvers"] = [dialog.approver.itemData(i) for i in range(dialog.approver.count())]
        QTest.keyClicks(dialog.proxy_name, "Bambang Hermawan")
        QTest.keyClicks(dialog.proxy_nik, proxy_nik)
        _tick(dialog.ktp)  # the recipient's KTP came with the surat kuasa
        _tick(dialog.letter)
        QTest.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        seen["no_proxy_ktp"] = dialog.message.text()
        _tick(dialog.proxy_ktp)
        dialog.approver.setCurrentIndex(dialog.approver.findData("PKH01"))
        QTest.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        seen["no_pin"] = dialog.message.text()
        QTest.keyClicks(dialog.approver_pin, "1111")  # the petugas's PIN is not PKH01's
        QTest.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: dialog.message.text().startswith("PIN"), timeout=10_000)
        seen["wrong_pin"] = dialog.message.text()
        QTest.keyClicks(dialog.approver_pin, "3333")
        QTest.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    w.flow.dialog_opened.connect(answer)
    with qtbot.waitSignal(w.flow.saved, timeout=10_000, raising=False) as blocker:
        QTest.keyClick(w, Qt.Key.Key_F6)
    assert blocker.signal_triggered, seen
    assert seen["member_default"] is None  # nobody of the household came
    assert "PTG01" not in seen["approvers"] and "PKH01" in seen["approvers"]
    assert seen["no_proxy_ktp"] == "Periksa KTP kuasa lebih dulu."
    assert seen["no_pin"] == "Pendamping atau supervisor memasukkan PIN-nya sendiri."
    assert seen["wrong_pin"].startswith("PIN salah")
    conn = desk_site.db.raw()
    row = conn.execute("SELECT identity, proxy_relationship, proxy_nik FROM journal "
                       "WHERE household_id = ?", (household,)).fetchone()
    conn.close()
    identity = json.loads(row[0])
    assert identity["approved_by"] == "PKH01" and identity["proxy_ktp_seen"] is True
    assert identity["ktp_seen"] is True and identity["member_nik"] is None
    assert row[1] == "Keluarga" and row[2] == proxy_nik


# --- 13: every Alt+letter in the hand-over dialog is its own (KTP and KK both had Alt+K) -----
def test_ktp_and_kk_have_their_own_alt_keys(qtbot, open_window, demo, desk_site) -> None:
    from PySide6.QtWidgets import QAbstractButton

    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    _household, nik = hd.household_of_kelurahan(desk_site, demo.event_id, "Kota Baru", offset=7)
    hd.type_code(qtbot, w, nik)
    letters: list[str] = []

    def answer(dialog) -> None:
        letters.extend(b.text().replace("&&", "").split("&")[1][0].lower()
                       for b in dialog.findChildren(QAbstractButton)
                       if "&" in b.text().replace("&&", ""))
        dialog.reject()

    w.flow.dialog_opened.connect(answer)
    QTest.keyClick(w.desk.code, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(letters), timeout=10_000)
    assert "k" in letters and "g" in letters  # KTP Alt+K, Kartu Keluarga Alt+G
    assert sorted(letters) == sorted(set(letters))


# --- 15 (part): "TERSIMPAN" says what was handed over; Ctrl+L is not called the auto-lock ----
def test_saved_says_handed_over_and_a_manual_lock_says_so(qtbot, open_window, demo,
                                                          desk_site) -> None:
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    [(_household, slip)] = hd.slip_texts(desk_site, demo.event_id, n=1)
    verdict = hd.type_code(qtbot, w, slip)
    hd.press_enter_to_hand_over(qtbot, w)
    name = verdict.details["recipient_name"]
    assert w.desk.panel.message.text() == f"Kartu KKS sudah diserahkan kepada {name}."
    assert "berhak" not in w.desk.panel.message.text()
    with qtbot.waitSignal(w.page_changed, check_params_cb=lambda p: p == "login"):
        QTest.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert w.login.title.text() == "Layar terkunci"
    assert "tidak ada kegiatan" not in w.login.subtitle.text()
    assert w.login.subtitle.text().startswith("Meja dikunci.")


# --- 4: an empty PIN is no attempt; the lock-out says until when, another supervisor lifts it --
def test_pin_lockout_empty_pin_exact_time_and_unlock_by_another_supervisor(
        qtbot, open_window, demo, desk_site) -> None:
    import re

    from bekasi_field.services import officers

    officers.create_officer(desk_site.db, officer_id="SPV02", name="Bu Wati", role="supervisor",
                            pin="505050")
    w = open_window()
    page = w.login
    page.officer.setCurrentIndex(page.officer.findText("SPV01", Qt.MatchFlag.MatchContains))
    page.pin.setFocus()
    for _ in range(6):
        QTest.keyClick(page.pin, Qt.Key.Key_Return)
    assert page.message.text() == "Ketik PIN dulu, lalu Enter."
    conn = desk_site.db.raw()
    assert conn.execute("SELECT failed_attempts FROM officers WHERE id = 'SPV01'").fetchone()[0] == 0
    conn.close()
    for _ in range(5):
        QTest.keyClicks(page.pin, "9999")
        with qtbot.waitSignal(w.ops.idle):
            QTest.keyClick(page.pin, Qt.Key.Key_Return)
    assert re.search(r"terkunci sampai pukul \d\d:\d\d:\d\d WIB \(lagi [45] menit \d+ detik\)",
                     page.message.text()), page.message.text()

    def approve(dialog) -> None:
        try:
            choices = [dialog.supervisor.itemData(i) for i in range(dialog.supervisor.count())]
            assert choices == ["SPV02"]  # not the locked supervisor herself
            QTest.keyClicks(dialog.pin, "505050")
            dialog.accept()
        finally:
            if dialog.result() == -1:
                dialog.reject()

    w.flow.dialog_opened.connect(approve)
    QTest.keyClick(page, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert page.message.text() == "Kunci SPV01 dibuka oleh SPV02."
    w.flow.dialog_opened.disconnect(approve)
    hd.login(qtbot, w, hd.SUPERVISOR)


# --- 9 (part): F7 right after a save offers to void the entry just saved ----------------------
def test_f7_right_after_a_save_voids_that_entry(qtbot, open_window, demo, desk_site) -> None:
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    [(household, slip)] = hd.slip_texts(desk_site, demo.event_id, n=1)
    hd.type_code(qtbot, w, slip)
    entry = hd.press_enter_to_hand_over(qtbot, w)
    prompts: list[str] = []

    def approve(dialog) -> None:
        try:
            prompts.append(dialog.findChild(type(dialog.message)).text())
            QTest.keyClicks(dialog.reason, "salah orang, diulang")
            dialog.supervisor.setCurrentIndex(dialog.supervisor.findData("SPV01"))
            QTest.keyClicks(dialog.pin, "202611")
            dialog.accept()
        finally:
            if dialog.result() == -1:
                dialog.reject()

    w.flow.dialog_opened.connect(approve)
    with qtbot.waitSignal(w.flow.voided, timeout=10_000):
        QTest.keyClick(w, Qt.Key.Key_F7)  # nothing selected in the list
    assert prompts and f"Batalkan entri #{entry.seq}" in prompts[0]
    assert _journal_kinds(desk_site, household) == [("handover", "PTG01"), ("void", "SPV01")]


# --- 14: the login preselects nobody (or this desk's last officer) and starts in the list -----
def test_login_preselects_nobody_and_a_blind_pin_logs_in_no_one(qtbot, open_window, demo,
                                                                desk_site) -> None:
    w = open_window()
    page = w.login
    assert page.officer.currentIndex() == -1
    qtbot.waitUntil(page.officer.hasFocus, timeout=3000)
    page.pin.setFocus()
    QTest.keyClicks(page.pin, "3333")  # PKH01's PIN, typed by someone else
    QTest.keyClick(page.pin, Qt.Key.Key_Return)
    assert w.stack.currentWidget() is page
    assert page.message.text().startswith("Pilih nama Anda dulu")
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    with qtbot.waitSignal(w.page_changed, check_params_cb=lambda p: p == "login"):
        QTest.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
                       | Qt.KeyboardModifier.ShiftModifier)
    assert page.officer.currentData().id == "PTG01"  # the last officer of this desk


# --- 15 (part): recent scans show the person's name, not the household id --------------------
def test_recent_scans_show_names(qtbot, open_window, demo, desk_site) -> None:
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    [(household, slip)] = hd.slip_texts(desk_site, demo.event_id, n=1)
    verdict = hd.type_code(qtbot, w, slip)
    line = w.desk.history_list.item(0).text()
    assert verdict.details["recipient_name"] in line and household not in line
