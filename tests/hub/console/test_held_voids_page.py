"""Voids held for review, decided in the console: listed beside the entry they would undo, for
the void's site only; accepted or rejected with a reason (CSRF, audit, four eyes); an accepted
void reaches the desks like one accepted on the CLI, and counts on the overview and in
`hub progress` only from then on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers_console import SUPERVISOR, SUPERVISOR_PW, add_accounts, csrf_of, login
from helpers_hub import EVENT, PIN_HASH, ThreadHub, enrol_code, handover, seed_registry
from sqlalchemy import insert, select
from sqlmodel import SQLModel

from bekasi_field.hub import held_voids
from bekasi_field.hub.console import accounts
from bekasi_field.hub.console.models import ConsoleAudit
from bekasi_field.hub.console.progress import Overview
from bekasi_field.hub.officer_sites import assign_officer
from bekasi_field.services import sync_service
from bekasi_field.services.journal import void_entry
from bekasi_field.services.site import Site
from bekasi_field.services.verdict_engine import VerdictEngine


@pytest.fixture
def desks(hub: ThreadHub, tmp_path: Path) -> Iterator[tuple[Site, Site]]:
    seed_registry(hub.store, households=4)
    t = SQLModel.metadata.tables
    with hub.store.write() as conn:
        conn.execute(insert(t["officers"]).values(
            id="SPV02", name="Sri Pengawas", role="supervisor", pin_hash=PIN_HASH, active=True,
            failed_attempts=0, locked_until=None, version=0))
        assign_officer(conn, officer_id="SPV02", site="Kota Baru")
    add_accounts(hub.store)
    with hub.store.write() as conn:  # a supervisor of another site, and the desk's approver
        accounts.add_account(conn, account_id="spv.kranji", password="sandi-kranji-1",
                             role="supervisor", sites=["Kranji"])
        accounts.add_account(conn, account_id="SPV01", password="sandi-spv01-1",
                             role="supervisor", sites=["Kota Baru"])
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


def _held_void(hub: ThreadHub, a: Site, b: Site, household: str) -> tuple[str, str]:
    """Desk A hands over; desk B voids A's hand-over (SPV01 approves): held at the hub."""
    entry = handover(a, household)
    sync_service.sync_now(site=a)
    sync_service.sync_now(site=b)
    void = void_entry(site=b, entry_uuid=entry.uuid, supervisor_id="SPV01",
                      reason="salah kartu, diganti")
    assert sync_service.sync_now(site=b).pushed == 1
    with hub.store.read() as conn:
        assert [h["void_uuid"] for h in held_voids.list_held_voids(conn)
                if h["household_id"] == household] == [void.uuid]
    return entry.uuid, void.uuid


def _collected(cli, url: str) -> int:  # type: ignore[no-untyped-def]
    r = cli("hub", "progress", "--db", url, "--json")
    assert r.code == 0, r.err
    (event,) = r.json["events"]
    return int(event["total"]["collected"])


def _overview_collected(ov: Overview) -> int:
    (event,), _ = ov.snapshot()
    return event.total.collected


def test_a_held_void_accepted_in_the_console_reaches_the_desks(
        hub: ThreadHub, desks: tuple[Site, Site], cli, hub_db_url: str) -> None:
    a, b = desks
    voided, void = _held_void(hub, a, b, "KPM-0001")
    ov = Overview(hub.store)
    # Held: it changes no count, in the console's overview nor in the CLI.
    assert _collected(cli, hub_db_url) == 1 == _overview_collected(ov)

    # A supervisor of another site sees nothing and may not decide it.
    other = login(hub.url, "spv.kranji", "sandi-kranji-1")
    assert void not in other.get("/voids").text
    r = other.post(f"/voids/{void}/decide", data={
        "csrf": csrf_of(other, "/voids"), "decision": "accept", "reason": "bukan urusan saya"})
    assert r.status_code == 403

    # The site's supervisor sees the void beside the voided hand-over.
    client = login(hub.url, SUPERVISOR, SUPERVISOR_PW)
    page = client.get("/voids").text
    assert f'data-void="{void}"' in page and f'data-uuid="{voided}"' in page
    assert "salah kartu, diganti" in page  # the desk's reason
    assert "SPV01" in page and "PTG01" in page  # approver and the hand-over's officer
    assert "3275014101000001" not in page  # NIK masked
    token = csrf_of(client, "/voids")
    # No CSRF token: refused; too short a reason: refused; nothing decided.
    assert client.post(f"/voids/{void}/decide",
                       data={"decision": "accept", "reason": "kartu benar"}).status_code == 403
    r = client.post(f"/voids/{void}/decide",
                    data={"csrf": token, "decision": "accept", "reason": "ok"})
    assert r.status_code == 200 and 'id="decide-error"' in r.text
    # The supervisor who approved it at the desk cannot accept it here (four eyes).
    same = login(hub.url, "SPV01", "sandi-spv01-1")
    r = same.post(f"/voids/{void}/decide", data={
        "csrf": csrf_of(same, "/voids"), "decision": "accept", "reason": "saya setuju"})
    assert r.status_code == 200 and 'id="decide-error"' in r.text
    with hub.store.read() as conn:
        assert held_voids.get_held_void(conn, void_uuid=void)["status"] == "pending"
    sync_service.sync_now(site=a)
    assert _verdict(a, "KPM-0001") == "ALREADY_COLLECTED"

    r = client.post(f"/voids/{void}/decide", data={
        "csrf": token, "decision": "accept", "reason": "Kartu KKS ditukar, sudah dicek"})
    assert r.status_code == 303 and "held_void_accepted" in r.headers["location"]
    with hub.store.read() as conn:
        row = held_voids.get_held_void(conn, void_uuid=void)
        t = ConsoleAudit.__table__
        audit = conn.execute(select(t.c.account_id, t.c.detail)
                             .where(t.c.action == "held_void_decided")).all()
    assert (row["status"], row["decided_by"], row["note"]) == (
        "accepted", SUPERVISOR, "Kartu KKS ditukar, sudah dicek")
    assert [(acc, json.loads(d)["void"], json.loads(d)["decision"]) for acc, d in audit] == [
        (SUPERVISOR, void, "accepted")]
    # Decided: off the pending list, on the full one; deciding again is refused.
    assert f'data-void="{void}"' not in client.get("/voids").text
    assert 'data-status="accepted"' in client.get("/voids?show=all").text
    r = client.post(f"/voids/{void}/decide",
                    data={"csrf": token, "decision": "reject", "reason": "berubah pikiran"})
    assert r.status_code == 200 and 'id="decide-error"' in r.text
    # It flows to desk A like an acceptance on the CLI, and counts from now on.
    sync_service.sync_now(site=a)
    assert _verdict(a, "KPM-0001") == "ELIGIBLE"
    assert _collected(cli, hub_db_url) == 0 == _overview_collected(ov)
    assert _overview_collected(Overview(hub.store)) == 0  # a cold start counts the same


def test_a_held_void_rejected_in_the_console_stays_unapplied(
        hub: ThreadHub, desks: tuple[Site, Site], cli, hub_db_url: str) -> None:
    a, b = desks
    _, void = _held_void(hub, a, b, "KPM-0002")
    client = login(hub.url)  # an administrator sees every site
    r = client.post(f"/voids/{void}/decide", data={
        "csrf": csrf_of(client, "/voids"), "decision": "reject",
        "reason": "Penerima hadir dan tanda tangan cocok"})
    assert r.status_code == 303
    with hub.store.read() as conn:
        assert held_voids.get_held_void(conn, void_uuid=void)["status"] == "rejected"
    sync_service.sync_now(site=a)
    assert _verdict(a, "KPM-0002") == "ALREADY_COLLECTED"
    assert _collected(cli, hub_db_url) == 1 == _overview_collected(Overview(hub.store))
