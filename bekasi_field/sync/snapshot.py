"""Applying a hub snapshot (full or delta) to a device database, after checking its signature.

The whole snapshot goes in one transaction on the caller's connection: an interrupted pull
leaves the previous snapshot in place and working.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr
from bekasi_field.sync.signing import verify

SNAPSHOT_FORMAT = 1
# Parents before children for inserts; the reverse for deletes.
TABLE_ORDER: tuple[str, ...] = (
    "households", "members", "events", "entitlements", "person_entitlements", "officers",
    "issuer_keys", "revoked_slips",
)
PRIMARY_KEYS = {
    "households": "id", "members": "nik", "events": "id", "entitlements": "id",
    "person_entitlements": "id", "officers": "id", "issuer_keys": "key_id",
    "revoked_slips": "slip_serial",
}


class SnapshotRefused(BekasiError):
    """A snapshot whose signature, format or content does not check out; nothing applied."""


def verify_snapshot(body: bytes, signature: str, *, public_key: str) -> dict[str, Any]:
    if not signature or not verify(public_key, body, signature):
        raise SnapshotRefused(tr("sync.snapshot_bad_signature"))
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise SnapshotRefused(tr("sync.snapshot_malformed")) from exc
    if not isinstance(payload, dict) or payload.get("format") != SNAPSHOT_FORMAT:
        raise SnapshotRefused(tr("sync.snapshot_malformed"))
    return payload


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}


def apply_snapshot(conn: sqlite3.Connection, payload: dict[str, Any]) -> int:
    """Apply inside the caller's transaction; returns the number of rows written or deleted."""
    tables: dict[str, Any] = payload.get("tables", {})
    unknown = set(tables) - set(TABLE_ORDER)
    if unknown:
        raise SnapshotRefused(tr("sync.snapshot_malformed"))
    changed = 0
    if payload.get("full"):
        keep_officers = {r[tables["officers"]["columns"].index("id")]
                         for r in tables.get("officers", {}).get("rows", [])}
        for name in reversed(TABLE_ORDER):
            if name == "officers":
                # Officers missing from the hub's list (not of this site, or gone) are switched
                # off, not deleted: old journal entries still name them. Their PIN hashes go:
                # a desk keeps no hash it cannot use.
                known = [r[0] for r in conn.execute("SELECT id FROM officers")]
                gone = [(o,) for o in known if o not in keep_officers]
                conn.executemany("UPDATE officers SET active = 0, pin_hash = '' WHERE id = ?",
                                 gone)
                continue
            changed += conn.execute(f"DELETE FROM {name}").rowcount
    else:
        for name in reversed(TABLE_ORDER):
            keys = payload.get("deleted", {}).get(name, [])
            if not keys:
                continue
            if name == "officers":
                conn.executemany("UPDATE officers SET active = 0 WHERE id = ?",
                                 [(k,) for k in keys])
            else:
                conn.executemany(f"DELETE FROM {name} WHERE {PRIMARY_KEYS[name]} = ?",
                                 [(k,) for k in keys])
            changed += len(keys)
    for name in TABLE_ORDER:
        part = tables.get(name)
        if not part or not part.get("rows"):
            continue
        cols: list[str] = part["columns"]
        if not set(cols) <= _columns(conn, name) or PRIMARY_KEYS[name] not in cols \
                or any(len(r) != len(cols) for r in part["rows"]):
            raise SnapshotRefused(tr("sync.snapshot_malformed"))
        pk = PRIMARY_KEYS[name]
        updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c != pk)
        if name == "officers":
            # A changed PIN or role resets the desk's lockout; the lockout itself stays local.
            updates += ", failed_attempts = 0, locked_until = NULL"
            extra_cols, extra_vals = ", failed_attempts", ", 0"
        else:
            extra_cols, extra_vals = "", ""
        sql = (f"INSERT INTO {name} ({', '.join(cols)}{extra_cols}) "
               f"VALUES ({', '.join('?' for _ in cols)}{extra_vals}) "
               f"ON CONFLICT({pk}) DO UPDATE SET {updates}")
        conn.executemany(sql, part["rows"])
        changed += len(part["rows"])
    return changed
