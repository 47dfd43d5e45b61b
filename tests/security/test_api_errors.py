"""Bad input gets a 4xx, never a server error (issue 12.8): a cursor past the integer range and
a NUL character (which PostgreSQL cannot store in text) are 422 on SQLite and PostgreSQL, and
every refusal is documented in the OpenAPI with one error body."""

from __future__ import annotations

import httpx
from helpers_hub import ThreadHub, chain, enrol_code, enrol_raw, key_for, seed_registry
from sqlalchemy import func, select

from bekasi_field.domain.journal_chain import entry_hash
from bekasi_field.hub.models import HubJournal

TOO_BIG = "9223372036854775808"  # 2**63: the report's 500


def test_a_cursor_past_the_integer_range_is_422(hub: ThreadHub) -> None:
    token = enrol_raw(hub.url, enrol_code(hub.store), "err-desk")["token"]
    auth = {"Authorization": f"Bearer {token}"}
    for path, params in (("/journal", {"after": TOO_BIG}),
                         ("/journal", {"after": str(2**31)}),
                         ("/journal", {"released_after": TOO_BIG}),
                         ("/snapshot", {"since": TOO_BIG})):
        r = httpx.get(hub.url + "/api/v1" + path, params=params, headers=auth, timeout=30)
        assert r.status_code == 422, (path, params, r.text)
        assert r.json()["detail"][0]["type"] == "less_than_equal"
    # The largest cursor the hub takes still answers.
    r = httpx.get(hub.url + "/api/v1/journal", params={"after": 2**31 - 1}, headers=auth)
    assert r.status_code == 200 and r.json()["entries"] == []


def test_a_nul_character_is_422_and_changes_nothing(hub: ThreadHub) -> None:
    seed_registry(hub.store, households=2)
    code = enrol_code(hub.store)
    r = httpx.post(hub.url + "/api/v1/enrol", timeout=30, json={
        "code": code, "device_id": "nul-desk", "name": "Meja\x00 1",
        "public_key": key_for("nul-desk").public_hex})
    assert r.status_code == 422 and r.json()["code"] == "hub.nul_character"
    assert "NUL" in r.json()["detail"]
    token = enrol_raw(hub.url, code, "nul-desk")["token"]  # the code was not used up
    auth = {"Authorization": f"Bearer {token}"}
    [entry] = chain("nul-desk", 1)
    entry["reason"] = "tertukar\x00"
    entry["hash"] = entry_hash(entry)
    entry["signature"] = key_for("nul-desk").sign_entry(entry["hash"])
    r = httpx.post(hub.url + "/api/v1/journal", json={"entries": [entry]}, headers=auth,
                   timeout=30)
    assert r.status_code == 422 and r.json()["code"] == "hub.nul_character"
    r = httpx.get(hub.url + "/api/v1/claims/state", headers=auth, timeout=30,
                  params={"event_id": "EV\x00", "household_id": "KPM-0001"})
    assert r.status_code == 422
    r = httpx.post(hub.url + "/api/v1/voids/held/x%00y", headers=auth, timeout=30,
                   json={"accept": True, "supervisor_id": "SPV01", "pin": "1111"})
    assert r.status_code == 422
    j = HubJournal.__table__
    with hub.store.read() as conn:
        assert conn.execute(select(func.count()).select_from(j)).scalar_one() == 0


def test_the_openapi_documents_every_refusal(hub: ThreadHub) -> None:
    spec = httpx.get(hub.url + "/openapi.json").json()
    assert "Problem" in spec["components"]["schemas"]
    operations = [(p, m, op) for p, ops in spec["paths"].items() for m, op in ops.items()]
    assert len(operations) >= 19
    for path, method, op in operations:
        for status in ("400", "401", "403", "413", "422"):
            answer = op["responses"].get(status)
            assert answer, (method, path, status)
            schema = answer["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Problem"}, (method, path, status)
