"""At the desk: a slip through a video camera, the scanner wedge, typed codes and names, the
identity and proxy checks, supervisor override and void. Real database, real Qt offscreen."""

from __future__ import annotations

import json
from pathlib import Path

import helpers_desk as hd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def _journal(site, household: str) -> list[dict]:
    conn = site.db.raw()
    conn.row_factory = __import__("sqlcipher3.dbapi2", fromlist=["Row"]).Row
    try:
        rows = conn.execute("SELECT * FROM journal WHERE household_id = ? ORDER BY seq",
                            (household,)).fetchall()
    finally:
        conn.close()
    return [dict(r) for r in rows]


def _other_nik(site, not_household: str) -> str:
    conn = site.db.raw()
    try:
        return conn.execute("SELECT nik FROM members WHERE household_id != ? LIMIT 1",
                            (not_household,)).fetchone()[0]
    finally:
        conn.close()


@pytest.mark.slow
def test_slip_on_camera_eligible_enter_counted_then_already_collected(
        qtbot, open_window, demo, desk_site, tmp_path: Path) -> None:
    [(household, slip)] = hd.slip_texts(desk_site, demo.event_id, n=1)
    video = hd.slip_video(tmp_path / "camera.avi", [slip])
    w = open_window(camera=str(video))
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    before = w.desk.counts.collected
    qtbot.waitUntil(lambda: w.state.shown == "ELIGIBLE", timeout=20_000)
    assert w.camera.frames_shown > 0
    assert w.state.verdict.household_id == household
    assert w.state.verdict.code_kind == "slip"
    assert w.desk.panel.headline.text() == "BERHAK"
    assert "••••" in w.desk.panel._detail_labels["nik"][1].text()
    with qtbot.waitSignal(w.desk.counts_shown, timeout=10_000,
                          check_params_cb=lambda c: c.collected == before + 1):
        entry = hd.press_enter_to_hand_over(qtbot, w)
    assert w.desk.panel.headline.text() == f"TERSIMPAN · entri #{entry.seq}"
    qtbot.waitUntil(lambda: w.desk.handovers.rowCount() == 1)
    assert w.desk.handovers.row(0).household_id == household
    # The camera keeps looking at the same slip: after the cool-down it says so, loudly.
    qtbot.waitUntil(lambda: w.state.shown == "ALREADY_COLLECTED", timeout=20_000)
    assert w.sounds.played[:2] == ["yes", "saved"] and w.sounds.played[-1] == "no"
    assert [r["kind"] for r in _journal(desk_site, household)] == ["handover"]
    assert not w.desk.handover_button.isEnabled()


def test_scanner_wedge_is_heard_with_the_focus_on_the_list(qtbot, open_window, demo,
                                                          desk_site) -> None:
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    household, nik = hd.household_of_kelurahan(desk_site, demo.event_id, "Kota Baru", offset=2)
    w.desk.handover_view.setFocus()
    qtbot.waitUntil(lambda: w.desk.handover_view.hasFocus())
    with qtbot.waitSignal(w.desk.verdict_shown) as blocker:
        QTest.keyClicks(w.desk.handover_view, nik)  # a scanner types a burst, then Enter
        QTest.keyClick(w.desk.handover_view, Qt.Key.Key_Return)
    verdict = blocker.args[0]
    assert (verdict.code.value, verdict.household_id) == ("ELIGIBLE", household)
    assert verdict.needs_identity_check  # a plain NIK identifies but does not prove
    assert w.desk.code.text() == ""


def test_plain_nik_needs_the_identity_check_and_proxy_details(qtbot, open_window, demo,
                                                             desk_site) -> None:
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    household, nik = hd.household_of_kelurahan(desk_site, demo.event_id, "Kranji")
    proxy_nik = _other_nik(desk_site, household)
    verdict = hd.type_code(qtbot, w, nik)
    assert verdict.code.value == "ELIGIBLE" and verdict.needs_identity_check
    problems: list[str] = []

    def answer(dialog) -> None:
        try:
            assert dialog.proxy_box.isChecked()  # F6 opened it as a proxy pick-up
            QTest.keyClicks(dialog.proxy_name, "Bambang Hermawan")
            QTest.keyClicks(dialog.proxy_nik, proxy_nik)
            dialog.proxy_rel.setCurrentIndex(1)
            dialog.ktp.setChecked(True)
            dialog.proxy_ktp.setChecked(True)
            dialog.member.setCurrentIndex(dialog.member.findData(nik))  # her KTP came along
            dialog.accept()  # surat kuasa not ticked yet
            problems.append(dialog.message.text())
            dialog.letter.setChecked(True)
            dialog.approver.setCurrentIndex(dialog.approver.findData("PKH01"))
            QTest.keyClicks(dialog.approver_pin, "3333")  # the pendamping's own PIN
            dialog.accept()
            problems.append(dialog.message.text() if dialog.result() == -1 else "")
        finally:
            if dialog.result() == -1:
                dialog.reject()

    w.flow.dialog_opened.connect(answer)
    with qtbot.waitSignal(w.flow.saved) as blocker:
        QTest.keyClick(w, Qt.Key.Key_F6)
    assert problems == ["Surat kuasa harus dilihat lebih dulu.", ""]
    [row] = _journal(desk_site, household)
    assert row["seq"] == blocker.args[0].seq
    assert (row["is_proxy"], row["proxy_name"], row["proxy_nik"]) == (1, "Bambang Hermawan",
                                                                       proxy_nik)
    assert row["proxy_letter_seen"] == 1 and row["proxy_relationship"] == "Tetangga"
    identity = json.loads(row["identity"])
    assert identity["ktp_seen"] is True and identity["member_nik"] == nik
    assert identity["checked_by"] == "PTG01"
    qtbot.waitUntil(lambda: w.desk.handovers.rowCount() == 1)
    assert w.desk.handovers.data(w.desk.handovers.index(0, 5)) == "Bambang Hermawan"


def test_cancelled_identity_check_saves_nothing(qtbot, open_window, demo, desk_site) -> None:
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    household, nik = hd.household_of_kelurahan(desk_site, demo.event_id, "Kota Baru", offset=3)
    hd.type_code(qtbot, w, nik)
    w.flow.dialog_opened.connect(lambda d: d.reject())
    with qtbot.waitSignal(w.flow.status,
                          check_params_cb=lambda m: m.startswith("Serah terima dibatalkan")):
        QTest.keyClick(w.desk.code, Qt.Key.Key_Return)
    assert _journal(desk_site, household) == []


def test_supervisor_void_with_a_reason_makes_the_household_eligible_again(
        qtbot, open_window, demo, desk_site) -> None:
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    household, nik = hd.household_of_kelurahan(desk_site, demo.event_id, "Kota Baru", offset=4)
    hd.type_code(qtbot, w, nik)

    def identity(dialog) -> None:
        dialog.kk.setChecked(True)
        dialog.accept()

    w.flow.dialog_opened.connect(identity)
    hd.press_enter_to_hand_over(qtbot, w)
    w.flow.dialog_opened.disconnect(identity)
    assert hd.type_code(qtbot, w, nik).code.value == "ALREADY_COLLECTED"
    qtbot.waitUntil(lambda: w.desk.handovers.rowCount() == 1)
    QTest.keyClick(w, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    w.desk.handover_view.selectRow(0)
    prompts: list[str] = []

    def approve(dialog) -> None:
        try:
            prompts.append(dialog.findChild(type(dialog.message)).text())
            QTest.keyClicks(dialog.reason, "salah serah, penerima belum hadir")
            dialog.supervisor.setCurrentIndex(dialog.supervisor.findData("SPV01"))
            QTest.keyClicks(dialog.pin, "202611")
            dialog.accept()
        finally:
            if dialog.result() == -1:
                dialog.reject()

    w.flow.dialog_opened.connect(approve)
    with qtbot.waitSignal(w.flow.voided):
        QTest.keyClick(w, Qt.Key.Key_F7)
    kinds = [(r["kind"], r["officer_id"], r["reason"]) for r in _journal(desk_site, household)]
    assert kinds[1] == ("void", "SPV01", "salah serah, penerima belum hadir")
    assert prompts and "Batalkan entri #" in prompts[0]
    qtbot.waitUntil(lambda: w.desk.handovers.rowCount() == 1 and w.desk.handovers.row(0).voided)
    assert w.desk.handovers.data(w.desk.handovers.index(0, 7)) == (
        "DIBATALKAN: salah serah, penerima belum hadir — Hj. Nurhayati Suryana (SPV01)")
    assert hd.type_code(qtbot, w, nik).code.value == "ELIGIBLE"


def test_wrong_site_needs_a_supervisor_and_records_who_approved(qtbot, open_window, demo,
                                                                desk_site) -> None:
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    household, nik = hd.household_of_kelurahan(desk_site, demo.sibling_event_id)
    verdict = hd.type_code(qtbot, w, nik)
    assert verdict.code.value == "WRONG_SITE"
    assert w.desk.panel.headline.text() == "SALAH LOKASI"
    assert not w.desk.handover_button.isEnabled() and w.desk.override_button.isEnabled()
    QTest.keyClick(w.desk.code, Qt.Key.Key_Return)  # Enter alone does not hand it over
    assert _journal(desk_site, household) == []

    def answer(dialog) -> None:
        try:
            if hasattr(dialog, "supervisor"):
                QTest.keyClicks(dialog.reason, "pindah domisili")  # the override says why
                dialog.supervisor.setCurrentIndex(dialog.supervisor.findData("SPV01"))
                QTest.keyClicks(dialog.pin, "202611")
            else:
                dialog.ktp.setChecked(True)
            dialog.accept()
        finally:
            if dialog.result() == -1:
                dialog.reject()

    w.flow.dialog_opened.connect(answer)
    with qtbot.waitSignal(w.flow.saved):
        QTest.keyClick(w, Qt.Key.Key_F8)
    [row] = _journal(desk_site, household)
    assert (row["verdict"], row["override_by"], row["officer_id"]) == ("WRONG_SITE", "SPV01",
                                                                       "PTG01")
    assert row["reason"] == "pindah domisili"


def test_name_search_lists_candidates_and_enter_checks_one(qtbot, open_window, demo,
                                                           desk_site) -> None:
    w = open_window()
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    household, _nik = hd.household_of_kelurahan(desk_site, demo.event_id, "Kota Baru", offset=5)
    conn = desk_site.db.raw()
    name = conn.execute("SELECT name FROM members WHERE household_id = ? AND is_recipient = 1",
                        (household,)).fetchone()[0]
    conn.close()
    w.desk.code.setFocus()
    with qtbot.waitSignal(w.desk.candidates_shown) as blocker:
        QTest.keyClicks(w.desk.code, name.lower())
        QTest.keyClick(w.desk.code, Qt.Key.Key_Return)
    assert blocker.args[0] >= 1
    assert w.desk.candidates.hasFocus()
    assert w.desk.history_title.text().startswith("Hasil cari nama")
    rows = [w.desk.candidates.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(w.desk.candidates.count())]
    assert household in rows
    w.desk.candidates.setCurrentRow(rows.index(household))
    with qtbot.waitSignal(w.desk.verdict_shown) as shown:
        QTest.keyClick(w.desk.candidates, Qt.Key.Key_Return)
    assert shown.args[0].household_id == household
    assert shown.args[0].needs_identity_check
