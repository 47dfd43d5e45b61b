"""Opening databases: create, upgrade from older versions, refuse foreign or damaged files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlmodel import SQLModel, create_engine

from bekasi_field.domain.errors import DatabaseError
from bekasi_field.store import migrations, models, opener  # noqa: F401 - models register the tables
from bekasi_field.store.db import APPLICATION_ID
from bekasi_field.store.db import open_database as _open_database
from bekasi_field.store.opener import DbFile

KEY = bytes(range(32))


def open_database(path: Path, **kw: object):  # type: ignore[no-untyped-def]
    return _open_database(path, key=KEY, **kw)  # type: ignore[arg-type]


def _connect(path: Path):  # type: ignore[no-untyped-def]
    """A connection to an encrypted file of these tests; plain files use sqlite3 itself."""
    return opener.connect(DbFile(path, KEY), autocommit=False)


def _schema(path: Path) -> dict[str, object]:
    conn = _connect(path) if not opener.is_plain_sqlite(path) else sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        out: dict[str, object] = {}
        for t in tables:
            cols = sorted((r[1], r[2].upper(), r[3]) for r in conn.execute(f"PRAGMA table_info({t})"))
            idx = sorted(r[1] for r in conn.execute(f"PRAGMA index_list({t})")
                         if not r[1].startswith("sqlite_autoindex"))
            out[t] = (cols, idx)
        return out
    finally:
        conn.close()


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    migrated = tmp_path / "migrated.db"
    open_database(migrated).close()
    fresh = tmp_path / "models.db"
    SQLModel.metadata.create_all(create_engine(f"sqlite:///{fresh}"))
    mig, mod = _schema(migrated), _schema(fresh)
    mig.pop("meta", None), mod.pop("meta", None)
    assert mig == mod


def test_new_database_is_wal_with_our_id_and_a_device(tmp_path: Path) -> None:
    db = open_database(tmp_path / "a.db")
    conn = db.raw()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    conn.close()
    device = db.device_id
    db.close()
    assert open_database(tmp_path / "a.db").device_id == device  # stable across opens


def test_a_version_1_database_is_upgraded_keeping_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    migrations.migrate(conn, 0) if False else None
    for version, step in migrations.STEPS:
        if version == 1:
            step(conn)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO meta (key, value) VALUES ('device_id', 'olddevice001')")
    conn.close()
    db = open_database(path)
    raw = db.raw()
    assert raw.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    names = {r[1] for r in raw.execute("PRAGMA index_list(journal)")}
    assert "ix_journal_event_household" in names
    raw.close()
    assert db.device_id == "olddevice001"


def test_a_file_that_is_not_ours_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is a shopping list, not a database\n" * 10)
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="bukan basis data"):
        open_database(path)
    assert path.read_bytes() == before


def test_another_apps_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError):
        open_database(path)
    assert path.read_bytes() == before


def _damaged_database(path: Path) -> Path:
    """A real database of ours with its middle b-tree page scribbled over."""
    db = open_database(path)
    with db.transaction() as conn:
        conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)",
                         [(f"k{i}", "x" * 500) for i in range(2000)])
    db.close()
    conn = _connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    page = 4096
    start = page * (len(data) // page // 2)
    for off in range(start + 8, start + page - 8):  # keep the page header, garble the cells
        data[off] = 0xA5
    path.write_bytes(bytes(data))
    return path


def test_a_corrupt_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = _damaged_database(tmp_path / "c.db")
    before = path.read_bytes()
    with pytest.raises(DatabaseError):
        open_database(path)
    assert path.read_bytes() == before


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "n.db"
    open_database(path).close()
    conn = _connect(path)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST + 5}")
    conn.close()
    with pytest.raises(DatabaseError, match="lebih baru"):
        open_database(path)


def test_missing_database_without_create(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError):
        open_database(tmp_path / "none.db", create=False)


def test_without_the_full_check_a_damaged_file_still_opens_for_a_later_check(tmp_path: Path) -> None:
    from bekasi_field.store.db import integrity_problems

    path = _damaged_database(tmp_path / "d.db")
    with pytest.raises(DatabaseError):
        open_database(path)
    open_database(path, full_check=False).close()
    assert integrity_problems(DbFile(path, KEY))
