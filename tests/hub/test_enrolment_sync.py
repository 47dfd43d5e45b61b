"""Enrolment and graduation across two desks and a real uvicorn hub on 127.0.0.1 (SQLite and
PostgreSQL): one worker enrolled twice offline is a conflict; a graduation on desk A makes the
PKH verdict SUSPENDED on desk B after sync, through the hub's registry too; a void undoes it."""

from __future__ import annotations

import datetime as dt
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers_hub import ThreadHub, enrol_code
from sqlalchemy import insert, text
from sqlmodel import SQLModel

from bekasi_field.domain import pins
from bekasi_field.domain.errors import BekasiError
from bekasi_field.hub.officer_sites import assign_officer
from bekasi_field.hub.snapshots import restamp
from bekasi_field.services import events, graduation, journal, live, sync_service
from bekasi_field.services.enrolment import (
    EnrolmentForm,
    EnrolmentRefused,
    Heir,
    check_person,
    record_enrolment,
)
from bekasi_field.services.kind_services import KindServices
from bekasi_field.services.site import Site
from bekasi_field.services.verdict_engine import VerdictEngine
from bekasi_field.store.db import set_meta

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))

from enrolment_world import START, Home, Person, boundary_homes, seed

ENROL, GRAD, PKH = "BPJSTK-KB", "GRAD-PKH-KB", "PKH-KB"
FORM = EnrolmentForm(occupation="ojol", phone="081234567890", domicile="Jl. Contoh 1",
                     heir=Heir("Siti", "Istri"), consent=True)


def _seed_hub(hub: ThreadHub) -> dict:
    today = dt.date.today()
    couple = Home("HH08", [Person("husband", dt.date(1983, 3, 3)),
                           Person("wife", dt.date(1985, 5, 5), sex="P", occupation="PRT")])
    people = seed(hub.store.engine, [*boundary_homes(), couple])
    with hub.store.engine.begin() as conn:
        conn.execute(insert(SQLModel.metadata.tables["officers"]), [
            {"id": o, "name": o, "role": r, "active": True,
             "pin_hash": pins.hash_pin("111111" if r == "supervisor" else "1111"),
             "failed_attempts": 0, "locked_until": None, "version": 0}
            for o, r in (("PTG01", "petugas"), ("SPV01", "supervisor"),
                         ("PKH01", "pendamping"))])
    with hub.store.write() as conn:  # the officers serve the site (the hub checks entries)
        for o in ("PTG01", "SPV01", "PKH01"):
            assign_officer(conn, officer_id=o, site="Kota Baru")
    for kind, prog, eid, params in (("enrolment", "BPJSTK", ENROL, {"quota": 6}),
                                    ("graduation", "PKH", GRAD, {"target": 2}),
                                    ("handover", "PKH", PKH, {})):
        events.create_event(hub.store.engine, programme=prog, kind=kind, params=params,
                            site_kelurahan="Kota Baru", served_kelurahan=["Kota Baru", "Kranji"],
                            start_date=START if kind == "enrolment" else today,
                            end_date=today + dt.timedelta(days=30),
                            event_id=eid)
    with hub.store.write() as conn:
        restamp(hub.store, conn)
    return people


@pytest.fixture
def desks(tmp_path: Path, hub: ThreadHub) -> Iterator[tuple[Site, Site, dict]]:
    people = _seed_hub(hub)
    a, b = Site.open(tmp_path / "desk-a"), Site.open(tmp_path / "desk-b")
    for desk in (a, b):
        sync_service.sync_now(site=desk, hub_url=hub.url, enrol_code=enrol_code(hub.store))
    yield a, b, people
    a.close()
    b.close()


def _verdict(site: Site, code: str) -> tuple[str, str]:
    engine = VerdictEngine(site.db)
    try:
        v = engine.check(code, event_id=PKH)
        return v.code.value, v.message
    finally:
        engine.close()


def test_one_worker_enrolled_on_two_desks_offline_is_a_conflict(
        desks: tuple[Site, Site, dict], hub: ThreadHub, hub_db_url: str, cli) -> None:
    a, b, people = desks
    nik = people["husband"].nik
    record_enrolment(site=a, event_id=ENROL, code=nik, officer_id="PTG01", form=FORM)
    record_enrolment(site=b, event_id=ENROL, code=nik, officer_id="PTG01", form=FORM)
    # two different workers of one household are not a conflict
    record_enrolment(site=a, event_id=ENROL, code=people["wife"].nik, officer_id="PTG01",
                     form=FORM)
    assert sync_service.sync_now(site=a).conflicts == 0
    rb = sync_service.sync_now(site=b)
    assert rb.conflicts == 1
    r = cli("hub", "conflicts", "--db", hub_db_url, "--json")
    conflicts = r.json["conflicts"]
    assert len(conflicts) == 1 and len(conflicts[0]["entries"]) == 2
    assert conflicts[0]["event_id"] == ENROL
    with pytest.raises(EnrolmentRefused) as refused:  # b now knows a's enrolment too
        record_enrolment(site=b, event_id=ENROL, code=people["wife"].nik,
                         officer_id="PTG01", form=FORM)
    assert refused.value.reason == "ALREADY_ENROLLED"
    out = Path(hub_db_url.split("///")[-1]).parent if hub_db_url.startswith("sqlite") \
        else Path(a.layout.root)
    rep = cli("hub", "report", "enrolment", "--db", hub_db_url, "--event", ENROL,
              "--out", out / "hub-enrol.xlsx", "--json")
    assert rep.code == 0, rep.err
    assert rep.json["rows"] == 2  # the double is one registration


def test_graduation_on_desk_a_suspends_pkh_on_desk_b_after_sync(
        desks: tuple[Site, Site, dict], hub: ThreadHub) -> None:
    a, b, people = desks
    code = people["vendor"].nik  # HH06: a PKH household
    assert _verdict(b, code)[0] == "ELIGIBLE"
    done = graduation.record_graduation(site=a, code=code, officer_id="PKH01",
                                        reason="sejahtera_mandiri", signature=b"\x89PNG sig")
    assert _verdict(a, code)[0] == "SUSPENDED"  # on the desk at once
    sync_service.sync_now(site=a)
    with hub.store.read() as conn:  # at the hub after sync
        mark = conn.execute(text("SELECT pkh_graduated_on FROM households WHERE id = 'HH06'")
                            ).scalar_one()
    assert mark and mark[:10] == done.entry.created_at[:10]
    sync_service.sync_now(site=b)
    verdict, message = _verdict(b, code)
    today = dt.date.today().strftime("%d-%m-%Y")
    assert verdict == "SUSPENDED" and "sudah graduasi" in message and today in message
    conn = b.db.raw()  # the snapshot carries the status to every desk
    try:
        assert conn.execute("SELECT pkh_graduated_on FROM households WHERE id = 'HH06'"
                            ).fetchone()[0] == mark
    finally:
        conn.close()
    journal.void_entry(site=a, entry_uuid=done.entry.uuid, supervisor_id="SPV01",
                       reason="keliru")
    sync_service.sync_now(site=a)
    sync_service.sync_now(site=b)
    assert _verdict(b, code)[0] == "ELIGIBLE"
    with hub.store.read() as conn:
        assert conn.execute(text("SELECT pkh_graduated_on FROM households WHERE id = 'HH06'")
                            ).scalar_one() is None


ENROL_ARGS = ("--event", ENROL, "--officer", "PTG01", "--pin", "1111", "--occupation", "ojol",
              "--phone", "081234567890", "--domicile", "Jl. Contoh 1", "--heir-name", "Siti",
              "--heir-relationship", "Istri", "--consent", "--json")


def _patient(*sites: Site) -> None:
    """The hub runs in this process beside the desks: on a loaded machine an answer may take
    longer than a desk's 1 s, and these tests are about who wins, not speed."""
    for s in sites:
        with s.db.transaction() as conn:
            set_meta(conn, "claim_timeout_s", "10")


def _hub_enrolments(hub: ThreadHub, nik: str) -> int:
    with hub.store.read() as conn:
        return int(conn.execute(text("SELECT count(*) FROM hub_journal WHERE kind = 'enrolment' "
                                     "AND recipient_nik = :nik"), {"nik": nik}).scalar_one())


def test_a_worker_enrolled_at_desk_a_is_already_enrolled_at_desk_b_while_the_hub_answers(
        desks: tuple[Site, Site, dict], hub: ThreadHub, cli) -> None:
    a, b, people = desks
    _patient(a, b)
    nik = people["husband"].nik
    r = cli("enrol", nik, *ENROL_ARGS, "--home", a.layout.root)
    assert r.code == 0, r.err
    assert (r.json["claim"], r.json["live"]) == ("granted", True)
    assert _hub_enrolments(hub, nik) == 1  # pushed straight after the enrolment
    # b has not synced: its own data still says the worker may be enrolled; the hub says no.
    r = cli("enrol", nik, *ENROL_ARGS, "--home", b.layout.root)
    assert r.code == 3, r.out
    assert (r.json["reason"], r.json["claim"], r.json["live"]) == (
        "ALREADY_ENROLLED", "refused", True)
    assert a.device_id in r.json["error"] and "PTG01" in r.json["error"]
    assert r.json["enrolled_device"] == a.device_id and r.json["enrolled_live"] == "collected"
    assert nik not in r.out + r.err  # the worker's NIK is shown masked only
    assert _hub_enrolments(hub, nik) == 1
    conn = b.db.raw()
    try:
        assert conn.execute("SELECT count(*) FROM journal WHERE kind = 'enrolment'"
                            ).fetchone()[0] == 0
    finally:
        conn.close()
    # the dialog's check asks the hub too
    lb = live.link_for(b.db)
    try:
        check = KindServices(b, link=lambda: lb).check_person(nik, event_id=ENROL)
    finally:
        assert lb is not None
        lb.close()
    assert check.reason == "ALREADY_ENROLLED" and a.device_id in check.message


def test_two_desks_enrolling_the_same_workers_at_the_same_moment_one_wins_each(
        desks: tuple[Site, Site, dict], hub: ThreadHub) -> None:
    a, b, people = desks
    _patient(a, b)
    workers = [p.nik for p in people.values()
               if check_person(a, p.nik, event_id=ENROL).reason is None]
    assert len(workers) >= 3
    sites = [a, b]
    links = [live.link_for(s.db) for s in sites]
    barrier = threading.Barrier(2)
    outcomes: list[list[str]] = [[], []]
    errors: list[BaseException] = []

    def desk(i: int) -> None:
        try:
            for nik in workers:
                barrier.wait(timeout=30)  # both desks at the same moment
                try:
                    done = live.enrol_live(site=sites[i], event_id=ENROL, code=nik,
                                           officer_id="PTG01", form=FORM, link=links[i])
                    outcomes[i].append(done.claim)
                except live.EnrolmentClaimRefused as refused:
                    assert refused.reason == "ALREADY_ENROLLED"
                    assert refused.check is not None
                    assert refused.check.details["enrolled_live"] == "claimed"
                    outcomes[i].append("refused")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=desk, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    for link in links:
        assert link is not None
        link.close()
    assert not errors, errors
    assert all(sorted(r) == ["granted", "refused"]
               for r in zip(*outcomes, strict=True)), outcomes
    assert sync_service.sync_now(site=a).conflicts + sync_service.sync_now(site=b).conflicts == 0
    assert all(_hub_enrolments(hub, nik) == 1 for nik in workers)


def test_an_enrolment_claim_is_released_when_the_desk_refuses_it_and_offline_still_works(
        desks: tuple[Site, Site, dict], hub: ThreadHub, cli) -> None:
    a, b, people = desks
    _patient(a, b)
    nik = people["wife"].nik
    la, lb = live.link_for(a.db), live.link_for(b.db)
    assert la is not None and lb is not None
    try:
        with pytest.raises(BekasiError, match="NOBODY"):  # an officer desk a does not know
            live.enrol_live(site=a, event_id=ENROL, code=nik, officer_id="NOBODY", form=FORM,
                            link=la)
        assert lb.state(event_id=ENROL, household_id="HH08", person_nik=nik).state == "free"
    finally:
        la.close()
        lb.close()
    r = cli("enrol", nik, *ENROL_ARGS, "--offline", "--home", b.layout.root)
    assert (r.code, r.json["claim"], r.json["live"]) == (0, "offline", False)


def test_a_claim_on_one_worker_is_not_spent_by_the_enrolment_of_a_housemate(
        desks: tuple[Site, Site, dict], hub: ThreadHub) -> None:
    """Husband and wife share a household: desk a's entry for the husband must not free the
    wife, whom desk a is still enrolling."""
    a, b, people = desks
    _patient(a, b)
    husband, wife = people["husband"].nik, people["wife"].nik
    la, lb = live.link_for(a.db), live.link_for(b.db)
    assert la is not None and lb is not None
    try:
        held = la.claim(event_id=ENROL, household_id="HH08", officer_id="PTG01", person_nik=wife)
        assert held is not None and held.claim == "granted"
        live.enrol_live(site=a, event_id=ENROL, code=husband, officer_id="PTG01", form=FORM,
                        link=la)
        sync_service.sync_now(site=a)  # the husband's entry reaches the hub after the claim
        other = lb.claim(event_id=ENROL, household_id="HH08", officer_id="PTG01",
                         person_nik=wife)
        assert other is not None and (other.claim, other.state) == ("refused", "claimed")
    finally:
        la.close()
        lb.close()
