"""A conflict decided in the console: a void entry of the hub's own chain that every desk pulls
and verifies, the conflict off `hub conflicts`, both desks agreeing on one live hand-over."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers_console import add_accounts, csrf_of, login
from helpers_hub import EVENT, ThreadHub, enrol_code, handover, seed_registry
from sqlalchemy import text

from bekasi_field.hub.console import decisions
from bekasi_field.services import reports, sync_service
from bekasi_field.services.journal import verify_journal
from bekasi_field.services.site import Site


@pytest.fixture
def desks(tmp_path: Path) -> Iterator[tuple[Site, Site]]:
    a, b = Site.open(tmp_path / "desk-a"), Site.open(tmp_path / "desk-b")
    yield a, b
    a.close()
    b.close()


def _conflict(hub: ThreadHub, desks: tuple[Site, Site]) -> tuple[int, str, str]:
    seed_registry(hub.store)
    a, b = desks
    for s in desks:
        sync_service.sync_now(site=s, hub_url=hub.url, enrol_code=enrol_code(hub.store))
    ea, eb = handover(a, "KPM-0001"), handover(b, "KPM-0001")
    sync_service.sync_now(site=a)
    assert sync_service.sync_now(site=b).conflicts == 1
    with hub.store.read() as conn:
        (conflict,) = decisions.crud.list_conflicts(conn)
    return conflict["id"], ea.uuid, eb.uuid  # type: ignore[attr-defined]


def test_keep_one_voids_the_other_on_every_desk(hub: ThreadHub, desks: tuple[Site, Site],
                                                cli, hub_db_url: str) -> None:
    conflict_id, kept, voided = _conflict(hub, desks)
    add_accounts(hub.store)
    client = login(hub.url)
    page = client.get(f"/conflicts/{conflict_id}").text
    assert kept in page and voided in page and "3275014101" not in page  # NIKs masked
    token = csrf_of(client, f"/conflicts/{conflict_id}")
    r = client.post(f"/conflicts/{conflict_id}/decide",
                    data={"csrf": token, "action": "void", "entry_uuid": kept, "reason": "x"})
    assert r.status_code == 200 and 'id="decide-error"' in r.text  # a reason is required
    r = client.post(f"/conflicts/{conflict_id}/decide",
                    data={"csrf": token, "action": "keep", "entry_uuid": kept,
                          "reason": "Kartu diterima di meja A; meja B salah catat"})
    assert r.status_code == 303
    listed = cli("hub", "conflicts", "--db", hub_db_url, "--json")
    assert listed.code == 0 and listed.json["conflicts"] == []
    a, _ = desks
    for s in desks:
        sync_service.sync_now(site=s)
        check = verify_journal(s.db)
        assert check.ok, check.first_bad
        rows = reports.handovers(s.db.engine, EVENT)
        assert [r.entry_uuid for r in rows] == [kept]  # the same single hand-over everywhere
    with a.db.engine.connect() as conn:
        void = conn.exec_driver_sql(
            "SELECT device_id, reason, officer_id FROM journal WHERE kind = 'void'").one()
    assert void[0] == f"hub-{hub.store.hub_id()}" and void[1].startswith("Kartu diterima")
    assert void[2] == "admin.dinsos"
    # A second decision on the settled conflict is refused.
    r = client.post(f"/conflicts/{conflict_id}/decide",
                    data={"csrf": token, "action": "keep", "entry_uuid": voided,
                          "reason": "berubah pikiran"})
    assert 'id="decide-error"' in r.text


def test_no_device_may_enrol_as_the_hubs_own_journal(hub: ThreadHub) -> None:
    import httpx
    r = httpx.post(hub.url + "/api/v1/enrol", json={
        "code": enrol_code(hub.store), "device_id": decisions.hub_device_id(hub.store),
        "public_key": "ab" * 32})
    assert r.status_code == 409


def test_void_one_and_the_hub_chain_verifies(hub: ThreadHub, desks: tuple[Site, Site]) -> None:
    from bekasi_field.domain.journal_chain import check_chain
    conflict_id, first, second = _conflict(hub, desks)
    add_accounts(hub.store)
    client = login(hub.url)
    token = csrf_of(client, f"/conflicts/{conflict_id}")
    client.post(f"/conflicts/{conflict_id}/decide",
                data={"csrf": token, "action": "void", "entry_uuid": first,
                      "reason": "Diambil dua kali; slip kedua sah"})
    with hub.store.read() as conn:
        rows = [dict(r) for r in conn.execute(text(
            "SELECT * FROM hub_journal WHERE device_id = :d ORDER BY seq"),
            {"d": decisions.hub_device_id(hub.store)}).mappings()]
        assert decisions.crud.list_conflicts(conn) == []
    assert [r["voids_uuid"] for r in rows] == [first]
    assert check_chain(rows) is None
    from bekasi_field.domain.entry_signature import signature_problem
    from bekasi_field.sync.signing import public_hex
    assert signature_problem(rows, public_hex(hub.store.signing_key())) is None
    b = desks[1]
    sync_service.sync_now(site=b)
    assert [r.entry_uuid for r in reports.handovers(b.db.engine, EVENT)] == [second]
