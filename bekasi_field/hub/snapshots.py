"""Registry versions and snapshots on the hub.

Every registry row carries `version`, the hub snapshot version at which its content last changed.
restamp() finds what changed since the last stamp by a digest per row (so it works whatever the
shared importer or event code does to `version`), bumps the hub's counter once and stamps the
changed rows; deletions become tombstones. A delta is then "rows with version > the device's".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

from sqlalchemy import Connection, Table, bindparam, select
from sqlmodel import SQLModel

from bekasi_field.hub.models import HubRowStamp
from bekasi_field.hub.scope import PERSONAL_TABLES, SiteScope, table_filter
from bekasi_field.hub.store import REGISTRY_TABLES, HubStore

log = logging.getLogger(__name__)

SNAPSHOT_FORMAT = 1
# Columns that belong to the desk, not the registry: never shipped, never stamped.
LOCAL_COLUMNS = {"officers": {"failed_attempts", "locked_until"}}


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def pk_column(name: str) -> str:
    return _table(name).primary_key.columns.values()[0].name


def shipped_columns(name: str) -> list[str]:
    skip = LOCAL_COLUMNS.get(name, set())
    return [c.name for c in _table(name).columns if c.name not in skip]


def _plain(v: Any) -> Any:
    if isinstance(v, dt.date | dt.datetime):
        return v.isoformat()
    return v


def _digest(row: tuple[Any, ...]) -> str:
    # repr of the row's values as this database hands them back: stable for one hub database,
    # which is all a stamp is compared against (and several times faster than JSON).
    return hashlib.blake2b(repr(row).encode(), digest_size=16).hexdigest()


def restamp(store: HubStore, conn: Connection,
            tables: tuple[str, ...] = REGISTRY_TABLES) -> int:
    """Stamp rows changed since the last call with a new snapshot version; returns it.

    `tables` narrows the scan to what a job can have touched (a roster import: households
    and members); the default looks at the whole registry.
    """
    st = HubRowStamp.__table__
    current = int(store.meta(conn, "snapshot_version") or 0)
    new_version = current + 1
    changed_any = False
    for name in tables:
        t, pk = _table(name), pk_column(name)
        cols = shipped_columns(name)
        vpos, kpos = cols.index("version"), cols.index(pk)
        stamps = {r.pk: r for r in conn.execute(select(st).where(st.c.tbl == name))}
        seen: set[str] = set()
        changed: list[str] = []
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        fix_version: list[dict[str, Any]] = []
        for row in conn.execute(select(*[t.c[c] for c in cols])):
            key = str(row[kpos])
            seen.add(key)
            d = _digest(tuple(row[:vpos]) + tuple(row[vpos + 1:]))
            old = stamps.get(key)
            if old is None:
                changed.append(key)
                inserts.append({"tbl": name, "pk": key, "digest": d, "version": new_version,
                                "deleted": False})
            elif old.digest != d or old.deleted:
                changed.append(key)
                updates.append({"b_pk": key, "b_digest": d})
            elif row[vpos] != old.version:
                fix_version.append({"k": row[kpos], "v": old.version})
        gone = [k for k, s in stamps.items() if k not in seen and not s.deleted]
        if inserts:
            conn.execute(st.insert(), inserts)
        if updates:
            conn.execute(st.update().where(st.c.tbl == name, st.c.pk == bindparam("b_pk"))
                         .values(digest=bindparam("b_digest"), version=new_version,
                                 deleted=False), updates)
        if gone:
            conn.execute(st.update().where(st.c.tbl == name, st.c.pk == bindparam("b_pk"))
                         .values(version=new_version, deleted=True), [{"b_pk": k} for k in gone])
        typed = [_pk_value(name, k) for k in changed]
        for i in range(0, len(typed), 500):
            conn.execute(t.update().where(t.c[pk].in_(typed[i:i + 500]))
                         .values(version=new_version))
        if fix_version:
            conn.execute(t.update().where(t.c[pk] == bindparam("k"))
                         .values(version=bindparam("v")), fix_version)
        if changed or gone:
            changed_any = True
            log.info("registry %s: %d changed, %d deleted -> version %d",
                     name, len(changed), len(gone), new_version)
    if not changed_any:
        return current
    store.set_meta(conn, "snapshot_version", str(new_version))
    return new_version


def _pk_value(name: str, key: str) -> Any:
    return int(key) if name in ("entitlements", "person_entitlements") else key


def build_snapshot(store: HubStore, conn: Connection, *, since: int = 0,
                   hub_id: str | None = None, scope: SiteScope | None = None,
                   device_scope: str | None = None) -> dict[str, Any]:
    """The registry as a delta since `since`, or in full when the device has nothing usable.

    With `scope` (a device's site, hub/scope.py) only what that site needs; a device whose last
    snapshot was of another scope (`device_scope`, the digest it holds) gets it in full, and so
    does one whose delta would carry deleted keys of people (those could be anyone's)."""
    own_id = store.meta(conn, "hub_id")
    version = int(store.meta(conn, "snapshot_version") or 0)
    full = since <= 0 or (hub_id is not None and hub_id != own_id) or since > version
    st = HubRowStamp.__table__
    if scope is not None and not full:
        full = device_scope != scope.digest or conn.execute(select(st.c.pk).where(
            st.c.tbl.in_(PERSONAL_TABLES), st.c.deleted, st.c.version > since)
            .limit(1)).first() is not None
    base = 0 if full else since
    tables: dict[str, Any] = {}
    deleted: dict[str, list[Any]] = {}
    for name in REGISTRY_TABLES:
        t, cols = _table(name), shipped_columns(name)
        q = select(*[t.c[c] for c in cols]).order_by(t.c[pk_column(name)])
        where = table_filter(scope, name, t, base=base) if scope is not None else None
        if where is not None:
            q = q.where(where)  # a scoped delta's filter carries the version itself
        elif not full:
            q = q.where(t.c.version > base)
        rows = [[_plain(v) for v in r] for r in conn.execute(q)]
        tables[name] = {"columns": cols, "rows": rows}
        if not full:
            keys = conn.execute(select(st.c.pk).where(
                st.c.tbl == name, st.c.deleted, st.c.version > base)).scalars().all()
            if keys:
                deleted[name] = [_pk_value(name, k) for k in keys]
    out = {"format": SNAPSHOT_FORMAT, "hub_id": own_id, "full": full, "base_version": base,
           "version": version, "tables": tables, "deleted": deleted,
           "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    if scope is not None:
        out["scope"] = scope.digest
    return out
