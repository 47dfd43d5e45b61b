"""The hub SIGKILLed while two desks claim the same households: no desk waits longer than the
claim timeout, nothing the hub acknowledged is lost, and the households both desks handed over
while it was down are conflicts at the hub and on both desks after the restart."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from helpers_hub import EVENT, ProcessHub, enrol_code, seed_registry
from sqlalchemy import func, select

from bekasi_field.hub import crud
from bekasi_field.hub.models import HubJournal
from bekasi_field.hub.store import HubStore
from bekasi_field.services import live, sync_service
from bekasi_field.services.journal import IdentityCheck
from bekasi_field.services.site import Site

ROUNDS, KILL_AT, RESTART_AT = 30, 10, 20


def _handed_over(site: Site) -> set[str]:
    conn = site.db.raw()
    try:
        return {r[0] for r in conn.execute(
            "SELECT household_id FROM journal WHERE kind = 'handover' AND device_id = ?",
            (site.device_id,))}
    finally:
        conn.close()


@pytest.mark.slow
def test_hub_killed_during_claims(hub_db_url: str, tmp_path: Path) -> None:
    store = HubStore.open(hub_db_url)
    ids = seed_registry(store, households=ROUNDS)
    server = ProcessHub(hub_db_url, tmp_path / "hub-home").start()
    desks = [Site.open(tmp_path / f"desk-{i}") for i in range(2)]
    try:
        for s in desks:
            sync_service.sync_now(site=s, hub_url=server.url, enrol_code=enrol_code(store))
        links = [live.link_for(s.db, timeout=3.0) for s in desks]
        # Two desks and the test, which kills and restarts the hub between two rounds.
        start, end = threading.Barrier(3), threading.Barrier(3)
        slowest = [0.0, 0.0]
        outcome: list[dict[str, str]] = [{}, {}]
        acked: list[int] = [0, 0]

        def desk(i: int) -> None:
            try:
                rounds(i)
            except BaseException:
                start.abort()
                end.abort()
                raise

        def rounds(i: int) -> None:
            for n, household in enumerate(ids):
                start.wait(timeout=30)
                t0 = time.monotonic()
                try:
                    done = live.handover_live(
                        site=desks[i], event_id=EVENT, code=household, officer_id="PTG01",
                        link=links[i], identity=IdentityCheck(ktp_seen=True, checked_by="PTG01"))
                    outcome[i][household] = done.claim
                except live.ClaimRefused:
                    outcome[i][household] = "refused"
                slowest[i] = max(slowest[i], time.monotonic() - t0)
                if n == KILL_AT - 1:  # what the hub acknowledges before it dies must survive
                    acked[i] = sync_service.sync_now(site=desks[i], attempts=1).acked_seq
                end.wait(timeout=30)

        threads = [threading.Thread(target=desk, args=(i,), daemon=True) for i in range(2)]
        for t in threads:
            t.start()
        for n in range(ROUNDS):
            if n == KILL_AT:
                server.kill()
            if n == RESTART_AT:
                server = ProcessHub(hub_db_url, tmp_path / "hub-home", port=server.port).start()
            start.wait(timeout=30)
            end.wait(timeout=30)
        for t in threads:
            t.join(timeout=120)
        assert not any(t.is_alive() for t in threads)
        for link in links:
            assert link is not None
            link.close()

        # No desk waited longer than the claim timeout (plus the local commit, with room for
        # a loaded machine: the point is no retries and no backoff while the hub is gone).
        assert max(slowest) < 3.0 + 2.0, slowest
        up = ids[:KILL_AT]
        assert all(sorted((outcome[0][h], outcome[1][h])) == ["granted", "refused"] for h in up)
        assert all(outcome[0][h] == outcome[1][h] == "offline"
                   for h in ids[KILL_AT:RESTART_AT])
        assert acked[0] + acked[1] == KILL_AT

        results = [sync_service.sync_now(site=s) for s in desks]
        results = [sync_service.sync_now(site=s) for s in desks]  # both see both
        both = _handed_over(desks[0]) & _handed_over(desks[1])
        assert set(ids[KILL_AT:RESTART_AT]) <= both
        with store.read() as conn:
            conflicts = crud.list_conflicts(conn)
            stored = conn.execute(select(func.count()).select_from(HubJournal.__table__)
                                  ).scalar_one()
        assert {c["household_id"] for c in conflicts} == both
        assert all(r.conflicts == len(both) for r in results)
        assert stored == len(_handed_over(desks[0])) + len(_handed_over(desks[1]))
        assert all(sync_service.pending_count(s.db) == 0 for s in desks)
    finally:
        server.stop()
        for s in desks:
            s.close()
        store.dispose()
