"""A desk of one site pulls only what its site needs (DESIGN §5): a Bintara desk gets no Kota
Baru households, members (NIKs) or officers (PIN hashes), and no journal entries of Kota Baru
households; an officer assigned to its site later arrives, one unassigned goes with their hash."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from helpers_hub import EVENT, PIN_HASH, SPV_PIN_HASH, ThreadHub, enrol_code, seed_registry
from sqlalchemy import insert
from sqlmodel import SQLModel

from bekasi_field.hub.officer_sites import assign_officer, unassign_officer
from bekasi_field.hub.snapshots import restamp
from bekasi_field.services import sync_service
from bekasi_field.services.journal import IdentityCheck, record_handover
from bekasi_field.services.site import Site
from bekasi_field.services.verdict_engine import VerdictEngine

BINTARA, BT_EVENT = "Bintara", "EV-KKS-BT"
BT_HOUSEHOLDS = [f"BTR-{i:04d}" for i in range(1, 5)]


def _seed_bintara(hub: ThreadHub) -> None:
    t = SQLModel.metadata.tables
    today = dt.date.today()
    with hub.store.engine.begin() as conn:
        conn.execute(insert(t["households"]), [{
            "id": h, "no_kk": f"32750301{i:08d}", "address": f"Jl. Kenanga {i}", "rt": "003",
            "rw": "004", "kelurahan": BINTARA, "kecamatan": "Bekasi Barat", "desil": 1,
            "programs": "KKS", "status": "active", "kks_card": None, "content_hash": "",
            "version": 0} for i, h in enumerate(BT_HOUSEHOLDS, start=1)])
        conn.execute(insert(t["members"]), [{
            "nik": f"3275034101{i:06d}", "household_id": h, "name": f"Warga Bintara {i}",
            "name_norm": f"warga bintara {i}", "relationship": "Kepala Keluarga", "sex": "P",
            "birth_date": dt.date(1981, 2, 2), "is_recipient": True, "content_hash": "",
            "version": 0} for i, h in enumerate(BT_HOUSEHOLDS, start=1)])
        conn.execute(insert(t["events"]).values(
            id=BT_EVENT, name="KKS Bintara", programme="KKS", site_kelurahan=BINTARA,
            served_kelurahan=json.dumps([BINTARA]), start_date=today - dt.timedelta(days=1),
            end_date=today + dt.timedelta(days=6), item="Kartu KKS", amount=None,
            require_photo=False, require_signature=False, allow_proxy=True, status="open",
            created_at="2026-01-01T00:00:00Z", version=0))
        conn.execute(insert(t["entitlements"]), [{
            "event_id": BT_EVENT, "household_id": h, "item": "Kartu KKS", "amount": None,
            "slip_serial": f"S-{h}", "version": 0} for h in BT_HOUSEHOLDS])
        conn.execute(insert(t["officers"]), [
            {"id": o, "name": o, "role": r, "pin_hash": h, "active": True,
             "failed_attempts": 0, "locked_until": None, "version": 0}
            for o, r, h in (("PTG09", "petugas", PIN_HASH),
                            ("SPV09", "supervisor", SPV_PIN_HASH))])
    with hub.store.write() as conn:
        restamp(hub.store, conn)
        for officer in ("PTG09", "SPV09"):
            assign_officer(conn, officer_id=officer, site=BINTARA)


@pytest.fixture
def sites(hub: ThreadHub, tmp_path: Path) -> Iterator[tuple[Site, Site]]:
    """A Kota Baru desk and a Bintara desk at one city hub, each with a hand-over pushed."""
    seed_registry(hub.store, households=6)
    _seed_bintara(hub)
    kb, bt = Site.open(tmp_path / "kota-baru"), Site.open(tmp_path / "bintara")
    sync_service.sync_now(site=kb, hub_url=hub.url, enrol_code=enrol_code(hub.store))
    sync_service.sync_now(site=bt, hub_url=hub.url,
                          enrol_code=enrol_code(hub.store, site=BINTARA))
    for site, event, household, officer in ((kb, EVENT, "KPM-0001", "PTG01"),
                                            (bt, BT_EVENT, "BTR-0001", "PTG09")):
        record_handover(site=site, event_id=event, code=household, officer_id=officer,
                        identity=IdentityCheck(ktp_seen=True, checked_by=officer))
        sync_service.sync_now(site=site)
    yield kb, bt
    kb.close()
    bt.close()


def _column(site: Site, sql: str) -> set[str]:
    conn = site.db.raw()
    try:
        return {str(r[0]) for r in conn.execute(sql)}
    finally:
        conn.close()


def _kota_baru_niks(hub: ThreadHub) -> set[str]:
    with hub.store.engine.connect() as conn:
        m = SQLModel.metadata.tables["members"]
        return {n for n in conn.execute(m.select().with_only_columns(m.c.nik)
                                        .where(m.c.household_id.like("KPM-%"))).scalars()}


def test_a_bintara_desk_gets_nothing_of_kota_baru(hub: ThreadHub,
                                                  sites: tuple[Site, Site]) -> None:
    kb, bt = sites
    sync_service.sync_now(site=bt)  # after Kota Baru's hand-over reached the hub
    assert _column(bt, "SELECT id FROM households") == set(BT_HOUSEHOLDS)
    assert _column(bt, "SELECT nik FROM members").isdisjoint(_kota_baru_niks(hub))
    # officers: only its own site's, with their PIN hashes; Kota Baru's never arrive
    assert _column(bt, "SELECT id FROM officers") == {"PTG09", "SPV09"}
    # journal: its own hand-over only, nothing of Kota Baru's households
    assert _column(bt, "SELECT household_id FROM journal") == {"BTR-0001"}
    # the Kota Baru desk likewise gets none of Bintara's
    sync_service.sync_now(site=kb)
    assert _column(kb, "SELECT id FROM officers") == {"PTG01", "SPV01"}
    assert not _column(kb, "SELECT household_id FROM journal") & set(BT_HOUSEHOLDS)
    assert not _column(kb, "SELECT id FROM households") & set(BT_HOUSEHOLDS)
    # And straight at the API with the Bintara desk's token: no NIK, hash or entry of Kota Baru.
    headers = {"Authorization": f"Bearer {bt.db.get_meta('hub_token')}"}
    snap = httpx.get(hub.url + "/api/v1/snapshot", params={"since": 0}, headers=headers,
                     timeout=30).text
    pulled = httpx.get(hub.url + "/api/v1/journal", params={"after": 0}, headers=headers,
                       timeout=30).json()
    assert not any(nik in snap for nik in _kota_baru_niks(hub))
    assert "PTG01" not in snap and "SPV01" not in snap
    assert [e["household_id"] for e in pulled["entries"]] == []  # its own are not sent back
    # a Kota Baru household scanned at Bintara is unknown there
    engine = VerdictEngine(bt.db)
    try:
        assert engine.check("KPM-0002", event_id=BT_EVENT).code.value == "UNKNOWN"
    finally:
        engine.close()


def test_the_scope_follows_officer_assignments(hub: ThreadHub,
                                               sites: tuple[Site, Site]) -> None:
    """No registry row changes when an officer is (un)assigned: the scope digest in /status
    tells the desk, which then gets its site's registry in full."""
    _, bt = sites
    with hub.store.write() as conn:
        assign_officer(conn, officer_id="PTG01", site=BINTARA)  # helps out at Bintara
    sync_service.sync_now(site=bt)
    assert _column(bt, "SELECT id FROM officers WHERE active = 1") == {"PTG01", "PTG09",
                                                                        "SPV09"}
    with hub.store.write() as conn:
        unassign_officer(conn, officer_id="PTG01", site=BINTARA)
    sync_service.sync_now(site=bt)
    assert _column(bt, "SELECT id FROM officers WHERE active = 1") == {"PTG09", "SPV09"}
    # kept (old entries may name them), switched off, and no PIN hash left to attack offline
    assert _column(bt, "SELECT pin_hash FROM officers WHERE id = 'PTG01'") == {""}


def test_a_household_newly_served_brings_its_past_entries(hub: ThreadHub,
                                                          sites: tuple[Site, Site]) -> None:
    """Bintara's event starts serving Kota Baru too: its households, members and the entry
    already handed over at Kota Baru reach the Bintara desk (the journal is pulled again)."""
    _, bt = sites
    ev = SQLModel.metadata.tables["events"]
    with hub.store.write() as conn:
        conn.execute(ev.update().where(ev.c.id == BT_EVENT).values(
            served_kelurahan=json.dumps([BINTARA, "Kota Baru"])))
        restamp(hub.store, conn)
    sync_service.sync_now(site=bt)
    assert {"KPM-0001", "KPM-0002"} <= _column(bt, "SELECT id FROM households")
    assert "KPM-0001" in _column(bt, "SELECT household_id FROM journal")
    engine = VerdictEngine(bt.db)
    try:
        assert engine.check("KPM-0001", event_id=EVENT).code.value == "ALREADY_COLLECTED"
    finally:
        engine.close()


def test_a_desk_synced_before_scoping_loses_the_other_sites_people(
        hub: ThreadHub, sites: tuple[Site, Site]) -> None:
    """A Bintara desk from before scoping holds Kota Baru's registry, officers and an entry
    pulled then: its first scoped sync leaves it with Bintara's only, and its journal still
    verifies."""
    from bekasi_field.domain import pins
    from bekasi_field.services.journal import verify_journal
    from bekasi_field.store.db import set_meta
    from bekasi_field.sync import device_journal as dj
    from bekasi_field.sync.client import HubClient
    from bekasi_field.sync.snapshot import apply_snapshot

    kb, bt = sites
    with HubClient(hub.url, token=kb.db.get_meta("hub_token")) as client:
        kb_snapshot = client.snapshot(since=0, hub_id=None)[0]
    with HubClient(hub.url, token=bt.db.get_meta("hub_token")) as client:
        bt_page = client.pull_journal(after=0, released_after=0)
    raw = kb.db.raw()
    try:
        kb_entry = dj.own_entries_after(raw, device_id=kb.device_id, after=0, limit=5)
    finally:
        raw.close()
    with bt.db.transaction() as conn:  # as an unscoped hub left it
        payload = json.loads(kb_snapshot)
        payload["full"] = False  # merged into what it had, as deltas did
        apply_snapshot(conn, payload)
        dj.insert_remote(conn, kb_entry, received_at="2026-11-23T09:00:00Z")
        conn.execute("UPDATE officers SET pin_hash = ? WHERE id = 'SPV01'",
                     (pins.hash_pin("246810"),))
        set_meta(conn, "snapshot_scope", "")
    assert bt_page.entries == []
    assert "KPM-0001" in _column(bt, "SELECT household_id FROM journal")
    sync_service.sync_now(site=bt)
    assert _column(bt, "SELECT id FROM households") == set(BT_HOUSEHOLDS)
    assert _column(bt, "SELECT nik FROM members").isdisjoint(_kota_baru_niks(hub))
    assert _column(bt, "SELECT household_id FROM journal") == {"BTR-0001"}
    assert _column(bt, "SELECT id FROM officers WHERE pin_hash != ''") == {"PTG09", "SPV09"}
    assert verify_journal(bt.db).ok
