"""Done when: after a demo, hand-overs with photo and signature, a sync and a report, no file
under the desk's home or the hub's data dir holds a roster NIK, a name or the hub token as plain
bytes (every file, WAL and SHM included, read while the databases are open)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from helpers_hub import ThreadHub, enrol_code
from sqlalchemy import text

from bekasi_field.hub.store import HubStore
from bekasi_field.services import journal, sync_service
from bekasi_field.services.site import Site

PHOTO = b"\xff\xd8\xff\xe0 JPEG of Ibu with her KTP " + bytes(range(256)) * 20
SIGNATURE = b"\x89PNG\r\n\x1a\n signature strokes " + bytes(range(255, -1, -1)) * 8


def _files(*roots: Path) -> list[Path]:
    return sorted(p for root in roots for p in root.rglob("*") if p.is_file())


def _leaks(files: list[Path], secrets: dict[str, str]) -> list[tuple[str, str]]:
    found = []
    for path in files:
        data = path.read_bytes()
        for what, value in secrets.items():
            for form in {value.encode("utf-8"), value.encode("utf-16-le")}:
                if form in data:
                    found.append((str(path), what))
    return found


def test_no_plain_nik_name_or_token_under_the_desk_home_or_the_hub_data_dir(
        tmp_path: Path, home: Path, cli) -> None:
    hub_dir = tmp_path / "hubdata"
    hub_db = hub_dir / "hub.db"
    demo = cli("hub", "demo", "--households", "40", "--db", hub_db, "--json")
    assert demo.code == 0, demo.err
    event = demo.json["event_id"]
    petugas = next(o["id"] for o in demo.json["officers"] if o["role"] == "petugas")
    desk_demo = cli("demo", "--no-gui", "--households", "30", "--home", tmp_path / "demo-desk",
                    "--json")
    assert desk_demo.code == 0, desk_demo.err
    store = HubStore.open(hub_db)
    server = ThreadHub(store).start()
    desk = Site.open(home)
    try:
        first = sync_service.sync_now(site=desk, hub_url=server.url,
                                      enrol_code=enrol_code(store, "Kota Baru"))
        assert first.pulled > 0
        conn = desk.db.raw()
        try:
            recipients = conn.execute(
                "SELECT m.nik FROM members m JOIN entitlements e ON e.household_id = "
                "m.household_id WHERE e.event_id = ? AND m.is_recipient = 1 "
                "ORDER BY m.nik LIMIT 3", (event,)).fetchall()
        finally:
            conn.close()
        assert len(recipients) == 3
        for (nik,) in recipients:
            journal.record_handover(site=desk, event_id=event, code=nik, officer_id=petugas,
                                    identity=journal.IdentityCheck(ktp_seen=True,
                                                                   member_nik=nik),
                                    photo=PHOTO, signature=SIGNATURE)
        pushed = sync_service.sync_now(site=desk, hub_url=server.url)
        assert pushed.pushed == 3 and pushed.acked_seq == 3
        reports = tmp_path / "reports"  # the user's chosen folder, outside the home
        bast = cli("report", "bast", "--event", event, "--out", reports / "bast.pdf",
                   "--home", home)
        assert bast.code == 0, bast.err
        xlsx = cli("report", "xlsx", "--event", event, "--out", reports / "rekap.xlsx",
                   "--home", home)
        assert xlsx.code == 0, xlsx.err
        with store.read() as c:
            people = c.execute(text("SELECT nik, name FROM members")).all()
            assert c.execute(text("SELECT count(*) FROM hub_evidence")).scalar_one() == 2
        token = desk.db.get_meta("hub_token")
        assert token and len(people) > 50
        demo_conn = Site.open(tmp_path / "demo-desk", create=False)
        try:
            dconn = demo_conn.db.raw()
            people += dconn.execute("SELECT nik, name FROM members").fetchall()
            dconn.close()
        finally:
            demo_conn.close()
        secrets = {"hub token": token}
        for nik, name in people:
            secrets[f"NIK {nik}"] = nik
            if len(name) >= 6:  # shorter names are common words and byte patterns
                secrets[f"name {name}"] = name
        # Read while the desk's and the hub's connections are open: WAL and SHM exist.
        held = desk.db.raw()
        held.execute("SELECT count(*) FROM journal").fetchone()
        files = _files(home, hub_dir, tmp_path / "demo-desk", tmp_path / "hub-keys",
                       home / "hub-keys")
        names = {p.name for p in files}
        assert {"bekasi-field.db", "bekasi-field.db-wal", "bekasi-field.db-shm", "hub.db",
                "hub.db-wal", "hub.db-shm"} <= names
        leaks = _leaks(files, secrets)
        held.close()
        assert leaks == []
        control = tmp_path / "control.txt"  # the search itself finds a NIK where there is one
        control.write_text(f"x {people[0][0]} y", encoding="utf-8")
        assert _leaks([control], secrets) == [(str(control), f"NIK {people[0][0]}")]
        for db in (home / "bekasi-field.db", hub_db, tmp_path / "demo-desk" / "bekasi-field.db"):
            with pytest.raises(sqlite3.DatabaseError):
                sqlite3.connect(db).execute("SELECT count(*) FROM sqlite_master").fetchone()
        assert json.loads((home / "data-key.json").read_text())["key_id"]
    finally:
        desk.close()
        server.stop()
        store.dispose()
