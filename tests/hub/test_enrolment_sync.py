"""Enrolment and graduation across two desks and a real uvicorn hub on 127.0.0.1 (SQLite and
PostgreSQL): one worker enrolled twice offline is a conflict; a graduation on desk A makes the
PKH verdict SUSPENDED on desk B after sync, through the hub's registry too; a void undoes it."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers_hub import ThreadHub, enrol_code
from sqlalchemy import insert, text
from sqlmodel import SQLModel

from bekasi_field.domain import pins
from bekasi_field.hub.officer_sites import assign_officer
from bekasi_field.hub.snapshots import restamp
from bekasi_field.services import events, graduation, journal, sync_service
from bekasi_field.services.enrolment import EnrolmentForm, EnrolmentRefused, Heir, record_enrolment
from bekasi_field.services.site import Site
from bekasi_field.services.verdict_engine import VerdictEngine

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
            {"id": o, "name": o, "role": r, "pin_hash": pins.hash_pin("1111"), "active": True,
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
