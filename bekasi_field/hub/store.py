"""The hub's database: SQLite file by default, PostgreSQL by URL; tables, meta, write lock.

A SQLite hub file is encrypted like a desk's (store/opener.py, SQLCipher), under the data key
in `NAME.key.json` beside it (key store, else BEKASI_FIELD_PASSPHRASE); a plain file of an
earlier release is encrypted on first open. The snapshot-signing key is never in a table
(hub/signing_keys.py). On PostgreSQL, at-rest encryption is the database server's job.

Writers that must see each other's work (journal ingest and its conflict check, registry
stamping) run under one lock: a process lock on SQLite, a transaction advisory lock on
PostgreSQL (several hub processes may share one database there).
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, Engine, inspect, select, text
from sqlmodel import SQLModel, create_engine

from bekasi_field.hub import evidence_refs, signing_keys
from bekasi_field.hub.console import models as _console_models  # noqa: F401  (joins HubBase)
from bekasi_field.hub.console.journal_view import ensure_journal_view
from bekasi_field.hub.models import HubBase, HubMeta
from bekasi_field.store import datakey, opener
from bekasi_field.store import models as device_models
from bekasi_field.store.opener import DbFile

KEY_DIR_ENV = "BEKASI_HUB_KEY_DIR"

log = logging.getLogger(__name__)

# Registry tables the hub is the authority for, in insert order (parents first).
REGISTRY_TABLES: tuple[str, ...] = (
    "households", "members", "events", "entitlements", "person_entitlements", "officers",
    "issuer_keys", "revoked_slips",
)
_ADVISORY_KEY = 0x424B4648  # "BKFH"


def database_url(db: str | Path) -> str:
    """A SQLAlchemy URL from `--db`: a URL as given, or a path to a SQLite file."""
    s = str(db)
    if "://" in s:
        return s
    return f"sqlite:///{Path(s).expanduser().resolve()}"


def _sqlite_pragmas(dbapi_conn, _record=None) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout = 10000")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.close()


def _add_new_columns(conn: Connection) -> None:
    """A hub database made by an older version gets the nullable columns added since
    (create_all makes missing tables only)."""
    insp = inspect(conn)
    for table in HubBase.metadata.sorted_tables:
        have = {c["name"] for c in insp.get_columns(table.name)}
        for col in table.columns:
            if col.name in have or not col.nullable:
                continue
            kind = col.type.compile(dialect=conn.dialect)
            conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{col.name}" {kind}'))
            log.info("hub table %s: column %s added", table.name, col.name)


def _add_missing_columns(engine: Engine, tables: list) -> None:  # type: ignore[type-arg]
    """A hub database made by an older release gets the registry and journal columns added
    since (create_all makes missing tables, never missing columns), each with its default;
    journal fields take theirs from domain.journal_entry, so old entries keep their hashes."""
    from sqlalchemy import inspect

    from bekasi_field.domain.journal_entry import FIELDS_BY_NAME

    have = inspect(engine)
    with engine.begin() as conn:
        for table in tables:
            present = {c["name"] for c in have.get_columns(table.name)}
            for col in table.columns:
                if col.name in present:
                    continue
                default = col.default.arg if col.default is not None else None
                if table.name == "hub_journal" and col.name in FIELDS_BY_NAME:
                    default = FIELDS_BY_NAME[col.name].default
                if isinstance(default, bool):
                    literal = "TRUE" if default else "FALSE"
                elif isinstance(default, int | float):
                    literal = str(default)
                elif isinstance(default, str):
                    literal = "'" + default.replace("'", "''") + "'"
                else:
                    literal = "NULL"
                ddl = col.type.compile(dialect=engine.dialect)
                null = "" if col.nullable or literal == "NULL" else " NOT NULL"
                conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {col.name} {ddl} "
                                  f"DEFAULT {literal}{null}"))
                log.info("hub schema: added %s.%s", table.name, col.name)


def default_key_dir() -> Path:
    """Where a PostgreSQL hub keeps its signing key: BEKASI_HUB_KEY_DIR, else HOME/hub-keys."""
    env = os.environ.get(KEY_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    from bekasi_field.paths import resolve_home
    return resolve_home() / "hub-keys"


def open_sqlite_file(path: Path, *, passphrase: str | None = None) -> tuple[DbFile, bytes]:
    """The encrypted hub file at `path` (a plain one converted first) and its secrets key."""
    from bekasi_field.store.encrypt_upgrade import encrypt_in_place, finish_interrupted
    path.parent.mkdir(parents=True, exist_ok=True)
    data_key = datakey.open_data_key(path.with_name(path.name + ".key.json"),
                                     passphrase=passphrase)
    key = data_key.subkey("sqlcipher")
    finish_interrupted(path)
    if not path.exists():
        opener.create_private(path)
    elif path.stat().st_size > 0 and opener.is_plain_sqlite(path):
        encrypt_in_place(path, key=key)
    opener.restrict(path)
    return DbFile(path, key), data_key.subkey("secrets")


class HubStore:
    """One hub database. Create with HubStore.open(url)."""

    def __init__(self, engine: Engine, *, key_dir: Path, seal_key: bytes | None = None) -> None:
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        self._lock = threading.RLock()
        self._key: Ed25519PrivateKey | None = None
        self.key_dir = key_dir
        self._seal_key = seal_key  # None on PostgreSQL: the key file is a 0600 PEM

    @classmethod
    def open(cls, db: str | Path, *, key_dir: Path | None = None,
             passphrase: str | None = None) -> HubStore:
        url = database_url(db)
        if url.startswith("sqlite"):
            path = Path(url.removeprefix("sqlite:///"))
            file, seal_key = open_sqlite_file(path, passphrase=passphrase)
            engine = opener.make_engine(file, setup=_sqlite_pragmas)
            store = cls(engine, key_dir=key_dir or path.parent, seal_key=seal_key)
        else:
            engine = create_engine(url, pool_pre_ping=True, pool_size=8)
            store = cls(engine, key_dir=key_dir or default_key_dir())
        try:
            store.create_tables()
        except BaseException:
            engine.dispose()  # e.g. a missing signing key: refused, no connection left open
            raise
        return store

    def create_tables(self) -> None:
        # The device models carry the registry tables; meta too, which the registry services may use.
        registry = [SQLModel.metadata.tables[n] for n in (*REGISTRY_TABLES, "meta", "devices")]
        assert device_models.Household.__tablename__ == "households"
        with self._lock:
            SQLModel.metadata.create_all(self.engine, tables=registry)
            HubBase.metadata.create_all(self.engine)
            _add_missing_columns(self.engine,
                                 [*registry, HubBase.metadata.tables["hub_journal"]])
            with self.engine.begin() as conn:
                _add_new_columns(conn)
                ensure_journal_view(conn)
                evidence_refs.build_once(conn)
                if self.meta(conn, "hub_id") is None:
                    self.set_meta(conn, "hub_id", secrets.token_hex(8))
                    self.set_meta(conn, "snapshot_version", "0")
                    log.info("new hub database initialised")
                self._key = signing_keys.ensure_signing_key(
                    conn, hub_id=str(self.meta(conn, "hub_id")), key_dir=self.key_dir,
                    seal_key=self._seal_key, meta_get=self.meta, meta_set=self.set_meta,
                    meta_delete=self.delete_meta)

    @contextmanager
    def write(self, *, fsync: bool = True) -> Iterator[Connection]:
        """One serialised write transaction (commit on success, rollback on error).

        fsync=False (SQLite only) commits without waiting for the disk: still safe when the
        hub process is killed (WAL), lost only on power failure. For live claims, whose loss
        costs the live guarantee of that moment, never a record (the desks hold those)."""
        if self.is_sqlite and not fsync:
            with self._lock, self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA synchronous = NORMAL")
                conn.commit()  # ends SQLAlchemy's autobegun block; the PRAGMA stays set
                try:
                    with conn.begin():
                        yield conn
                finally:
                    conn.exec_driver_sql("PRAGMA synchronous = FULL")  # before it is pooled
                    conn.commit()
            return
        with self._lock, self.engine.begin() as conn:
            if not self.is_sqlite:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_KEY})
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    # meta ------------------------------------------------------------------------------------
    @staticmethod
    def meta(conn: Connection, key: str) -> str | None:
        t = HubMeta.__table__
        value: str | None = conn.execute(select(t.c.value).where(t.c.key == key)
                                         ).scalar_one_or_none()
        return value

    @staticmethod
    def set_meta(conn: Connection, key: str, value: str) -> None:
        t = HubMeta.__table__
        if conn.execute(select(t.c.key).where(t.c.key == key)).first():
            conn.execute(t.update().where(t.c.key == key).values(value=value))
        else:
            conn.execute(t.insert().values(key=key, value=value))

    @staticmethod
    def delete_meta(conn: Connection, key: str) -> None:
        t = HubMeta.__table__
        conn.execute(t.delete().where(t.c.key == key))

    def hub_id(self) -> str:
        with self.read() as conn:
            value = self.meta(conn, "hub_id")
        assert value
        return value

    def snapshot_version(self) -> int:
        with self.read() as conn:
            return int(self.meta(conn, "snapshot_version") or 0)

    @property
    def seal_key(self) -> bytes | None:
        """Seals the hub's private key files (None on PostgreSQL: 0600 PEM files there)."""
        return self._seal_key

    def signing_key(self) -> Ed25519PrivateKey:
        assert self._key is not None, "loaded with the tables (hub/signing_keys.py)"
        return self._key

    def dispose(self) -> None:
        self.engine.dispose()
