"""The hub's database: SQLite file by default, PostgreSQL by URL; tables, meta, write lock.

Writers that must see each other's work (journal ingest and its conflict check, registry
stamping) run under one lock: a process lock on SQLite, a transaction advisory lock on
PostgreSQL (several hub processes may share one database there).
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, Engine, event, inspect, select, text
from sqlmodel import SQLModel, create_engine

from bekasi_field.hub.models import HubBase, HubMeta
from bekasi_field.store import models as device_models

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


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
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


class HubStore:
    """One hub database. Create with HubStore.open(url)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        self._lock = threading.RLock()
        self._key: Ed25519PrivateKey | None = None

    @classmethod
    def open(cls, db: str | Path) -> HubStore:
        url = database_url(db)
        if url.startswith("sqlite"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"check_same_thread": False})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True, pool_size=8)
        store = cls(engine)
        store.create_tables()
        return store

    def create_tables(self) -> None:
        # The device models carry the registry tables; meta too, which H1's services may use.
        registry = [SQLModel.metadata.tables[n] for n in (*REGISTRY_TABLES, "meta", "devices")]
        assert device_models.Household.__tablename__ == "households"
        with self._lock:
            SQLModel.metadata.create_all(self.engine, tables=registry)
            HubBase.metadata.create_all(self.engine)
            _add_missing_columns(self.engine,
                                 [*registry, HubBase.metadata.tables["hub_journal"]])
            with self.engine.begin() as conn:
                _add_new_columns(conn)
                if self.meta(conn, "hub_id") is None:
                    self.set_meta(conn, "hub_id", secrets.token_hex(8))
                    self.set_meta(conn, "snapshot_version", "0")
                    key = Ed25519PrivateKey.generate()
                    from bekasi_field.sync.signing import private_hex
                    self.set_meta(conn, "signing_key", private_hex(key))
                    log.info("new hub database initialised")

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One serialised write transaction (commit on success, rollback on error)."""
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

    def hub_id(self) -> str:
        with self.read() as conn:
            value = self.meta(conn, "hub_id")
        assert value
        return value

    def snapshot_version(self) -> int:
        with self.read() as conn:
            return int(self.meta(conn, "snapshot_version") or 0)

    def signing_key(self) -> Ed25519PrivateKey:
        if self._key is None:
            from bekasi_field.sync.signing import load_private_hex
            with self.read() as conn:
                value = self.meta(conn, "signing_key")
            assert value, "created with the tables"
            self._key = load_private_hex(value)
        return self._key

    def dispose(self) -> None:
        self.engine.dispose()
