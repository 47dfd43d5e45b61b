"""The one way to open a bekasi-field SQLite file (desk or hub): SQLCipher with a raw key.

Every connection to a device or hub file, the ORM's and the raw hot paths' alike, comes from
connect() or make_engine() here, so new code is encrypted by calling them. The key is a raw
256-bit key (`PRAGMA key = "x'..'"`): SQLCipher then skips its passphrase KDF, so opening a
connection costs well under a millisecond and can stay on hot paths. The passphrase KDF
(argon2id) runs once per process, in store/datakey.py, never per connection.

`sqlcipher3` is the sqlite3 module's own code built against SQLCipher: same API, its own
exception classes, so code here catches `dbapi.Error` (re-exported below), not sqlite3's.
A DbFile without a key opens plain SQLite with the same library (the benchmarks' unencrypted
anchor, and the source file of the upgrade).
"""

from __future__ import annotations

import os
import sqlite3
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import sqlcipher3.dbapi2 as dbapi

from bekasi_field.store.sqlite_setup import apply_pragmas

if TYPE_CHECKING:  # SQLAlchemy is imported when an engine is made: the roster writer
    from sqlalchemy import Engine  # process opens raw connections only and starts faster

__all__ = ["DatabaseError", "DbFile", "Error", "IntegrityError", "OperationalError", "Row",
           "connect", "create_private", "dbapi", "is_plain_sqlite", "make_engine", "restrict",
           "target_of"]

Error = dbapi.Error
DatabaseError = dbapi.DatabaseError
IntegrityError = dbapi.IntegrityError
OperationalError = dbapi.OperationalError
Row = dbapi.Row
KEY_BYTES = 32

_ENGINES: weakref.WeakKeyDictionary[Engine, DbFile] = weakref.WeakKeyDictionary()
_quiet = False


@dataclass(frozen=True)
class DbFile:
    """A database file and the raw key that opens it (None: a plain SQLite file)."""

    path: Path
    key: bytes | None = field(default=None, repr=False)  # never in a repr, log or traceback

    def __post_init__(self) -> None:
        if self.key is not None and len(self.key) != KEY_BYTES:
            raise ValueError("a database key is 32 bytes")

    @property
    def encrypted(self) -> bool:
        return self.key is not None


def _silence_cipher_log(conn: Any) -> None:
    # SQLCipher writes "hmac check failed" lines to stderr on a wrong key; we say it in words.
    global _quiet
    if not _quiet:
        conn.execute("PRAGMA cipher_log_level = NONE")
        _quiet = True


def key_pragma(key: bytes) -> str:
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect(db: DbFile, *, autocommit: bool = True, readonly: bool = False,
            pragmas: bool = True, timeout: float = 5.0) -> sqlite3.Connection:
    """A new connection with the key applied and our pragmas (WAL stays, synchronous=FULL).

    autocommit=True (isolation_level None) is what the raw hot paths use: the caller owns
    BEGIN/COMMIT. The ORM's engine takes autocommit=False, the driver's own transactions.
    Returns a `sqlcipher3.dbapi2.Connection`: typed as `sqlite3.Connection`, whose API it has
    (its exceptions are its own: catch `opener.Error`, not `sqlite3.Error`).
    """
    target = f"file:{db.path.as_posix()}?mode=ro" if readonly else str(db.path)
    kwargs: dict[str, Any] = {"check_same_thread": False, "timeout": timeout,
                              "uri": readonly}
    if autocommit:
        kwargs["isolation_level"] = None
    conn = dbapi.connect(target, **kwargs)
    try:
        _silence_cipher_log(conn)
        if db.key is not None:
            conn.execute(key_pragma(db.key))
        if pragmas:
            apply_pragmas(conn)  # the first statement that reads the file checks the key
    except BaseException:
        conn.close()
        raise
    return cast("sqlite3.Connection", conn)


def make_engine(db: DbFile, *, setup: Callable[[Any], None] | None = None,
                **kwargs: Any) -> Engine:
    """A SQLAlchemy engine whose every pooled connection comes from connect(); `setup`
    replaces our pragmas with the caller's (the hub keeps its own)."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import QueuePool

    def creator() -> Any:
        conn = connect(db, autocommit=False, pragmas=setup is None)
        if setup is not None:
            setup(conn)
        return conn

    engine = create_engine(f"sqlite:///{db.path}", creator=creator, module=dbapi,
                           poolclass=QueuePool, **kwargs)
    _ENGINES[engine] = db
    return engine


def target_of(engine: Engine) -> DbFile | None:
    """The file and key behind an engine made here (the roster writer opens its own)."""
    return _ENGINES.get(engine)


def create_private(path: Path) -> None:
    """Create an empty file readable by its owner only, before SQLite first opens it: SQLite
    gives its -wal and -shm files the database file's mode, so they are 0600 too."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def restrict(path: Path) -> None:
    """chmod 0600 an existing file (POSIX; Windows keeps the ACL of the user's profile)."""
    if os.name != "nt" and path.exists():
        os.chmod(path, 0o600)


def is_plain_sqlite(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(16) == b"SQLite format 3\x00"
