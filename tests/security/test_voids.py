"""Voids: a desk may void only its own site's entries, with a supervisor's approval; a void of
another desk's hand-over, or of one in an open conflict, is held at the hub, changes no verdict
and reaches no other desk until another supervisor at the hub accepts it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from helpers_hub import (
    EVENT,
    SPV_PIN,
    SPV_PIN_HASH,
    ThreadHub,
    chain,
    enrol_code,
    enrol_raw,
    handover,
    seed_registry,
)
from sqlalchemy import insert, select, update
from sqlmodel import SQLModel

from bekasi_field.domain.pins import LOCKOUT, MAX_ATTEMPTS
from bekasi_field.hub import crud, held_voids
from bekasi_field.hub.officer_sites import assign_officer
from bekasi_field.services import sync_service
from bekasi_field.services.journal import void_entry
from bekasi_field.services.site import Site
from bekasi_field.services.verdict_engine import VerdictEngine


@pytest.fixture
def desks(hub: ThreadHub, tmp_path: Path) -> Iterator[tuple[Site, Site]]:
    seed_registry(hub.store, households=4)
    t = SQLModel.metadata.tables
    with hub.store.write() as conn:  # a second supervisor, who reviews at the hub
        conn.execute(insert(t["officers"]).values(
            id="SPV02", name="SPV02", role="supervisor", pin_hash=SPV_PIN_HASH, active=True,
            failed_attempts=0, locked_until=None, version=0))
        assign_officer(conn, officer_id="SPV02", site="Kota Baru")
    a, b = Site.open(tmp_path / "a"), Site.open(tmp_path / "b")
    for s in (a, b):
        sync_service.sync_now(site=s, hub_url=hub.url, enrol_code=enrol_code(hub.store))
    yield a, b
    a.close()
    b.close()


def _verdict(site: Site, code: str) -> str:
    engine = VerdictEngine(site.db)
    try:
        return engine.check(code, event_id=EVENT).code.value
    finally:
        engine.close()


def _decide(hub: ThreadHub, site: Site, void_uuid: str, **body: object) -> httpx.Response:
    return httpx.post(f"{hub.url}/api/v1/voids/held/{void_uuid}", json=body, timeout=30,
                      headers={"Authorization": f"Bearer {site.db.get_meta('hub_token')}"})


def test_a_void_of_another_desks_handover_is_held_until_a_supervisor_accepts_it(
        hub: ThreadHub, desks: tuple[Site, Site]) -> None:
    a, b = desks
    entry = handover(a, "KPM-0001")
    sync_service.sync_now(site=a)
    sync_service.sync_now(site=b)
    assert _verdict(b, "KPM-0001") == "ALREADY_COLLECTED"
    void = void_entry(site=b, entry_uuid=entry.uuid, supervisor_id="SPV01", reason="salah")
    result = sync_service.sync_now(site=b)
    assert result.pushed == 1 and result.refused == 0  # stored: B's chain goes on
    with hub.store.read() as conn:
        held = held_voids.list_held_voids(conn)
    assert [(h["void_uuid"], h["reason"]) for h in held] == [(void.uuid, "other_device")]
    # held: desk A never receives it and still refuses a second hand-over
    sync_service.sync_now(site=a)
    assert _verdict(a, "KPM-0001") == "ALREADY_COLLECTED"
    # the API lists it for the site; deciding needs another supervisor and the right PIN
    listed = httpx.get(hub.url + "/api/v1/voids/held", timeout=30, headers={
        "Authorization": f"Bearer {a.db.get_meta('hub_token')}"}).json()
    assert [v["void_uuid"] for v in listed] == [void.uuid]
    assert _decide(hub, a, void.uuid, accept=True, supervisor_id="PTG01",
                   pin="1111").status_code == 403
    assert _decide(hub, a, void.uuid, accept=True, supervisor_id="SPV02",
                   pin="9999").status_code == 403
    assert _decide(hub, a, void.uuid, accept=True, supervisor_id="SPV01",
                   pin=SPV_PIN).status_code == 403  # approved it at the desk: not twice
    ok = _decide(hub, a, void.uuid, accept=True, supervisor_id="SPV02", pin=SPV_PIN)
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    assert _decide(hub, a, void.uuid, accept=False, supervisor_id="SPV02",
                   pin=SPV_PIN).status_code == 409
    sync_service.sync_now(site=a)
    assert _verdict(a, "KPM-0001") == "ELIGIBLE"  # now applied everywhere


def test_a_void_cannot_clear_an_open_conflict(hub: ThreadHub, desks: tuple[Site, Site],
                                              cli) -> None:
    a, b = desks
    first = handover(a, "KPM-0002")
    handover(b, "KPM-0002")  # offline at the same time: a double collection
    sync_service.sync_now(site=a)
    assert sync_service.sync_now(site=b).conflicts == 1
    void_entry(site=a, entry_uuid=first.uuid, supervisor_id="SPV01", reason="dobel")
    assert sync_service.sync_now(site=a).conflicts == 1  # still open
    with hub.store.read() as conn:
        assert [c["household_id"] for c in crud.list_conflicts(conn)] == ["KPM-0002"]
        held = held_voids.list_held_voids(conn)
    assert [h["reason"] for h in held] == ["open_conflict"]
    # the hub's CLI: list, then a supervisor's rejection keeps the conflict open
    url = str(hub.store.engine.url.render_as_string(hide_password=False))
    r = cli("hub", "voids", "--db", url, "--json")
    assert r.code == 0 and len(r.json["held_voids"]) == 1
    r = cli("hub", "voids", "reject", held[0]["void_uuid"], "--supervisor", "SPV02",
            "--pin", SPV_PIN, "--db", url, "--json")
    assert r.code == 0 and r.json["status"] == "rejected"
    with hub.store.read() as conn:
        assert len(crud.list_conflicts(conn)) == 1


def test_a_void_of_another_sites_entry_or_without_a_supervisor_is_quarantined(
        hub: ThreadHub) -> None:
    seed_registry(hub.store)
    for device, officer, problem in (("deskX", "PTG01", "void_without_supervisor"),
                                     ("deskY", "SPV01", "void_of_unknown_entry")):
        token = enrol_raw(hub.url, enrol_code(hub.store), device)["token"]
        void = chain(device, 1, kind="void", voids="no-such-entry" if device == "deskY"
                     else None, officer=officer)
        r = httpx.post(hub.url + "/api/v1/journal", json={"entries": void}, timeout=30,
                       headers={"Authorization": f"Bearer {token}"}).json()
        assert r["problem"] == problem and r["acked_seq"] == 0


def test_wrong_supervisor_pins_at_the_hub_lock_longer_each_time(
        hub: ThreadHub, desks: tuple[Site, Site]) -> None:
    """The hub keeps the failure count through a lock-out, as the desk does: once a lock has
    run out, the next wrong PIN locks again at once, for twice as long."""
    a, b = desks
    entry = handover(a, "KPM-0003")
    sync_service.sync_now(site=a)
    sync_service.sync_now(site=b)
    void = void_entry(site=b, entry_uuid=entry.uuid, supervisor_id="SPV01", reason="salah")
    sync_service.sync_now(site=b)
    officers = SQLModel.metadata.tables["officers"]

    def guess(pin: str) -> httpx.Response:
        return _decide(hub, a, void.uuid, accept=True, supervisor_id="SPV02", pin=pin)

    def lock_runs_out() -> None:
        with hub.store.write() as conn:
            conn.execute(update(officers).where(officers.c.id == "SPV02").values(
                locked_until=(dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)).isoformat()))

    def locked_for() -> dt.timedelta:
        with hub.store.read() as conn:
            until = conn.execute(select(officers.c.locked_until)
                                 .where(officers.c.id == "SPV02")).scalar_one()
        return dt.datetime.fromisoformat(until) - dt.datetime.now(dt.UTC)

    codes = [guess("000000").json()["code"] for _ in range(MAX_ATTEMPTS)]
    assert codes == ["hub.supervisor_wrong_pin"] * (MAX_ATTEMPTS - 1) + ["hub.supervisor_locked"]
    assert guess(SPV_PIN).json()["code"] == "hub.supervisor_locked"  # even the right PIN waits
    lock_runs_out()
    again = guess("000001")
    assert again.status_code == 403 and again.json()["code"] == "hub.supervisor_locked"
    assert locked_for() > LOCKOUT + dt.timedelta(minutes=4)  # 10 minutes: it grew
    lock_runs_out()
    ok = guess(SPV_PIN)
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
