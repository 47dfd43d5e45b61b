"""A city hub's snapshot applied to a site hub on PostgreSQL (SQLAlchemy Core).

sync/snapshot.py applies snapshots to SQLite files through the raw driver (a desk, a SQLite site
hub). A site hub on PostgreSQL takes the same payload here, with the same rules: one
transaction (the caller's), parents before children, a full snapshot replaces the registry, a
delta deletes and upserts by primary key, officers missing from a full snapshot are switched off
(their PIN hashes go) and never deleted, a changed officer's lockout resets. Values are turned
into the column's Python type first (a SQLite city sends booleans as 0/1 and dates as text).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Table, delete, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import SQLModel

from bekasi_field.i18n import tr
from bekasi_field.sync.snapshot import PRIMARY_KEYS, TABLE_ORDER, SnapshotRefused

CHUNK = 2000  # rows per INSERT ... ON CONFLICT statement


def _converter(table: Table, name: str) -> Any:
    try:
        kind = table.c[name].type.python_type
    except NotImplementedError:
        return None
    if kind is bool:
        return lambda v: v if v is None else bool(v)
    if kind is dt.date:
        return lambda v: dt.date.fromisoformat(str(v)[:10]) if isinstance(v, str) else v
    if kind is dt.datetime:
        return lambda v: dt.datetime.fromisoformat(v) if isinstance(v, str) else v
    return None


def _rows(table: Table, cols: list[str], rows: list[list[Any]]) -> list[dict[str, Any]]:
    convert = [(i, c, _converter(table, c)) for i, c in enumerate(cols)]
    return [{c: (f(r[i]) if f is not None else r[i]) for i, c, f in convert} for r in rows]


def apply_snapshot_core(conn: Connection, payload: dict[str, Any]) -> int:
    """Apply inside the caller's transaction; the number of rows written or deleted."""
    meta = SQLModel.metadata.tables
    tables: dict[str, Any] = payload.get("tables", {})
    if set(tables) - set(TABLE_ORDER):
        raise SnapshotRefused(tr("sync.snapshot_malformed"))
    changed = 0
    if payload.get("full"):
        officers = tables.get("officers", {})
        keep = ({r[officers["columns"].index("id")] for r in officers.get("rows", [])}
                if officers.get("rows") else set())
        for name in reversed(TABLE_ORDER):
            t = meta[name]
            if name == "officers":
                known = set(conn.execute(select(t.c.id)).scalars())
                for gone in sorted(known - keep):
                    conn.execute(update(t).where(t.c.id == gone).values(active=False,
                                                                        pin_hash=""))
                continue
            changed += conn.execute(delete(t)).rowcount or 0
    else:
        for name in reversed(TABLE_ORDER):
            keys = payload.get("deleted", {}).get(name, [])
            if not keys:
                continue
            t = meta[name]
            key_col = t.c[PRIMARY_KEYS[name]]
            for i in range(0, len(keys), CHUNK):
                part = keys[i:i + CHUNK]
                if name == "officers":
                    conn.execute(update(t).where(key_col.in_(part)).values(active=False))
                else:
                    conn.execute(delete(t).where(key_col.in_(part)))
            changed += len(keys)
    for name in TABLE_ORDER:
        part = tables.get(name)
        if not part or not part.get("rows"):
            continue
        t = meta[name]
        cols: list[str] = part["columns"]
        pk = PRIMARY_KEYS[name]
        if not set(cols) <= set(t.c.keys()) or pk not in cols \
                or any(len(r) != len(cols) for r in part["rows"]):
            raise SnapshotRefused(tr("sync.snapshot_malformed"))
        rows = _rows(t, cols, part["rows"])
        for i in range(0, len(rows), CHUNK):
            chunk = rows[i:i + CHUNK]
            if name == "officers":  # a changed PIN or role resets the lockout kept here
                chunk = [{**r, "failed_attempts": 0} for r in chunk]
            stmt = pg_insert(t).values(chunk)
            updates: dict[str, Any] = {c: stmt.excluded[c] for c in cols if c != pk}
            if name == "officers":
                updates.update(failed_attempts=0, locked_until=None)
            conn.execute(stmt.on_conflict_do_update(index_elements=[t.c[pk]], set_=updates))
        changed += len(rows)
    for name in ("entitlements", "person_entitlements"):  # serial keys: past the city's ids
        if tables.get(name, {}).get("rows"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                              f"COALESCE((SELECT max(id) FROM {name}), 0) + 1, false)"))
    return changed
