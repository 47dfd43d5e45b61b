"""Writing checked roster rows into a device file with plain sqlite3 (no SQLAlchemy, so that the
import's writer process, store/roster_proc.py, starts quickly).

The writer holds ONE transaction from begin() to commit(); rollback() leaves the previous
snapshot exactly as it was. Rows arrive as tuples from roster_rows (see roster_writer).
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter

from bekasi_field.store import opener
from bekasi_field.store.opener import DbFile

HH_COLS = ("id", "no_kk", "address", "rt", "rw", "kelurahan", "kecamatan", "desil", "programs",
           "status", "kks_card", "content_hash")
M_COLS = ("nik", "household_id", "name", "name_norm", "relationship", "sex", "birth_date",
          "is_recipient", "content_hash", "occupation")
LOOKUP_CHUNK = 900  # under SQLite's default 999 bound parameters
# A member row's columns in M_COLS order: the row number (slot 9) is not a column.
_M_VALUES = itemgetter(0, 1, 2, 3, 4, 5, 6, 7, 8, 10)


class SqliteRosterWriter:
    """executemany on one raw connection. On an empty snapshot the secondary indexes are
    dropped and rebuilt before COMMIT, all inside the same transaction (building an index once
    is far cheaper than 1M updates), unless `rebuild_indexes` is False: the writer process
    fills them as rows go in, overlapping the importer's checking."""

    def __init__(self, db: DbFile, *, rebuild_indexes: bool = True) -> None:
        self.path = str(db.path)
        self.rebuild_indexes = rebuild_indexes
        self.conn = opener.connect(db)
        self.conn.execute("PRAGMA cache_size = -131072")  # 128 MiB for this import only
        self.empty_at_start = False
        self._indexes: list[tuple[str, str]] = []

    def begin(self) -> None:
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        self.empty_at_start = (c.execute("SELECT 1 FROM households LIMIT 1").fetchone() is None
                               and c.execute("SELECT 1 FROM members LIMIT 1").fetchone() is None)
        if self.empty_at_start and self.rebuild_indexes:
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
            f"INSERT INTO households ({', '.join(HH_COLS)}, version) "
            f"VALUES ({', '.join('?' * len(HH_COLS))}, 0)", rows)

    def update_households(self, rows: Sequence[tuple[object, ...]]) -> None:
        sets = ", ".join(f"{c} = ?" for c in HH_COLS[1:])
        self.conn.executemany(f"UPDATE households SET {sets} WHERE id = ?",
                              [(*r[1:], r[0]) for r in rows])

    def insert_members(self, rows: Sequence[tuple[object, ...]]) -> None:
        # The occupation is None when the file has no pekerjaan column: stored as ''.
        self.conn.executemany(
            "INSERT INTO members (nik, household_id, name, name_norm, relationship, sex, "
            "birth_date, is_recipient, content_hash, occupation, version) "
            "VALUES (?,?,?,?,?,?,?,?,?,COALESCE(?, ''),0)", map(_M_VALUES, rows))

    def update_members(self, rows: Sequence[tuple[object, ...]]) -> None:
        # A file without a pekerjaan column (None) keeps the occupation the registry has.
        sets = ", ".join(f"{c} = ?" for c in M_COLS[1:-1])
        self.conn.executemany(
            f"UPDATE members SET {sets}, occupation = COALESCE(?, occupation) WHERE nik = ?",
            [(*r[1:9], r[10], r[0]) for r in rows])

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
