"""Edits behind the app's back (SQL on the file) are caught by `journal verify`, naming the
first bad entry: an edited field, a deleted middle or last row, swapped rows, a re-hashed row."""

from __future__ import annotations

import pytest
import small_site as h

from bekasi_field.domain.journal_chain import entry_hash
from bekasi_field.domain.journal_entry import new_entry
from bekasi_field.services import journal


@pytest.fixture
def recorded(world):
    """Five own entries: four hand-overs and a void; plus the uuids by seq."""
    site = world.site
    ident = journal.IdentityCheck(ktp_seen=True)
    for label in ("ok", "kranji", "second", "third"):
        journal.record_handover(site=site, event_id=h.EVENT, code=world.niks[label],
                                officer_id="P1", identity=ident)
    first = _row(site, 1)
    journal.void_entry(site=site, entry_uuid=first["uuid"], supervisor_id="S1", reason="salah")
    assert journal.verify_journal(site.db).ok
    return world


def _row(site, seq: int) -> dict:
    conn = site.db.raw()
    conn.row_factory = __import__("sqlcipher3.dbapi2", fromlist=["Row"]).Row
    try:
        return dict(conn.execute("SELECT * FROM journal WHERE seq = ?", (seq,)).fetchone())
    finally:
        conn.close()


def _sql(site, *statements: tuple) -> None:
    conn = site.db.raw()
    try:
        for stmt in statements:
            conn.execute(*stmt)
    finally:
        conn.close()


def _bad(site) -> tuple[int, str, str | None]:
    result = journal.verify_journal(site.db)
    assert not result.ok and result.entries >= 4
    bad = result.first_bad
    assert bad is not None and bad.device_id == site.device_id
    return bad.seq, bad.problem, bad.uuid


@pytest.mark.parametrize(("column", "value"), [
    ("officer_id", "P2"), ("household_id", "KPM-00004"), ("is_proxy", 1),
    ("created_at", "2026-01-01T00:00:00.000Z"), ("verdict", "WRONG_SITE")])
def test_edited_field(recorded, column, value) -> None:
    site = recorded.site
    uuid = _row(site, 3)["uuid"]
    _sql(site, (f"UPDATE journal SET {column} = ? WHERE seq = 3", (value,)))
    assert _bad(site) == (3, "edited", uuid)


def test_deleted_middle_row(recorded) -> None:
    site = recorded.site
    _sql(site, ("DELETE FROM journal WHERE seq = 3",))
    seq, problem, _ = _bad(site)
    assert (seq, problem) == (3, "gap")


def test_deleted_last_row(recorded) -> None:
    site = recorded.site
    _sql(site, ("DELETE FROM journal WHERE seq = 5",))
    assert _bad(site)[:2] == (5, "tail_missing")


def test_deleted_last_row_stays_visible_after_the_next_handover(recorded) -> None:
    site = recorded.site
    _sql(site, ("DELETE FROM journal WHERE seq = 5",))
    [fresh] = h.add_households(site, 1)
    entry = journal.record_handover(site=site, event_id=h.EVENT, code=fresh, officer_id="P1")
    assert entry.seq == 6  # the seq of the deleted row is not reused: the hole remains
    assert _bad(site)[:2] == (5, "gap")


def test_swapped_rows(recorded) -> None:
    site = recorded.site
    _sql(site, ("UPDATE journal SET seq = -1 WHERE seq = 2",),
         ("UPDATE journal SET seq = 2 WHERE seq = 4",),
         ("UPDATE journal SET seq = 4 WHERE seq = -1",))
    seq, problem, _ = _bad(site)
    assert (seq, problem) == (2, "broken_link")


def test_rehashed_row_without_fixing_the_next_link(recorded) -> None:
    site = recorded.site
    row = _row(site, 3)
    row["officer_id"] = "P2"
    row["hash"] = entry_hash(row)
    _sql(site, ("UPDATE journal SET officer_id = ?, hash = ? WHERE seq = 3",
                (row["officer_id"], row["hash"])))
    assert _bad(site) == (4, "broken_link", _row(site, 4)["uuid"])


def test_rehashed_last_row(recorded) -> None:
    site = recorded.site
    row = _row(site, 5)
    row["reason"] = "tidak ada"
    row["hash"] = entry_hash(row)
    _sql(site, ("UPDATE journal SET reason = ?, hash = ? WHERE seq = 5",
                (row["reason"], row["hash"])))
    assert _bad(site) == (5, "head_mismatch", row["uuid"])


def test_removed_head(recorded) -> None:
    site = recorded.site
    _sql(site, ("DELETE FROM meta WHERE key = 'journal_head'",))
    assert _bad(site)[:2] == (5, "head_missing")


def test_cli_reports_the_first_bad_entry_and_exits_3(recorded, cli) -> None:
    site = recorded.site
    uuid = _row(site, 2)["uuid"]
    _sql(site, ("UPDATE journal SET recipient_name = 'X' WHERE seq = 2",))
    r = cli("journal", "verify", "--json")
    assert r.code == 3
    assert r.json == {"ok": False, "entries": 5, "first_bad": {
        "device_id": site.device_id, "seq": 2, "uuid": uuid, "problem": "edited"}}
    r = cli("journal", "verify")
    assert r.code == 3 and "TIDAK UTUH" in r.out and "edited" in r.out


def _foreign(site, seq: int, prev: str, **changes) -> dict:
    import uuid as uuidlib

    e = new_entry(
         uuid=str(uuidlib.uuid4()), device_id="hubdesk0002", seq=seq,
         kind="handover", event_id=h.EVENT, household_id=f"KPM-X{seq}",
         officer_id="P7", site="Kranji", recipient_nik=None, recipient_name=None,
         is_proxy=False, proxy_name=None, proxy_nik=None, proxy_relationship=None,
         proxy_letter_seen=False, identity="{}", evidence="{}", code_kind="slip",
         scanned_code="", verdict="ELIGIBLE", override_by=None, voids_uuid=None,
         reason=None, created_at="2026-11-23T01:00:00.000Z", prev_hash=prev)
    e["hash"] = entry_hash(e)
    e.update(changes)
    cols = [*e, "received_at"]
    sql = f"INSERT INTO journal ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
    _sql(site, (sql, [*e.values(), "2026-11-23T02:00:00Z"]))
    return e


def test_entries_learned_from_another_device_are_checked_too(recorded) -> None:
    site = recorded.site
    # A partial range (seq 7-8 of another desk) is fine: links are checked where adjacent.
    a = _foreign(site, 7, "f" * 64)
    _foreign(site, 8, a["hash"])
    assert journal.verify_journal(site.db).ok
    bad = _foreign(site, 12, "e" * 64, officer_id="P8")  # edited after hashing
    result = journal.verify_journal(site.db)
    assert not result.ok and result.first_bad is not None
    assert (result.first_bad.device_id, result.first_bad.seq, result.first_bad.problem,
            result.first_bad.uuid) == ("hubdesk0002", 12, "edited", bad["uuid"])


def test_garbled_head_is_reported_and_the_desk_keeps_working(recorded) -> None:
    site = recorded.site
    _sql(site, ("UPDATE meta SET value = 'rubbish' WHERE key = 'journal_head'",))
    assert _bad(site)[1] == "head_mismatch"
    [fresh] = h.add_households(site, 1)
    entry = journal.record_handover(site=site, event_id=h.EVENT, code=fresh, officer_id="P1")
    assert entry.seq == 6 and journal.verify_journal(site.db).ok  # the new head is sound
