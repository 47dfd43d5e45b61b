"""Opening a device database: encrypted (store/opener.py), WAL, foreign keys, durable commits,
checks before any write.

A file that is not ours, does not open with the key, fails its integrity check or was written by
a newer version is refused with a clear error and never modified. A plain (unencrypted) file of
an earlier release is encrypted first (store/encrypt_upgrade.py).
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from bekasi_field.domain import site_formats
from bekasi_field.domain.errors import DatabaseError
from bekasi_field.i18n import tr
from bekasi_field.store import migrations, opener
from bekasi_field.store.opener import DbFile

log = logging.getLogger(__name__)

# The one clock (domain.site_formats), named here too for this module's importers.
utc_now = site_formats.utc_now

APPLICATION_ID = 0x424B4631  # "BKF1"
SQLITE_HEADER = b"SQLite format 3\x00"


def integrity_problems(path: Path | DbFile) -> list[str]:
    """PRAGMA quick_check on a read-only connection: [] when sound. Reads the whole file."""
    db = path if isinstance(path, DbFile) else DbFile(Path(path))
    try:
        conn = opener.connect(db, readonly=True, pragmas=False)
        try:
            problems = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
        finally:
            conn.close()
    except opener.DatabaseError as exc:
        return [str(exc)]
    return [] if problems == ["ok"] else problems


def _inspect_existing(db: DbFile, *, full_check: bool = True) -> int:
    """user_version of an existing file, after checking it is a sound bekasi-field database.

    `full_check=False` skips the whole-file quick_check (seconds on a 1M-household snapshot); the
    desk uses it to show its login at once and runs integrity_problems() on a worker instead.
    """
    path = db.path
    with path.open("rb") as fh:
        header = fh.read(16)
    if len(header) == 0:
        return 0
    if db.encrypted and path.stat().st_size % 512:
        raise DatabaseError(tr("db.not_ours", path=path))  # no SQLite file has this size
    if (header == SQLITE_HEADER) == db.encrypted:
        # A plain file given a key is converted before this (encrypt_upgrade); a random header
        # without a key is not a database we can read.
        raise DatabaseError(tr("db.not_ours", path=path))
    try:
        conn = opener.connect(db, readonly=True, pragmas=False)
        try:
            if db.encrypted:
                try:
                    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                except opener.DatabaseError as exc:
                    raise DatabaseError(tr("db.wrong_key", path=path)) from exc
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if app_id != APPLICATION_ID and not (app_id == 0 and tables == 0):
                raise DatabaseError(tr("db.not_ours", path=path))
            conn.execute("SELECT count(*) FROM meta").fetchone()  # the schema itself reads
        finally:
            conn.close()
    except opener.DatabaseError as exc:
        raise DatabaseError(tr("db.corrupt", path=path, detail=str(exc))) from exc
    problems = integrity_problems(db) if full_check else []
    if problems:
        raise DatabaseError(tr("db.corrupt", path=path, detail="; ".join(problems[:3])))
    if version > migrations.LATEST:
        raise DatabaseError(tr("db.too_new", path=path, found=version, supported=migrations.LATEST))
    return int(version)


class Database:
    """One device database file: an SQLAlchemy engine for the ORM and raw connections (the
    sqlite3 API, from SQLCipher) for hot paths; both through store/opener.py."""

    def __init__(self, file: DbFile) -> None:
        self.file = file
        self.path = file.path
        self.engine: Engine = opener.make_engine(file)

    def session(self) -> Session:
        return Session(self.engine)

    def raw(self) -> sqlite3.Connection:
        """A new autocommit connection with key and pragmas; the caller owns BEGIN/COMMIT."""
        return opener.connect(self.file)

    @contextmanager
    def transaction(self, *, immediate: bool = True) -> Iterator[sqlite3.Connection]:
        """A raw connection inside BEGIN IMMEDIATE ... COMMIT (ROLLBACK on any error)."""
        conn = self.raw()
        try:
            conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        finally:
            conn.close()

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        conn = self.raw()
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        finally:
            conn.close()
        return row[0] if row else default

    @property
    def device_id(self) -> str:
        value = self.get_meta("device_id")
        assert value is not None, "device identity is created when the database is opened"
        return value

    def close(self) -> None:
        self.engine.dispose()


def set_meta(conn: Any, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def open_database(path: Path, *, key: bytes | None, create: bool = True,
                  full_check: bool = True) -> Database:
    """Open (and if needed create, encrypt or upgrade) the database at `path`.

    `key` is the raw SQLCipher key (DataKey.subkey("sqlcipher")); None opens a plain file (the
    benchmarks' unencrypted anchor, and tests of the upgrade's source).
    """
    db = DbFile(Path(path), key)
    path = db.path
    if key is not None:
        from bekasi_field.store.encrypt_upgrade import encrypt_in_place, finish_interrupted
        finish_interrupted(path)
        if path.exists() and path.stat().st_size > 0 and opener.is_plain_sqlite(path):
            _inspect_existing(DbFile(path), full_check=True)  # a sound file of ours, or refused
            encrypt_in_place(path, key=key)
    if path.exists():
        # An upgrade writes, so it never runs on a file that has not had its full check.
        version = _inspect_existing(db, full_check=full_check)
        if not full_check and version < migrations.LATEST:
            version = _inspect_existing(db, full_check=True)
    elif not create:
        raise DatabaseError(tr("db.missing", path=path))
    else:
        opener.create_private(path)
        version = 0
    opener.restrict(path)
    conn = opener.connect(db)
    try:
        if version < migrations.LATEST:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                log.warning("journal_mode is %s, not WAL", mode)
            migrations.migrate(conn, version)
            log.info("database schema %d -> %d", version, migrations.LATEST)
        _ensure_device_identity(conn)
    finally:
        conn.close()
    return Database(db)


def _ensure_device_identity(conn: Any) -> None:
    if conn.execute("SELECT 1 FROM meta WHERE key = 'device_id'").fetchone():
        return
    device_id = uuid.uuid4().hex[:12]
    conn.execute("BEGIN IMMEDIATE")
    set_meta(conn, "device_id", device_id)
    conn.execute(
        "INSERT INTO devices (id, name, site_kelurahan, is_self, created_at) VALUES (?, ?, ?, 1, ?)",
        (device_id, "", "", utc_now()),
    )
    conn.execute("COMMIT")
