"""The push protocol against a real uvicorn hub: auth, idempotency, chain checks, conflicts."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from helpers_hub import (
    EVENT,
    ThreadHub,
    chain,
    enrol_code,
    enrol_raw,
    key_for,
    seed_registry,
)
from sqlalchemy import func, select
from sqlmodel import SQLModel

from bekasi_field.hub import crud
from bekasi_field.hub.models import HubJournal, HubQuarantine

_open: list[httpx.Client] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _open:
        _open.pop().close()


def _client(hub: ThreadHub, device: str) -> httpx.Client:
    with hub.store.read() as conn:  # the hub checks entries against its registry
        empty = conn.execute(select(func.count()).select_from(
            SQLModel.metadata.tables["households"])).scalar_one() == 0
    if empty:
        seed_registry(hub.store)
    token = enrol_raw(hub.url, enrol_code(hub.store), device)["token"]
    c = httpx.Client(base_url=hub.url + "/api/v1",
                     headers={"Authorization": f"Bearer {token}"}, timeout=30)
    _open.append(c)
    return c


def _stored(hub: ThreadHub) -> int:
    with hub.store.read() as conn:
        return conn.execute(select(func.count()).select_from(HubJournal.__table__)).scalar_one()


def test_requests_without_or_with_wrong_credentials_get_401(hub: ThreadHub) -> None:
    for method, path in (("GET", "/status"), ("POST", "/journal"), ("GET", "/journal"),
                         ("GET", "/snapshot"), ("GET", "/conflicts"),
                         ("POST", "/evidence/missing"), ("PUT", "/evidence/" + "0" * 64)):
        r = httpx.request(method, hub.url + "/api/v1" + path, json={"entries": []})
        assert r.status_code == 401, path
        r = httpx.request(method, hub.url + "/api/v1" + path, json={"entries": []},
                          headers={"Authorization": "Bearer not-a-real-token"})
        assert r.status_code == 401, path
    assert r.headers["www-authenticate"] == "Bearer"


def test_enrolment_code_works_once_and_a_revoked_device_gets_403(hub: ThreadHub) -> None:
    code = enrol_code(hub.store)
    answer = enrol_raw(hub.url, code, "deskA")
    assert answer["site_kelurahan"] == "Kota Baru" and len(answer["hub_public_key"]) == 64
    again = httpx.post(hub.url + "/api/v1/enrol", json={
        "code": code, "device_id": "deskB", "public_key": key_for("deskB").public_hex})
    assert again.status_code == 401
    assert "sudah dipakai" in again.json()["detail"]
    auth = {"Authorization": f"Bearer {answer['token']}"}
    assert httpx.get(hub.url + "/api/v1/status", headers=auth).status_code == 200
    with hub.store.write() as conn:
        assert crud.revoke_device(conn, "deskA")
    assert httpx.get(hub.url + "/api/v1/status", headers=auth).status_code == 403


def test_an_expired_code_is_refused(hub: ThreadHub) -> None:
    with hub.store.write() as conn:
        code = crud.create_enrol_code(conn, site_kelurahan="Kota Baru", valid_hours=-1)
    r = httpx.post(hub.url + "/api/v1/enrol", json={
        "code": code, "device_id": "deskA", "public_key": key_for("deskA").public_hex})
    assert r.status_code == 401 and "kedaluwarsa" in r.json()["detail"]


def test_push_is_idempotent_and_acks_the_contiguous_head(hub: ThreadHub) -> None:
    c = _client(hub, "deskA")
    entries = chain("deskA", 5)
    r = c.post("/journal", json={"entries": entries}).json()
    assert r["acked_seq"] == 5
    assert [x["status"] for x in r["results"]] == ["stored"] * 5
    again = c.post("/journal", json={"entries": entries}).json()
    assert again["acked_seq"] == 5
    assert {x["status"] for x in again["results"]} == {"duplicate"}
    assert _stored(hub) == 5
    more = chain("deskA", 2, start_seq=6, prev=entries[-1]["hash"])
    r = c.post("/journal", json={"entries": entries[3:] + more}).json()  # overlap + new
    assert r["acked_seq"] == 7 and _stored(hub) == 7


def test_a_gap_or_a_tampered_entry_quarantines_the_batch(hub: ThreadHub) -> None:
    c = _client(hub, "deskA")
    entries = chain("deskA", 6)
    assert c.post("/journal", json={"entries": entries[:2]}).json()["acked_seq"] == 2
    gap = c.post("/journal", json={"entries": entries[3:]}).json()  # seq 3 missing
    assert gap["acked_seq"] == 2 and gap["problem"] == "gap"
    assert {x["status"] for x in gap["results"]} == {"quarantined"}
    tampered = [dict(e) for e in entries[2:]]
    tampered[1]["household_id"] = "KPM-0002"  # edited after hashing
    bad = c.post("/journal", json={"entries": tampered}).json()
    assert bad["acked_seq"] == 2 and bad["problem"] == "edited"
    assert _stored(hub) == 2  # nothing of either batch was merged
    out_of_order = c.post("/journal", json={"entries": [entries[3], entries[2]]}).json()
    assert out_of_order["acked_seq"] == 4  # the hub sorts by seq; the chain itself is intact
    with hub.store.read() as conn:
        problems = conn.execute(select(HubQuarantine.__table__.c.problem)).scalars().all()
    assert problems == ["gap", "edited"]


def test_same_seq_with_other_content_is_refused_and_flagged(hub: ThreadHub) -> None:
    c = _client(hub, "deskA")
    entries = chain("deskA", 3)
    c.post("/journal", json={"entries": entries})
    forged = chain("deskA", 1)  # another entry 1 with a different uuid and content
    r = c.post("/journal", json={"entries": forged}).json()
    assert r["results"][0]["status"] == "refused" and r["problem"] == "uuid_mismatch"
    assert r["acked_seq"] == 3 and _stored(hub) == 3


def test_one_uuid_twice_in_a_batch_is_quarantined(hub: ThreadHub) -> None:
    from bekasi_field.domain.journal_chain import entry_hash
    c = _client(hub, "deskA")
    entries = chain("deskA", 2)
    entries[1]["uuid"] = entries[0]["uuid"]
    entries[1]["hash"] = entry_hash(entries[1])
    entries[1]["signature"] = key_for("deskA").sign_entry(entries[1]["hash"])  # its own doing
    r = c.post("/journal", json={"entries": entries}).json()
    assert r["problem"] == "uuid_mismatch" and r["acked_seq"] == 0 and _stored(hub) == 0


def test_a_device_may_only_push_its_own_journal(hub: ThreadHub) -> None:
    c = _client(hub, "deskA")
    r = c.post("/journal", json={"entries": chain("deskB", 1)})
    assert r.status_code == 403
    assert _stored(hub) == 0


def test_same_household_from_two_devices_is_one_conflict_only_the_hub_clears_it(
        hub: ThreadHub) -> None:
    a, b = _client(hub, "deskA"), _client(hub, "deskB")
    ea = chain("deskA", 1)
    eb = chain("deskB", 1)
    assert a.post("/journal", json={"entries": ea}).json()["new_conflicts"] == 0
    assert b.post("/journal", json={"entries": eb}).json()["new_conflicts"] == 1
    conflicts = a.get("/conflicts").json()
    assert len(conflicts) == 1
    assert conflicts[0]["event_id"] == EVENT and conflicts[0]["household_id"] == "KPM-0001"
    assert sorted(conflicts[0]["entries"]) == sorted([ea[0]["uuid"], eb[0]["uuid"]])
    assert a.get("/status").json()["open_conflicts"] == 1
    void = chain("deskB", 1, start_seq=2, prev=eb[0]["hash"], kind="void", voids=eb[0]["uuid"],
                 officer="SPV01")
    assert b.post("/journal", json={"entries": void}).json()["acked_seq"] == 2
    assert len(a.get("/conflicts").json()) == 1  # a device's void cannot clear a conflict
    with hub.store.write() as conn:  # a supervisor at the hub accepts it
        from bekasi_field.hub import held_voids
        held_voids.decide_held_void(conn, void_uuid=void[0]["uuid"], accept=True,
                                    supervisor_id="SPV02")
    assert a.get("/conflicts").json() == []
    assert len(a.get("/conflicts", params={"status": ""}).json()) == 1  # kept, as resolved


def test_pull_returns_other_devices_entries_only(hub: ThreadHub) -> None:
    a, b = _client(hub, "deskA"), _client(hub, "deskB")
    a.post("/journal", json={"entries": chain("deskA", 3)})
    b.post("/journal", json={"entries": chain("deskB", 2, household="KPM-0002")})
    page = a.get("/journal", params={"after": 0, "limit": 1}).json()
    assert [e["device_id"] for e in page["entries"]] == ["deskB"] and page["more"]
    rest = a.get("/journal", params={"after": page["next_cursor"]}).json()
    assert len(rest["entries"]) == 1 and not rest["more"]
    last = a.get("/journal", params={"after": rest["next_cursor"]}).json()
    assert last["entries"] == [] and last["next_cursor"] == rest["next_cursor"]


def test_openapi_lists_the_versioned_routes(hub: ThreadHub) -> None:
    paths = httpx.get(hub.url + "/openapi.json").json()["paths"]
    assert {"/api/v1/enrol", "/api/v1/journal", "/api/v1/snapshot",
            "/api/v1/conflicts"} <= set(paths)


@pytest.mark.parametrize("size", [0, 3])
def test_status_reports_the_acked_head(hub: ThreadHub, size: int) -> None:
    c = _client(hub, "deskA")
    if size:
        c.post("/journal", json={"entries": chain("deskA", size)})
    assert c.get("/status").json()["acked_seq"] == size
