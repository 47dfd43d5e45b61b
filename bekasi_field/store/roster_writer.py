"""Writing checked roster rows: plain sqlite3 on a device file, SQLAlchemy Core elsewhere.

Both writers hold ONE transaction from begin() to commit(); rollback() leaves the previous
snapshot exactly as it was. Rows arrive as tuples from roster_rows:
household (id, no_kk, address, rt, rw, kelurahan, kecamatan, desil, programs, status, kks_card,
content_hash) and member (nik, household_id, name, name_norm, relationship, sex, birth_date ISO,
is_recipient, content_hash, row, occupation or None).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, bindparam, func, insert, select, update

from bekasi_field.store.models import Household, Member
from bekasi_field.store.opener import DbFile, target_of
from bekasi_field.store.roster_apply import RosterWriter
from bekasi_field.store.roster_sqlite import HH_COLS as _HH_COLS
from bekasi_field.store.roster_sqlite import M_COLS as _M_COLS
from bekasi_field.store.roster_sqlite import SqliteRosterWriter

log = logging.getLogger(__name__)

__all__ = ["CoreRosterWriter", "RosterWriter", "SqliteRosterWriter", "open_writer",
           "sqlite_file"]


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
        d = dict(zip(_M_COLS[:-1], r[:9], strict=True))
        d["occupation"] = r[10]
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
            self.conn.execute(insert(self.m), [{**self._m_dict(r), "occupation": r[10] or ""}
                                               for r in rows])

    def update_members(self, rows: Sequence[tuple[object, ...]]) -> None:
        if rows:  # a file without a pekerjaan column (None) keeps the registry's occupation
            values: dict[str, Any] = {c: bindparam(c) for c in _M_COLS[1:-1]}
            values["occupation"] = func.coalesce(bindparam("occupation"), self.m.c.occupation)
            stmt = update(self.m).where(self.m.c.nik == bindparam("b_nik")).values(values)
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


def sqlite_file(engine: Engine) -> DbFile | None:
    """The database file (and key) behind `engine` when it is a SQLite file opened through
    store/opener.py (a device, a SQLite hub)."""
    return target_of(engine)


def open_writer(engine: Engine) -> RosterWriter:
    path = sqlite_file(engine)
    return SqliteRosterWriter(path) if path is not None else CoreRosterWriter(engine)
