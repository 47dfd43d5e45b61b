"""Desks syncing with a real uvicorn hub: enrolment, snapshot, push, pull, conflicts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers_hub import EVENT, ThreadHub, enrol_code, free_port, handover, seed_registry
from sqlalchemy import func, select, text, update
from sqlmodel import SQLModel

from bekasi_field.domain.errors import BekasiError
from bekasi_field.hub.models import HubEvidence, HubJournal
from bekasi_field.hub.officer_sites import unassign_officer
from bekasi_field.hub.snapshots import restamp
from bekasi_field.i18n import tr
from bekasi_field.services import officers, sync_service
from bekasi_field.services.journal import HandoverRefused, verify_journal
from bekasi_field.services.site import Site
from bekasi_field.services.verdict_engine import VerdictEngine
from bekasi_field.store.db import set_meta
from bekasi_field.sync.signing import public_hex
from bekasi_field.sync.snapshot import SnapshotRefused


@pytest.fixture
def desks(tmp_path: Path) -> Iterator[tuple[Site, Site]]:
    a, b = Site.open(tmp_path / "desk-a"), Site.open(tmp_path / "desk-b")
    yield a, b
    a.close()
    b.close()


def _enrol(hub: ThreadHub, site: Site) -> sync_service.SyncResult:
    return sync_service.sync_now(site=site, hub_url=hub.url, enrol_code=enrol_code(hub.store))


def _count(hub: ThreadHub, table: object) -> int:
    with hub.store.read() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def _verdict(site: Site, code: str) -> str:
    engine = VerdictEngine(site.db)
    try:
        return engine.check(code, event_id=EVENT).code.value
    finally:
        engine.close()


def test_enrolment_pulls_the_registry_and_officers_can_log_in_offline(
        hub: ThreadHub, desks: tuple[Site, Site]) -> None:
    seed_registry(hub.store, households=6)
    a, _ = desks
    result = _enrol(hub, a)
    # 6 households + 6 members + 1 event + 6 entitlements + 2 officers
    assert result.pulled == 21 and result.pushed == 0 and result.conflicts == 0
    assert a.db.get_meta("site_kelurahan") == "Kota Baru"
    hub.stop()  # offline from here on
    assert officers.login(a.db, officer_id="PTG01", pin="1111").role == "petugas"
    assert _verdict(a, "KPM-0003") == "ELIGIBLE"


def test_two_desks_handing_over_the_same_household_offline_give_one_conflict(
        hub: ThreadHub, desks: tuple[Site, Site], cli, hub_db_url: str) -> None:
    seed_registry(hub.store)
    a, b = desks
    _enrol(hub, a), _enrol(hub, b)
    handover(a, "KPM-0001")
    handover(b, "KPM-0001")
    ra = sync_service.sync_now(site=a)
    rb = sync_service.sync_now(site=b)
    assert (ra.pushed, ra.acked_seq, ra.conflicts) == (1, 1, 0)
    assert (rb.pushed, rb.acked_seq, rb.conflicts) == (1, 1, 1)
    assert rb.pulled == 1  # a's hand-over came back to b
    assert _count(hub, HubJournal.__table__) == 2
    r = cli("hub", "conflicts", "--db", hub_db_url, "--json")
    assert r.code == 0, r.err
    conflicts = r.json["conflicts"]
    assert [(c["event_id"], c["household_id"], len(c["entries"])) for c in conflicts] == [
        (EVENT, "KPM-0001", 2)]
    r = cli("hub", "conflicts", "--db", hub_db_url, "--reviewed", str(conflicts[0]["id"]),
            "--json")
    assert r.code == 0 and r.json["conflicts"] == []
    r = cli("hub", "conflicts", "--db", hub_db_url, "--all", "--json")
    assert [c["status"] for c in r.json["conflicts"]] == ["reviewed"]
    assert cli("hub", "conflicts", "--db", hub_db_url, "--reviewed", "999").code == 3
    assert sync_service.pending_count(a.db) == sync_service.pending_count(b.db) == 0
    sync_service.sync_now(site=a)
    for desk in (a, b):  # each desk holds both hand-overs, and both chains check out
        assert verify_journal(desk.db).ok and verify_journal(desk.db).entries == 2
        status = sync_service.sync_status(desk.db)
        assert status.enrolled and status.pending == 0 and status.last_sync_at


def test_a_handover_on_one_desk_is_already_collected_on_the_other(
        hub: ThreadHub, desks: tuple[Site, Site]) -> None:
    seed_registry(hub.store)
    a, b = desks
    _enrol(hub, a), _enrol(hub, b)
    handover(a, "KPM-0002", photo=b"\x89PNG fake photo bytes")
    assert sync_service.pending_count(a.db) == 1
    sync_service.sync_now(site=a)
    assert sync_service.pending_count(a.db) == 0
    assert _verdict(b, "KPM-0002") == "ELIGIBLE"
    assert sync_service.sync_now(site=b).pulled == 1
    assert _verdict(b, "KPM-0002") == "ALREADY_COLLECTED"
    with pytest.raises(HandoverRefused):
        handover(b, "KPM-0002")
    assert _count(hub, HubEvidence.__table__) == 1  # the photo went up by its hash
    again = sync_service.sync_now(site=a)
    assert (again.pushed, again.pulled) == (0, 0)


def test_a_delta_carries_only_what_changed(hub: ThreadHub, desks: tuple[Site, Site]) -> None:
    seed_registry(hub.store)
    a, _ = desks
    first = _enrol(hub, a)
    households = SQLModel.metadata.tables["households"]
    with hub.store.engine.begin() as conn:
        conn.execute(update(households).where(households.c.id == "KPM-0003")
                     .values(address="Jl. Kenanga 9"))
    seed_registry(hub.store, households=2, first=100)  # 2 households, members, entitlements
    result = sync_service.sync_now(site=a)
    assert result.pulled == 7 and result.snapshot_version > first.snapshot_version
    conn = a.db.raw()
    try:
        assert conn.execute("SELECT address FROM households WHERE id = 'KPM-0003'"
                            ).fetchone()[0] == "Jl. Kenanga 9"
        assert conn.execute("SELECT count(*) FROM households").fetchone()[0] == 8
    finally:
        conn.close()
    assert sync_service.sync_now(site=a).pulled == 0


def test_a_snapshot_with_a_bad_signature_is_not_applied(
        hub: ThreadHub, desks: tuple[Site, Site]) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    seed_registry(hub.store)
    a, _ = desks
    _enrol(hub, a)
    version = a.db.get_meta("snapshot_version")
    with a.db.transaction() as conn:  # the desk pinned another key: an impostor hub
        set_meta(conn, "hub_public_key", public_hex(Ed25519PrivateKey.generate()))
    with hub.store.engine.begin() as conn:
        conn.execute(text("UPDATE households SET address = 'X' WHERE id = 'KPM-0001'"))
    with hub.store.write() as conn:
        restamp(hub.store, conn)
    with pytest.raises(SnapshotRefused):
        sync_service.sync_now(site=a)
    assert a.db.get_meta("snapshot_version") == version
    assert _verdict(a, "KPM-0001") == "ELIGIBLE"  # the old snapshot still works


def test_cli_sync_enrols_and_answers_json_and_a_dead_hub_is_exit_3(
        hub: ThreadHub, cli, home: Path, hub_db_url: str) -> None:
    seed_registry(hub.store)
    made = cli("hub", "enrol-code", "--db", hub_db_url, "--site", "Kota Baru", "--json")
    r = cli("sync", "--hub", hub.url, "--enrol", made.json["code"], "--json")
    assert r.code == 0, r.err
    assert r.json["hub_key_fingerprint"] == made.json["hub_key_fingerprint"]
    assert {"pushed", "acked_seq", "pulled", "conflicts"} <= r.json.keys()
    assert r.json["pulled"] > 0
    devices = cli("hub", "devices", "--db", hub_db_url, "--json").json["devices"]
    assert [d["id"] for d in devices] == [r.json["device_id"]]
    with Site.open(home) as site:
        handover(site, "KPM-0004")
    hub.stop()
    r = cli("sync", "--attempts", "2", "--timeout", "2", "--json")
    assert r.code == 3 and "tidak menjawab" in r.err and "Traceback" not in r.err
    with Site.open(home) as site:
        assert sync_service.pending_count(site.db) == 1  # nothing lost


def test_sync_without_enrolment_or_with_a_bad_code_is_refused(cli) -> None:
    r = cli("sync", "--hub", f"http://127.0.0.1:{free_port()}")
    assert r.code == 3 and "belum terdaftar" in r.err


def test_a_bad_enrolment_code_is_a_clear_error(hub: ThreadHub, cli) -> None:
    r = cli("sync", "--hub", hub.url, "--enrol", "AAAA-BBBB-CCCC")
    assert r.code == 3 and "Kode pendaftaran" in r.err


def test_sync_service_refuses_while_not_enrolled(desks: tuple[Site, Site]) -> None:
    with pytest.raises(BekasiError) as refused:
        sync_service.sync_now(site=desks[0])
    assert refused.value.message == tr("sync.no_hub")  # no hub address yet, nothing sent


def test_a_revoked_desk_is_told_so_and_keeps_its_entries(
        hub: ThreadHub, desks: tuple[Site, Site], cli) -> None:
    seed_registry(hub.store)
    a, _ = desks
    _enrol(hub, a)
    handover(a, "KPM-0005")
    from bekasi_field.hub import crud
    with hub.store.write() as conn:
        crud.revoke_device(conn, a.device_id)
    with pytest.raises(BekasiError, match="dicabut"):
        sync_service.sync_now(site=a)
    assert sync_service.pending_count(a.db) == 1


def test_rows_deleted_on_the_hub_disappear_from_the_desk(
        hub: ThreadHub, desks: tuple[Site, Site]) -> None:
    seed_registry(hub.store)
    a, _ = desks
    _enrol(hub, a)
    with hub.store.engine.begin() as conn:
        for sql in ("DELETE FROM entitlements WHERE household_id = 'KPM-0006'",
                    "DELETE FROM members WHERE household_id = 'KPM-0006'",
                    "DELETE FROM households WHERE id = 'KPM-0006'"):
            conn.execute(text(sql))
    with hub.store.write() as conn:
        restamp(hub.store, conn)
    # Deleted people's keys never travel in a delta (they could be another site's): the desk
    # gets its site's registry in full instead, and the rows are gone all the same.
    assert sync_service.sync_now(site=a).pulled_registry > 3
    assert _verdict(a, "KPM-0006") == "UNKNOWN"
    conn = a.db.raw()
    try:
        assert conn.execute("SELECT COUNT(*) FROM households").fetchone()[0] == 5
        assert conn.execute("SELECT COUNT(*) FROM members WHERE household_id = 'KPM-0006'"
                            ).fetchone()[0] == 0
    finally:
        conn.close()


def test_quarantined_pushes_are_listed_for_review(hub: ThreadHub, desks: tuple[Site, Site],
                                                   cli, hub_db_url: str) -> None:
    seed_registry(hub.store)
    a, _ = desks
    _enrol(hub, a)
    for code in ("KPM-0001", "KPM-0002"):
        handover(a, code)
    with a.db.transaction() as conn:  # someone edits a stored hand-over behind the app's back
        conn.execute("UPDATE journal SET officer_id = 'SPV01' WHERE seq = 2")
    # The desk itself refuses to push a journal that fails verify (tests/security/
    # test_broken_journal.py); a client that skips that check meets the hub's.
    with pytest.raises(sync_service.JournalBroken):
        sync_service.sync_now(site=a)
    result = sync_service.sync_now(site=a, verify=False)
    # the whole batch is held back, never merged in part
    assert (result.pushed, result.acked_seq, result.refused) == (0, 0, 2)
    assert sync_service.pending_count(a.db) == 2
    r = cli("hub", "quarantine", "--db", hub_db_url, "--json")
    assert [(q["problem"], q["seq"]) for q in r.json["quarantine"]] == [("edited", 2)]


def test_cli_sync_exits_3_when_the_hub_holds_entries_back(hub: ThreadHub, cli,
                                                          home: Path) -> None:
    seed_registry(hub.store)
    assert cli("sync", "--hub", hub.url, "--enrol", enrol_code(hub.store)).code == 0
    with Site.open(home) as site:
        handover(site, "KPM-0001")
    with hub.store.write() as conn:  # the officer no longer serves the site: held back
        unassign_officer(conn, officer_id="PTG01", site="Kota Baru")
    r = cli("sync", "--json")
    assert r.code == 3 and r.json["refused"] == 1 and "menolak 1 entri" in r.err
