"""The hub SIGKILLed in the middle of a push: restarted, the desk syncs again, and every entry
is stored exactly once with its chain intact."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from helpers_hub import ProcessHub, chain, enrol_code, seed_registry
from sqlalchemy import func, select

from bekasi_field.domain.journal_chain import check_chain
from bekasi_field.hub.models import HubJournal
from bekasi_field.hub.store import HubStore
from bekasi_field.services import sync_service
from bekasi_field.services.device_key import device_key
from bekasi_field.services.site import Site
from bekasi_field.store.db import set_meta
from bekasi_field.sync.device_journal import ENTRY_COLUMNS

N = 2000


def _write_own_journal(site: Site, n: int) -> None:
    entries = chain(site.device_id, n, key=device_key(site.db))
    cols = ", ".join(ENTRY_COLUMNS)
    with site.db.transaction() as conn:
        marks = ", ".join(["?"] * len(ENTRY_COLUMNS))
        conn.executemany(f"INSERT INTO journal ({cols}) VALUES ({marks})",
                         [tuple(e[c] for c in ENTRY_COLUMNS) for e in entries])
        set_meta(conn, "journal_head", f"{n}:{entries[-1]['hash']}")


def _hub_rows(store: HubStore, device: str) -> list[dict]:
    j = HubJournal.__table__
    with store.read() as conn:
        return [dict(r) for r in conn.execute(
            select(j).where(j.c.device_id == device).order_by(j.c.seq)).mappings()]


@pytest.mark.slow
def test_hub_killed_mid_push_then_restarted_stores_every_entry_once(
        hub_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_service, "PUSH_BATCH", 50)
    store = HubStore.open(hub_db_url)
    seed_registry(store)  # the hub checks every entry against its registry
    server = ProcessHub(hub_db_url, tmp_path / "hub-home").start()
    site = Site.open(tmp_path / "desk")
    try:
        sync_service.sync_now(site=site, hub_url=server.url, enrol_code=enrol_code(store))
        _write_own_journal(site, N)
        errors: list[BaseException] = []

        def push() -> None:
            try:
                sync_service.sync_now(site=site, attempts=2, backoff=0.1, timeout=5)
            except BaseException as exc:  # noqa: BLE001 - the killed hub's error is expected
                errors.append(exc)

        worker = threading.Thread(target=push)
        worker.start()
        j = HubJournal.__table__
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with store.read() as conn:
                stored = conn.execute(select(func.count()).select_from(j)).scalar_one()
            if stored >= 200:
                break
            time.sleep(0.01)
        server.kill()
        worker.join(timeout=120)
        assert errors and isinstance(errors[0], sync_service.BekasiError)
        assert 0 < len(_hub_rows(store, site.device_id)) < N
        assert 0 < sync_service.pending_count(site.db)

        server = ProcessHub(hub_db_url, tmp_path / "hub-home", port=server.port).start()
        result = sync_service.sync_now(site=site)
        rows = _hub_rows(store, site.device_id)
        assert result.acked_seq == N and sync_service.pending_count(site.db) == 0
        assert len(rows) == N and len({r["uuid"] for r in rows}) == N
        assert check_chain(rows) is None
        again = sync_service.sync_now(site=site)  # the same entries again: nothing new
        assert again.pushed == 0 and len(_hub_rows(store, site.device_id)) == N
    finally:
        server.stop()
        site.close()
        store.dispose()
