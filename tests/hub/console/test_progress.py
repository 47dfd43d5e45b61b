"""The overview's numbers, kept up to date from the journal's cursor, equal `hub progress --json`
(counted from scratch by the report services) through hand-overs, proxies, doubles, voids and
held voids (counted once accepted)."""

from __future__ import annotations

import re
from typing import Any

from helpers_console import add_accounts, login
from helpers_hub import EVENT, ThreadHub, chain, key_for, seed_registry

from bekasi_field.hub import crud, held_voids
from bekasi_field.hub.console.progress import Overview
from bekasi_field.hub.store import HubStore
from bekasi_field.sync.protocol import EntryIn


class Desk:
    """A device's chain, entry by entry, pushed through the hub's ingest."""

    def __init__(self, store: HubStore, device_id: str) -> None:
        self.store, self.id, self.seq, self.prev = store, device_id, 0, "0" * 64
        with store.write() as conn:  # enrolled with its signing key, as a desk is
            code = crud.create_enrol_code(conn, site_kelurahan="Kota Baru")
            crud.enrol_device(conn, code=code, device_id=device_id, name=device_id,
                              public_key=key_for(device_id).public_hex)

    def push(self, household: str, *, kind: str = "handover", voids: str | None = None,
             proxy: bool = False, event: str = EVENT) -> dict[str, Any]:
        e = chain(self.id, 1, start_seq=self.seq + 1, prev=self.prev, household=household,
                  kind=kind, voids=voids, event=event,
                  officer="SPV01" if kind == "void" else "PTG01")[0]
        if proxy:  # re-hash with the proxy fields set
            from bekasi_field.domain.journal_chain import entry_hash
            e.update(is_proxy=True, proxy_name="Wakil", proxy_relationship="Anak")
            e["hash"] = entry_hash(e)
            e["signature"] = key_for(self.id).sign_entry(e["hash"])
        self.seq, self.prev = e["seq"], e["hash"]
        with self.store.write() as conn:
            r = crud.ingest(conn, device_id=self.id, entries=[EntryIn.model_validate(e)])
        assert r.problem is None
        return e


def _cli_totals(cli, url: str) -> dict[str, dict[str, int]]:  # type: ignore[no-untyped-def]
    r = cli("hub", "progress", "--db", url, "--json")
    assert r.code == 0, r.err
    return {ev["event_id"]: ev["total"] for ev in r.json["events"]}


def _overview_totals(ov: Overview) -> dict[str, dict[str, int]]:
    events, _ = ov.snapshot()
    return {e.id: {"allocated": e.total.allocated, "collected": e.total.collected,
                   "by_proxy": e.total.by_proxy, "remaining": e.total.remaining}
            for e in events}


def test_overview_equals_the_cli_through_every_kind_of_entry(hub_store: HubStore,
                                                              hub_db_url: str, cli) -> None:
    seed_registry(hub_store, households=12)
    ov = Overview(hub_store)
    assert _overview_totals(ov) == _cli_totals(cli, hub_db_url)
    if hub_db_url.startswith("sqlite"):  # the first count's bigger page cache is given back
        with hub_store.read() as conn:
            before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
            Overview(hub_store)._refresh(conn)
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == before
    a, b = Desk(hub_store, "DESK-A"), Desk(hub_store, "DESK-B")
    first = [a.push(f"KPM-{i:04d}", proxy=i == 2) for i in range(1, 6)]
    assert _overview_totals(ov) == _cli_totals(cli, hub_db_url)
    assert _overview_totals(ov)[EVENT] == {"allocated": 12, "collected": 5, "by_proxy": 1,
                                           "remaining": 7}
    b.push("KPM-0003")  # a double: counted once
    b.push("KPM-0002")  # a double of the proxy collection: still by proxy (the first)
    # The proxy one voided; in an open conflict the void is held: it changes nothing yet.
    void = a.push("KPM-0002", kind="void", voids=first[1]["uuid"])
    b.push("KPM-0007", proxy=True)
    totals = _overview_totals(ov)
    assert totals == _cli_totals(cli, hub_db_url)
    assert totals[EVENT] == {"allocated": 12, "collected": 6, "by_proxy": 2, "remaining": 6}
    with hub_store.write() as conn:  # accepted at the hub: now it counts (no new entry)
        held_voids.decide_held_void(conn, void_uuid=void["uuid"], accept=True,
                                    supervisor_id="SPV02")
    totals = _overview_totals(ov)
    assert totals == _cli_totals(cli, hub_db_url)
    assert totals[EVENT] == {"allocated": 12, "collected": 6, "by_proxy": 1, "remaining": 6}
    # A fresh process (cold start) counts the same.
    assert _overview_totals(Overview(hub_store)) == totals
    # Registry changes: an officer's new PIN moves nothing; a closed event leaves the page;
    # a household moving kelurahan moves its count.
    from bekasi_field.hub.snapshots import restamp
    with hub_store.write() as conn:
        conn.exec_driver_sql("UPDATE officers SET name = 'Baru' WHERE id = 'PTG01'")
        restamp(hub_store, conn)
    a.push("KPM-0008")
    assert _overview_totals(ov) == _cli_totals(cli, hub_db_url)
    with hub_store.write() as conn:
        conn.exec_driver_sql("UPDATE households SET kelurahan = 'Kranji' WHERE id = 'KPM-0001'")
        restamp(hub_store, conn)
    events, _ = ov.snapshot()
    assert {r.kelurahan: r.collected for r in events[0].rows} == {"Kota Baru": 6, "Kranji": 1}
    from bekasi_field.services import events as event_service
    event_service.create_event(hub_store.engine, programme="KKS", site_kelurahan="Kota Baru",
                               served_kelurahan=["Kota Baru"], start_date="2026-11-01",
                               end_date="2026-12-31", event_id="EV-BLT")
    with hub_store.write() as conn:
        restamp(hub_store, conn)
    a.push("KPM-0004", event="EV-BLT")
    totals = _overview_totals(ov)
    assert totals == _cli_totals(cli, hub_db_url) and totals["EV-BLT"]["collected"] == 1
    with hub_store.write() as conn:
        conn.exec_driver_sql("UPDATE events SET status = 'closed'")
        restamp(hub_store, conn)
    assert _overview_totals(ov) == {} == _cli_totals(cli, hub_db_url)


def test_overview_page_shows_the_cli_numbers(hub: ThreadHub, hub_db_url: str, cli) -> None:
    seed_registry(hub.store, households=8)
    add_accounts(hub.store)
    a = Desk(hub.store, "DESK-A")
    for i in (1, 2, 3):
        a.push(f"KPM-{i:04d}", proxy=i == 3)
    client = login(hub.url)
    html = client.get("/overview/part").text
    want = _cli_totals(cli, hub_db_url)[EVENT]
    for key, cell in (("allocated", "allocated"), ("collected", "collected"),
                      ("by_proxy", "proxy"), ("remaining", "remaining")):
        found = re.search(rf'id="total-{cell}-{EVENT}">([\d.]+)<', html)
        assert found and int(found.group(1).replace(".", "")) == want[key], key
