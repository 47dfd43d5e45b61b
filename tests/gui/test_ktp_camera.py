"""A KTP held up to the desk's camera: its NIK gives the verdict with no key pressed, and the
name printed on the card stands beside the registry's for the officer to compare; in an
enrolment event the card's NIK fills the enrolment dialog, marked as read from the card."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import helpers_desk as hd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from bekasi_field.domain.identifiers import mask
from bekasi_field.scan.synthetic_ktp import KtpPerson, write_ktp_video
from bekasi_field.services.demo_kinds import ENROLMENT_EVENT_ID

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def _recipient(site, event_id: str) -> tuple[str, str, str]:
    conn = site.db.raw()
    try:
        return conn.execute(
            "SELECT m.nik, m.name, m.household_id FROM members m JOIN entitlements e "
            "ON e.household_id = m.household_id WHERE m.is_recipient AND e.event_id = ? "
            "ORDER BY m.nik LIMIT 1", (event_id,)).fetchone()
    finally:
        conn.close()


@pytest.mark.slow
def test_a_ktp_at_the_camera_gives_its_verdict_and_the_printed_name(
        qtbot, open_window, demo, desk_site, tmp_path: Path) -> None:
    nik, name, household = _recipient(desk_site, demo.event_id)
    person = KtpPerson(nik=nik, name=name.upper(), birth_place="BEKASI",
                       birth_date=dt.date(1980, 1, 1), sex="L", address="JL. MELATI NO. 3",
                       rt_rw="003/007", kelurahan="KOTA BARU", kecamatan="BEKASI BARAT")
    video = tmp_path / "ktp.avi"
    write_ktp_video(video, person, hold=40, gap=10, fps=15.0)
    w = open_window(camera=str(video))
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    qtbot.waitUntil(lambda: w.state.verdict is not None, timeout=60_000)
    verdict = w.state.verdict
    assert verdict.household_id == household
    assert w.state.code == nik
    assert verdict.details.get("ktp_read") is True
    shown = w.desk.panel.details_of(verdict)
    assert shown["card_name"].replace(" ", "")[:4] == name.upper().replace(" ", "")[:4]
    assert nik not in shown["nik"]  # the NIK stays masked on screen

    # Handed over with the KTP ticked: the journal says the KTP seen is the one the camera read.
    def answer(dialog) -> None:
        try:
            dialog.ktp.setChecked(True)
            dialog.member.setCurrentIndex(dialog.member.findData(nik))
            dialog.accept()
        finally:
            if dialog.result() == -1:
                dialog.reject()

    w.flow.dialog_opened.connect(answer)
    w.desk.code.setFocus()
    with qtbot.waitSignal(w.flow.saved, timeout=20_000):
        QTest.keyClick(w.desk.code, Qt.Key.Key_Return)
    conn = desk_site.db.raw()
    try:
        (identity,) = conn.execute("SELECT identity FROM journal WHERE household_id = ?",
                                   (household,)).fetchone()
    finally:
        conn.close()
    doc = json.loads(identity)
    assert doc["ktp_seen"] is True and doc["ktp_read"] is True and doc["member_nik"] == nik


@pytest.mark.slow
def test_a_ktp_at_the_camera_fills_the_enrolment_dialogs_nik_marked_as_read_from_the_card(
        qtbot, open_window, desk_site, monkeypatch, tmp_path: Path) -> None:
    conn = desk_site.db.raw()
    try:
        nik, name = conn.execute(
            "SELECT m.nik, m.name FROM person_entitlements p JOIN members m ON m.nik = p.nik "
            "WHERE p.event_id = ? ORDER BY p.rank LIMIT 1", (ENROLMENT_EVENT_ID,)).fetchone()
    finally:
        conn.close()
    person = KtpPerson(nik=nik, name=name.upper(), birth_place="BEKASI",
                       birth_date=dt.date(1990, 1, 1), sex="L", address="JL. MELATI NO. 3",
                       rt_rw="003/007", kelurahan="KOTA BARU", kecamatan="BEKASI BARAT")
    video = tmp_path / "ktp.avi"
    write_ktp_video(video, person, hold=40, gap=10, fps=15.0)
    w = open_window(camera=str(video))
    shown: list = []  # the dialogs open non-modal, so the test can act while they are up
    monkeypatch.setattr(w.dialogs, "run", lambda d: (shown.append(d), d.show()))
    hd.open_desk(qtbot, w, ENROLMENT_EVENT_ID, hd.PETUGAS)

    # 1. A KTP read at the desk, then the enrolment dialog opened: the card's NIK, marked,
    # shown masked (the queue sees the screen), kept whole for the check and the record.
    qtbot.waitUntil(lambda: w.state.verdict is not None
                    and w.state.verdict.details.get("ktp_read") is True, timeout=60_000)
    w.actions.by_name["enrol"].trigger()
    first = shown[-1]
    assert first.nik.text() == mask(nik) and first.scanned_nik == nik and first.from_card
    assert first.card_mark.isVisible() and "KTP" in first.card_mark.text()
    assert name.upper().split()[0] in first.card_mark.text()  # the name printed on the card
    qtbot.waitUntil(lambda: first.save_button.isEnabled(), timeout=10_000)
    # a key on the masked NIK drops the card's: the officer types the NIK afresh
    first.nik.setFocus()
    QTest.keyClick(first.nik, Qt.Key.Key_End)
    QTest.keyClick(first.nik, Qt.Key.Key_5)
    assert first.nik.text() == "" and first.scanned_nik is None and not first.from_card
    first.reject()

    # 2. The dialog open with the NIK cleared by hand, then the KTP held up: filled, marked.
    w.actions.by_name["enrol"].trigger()
    dialog = shown[-1]
    assert dialog is not first
    dialog.nik.setFocus()
    dialog.nik.selectAll()
    QTest.keyClick(dialog.nik, Qt.Key.Key_Delete)
    assert dialog.nik.text() == "" and not dialog.from_card and dialog.card_mark.isHidden()
    # the stand-in video starts over at its end: the same KTP again, the dialog open
    qtbot.waitUntil(lambda: dialog.nik.text() == mask(nik) and dialog.card_mark.isVisible(),
                    timeout=60_000)
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10_000)
    assert nik not in dialog.person.text()  # the NIK stays masked in the check's line
    dialog.phone.setText("0812-3456-7890")
    dialog.heir_name.setText("Siti Aminah")
    dialog.consent.setChecked(True)
    dialog.pin.setText(hd.PETUGAS[1])
    with qtbot.waitSignal(dialog.saved, timeout=20_000):
        dialog.save()
    conn = desk_site.db.raw()
    try:
        rows = conn.execute("SELECT recipient_nik, details FROM journal WHERE kind = 'enrolment'"
                            ).fetchall()
    finally:
        conn.close()
    assert [r[0] for r in rows] == [nik]
    assert json.loads(rows[0][1])["nik_read_from_card"] is True
