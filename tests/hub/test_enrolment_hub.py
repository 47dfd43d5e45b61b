"""Enrolment events at the hub (SQLite and PostgreSQL): selection, snapshot to a desk."""

from __future__ import annotations

import sys
from pathlib import Path

from helpers_hub import ThreadHub, enrol_code
from sqlalchemy import text

from bekasi_field.services import sync_service
from bekasi_field.services.site import Site

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))

from enrolment_world import START, boundary_homes, seed


def test_hub_selects_workers_and_a_desk_gets_them_with_the_snapshot(
        hub: ThreadHub, hub_db_url: str, cli, tmp_path: Path) -> None:
    people = seed(hub.store.engine, boundary_homes())
    r = cli("hub", "event", "create", "--db", hub_db_url, "--programme", "BPJSTK", "--kind",
            "enrolment", "--site", "Kota Baru", "--serves", "Kota Baru,Kranji", "--start",
            START.isoformat(), "--quota", "3", "--id", "BPJSTK-KB", "--json")
    assert r.code == 0, r.err
    assert r.json["entitlements"] == 3
    counts = r.json["selection"]["counts"]
    assert (counts["considered"], counts["eligible"], counts["selected"]) == (10, 4, 3)
    desk = Site.open(tmp_path / "desk")
    try:
        sync_service.sync_now(site=desk, hub_url=hub.url, enrol_code=enrol_code(hub.store))
        conn = desk.db.raw()
        try:
            got = [r[0] for r in conn.execute(
                "SELECT nik FROM person_entitlements WHERE event_id = 'BPJSTK-KB' ORDER BY rank")]
            kind = conn.execute("SELECT kind, params FROM events WHERE id = 'BPJSTK-KB'"
                                ).fetchone()
            occupation = conn.execute("SELECT occupation FROM members WHERE nik = ?",
                                      (people["vendor"].nik,)).fetchone()[0]
        finally:
            conn.close()
    finally:
        desk.close()
    assert got == [people["just15"].nik, people["woman60"].nik, people["casual"].nik]
    assert kind[0] == "enrolment" and '"quota":3' in kind[1]
    assert occupation == "Pedagang Kaki Lima"
    with hub.store.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM person_entitlements")).scalar_one() == 3


def test_a_hub_database_from_before_event_kinds_gets_the_new_columns(hub_db_url: str) -> None:
    from bekasi_field.hub.store import HubStore

    store = HubStore.open(hub_db_url)
    with store.engine.begin() as conn:
        for table, col in (("events", "kind"), ("events", "params"), ("members", "occupation"),
                           ("households", "pkh_graduated_on")):
            conn.execute(text(f"ALTER TABLE {table} DROP COLUMN {col}"))
        conn.execute(text(
            "INSERT INTO events (id, name, programme, site_kelurahan, served_kelurahan, "
            "start_date, end_date, item, require_photo, require_signature, allow_proxy, "
            "status, created_at, version) VALUES ('OLD', 'old', 'KKS', 'Kota Baru', "
            "'[\"Kota Baru\"]', '2026-01-01', '2026-01-02', 'Kartu KKS', FALSE, FALSE, TRUE, "
            "'open', '', 0)"))
    store.dispose()
    store = HubStore.open(hub_db_url)
    try:
        with store.read() as conn:
            row = conn.execute(text("SELECT kind, params FROM events WHERE id = 'OLD'")).one()
            assert tuple(row) == ("handover", "{}")
            conn.execute(text("SELECT occupation, pkh_graduated_on FROM members m JOIN "
                              "households h ON h.id = m.household_id")).all()
    finally:
        store.dispose()
