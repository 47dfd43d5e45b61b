"""Desk names travel through the hub (issue 11.11): desk A is called "Meja 1"; desk B of the
same site learns it at its sync, so B's SUDAH DIAMBIL for a household served at A says
"Meja 1" and the officer's name, not a device id."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers_hub import EVENT, ThreadHub, enrol_code, handover, seed_registry

from bekasi_field.services import desk, sync_service
from bekasi_field.services.site import Site
from bekasi_field.services.verdict_engine import VerdictEngine


@pytest.fixture
def desks(tmp_path: Path) -> Iterator[tuple[Site, Site]]:
    sites = (Site.open(tmp_path / "desk-a"), Site.open(tmp_path / "desk-b"))
    yield sites
    for s in sites:
        s.close()


def _collected_message(site: Site, code: str) -> str:
    engine = VerdictEngine(site.db)
    try:
        verdict = engine.check(code, event_id=EVENT)
    finally:
        engine.close()
    assert verdict.code.value == "ALREADY_COLLECTED", verdict
    return verdict.message


def test_desk_b_names_desk_a_in_already_collected(hub: ThreadHub, desks) -> None:
    from sqlalchemy import text

    seed_registry(hub.store)
    with hub.store.write() as conn:  # the hub is the authority on officers and their names
        conn.execute(text("UPDATE officers SET name = 'Asep Saepudin', version = version + 1 "
                          "WHERE id = 'PTG01'"))
    a, b = desks
    desk.set_desk_name(a.db, "Meja 1")
    for s in (a, b):
        sync_service.sync_now(site=s, hub_url=hub.url, enrol_code=enrol_code(hub.store))
    entry = handover(a, "KPM-0002")
    officer = "Asep Saepudin"
    assert f"Meja 1 (meja ini), petugas {officer} (PTG01)" in _collected_message(a, "KPM-0002")

    sync_service.sync_now(site=a)
    sync_service.sync_now(site=b)
    message = _collected_message(b, "KPM-0002")
    assert f"— Meja 1, petugas {officer} (PTG01) —" in message, message
    assert "perangkat" not in message and entry.uuid

    desk.set_desk_name(a.db, "Meja Depan")  # renamed: told again at the next sync
    sync_service.sync_now(site=a)
    sync_service.sync_now(site=b)
    assert "— Meja Depan, petugas" in _collected_message(b, "KPM-0002")
    assert desk.desk_name(b.db) == ""  # B's own name is B's, never taken from the hub


def test_an_event_without_the_id_check_reaches_the_desk_as_such(hub: ThreadHub, desks) -> None:
    """Issue 11.2: the flag is stored with the event, so the hub's snapshot carries it."""
    import datetime as dt

    from bekasi_field.hub.snapshots import restamp
    from bekasi_field.hub.store import REGISTRY_TABLES
    from bekasi_field.services import events

    seed_registry(hub.store)
    today = dt.date.today()
    events.create_event(hub.store.engine, programme="KKS", site_kelurahan="Kota Baru",
                        served_kelurahan=["Kota Baru"], start_date=today, end_date=today,
                        event_id="KKS-TANPA-KTP", id_check=False)
    with hub.store.write() as conn:
        restamp(hub.store, conn, REGISTRY_TABLES)
    a, _b = desks
    sync_service.sync_now(site=a, hub_url=hub.url, enrol_code=enrol_code(hub.store))
    on_desk = {e.id: e.id_check for e in events.list_events(a.db.engine)}
    assert on_desk == {EVENT: True, "KKS-TANPA-KTP": False}
