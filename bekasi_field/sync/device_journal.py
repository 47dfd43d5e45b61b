"""The device side of the journal exchange: read own entries to push, store others' entries."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from bekasi_field.domain.journal_entry import BOOL_FIELDS, ENTRY_COLUMNS

__all__ = ["ENTRY_COLUMNS", "count_own_after", "evidence_hashes", "insert_remote",
           "own_entries_after"]


def own_entries_after(conn: sqlite3.Connection, *, device_id: str, after: int,
                      limit: int) -> list[dict[str, Any]]:
    cur = conn.execute(
        f"SELECT {', '.join(ENTRY_COLUMNS)} FROM journal WHERE device_id = ? AND seq > ? "
        "ORDER BY seq LIMIT ?", (device_id, after, limit))
    out = []
    for row in cur.fetchall():
        entry = dict(zip(ENTRY_COLUMNS, row, strict=True))
        for b in BOOL_FIELDS:
            entry[b] = bool(entry[b])
        out.append(entry)
    return out


def count_own_after(conn: sqlite3.Connection, *, device_id: str, after: int) -> int:
    return int(conn.execute("SELECT count(*) FROM journal WHERE device_id = ? AND seq > ?",
                            (device_id, after)).fetchone()[0])


def insert_remote(conn: sqlite3.Connection, entries: list[dict[str, Any]], *,
                  received_at: str) -> int:
    """Store entries learned from other devices; already known ones are skipped."""
    cols = (*ENTRY_COLUMNS, "received_at")
    sql = (f"INSERT OR IGNORE INTO journal ({', '.join(cols)}) "
           f"VALUES ({', '.join('?' for _ in cols)})")
    before = conn.total_changes
    conn.executemany(sql, [tuple(e.get(c) for c in ENTRY_COLUMNS) + (received_at,)
                           for e in entries])
    return conn.total_changes - before


def remember_device_keys(conn: sqlite3.Connection, keys: dict[str, str]) -> None:
    """Public keys of other devices (from the hub), to check their entries' signatures."""
    for device_id, public_hex in keys.items():
        conn.execute("INSERT INTO devices (id, name, site_kelurahan, is_self, created_at, "
                     "public_key) VALUES (?, '', '', 0, '', ?) ON CONFLICT(id) DO UPDATE SET "
                     "public_key = excluded.public_key WHERE devices.is_self = 0",
                     (device_id, public_hex))


def evidence_hashes(entries: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    for e in entries:
        try:
            ev = json.loads(e.get("evidence") or "{}")
        except ValueError:
            continue
        if isinstance(ev, dict):
            out += [v for v in ev.values() if isinstance(v, str) and len(v) == 64]
    return out
