"""A KTP held up to the desk's camera: its NIK gives the verdict with no key pressed, and the
name printed on the card stands beside the registry's for the officer to compare."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import helpers_desk as hd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from bekasi_field.scan.synthetic_ktp import KtpPerson, write_ktp_video

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
