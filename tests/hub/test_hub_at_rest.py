"""The hub's data at rest: an encrypted SQLite file, the snapshot-signing key in no table (a
0600 key file, sealed on SQLite), and the upgrade of a plain hub file of the previous release."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from bekasi_field.domain.errors import BekasiError
from bekasi_field.hub import signing_keys
from bekasi_field.hub.store import HubStore
from bekasi_field.store import datakey, sealed
from bekasi_field.sync.signing import load_private_hex, public_hex

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "plain_v2" / "hub.db"


def _meta_keys(store: HubStore) -> set[str]:
    with store.read() as conn:
        return {r[0] for r in conn.execute(text("SELECT key FROM hub_meta"))}


def _key_file(store: HubStore) -> Path:
    return signing_keys.key_path(store.key_dir, store.hub_id())


def test_the_signing_key_is_in_no_table_and_its_file_is_private(hub_store: HubStore) -> None:
    assert "signing_key" not in _meta_keys(hub_store)
    path = _key_file(hub_store)
    assert path.exists()
    if os.name != "nt":
        assert path.stat().st_mode & 0o777 == 0o600
    blob = path.read_bytes()
    if hub_store.is_sqlite:  # sealed under the hub's data key
        assert sealed.is_sealed(blob) and b"PRIVATE KEY" not in blob
    else:  # PostgreSQL: a PEM readable by the hub's account only
        assert b"PRIVATE KEY" in blob
    with hub_store.read() as conn:
        dumped = " ".join(str(v) for (v,) in conn.execute(text("SELECT value FROM hub_meta")))
    private_raw = hub_store.signing_key().private_bytes_raw().hex()
    assert private_raw not in dumped


def test_a_missing_signing_key_file_is_refused_clearly(hub_db_url: str) -> None:
    store = HubStore.open(hub_db_url)
    path = _key_file(store)
    store.dispose()
    path.unlink()
    with pytest.raises(BekasiError, match="Kunci tanda tangan hub tidak ditemukan"):
        HubStore.open(hub_db_url)


def test_the_sqlite_hub_file_is_encrypted_and_private(tmp_path: Path) -> None:
    db = tmp_path / "hubdata" / "hub.db"
    store = HubStore.open(db)
    with store.write() as conn:
        store.set_meta(conn, "probe", "Warga 3275014101000001")
    store.dispose()
    assert db.read_bytes()[:16] != b"SQLite format 3\x00"
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(db).execute("SELECT * FROM sqlite_master").fetchall()
    for p in db.parent.iterdir():
        assert b"3275014101000001" not in p.read_bytes(), p.name
        if os.name != "nt":
            assert p.stat().st_mode & 0o077 == 0, p.name


def test_a_plain_hub_file_of_the_previous_release_is_converted_keeping_its_identity(
        tmp_path: Path) -> None:
    db = tmp_path / "hub.db"
    shutil.copy(FIXTURE, db)
    conn = sqlite3.connect(db)
    old_private = dict(conn.execute("SELECT key, value FROM hub_meta").fetchall())
    members = conn.execute("SELECT nik, name FROM members ORDER BY nik").fetchall()
    conn.close()
    old_public = public_hex(load_private_hex(old_private["signing_key"]))
    store = HubStore.open(db)
    try:
        # Desks enrolled before the upgrade still verify its snapshots: the same key.
        assert public_hex(store.signing_key()) == old_public
        assert store.hub_id() == old_private["hub_id"]
        assert "signing_key" not in _meta_keys(store)
        with store.read() as c:
            assert c.execute(text("SELECT nik, name FROM members ORDER BY nik")).all() == members
    finally:
        store.dispose()
    everything = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert members[0][0].encode() not in everything
    assert old_private["signing_key"].encode() not in everything
    assert not list(tmp_path.glob("*.plain-old"))


def test_a_hub_file_does_not_open_with_another_hubs_key(tmp_path: Path) -> None:
    db = tmp_path / "hub.db"
    HubStore.open(db).dispose()
    other = tmp_path / "other" / "hub.db"
    other.parent.mkdir()
    shutil.copy(db, other)
    datakey.forget_cached()
    HubStore.open(tmp_path / "other" / "fresh.db").dispose()
    shutil.copy(other.parent / "fresh.db.key.json", other.with_name("hub.db.key.json"))
    with pytest.raises(Exception):  # noqa: B017 - the driver's "file is not a database"
        HubStore.open(other)
