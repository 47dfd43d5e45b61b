"""Retention: `data purge --closed-before DATE` shows what goes, takes only synced events, needs
a supervisor, removes NIKs, names and evidence, and `journal verify` still passes (and still
catches an edit of what remains)."""

from __future__ import annotations

import json
from pathlib import Path

from helpers_hub import ThreadHub, enrol_code

from bekasi_field.hub.store import HubStore
from bekasi_field.services import journal, sync_service
from bekasi_field.services.evidence import evidence_path
from bekasi_field.services.site import Site

PHOTO = b"\xff\xd8\xff\xe0 photo " + bytes(range(256)) * 4
SIGNATURE = b"\x89PNG\r\n\x1a\n strokes " + bytes(range(200)) * 3


def test_purge_shows_removes_and_keeps_the_journal_verifiable(tmp_path: Path, home: Path,
                                                               cli) -> None:
    hub_db = tmp_path / "hubdata" / "hub.db"
    demo = cli("hub", "demo", "--households", "30", "--db", hub_db, "--json")
    assert demo.code == 0, demo.err
    event = demo.json["event_id"]
    by_role = {o["role"]: o for o in demo.json["officers"]}
    spv, ptg = by_role["supervisor"], by_role["petugas"]
    store = HubStore.open(hub_db)
    server = ThreadHub(store).start()
    try:
        with Site.open(home) as desk:
            sync_service.sync_now(site=desk, hub_url=server.url,
                                  enrol_code=enrol_code(store, "Kota Baru"))
            conn = desk.db.raw()
            try:
                niks = [r[0] for r in conn.execute(
                    "SELECT m.nik FROM members m JOIN entitlements e ON e.household_id = "
                    "m.household_id WHERE e.event_id = ? AND m.is_recipient = 1 ORDER BY m.nik "
                    "LIMIT 2", (event,))]
            finally:
                conn.close()
            for nik in niks:
                journal.record_handover(site=desk, event_id=event, code=nik,
                                        officer_id=ptg["id"], photo=PHOTO, signature=SIGNATURE,
                                        identity=journal.IdentityCheck(ktp_seen=True,
                                                                       member_nik=nik))
        base = ["data", "purge", "--closed-before", "2099-01-01", "--home", home, "--json"]
        # Not yet synced: the event and its evidence stay.
        unsynced = cli(*base, "--supervisor", spv["id"], "--pin", spv["pin"], "--yes")
        assert unsynced.code == 0, unsynced.err
        assert event in unsynced.json["kept_unsynced"] and unsynced.json["entries"] == 0
        with Site.open(home) as desk:
            assert sync_service.sync_now(site=desk, hub_url=server.url).acked_seq == 2
        # A petugas may not purge; a wrong PIN neither.
        assert cli(*base, "--supervisor", ptg["id"], "--pin", ptg["pin"], "--yes").code == 3
        assert cli(*base, "--supervisor", spv["id"], "--pin", "000000", "--yes").code == 3
        # The supervisor sees the plan first; a dry run removes nothing.
        shown = cli(*base, "--supervisor", spv["id"], "--pin", spv["pin"], "--dry-run")
        assert shown.code == 0, shown.err
        assert shown.json["removed"] is False and event in shown.json["events"]
        assert shown.json["entries"] == 2 and shown.json["evidence"] == 2
        assert shown.json["households"] >= 2 and "Akan dihapus" in shown.err
        with Site.open(home) as desk:
            conn = desk.db.raw()
            try:
                rows = conn.execute("SELECT evidence FROM journal").fetchall()
                assert conn.execute("SELECT count(*) FROM members WHERE nik IN (?, ?)",
                                    niks).fetchone()[0] == 2
            finally:
                conn.close()
            shas = {sha for (ev,) in rows for sha in json.loads(ev).values()}
            assert all(evidence_path(desk.layout.evidence_dir, s).exists() for s in shas)
        done = cli(*base, "--supervisor", spv["id"], "--pin", spv["pin"], "--yes")
        assert done.code == 0, done.err
        assert done.json["removed"] is True and done.json["households"] == shown.json["households"]
        with Site.open(home) as desk:
            conn = desk.db.raw()
            try:
                assert conn.execute("SELECT count(*) FROM members WHERE nik IN (?, ?)",
                                    niks).fetchone()[0] == 0
                left = conn.execute("SELECT recipient_nik, recipient_name, scanned_code, "
                                    "identity FROM journal").fetchall()
                assert left == [(None, None, "", "{}")] * 2
            finally:
                conn.close()
            assert not any(evidence_path(desk.layout.evidence_dir, s).exists() for s in shas)
            raw = desk.layout.database.read_bytes()
            assert all(n.encode() not in raw for n in niks)
        verified = cli("journal", "verify", "--home", home, "--json")
        assert verified.code == 0 and verified.json["ok"] is True, verified.out
        # What remains of a redacted entry is still sealed: an edit is caught.
        with Site.open(home) as desk, desk.db.transaction() as conn:
            conn.execute("UPDATE journal SET officer_id = 'SOMEONE' WHERE seq = 1")
        tampered = cli("journal", "verify", "--home", home, "--json")
        assert tampered.code == 3 and tampered.json["first_bad"]["problem"] == "edited"
    finally:
        server.stop()
        store.dispose()
