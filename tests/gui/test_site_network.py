"""Two desks at one site hub (a real uvicorn hub on 127.0.0.1): a hand-over at desk A turns the
verdict on desk B's screen into ALREADY_COLLECTED with no key pressed at B (B's interval push and
pull); with the hub gone the status bar says checks are local only and B's hand-over queues;
an enrolment claims the worker at the hub, so B's enrol dialog is refused after A enrolled."""

from __future__ import annotations

import sys
from pathlib import Path

import helpers_desk as hd
import pytest

from bekasi_field.hub.store import HubStore
from bekasi_field.i18n import set_language
from bekasi_field.services import live, sync_service
from bekasi_field.services.journal import IdentityCheck
from bekasi_field.services.site import Site
from bekasi_field.store.db import set_meta

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]



@pytest.mark.slow
def test_a_handover_at_desk_a_shows_at_desk_b_without_a_key_press(
        qtbot, open_window, tmp_path: Path) -> None:
    set_language("id")
    hh = hd.hub_helpers()
    store = HubStore.open(f"sqlite:///{tmp_path / 'hub.db'}")
    hh.seed_registry(store)
    hub = hh.ThreadHub(store).start()
    a, b = Site.open(tmp_path / "desk-a"), Site.open(tmp_path / "desk-b")
    try:
        for s in (a, b):
            sync_service.sync_now(site=s, hub_url=hub.url, enrol_code=hh.enrol_code(store))
        with b.db.transaction() as conn:
            set_meta(conn, "sync_interval_s", "0.5")
            set_meta(conn, "claim_timeout_s", "5")  # the hub shares this loaded process
        w = open_window(site=b)
        hd.login(qtbot, w, ("PTG01", "1111"))
        hd.choose_event(qtbot, w, hh.EVENT)
        qtbot.waitUntil(lambda: w.network.last is not None and w.network.last.online,
                        timeout=15_000)
        assert w.network.label.text().startswith("Hub terhubung")
        verdict = hd.type_code(qtbot, w, "KPM-0001")
        assert verdict.code.value == "ELIGIBLE"

        # Desk A hands the same household over (as `handover` does: claim, record, push).
        link = live.link_for(a.db, timeout=5)
        done = live.handover_live(site=a, event_id=hh.EVENT, code="KPM-0001",
                                  officer_id="PTG01", link=link,
                                  identity=IdentityCheck(ktp_seen=True, checked_by="PTG01"))
        assert done.claim == "granted"
        assert link is not None
        link.close()
        live.push_after_handover(a)

        # No key pressed at B: its next round pulls A's entry and the screen follows.
        qtbot.waitUntil(lambda: w.state.verdict is not None and w.state.verdict.code.value == "ALREADY_COLLECTED",
                        timeout=20_000)
        # the screen names the other desk by the head of its device id (issue 11.11)
        assert a.device_id[:6] in w.state.verdict.message
        assert w.state.verdict.details["collected_device"] == a.device_id
        qtbot.waitUntil(lambda: w.desk.counts is not None and w.desk.counts.collected == 1,
                        timeout=10_000)

        # The hub goes away: the status bar says so, B still decides and queues.
        hub.stop()
        qtbot.waitUntil(lambda: w.network.last is not None and not w.network.last.online,
                        timeout=20_000)
        assert w.network.label.text().startswith("HUB TIDAK TERJANGKAU")
        assert "hanya dari data meja ini" in w.network.label.text()
        verdict = hd.type_code(qtbot, w, "KPM-0002")
        assert verdict.code.value == "ELIGIBLE"

        def identity(dialog) -> None:
            dialog.ktp.setChecked(True)
            dialog.accept()

        w.flow.dialog_opened.connect(identity)
        entry = hd.press_enter_to_hand_over(qtbot, w)
        assert entry.seq == 1
        assert sync_service.pending_count(b.db) == 1
        w.close()
    finally:
        hub.stop()
        a.close()
        b.close()
        store.dispose()


def test_first_run_lists_hubs_found_on_the_lan_with_their_fingerprint(
        qtbot, open_window, tmp_path: Path) -> None:
    """Announced on loopback only (the sandbox has no office LAN): found, listed with its
    fingerprint, and choosing it fills the address, which stays editable."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from bekasi_field.sync.discovery import Announcer

    set_language("id")
    ann = Announcer(host="127.0.0.1", port=48471, hub_id="feedbeef00112233",
                    fingerprint="3F2A-91C0-77DE-0B15", name="Hub Kota Baru")
    fresh = Site.open(tmp_path / "fresh")
    try:
        w = open_window(site=fresh)
        finder = w.first_run.hub_finder
        with qtbot.waitSignal(finder.found, timeout=15_000):
            finder.search(seconds=4.0, interface="127.0.0.1")  # a loaded CI box answers late
        texts = [finder.list.item(i).text() for i in range(finder.list.count())]
        mine = [t for t in texts if "3F2A-91C0-77DE-0B15" in t]
        assert mine and "http://127.0.0.1:48471" in mine[0]
        row = texts.index(mine[0])
        finder.list.setCurrentRow(row)
        QTest.keyClick(finder.list, Qt.Key.Key_Return)
        assert w.first_run.hub_url.text() == "http://127.0.0.1:48471"
        w.close()
    finally:
        ann.close()
        fresh.close()


@pytest.mark.slow
def test_desk_b_is_refused_when_desk_a_holds_the_claim(qtbot, open_window,
                                                       tmp_path: Path) -> None:
    """B saw ELIGIBLE; A claims the household first: B's Enter is refused at the hub, the
    screen says another desk is handing it over now, and nothing is recorded at B."""
    set_language("id")
    hh = hd.hub_helpers()
    store = HubStore.open(f"sqlite:///{tmp_path / 'hub.db'}")
    hh.seed_registry(store)
    hub = hh.ThreadHub(store).start()
    a, b = Site.open(tmp_path / "desk-a"), Site.open(tmp_path / "desk-b")
    try:
        for s in (a, b):
            sync_service.sync_now(site=s, hub_url=hub.url, enrol_code=hh.enrol_code(store))
        with b.db.transaction() as conn:
            set_meta(conn, "sync_interval_s", "off")
            set_meta(conn, "claim_timeout_s", "5")
        w = open_window(site=b)
        hd.login(qtbot, w, ("PTG01", "1111"))
        hd.choose_event(qtbot, w, hh.EVENT)
        assert hd.type_code(qtbot, w, "KPM-0003").code.value == "ELIGIBLE"
        link = live.link_for(a.db, timeout=5)
        assert link is not None
        held = link.claim(event_id=hh.EVENT, household_id="KPM-0003", officer_id="PTG02")
        link.close()
        assert held is not None and held.claim == "granted"

        def identity(dialog) -> None:
            dialog.ktp.setChecked(True)
            dialog.accept()

        w.flow.dialog_opened.connect(identity)
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        with qtbot.waitSignal(w.desk.verdict_shown, timeout=15_000) as blocker:
            w.desk.code.setFocus()
            QTest.keyClick(w.desk.code, Qt.Key.Key_Return)
        shown = blocker.args[0]
        assert shown.code.value == "ALREADY_COLLECTED"
        assert "Sedang diserahkan di meja lain" in shown.message and "PTG02" in shown.message
        conn = b.db.raw()
        try:
            assert conn.execute("SELECT COUNT(*) FROM journal").fetchone()[0] == 0
        finally:
            conn.close()
        w.close()
    finally:
        hub.stop()
        a.close()
        b.close()
        store.dispose()


def test_a_desk_whose_journal_fails_verify_says_so_and_sends_nothing(
        qtbot, open_window, tmp_path: Path) -> None:
    """An unsynced entry rewritten with its hash and head recomputed: the status bar turns red
    naming the entry, the sync button's answer says sync was refused, the hub gets nothing."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from sqlalchemy import func, select

    from bekasi_field.hub.models import HubJournal

    set_language("id")
    hh = hd.hub_helpers()
    store = HubStore.open(f"sqlite:///{tmp_path / 'hub.db'}")
    hh.seed_registry(store)
    hub = hh.ThreadHub(store).start()
    b = Site.open(tmp_path / "desk-b")
    try:
        sync_service.sync_now(site=b, hub_url=hub.url, enrol_code=hh.enrol_code(store))
        hh.handover(b, "KPM-0001")
        hh.rewrite_last_entry(b, household_id="KPM-0002", scanned_code="KPM-0002")
        with b.db.transaction() as conn:
            set_meta(conn, "sync_interval_s", "0.5")
        w = open_window(site=b)
        hd.login(qtbot, w, ("PTG01", "1111"))
        hd.choose_event(qtbot, w, hh.EVENT)
        qtbot.waitUntil(lambda: w.network.last is not None
                        and w.network.last.journal_broken is not None, timeout=20_000)
        text = w.network.label.text()
        assert text.startswith("JURNAL MEJA INI RUSAK") and "entri no. 1" in text
        assert "Hubungi supervisor" in text and "font-weight: bold" in w.network.label.styleSheet()
        QTest.mouseClick(w.desk.sync_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "sinkron ditolak" in w.statusBar().currentMessage(),
                        timeout=20_000)
        assert "Sinkron gagal" in w.statusBar().currentMessage()
        with store.read() as conn:
            assert conn.execute(select(func.count()).select_from(HubJournal.__table__)
                                ).scalar_one() == 0
        w.close()
    finally:
        hub.stop()
        b.close()
        store.dispose()


@pytest.mark.slow
def test_desk_bs_enrolment_is_refused_when_desk_a_enrolled_the_worker_first(
        qtbot, open_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Enrolments claim the worker (per NIK) at the site hub: desk B's dialog checked the worker
    as selected, desk A enrols them first, B's Save is refused with ALREADY_ENROLLED naming
    A's device and officer, nothing is recorded at B, and B's next check says so too."""
    import datetime as dt

    from sqlalchemy import insert
    from sqlmodel import SQLModel

    from bekasi_field.domain import pins
    from bekasi_field.hub.officer_sites import assign_officer
    from bekasi_field.hub.snapshots import restamp
    from bekasi_field.services import events
    from bekasi_field.services.enrolment import EnrolmentForm, Heir
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "services"))
    from enrolment_world import START, Home, Person, seed

    set_language("id")
    hh = hd.hub_helpers()
    store = HubStore.open(f"sqlite:///{tmp_path / 'hub.db'}")
    people = seed(store.engine, [Home("HH01", [Person("ojol", dt.date(1983, 3, 3))])])
    with store.engine.begin() as conn:
        conn.execute(insert(SQLModel.metadata.tables["officers"]), [
            {"id": o, "name": o, "role": "petugas", "pin_hash": pins.hash_pin("1111"),
             "active": True, "failed_attempts": 0, "locked_until": None, "version": 0}
            for o in ("PTG01", "PTG02")])
    with store.write() as conn:
        for o in ("PTG01", "PTG02"):
            assign_officer(conn, officer_id=o, site="Kota Baru")
    events.create_event(store.engine, programme="BPJSTK", kind="enrolment", params={"quota": 5},
                        site_kelurahan="Kota Baru", served_kelurahan=["Kota Baru"],
                        start_date=START, end_date=dt.date.today() + dt.timedelta(days=30),
                        event_id="BPJSTK-KB")
    with store.write() as conn:
        restamp(store, conn)
    hub = hh.ThreadHub(store).start()
    a, b = Site.open(tmp_path / "desk-a"), Site.open(tmp_path / "desk-b")
    nik = people["ojol"].nik
    try:
        for s in (a, b):
            sync_service.sync_now(site=s, hub_url=hub.url, enrol_code=hh.enrol_code(store))
            with s.db.transaction() as conn:
                set_meta(conn, "sync_interval_s", "off")
                set_meta(conn, "claim_timeout_s", "5")  # the hub shares this loaded process
        w = open_window(site=b)
        shown: list = []
        monkeypatch.setattr(w.dialogs, "run", lambda d: (shown.append(d), d.show()))
        hd.login(qtbot, w, ("PTG01", "1111"))
        hd.choose_event(qtbot, w, "BPJSTK-KB")
        w.actions.by_name["enrol"].trigger()
        dialog = shown[-1]
        dialog.nik.setText(nik)
        dialog.run_check()
        qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=15_000)

        link = live.link_for(a.db, timeout=5)  # desk A enrols the same worker first
        try:
            done = live.enrol_live(
                site=a, event_id="BPJSTK-KB", code=nik, officer_id="PTG02", link=link,
                form=EnrolmentForm(occupation="ojol", phone="081234567890", domicile="Jl. A",
                                   heir=Heir("Siti", "Istri"), consent=True))
        finally:
            assert link is not None
            link.close()
        assert done.claim == "granted"

        dialog.phone.setText("0812-3456-7890")
        dialog.heir_name.setText("Siti Aminah")
        dialog.consent.setChecked(True)
        dialog.pin.setText("1111")
        dialog.save()
        qtbot.waitUntil(lambda: "ALREADY_ENROLLED" in dialog.message.text(), timeout=15_000)
        assert a.device_id in dialog.message.text() and "PTG02" in dialog.message.text()
        assert nik not in dialog.message.text()
        conn = b.db.raw()
        try:
            assert conn.execute("SELECT count(*) FROM journal WHERE kind = 'enrolment'"
                                ).fetchone()[0] == 0
        finally:
            conn.close()
        live.push_after_handover(a)  # A's entry at the hub: B's check hears it from there
        dialog.run_check()
        qtbot.waitUntil(lambda: "sudah didaftarkan" in dialog.person.text(), timeout=15_000)
        assert not dialog.save_button.isEnabled()
    finally:
        a.close()
        b.close()
        hub.stop()
        store.dispose()
