"""Desks pushing at the same moment: every entry stored once, every double collection found."""

from __future__ import annotations

import threading
from pathlib import Path

from helpers_hub import ThreadHub, chain, enrol_code, seed_registry
from sqlalchemy import func, select

from bekasi_field.hub import crud
from bekasi_field.hub.models import HubConflict, HubJournal
from bekasi_field.services import sync_service
from bekasi_field.services.device_key import device_key
from bekasi_field.services.site import Site
from bekasi_field.store.db import set_meta
from bekasi_field.sync.device_journal import ENTRY_COLUMNS

N = 120


def _journal_for(site: Site, households: list[str]) -> None:
    entries, prev = [], "0" * 64
    key = device_key(site.db)
    for i, h in enumerate(households, start=1):
        e = chain(site.device_id, 1, start_seq=i, prev=prev, household=h, key=key)[0]
        entries.append(e)
        prev = e["hash"]
    with site.db.transaction() as conn:
        conn.executemany(f"INSERT INTO journal ({', '.join(ENTRY_COLUMNS)}) VALUES "
                         f"({', '.join('?' * len(ENTRY_COLUMNS))})",
                         [tuple(e[c] for c in ENTRY_COLUMNS) for e in entries])
        set_meta(conn, "journal_head", f"{len(entries)}:{prev}")


def test_two_desks_pushing_at_once_same_households(
        hub: ThreadHub, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sync_service, "PUSH_BATCH", 10)  # many small interleaved batches
    households = seed_registry(hub.store, households=N)
    desks = [Site.open(tmp_path / name) for name in ("a", "b")]
    try:
        for d in desks:
            sync_service.sync_now(site=d, hub_url=hub.url, enrol_code=enrol_code(hub.store))
        _journal_for(desks[0], households)
        _journal_for(desks[1], list(reversed(households)))
        errors: list[BaseException] = []

        def push(site: Site) -> None:
            try:
                sync_service.sync_now(site=site)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=push, args=(d,)) for d in desks]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        assert errors == []
        with hub.store.read() as conn:
            stored = conn.execute(select(func.count()).select_from(HubJournal.__table__)
                                  ).scalar_one()
            conflicts = crud.list_conflicts(conn)
            rows = conn.execute(select(func.count()).select_from(HubConflict.__table__)
                                ).scalar_one()
        assert stored == 2 * N
        assert len(conflicts) == rows == N  # every household exactly once, none missed
        assert all(len(c["entries"]) == 2 for c in conflicts)
        for d in desks:  # after one more round each desk knows the other's hand-overs
            sync_service.sync_now(site=d)
            conn = d.db.raw()
            try:
                assert conn.execute("SELECT count(*) FROM journal").fetchone()[0] == 2 * N
            finally:
                conn.close()
    finally:
        for d in desks:
            d.close()


def test_one_desk_syncing_from_two_threads_pushes_each_entry_once(
        hub: ThreadHub, tmp_path: Path) -> None:
    households = seed_registry(hub.store, households=30)
    site = Site.open(tmp_path / "desk")
    try:
        sync_service.sync_now(site=site, hub_url=hub.url, enrol_code=enrol_code(hub.store))
        _journal_for(site, households)
        results: list[sync_service.SyncResult] = []
        threads = [threading.Thread(target=lambda: results.append(
            sync_service.sync_now(site=site))) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert sorted(r.pushed for r in results) == [0, 30]
        assert sync_service.pending_count(site.db) == 0
    finally:
        site.close()
