"""Live claims against a real uvicorn hub: one desk wins, the others hear ALREADY_COLLECTED
naming the desk; a claim never committed expires or is released; --offline and a dead hub fall
back to the desk's own data."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from helpers_hub import EVENT, PIN, ThreadHub, enrol_code, seed_registry
from sqlalchemy import func, select

from bekasi_field.domain.errors import BekasiError
from bekasi_field.hub import claims
from bekasi_field.hub.models import HubJournal
from bekasi_field.services import live, sync_service
from bekasi_field.services.journal import IdentityCheck
from bekasi_field.services.site import Site
from bekasi_field.store.db import set_meta

ID = IdentityCheck(ktp_seen=True, checked_by="PTG01")


@pytest.fixture
def desks(tmp_path: Path) -> Iterator[list[Site]]:
    sites = [Site.open(tmp_path / f"desk-{i}") for i in range(4)]
    yield sites
    for s in sites:
        s.close()


def _enrol_all(hub: ThreadHub, sites: list[Site]) -> None:
    for s in sites:
        sync_service.sync_now(site=s, hub_url=hub.url, enrol_code=enrol_code(hub.store))
        with s.db.transaction() as conn:
            # The hub runs in this process beside the desks: on a loaded machine an answer may
            # take longer than a desk's 1 s, and these tests are about who wins, not speed.
            set_meta(conn, "claim_timeout_s", "10")


def _hub_entries(hub: ThreadHub) -> int:
    with hub.store.read() as conn:
        return conn.execute(select(func.count()).select_from(HubJournal.__table__)).scalar_one()


def test_second_desk_is_refused_with_the_first_desks_name_and_exits_3(
        hub: ThreadHub, desks: list[Site], cli) -> None:
    seed_registry(hub.store, households=3)
    a, b = desks[0], desks[1]
    _enrol_all(hub, [a, b])
    r = cli("handover", "KPM-0001", "--event", EVENT, "--officer", "PTG01", "--pin", PIN,
            "--ktp-seen", "--home", a.layout.root, "--json")
    assert r.code == 0, r.err
    assert (r.json["claim"], r.json["live"]) == ("granted", True)
    # b has not synced: its own snapshot still says ELIGIBLE, the hub says otherwise.
    r = cli("check", "KPM-0001", "--event", EVENT, "--home", b.layout.root, "--json")
    assert r.code == 0, r.err
    assert (r.json["verdict"], r.json["live"]) == ("ALREADY_COLLECTED", True)
    assert r.json["details"]["collected_device"] == a.device_id
    r = cli("check", "KPM-0001", "--event", EVENT, "--home", b.layout.root, "--json",
            "--offline")
    assert (r.json["verdict"], r.json["live"]) == ("ELIGIBLE", False)
    r = cli("handover", "KPM-0001", "--event", EVENT, "--officer", "PTG01", "--pin", PIN,
            "--ktp-seen", "--home", b.layout.root, "--json")
    assert r.code == 3
    assert (r.json["verdict"], r.json["claim"], r.json["live"]) == (
        "ALREADY_COLLECTED", "refused", True)
    assert a.device_id[:6] in r.json["message"] and "PTG01" in r.json["message"]
    assert r.json["details"]["collected_device"] == a.device_id
    assert _hub_entries(hub) == 1  # a's entry was pushed straight after its hand-over


def test_offline_flag_and_a_dead_hub_decide_locally_without_waiting(
        hub: ThreadHub, desks: list[Site], cli) -> None:
    seed_registry(hub.store, households=3)
    a = desks[0]
    _enrol_all(hub, [a])
    r = cli("handover", "KPM-0001", "--event", EVENT, "--officer", "PTG01", "--pin", PIN,
            "--ktp-seen", "--home", a.layout.root, "--json", "--offline")
    assert (r.code, r.json["claim"], r.json["live"]) == (0, "offline", False)
    hub.stop()
    with a.db.transaction() as conn:
        set_meta(conn, "claim_timeout_s", "1")
    t0 = time.monotonic()
    r = cli("handover", "KPM-0002", "--event", EVENT, "--officer", "PTG01", "--pin", PIN,
            "--ktp-seen", "--home", a.layout.root, "--json")
    assert (r.code, r.json["claim"], r.json["live"]) == (0, "offline", False)
    assert time.monotonic() - t0 < 8  # no retries: one refused connection each, no backoff
    assert sync_service.pending_count(a.db) == 2  # both queued for the hub


def test_a_claim_never_committed_expires_and_a_released_one_frees_at_once(
        hub: ThreadHub, desks: list[Site], monkeypatch: pytest.MonkeyPatch) -> None:
    seed_registry(hub.store, households=3)
    a, b = desks[0], desks[1]
    _enrol_all(hub, [a, b])
    la, lb = live.link_for(a.db), live.link_for(b.db)
    assert la is not None and lb is not None
    try:
        # a claims and is killed before it commits: b is refused only until the claim expires.
        got = la.claim(event_id=EVENT, household_id="KPM-0001", officer_id="PTG01", ttl_s=1)
        assert got is not None and got.claim == "granted"
        other = lb.claim(event_id=EVENT, household_id="KPM-0001", officer_id="PTG01")
        assert other is not None and (other.claim, other.state) == ("refused", "claimed")
        assert other.holder is not None and other.holder.device_id == a.device_id
        # the hub's clock (the hub runs in this process) moves past the 1 s claim: no sleep
        real = time.time
        monkeypatch.setattr(claims, "time", SimpleNamespace(time=lambda: real() + 1.2))
        other = lb.claim(event_id=EVENT, household_id="KPM-0001", officer_id="PTG01")
        assert other is not None and other.claim == "granted"
        # a claim given back (its hand-over failed locally) frees the household at once
        got = la.claim(event_id=EVENT, household_id="KPM-0002", officer_id="PTG01")
        assert got is not None and got.claim_id and la.release(got.claim_id)
        assert not lb.release(got.claim_id)  # nobody else may release it
        other = lb.claim(event_id=EVENT, household_id="KPM-0002", officer_id="PTG01")
        assert other is not None and other.claim == "granted"
    finally:
        la.close()
        lb.close()


def test_a_refused_local_handover_gives_its_claim_back(hub: ThreadHub,
                                                       desks: list[Site]) -> None:
    seed_registry(hub.store, households=3)
    a, b = desks[0], desks[1]
    _enrol_all(hub, [a, b])
    la, lb = live.link_for(a.db), live.link_for(b.db)
    try:
        with pytest.raises(BekasiError, match="NOBODY"):  # an officer the desk does not know
            live.handover_live(site=a, event_id=EVENT, code="KPM-0003", officer_id="NOBODY",
                               link=la, identity=ID)
        answer = lb.claim(event_id=EVENT, household_id="KPM-0003", officer_id="PTG01")
        assert answer is not None and answer.claim == "granted"
    finally:
        la.close()
        lb.close()


def test_claims_need_a_device_token(hub: ThreadHub) -> None:
    body = {"event_id": EVENT, "household_id": "KPM-0001"}
    assert httpx.post(hub.url + "/api/v1/claims", json=body).status_code == 401
    assert httpx.get(hub.url + "/api/v1/claims/state", params=body,
                     headers={"Authorization": "Bearer nope"}).status_code == 401
    assert httpx.delete(hub.url + "/api/v1/claims/x").status_code == 401


def test_person_claims_are_keyed_by_nik_within_one_household(hub: ThreadHub) -> None:
    """Enrolment events cover people: two members of one household are two subjects."""
    with hub.store.write() as conn:
        dev = {"id": "D1", "site_kelurahan": "Kota Baru"}
        one = claims.claim(conn, device=dev, event_id="EV-BPJS", household_id="KPM-0001",
                           person_nik="3275014101000001", officer_id="P", ttl_s=60)
        two = claims.claim(conn, device={"id": "D2"}, event_id="EV-BPJS",
                           household_id="KPM-0001", person_nik="3275014101000002",
                           officer_id="P", ttl_s=60)
        again = claims.claim(conn, device={"id": "D2"}, event_id="EV-BPJS",
                             household_id="KPM-0001", person_nik="3275014101000001",
                             officer_id="P", ttl_s=60)
    assert (one.granted, two.granted, again.granted) == (True, True, False)


def test_four_desks_200_rounds_of_the_same_household_give_one_entry_each(
        hub: ThreadHub, desks: list[Site]) -> None:
    rounds = 200
    ids = seed_registry(hub.store, households=rounds)
    _enrol_all(hub, desks)
    links = [live.link_for(s.db) for s in desks]
    barrier = threading.Barrier(len(desks))
    outcomes: list[list[str]] = [[] for _ in desks]
    errors: list[BaseException] = []

    def desk(i: int) -> None:
        try:
            for household in ids:
                barrier.wait(timeout=30)  # all four at the same moment
                try:
                    done = live.handover_live(site=desks[i], event_id=EVENT, code=household,
                                              officer_id="PTG01", link=links[i], identity=ID)
                    outcomes[i].append(done.claim)
                except live.ClaimRefused:
                    outcomes[i].append("refused")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=desk, args=(i,)) for i in range(len(desks))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=240)
    for link in links:
        assert link is not None
        link.close()
    assert not errors, errors
    per_round = list(zip(*outcomes, strict=True))
    assert len(per_round) == rounds
    assert all(sorted(r) == ["granted", "refused", "refused", "refused"] for r in per_round)
    for s in desks:
        sync_service.sync_now(site=s)
    for s in desks:  # a second round brings everyone's entries to everyone
        result = sync_service.sync_now(site=s)
        assert result.conflicts == 0
        conn = s.db.raw()
        try:
            rows = conn.execute("SELECT household_id, COUNT(*) FROM journal WHERE kind = "
                                "'handover' GROUP BY household_id").fetchall()
        finally:
            conn.close()
        assert sorted(rows) == [(h, 1) for h in ids]
    assert _hub_entries(hub) == rounds


def test_claims_commit_without_fsync_and_leave_the_pool_at_full(tmp_path: Path) -> None:
    """A claim waits for no disk flush (safe against a killed hub in WAL mode); every other
    writer still gets synchronous=FULL from the same pool."""
    from bekasi_field.hub.store import HubStore
    store = HubStore.open(tmp_path / "hub.db")
    try:
        with store.write(fsync=False) as conn:
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
            store.set_meta(conn, "probe", "kept")
        with store.write() as conn:
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        with store.read() as conn:
            assert store.meta(conn, "probe") == "kept"
    finally:
        store.dispose()
