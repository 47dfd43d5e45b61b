"""Writing checked roster rows: plain sqlite3 on a device file, SQLAlchemy Core elsewhere.

Both writers hold ONE transaction from begin() to commit(); rollback() leaves the previous
snapshot exactly as it was. Rows arrive as tuples from roster_rows:
household (id, no_kk, address, rt, rw, kelurahan, kecamatan, desil, programs, status, kks_card,
content_hash) and member (nik, household_id, name, name_norm, relationship, sex, birth_date ISO,
is_recipient, content_hash, row).
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import Engine, bindparam, insert, select, update

from bekasi_field.store.db import apply_pragmas
from bekasi_field.store.models import Household, Member

log = logging.getLogger(__name__)

_HH_COLS = ("id", "no_kk", "address", "rt", "rw", "kelurahan", "kecamatan", "desil", "programs",
            "status", "kks_card", "content_hash")
_M_COLS = ("nik", "household_id", "name", "name_norm", "relationship", "sex", "birth_date",
           "is_recipient", "content_hash")
LOOKUP_CHUNK = 900  # under SQLite's default 999 bound parameters


class RosterWriter(Protocol):
    empty_at_start: bool

    def begin(self) -> None: ...
    def existing_households(self, ids: Sequence[str]) -> dict[str, str]: ...
    def existing_members(self, niks: Sequence[str]) -> dict[str, tuple[str, str]]: ...
    def insert_households(self, rows: Sequence[tuple[object, ...]]) -> None: ...
    def update_households(self, rows: Sequence[tuple[object, ...]]) -> None: ...
    def insert_members(self, rows: Sequence[tuple[object, ...]]) -> None: ...
    def update_members(self, rows: Sequence[tuple[object, ...]]) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class SqliteRosterWriter:
    """executemany on one raw connection; on an empty snapshot the secondary indexes are
    dropped and rebuilt before COMMIT (building an index once is far cheaper than 1M updates),
    all inside the same transaction."""

    def __init__(self, path: str) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        apply_pragmas(self.conn)
        self.conn.execute("PRAGMA cache_size = -131072")  # 128 MiB for this import only
        self.empty_at_start = False
        self._indexes: list[tuple[str, str]] = []

    def begin(self) -> None:
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        self.empty_at_start = (c.execute("SELECT 1 FROM households LIMIT 1").fetchone() is None
                               and c.execute("SELECT 1 FROM members LIMIT 1").fetchone() is None)
        if self.empty_at_start:
            self._indexes = c.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "AND tbl_name IN ('households', 'members')").fetchall()
            for name, _sql in self._indexes:
                c.execute(f'DROP INDEX "{name}"')

    def _lookup(self, sql: str, keys: Sequence[str]) -> list[tuple[object, ...]]:
        out: list[tuple[object, ...]] = []
        for i in range(0, len(keys), LOOKUP_CHUNK):
            part = keys[i:i + LOOKUP_CHUNK]
            marks = ",".join("?" * len(part))
            out += self.conn.execute(sql.format(marks=marks), part).fetchall()
        return out

    def existing_households(self, ids: Sequence[str]) -> dict[str, str]:
        rows = self._lookup("SELECT id, content_hash FROM households WHERE id IN ({marks})", ids)
        return {str(r[0]): str(r[1]) for r in rows}

    def existing_members(self, niks: Sequence[str]) -> dict[str, tuple[str, str]]:
        rows = self._lookup(
            "SELECT nik, content_hash, household_id FROM members WHERE nik IN ({marks})", niks)
        return {str(r[0]): (str(r[1]), str(r[2])) for r in rows}

    def insert_households(self, rows: Sequence[tuple[object, ...]]) -> None:
        self.conn.executemany(
            f"INSERT INTO households ({', '.join(_HH_COLS)}, version) "
            f"VALUES ({', '.join('?' * len(_HH_COLS))}, 0)", rows)

    def update_households(self, rows: Sequence[tuple[object, ...]]) -> None:
        sets = ", ".join(f"{c} = ?" for c in _HH_COLS[1:])
        self.conn.executemany(f"UPDATE households SET {sets} WHERE id = ?",
                              [(*r[1:], r[0]) for r in rows])

    def insert_members(self, rows: Sequence[tuple[object, ...]]) -> None:
        # The 10th element (the row number) is not a column: slice it off in the statement's
        # own parameter list by binding the first nine only.
        self.conn.executemany(
            "INSERT INTO members (nik, household_id, name, name_norm, relationship, sex, "
            "birth_date, is_recipient, content_hash, version) VALUES (?,?,?,?,?,?,?,?,?,0)",
            [r[:9] for r in rows])

    def update_members(self, rows: Sequence[tuple[object, ...]]) -> None:
        sets = ", ".join(f"{c} = ?" for c in _M_COLS[1:])
        self.conn.executemany(f"UPDATE members SET {sets} WHERE nik = ?",
                              [(*r[1:9], r[0]) for r in rows])

    def commit(self) -> None:
        for _name, sql in self._indexes:
            self.conn.execute(sql)
        self.conn.execute("COMMIT")
        # A big import leaves a big WAL; fold it back now rather than on some later commit.
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()

    def rollback(self) -> None:
        try:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
        finally:
            self.conn.close()


class CoreRosterWriter:
    """SQLAlchemy Core on any engine (the hub's PostgreSQL): the same rows, the same rules."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.hh = Household.__table__  # type: ignore[attr-defined]
        self.m = Member.__table__  # type: ignore[attr-defined]
        self.empty_at_start = False

    def begin(self) -> None:
        self.conn = self.engine.connect()
        self.tx = self.conn.begin()
        self.empty_at_start = (
            self.conn.execute(select(self.hh.c.id).limit(1)).first() is None
            and self.conn.execute(select(self.m.c.nik).limit(1)).first() is None)

    def existing_households(self, ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for i in range(0, len(ids), 5000):
            q = select(self.hh.c.id, self.hh.c.content_hash).where(
                self.hh.c.id.in_(list(ids[i:i + 5000])))
            out.update({r[0]: r[1] for r in self.conn.execute(q)})
        return out

    def existing_members(self, niks: Sequence[str]) -> dict[str, tuple[str, str]]:
        out: dict[str, tuple[str, str]] = {}
        for i in range(0, len(niks), 5000):
            q = select(self.m.c.nik, self.m.c.content_hash, self.m.c.household_id).where(
                self.m.c.nik.in_(list(niks[i:i + 5000])))
            out.update({r[0]: (r[1], r[2]) for r in self.conn.execute(q)})
        return out

    @staticmethod
    def _hh_dict(r: tuple[object, ...]) -> dict[str, object]:
        return {**dict(zip(_HH_COLS, r, strict=True)), "version": 0}

    @staticmethod
    def _m_dict(r: tuple[object, ...]) -> dict[str, object]:
        d = dict(zip(_M_COLS, r[:9], strict=True))
        d["birth_date"] = dt.date.fromisoformat(str(d["birth_date"])) if d["birth_date"] else None
        d["is_recipient"] = bool(d["is_recipient"])
        d["version"] = 0
        return d

    def insert_households(self, rows: Sequence[tuple[object, ...]]) -> None:
        if rows:
            self.conn.execute(insert(self.hh), [self._hh_dict(r) for r in rows])

    def update_households(self, rows: Sequence[tuple[object, ...]]) -> None:
        if rows:
            stmt = update(self.hh).where(self.hh.c.id == bindparam("b_id")).values(
                {c: bindparam(c) for c in _HH_COLS[1:]})
            self.conn.execute(stmt, [{**self._hh_dict(r), "b_id": r[0]} for r in rows])

    def insert_members(self, rows: Sequence[tuple[object, ...]]) -> None:
        if rows:
            self.conn.execute(insert(self.m), [self._m_dict(r) for r in rows])

    def update_members(self, rows: Sequence[tuple[object, ...]]) -> None:
        if rows:
            stmt = update(self.m).where(self.m.c.nik == bindparam("b_nik")).values(
                {c: bindparam(c) for c in _M_COLS[1:]})
            self.conn.execute(stmt, [{**self._m_dict(r), "b_nik": r[0]} for r in rows])

    def commit(self) -> None:
        self.tx.commit()
        self.conn.close()

    def rollback(self) -> None:
        try:
            if self.tx.is_active:
                self.tx.rollback()
        finally:
            self.conn.close()


def open_writer(engine: Engine) -> RosterWriter:
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return SqliteRosterWriter(url.database)
    return CoreRosterWriter(engine)
