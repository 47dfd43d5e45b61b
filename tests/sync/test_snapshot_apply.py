"""Applying hub snapshots to a desk database: full, delta, tombstones, refusal leaves it as was."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bekasi_field.services.site import Site
from bekasi_field.sync.signing import public_hex, sign
from bekasi_field.sync.snapshot import SnapshotRefused, apply_snapshot, verify_snapshot

HH_COLS = ["id", "no_kk", "address", "rt", "rw", "kelurahan", "kecamatan", "desil", "programs",
           "status", "kks_card", "content_hash", "version"]
OFF_COLS = ["id", "name", "role", "pin_hash", "active", "version"]


def _hh(hid: str, address: str, version: int = 1) -> list[object]:
    return [hid, "3275010101010001", address, "001", "002", "Kota Baru", "Bekasi Barat", 1,
            "KKS", "active", None, "", version]


def _snap(*, full: bool, households: list[list[object]], officers: list[list[object]] = (),
          deleted: dict | None = None, version: int = 1) -> dict:
    return {"format": 1, "hub_id": "h", "full": full, "base_version": 0, "version": version,
            "tables": {"households": {"columns": HH_COLS, "rows": households},
                       "officers": {"columns": OFF_COLS, "rows": list(officers)}},
            "deleted": deleted or {}}


def _households(site: Site) -> dict[str, str]:
    conn = site.db.raw()
    try:
        return dict(conn.execute("SELECT id, address FROM households ORDER BY id").fetchall())
    finally:
        conn.close()


def test_full_then_delta_with_a_tombstone(site: Site) -> None:
    with site.db.transaction() as conn:
        apply_snapshot(conn, _snap(full=True, households=[_hh("A", "x"), _hh("B", "y")],
                                   officers=[["PTG01", "Asep", "petugas", "h1", True, 1]]))
    assert _households(site) == {"A": "x", "B": "y"}
    with site.db.transaction() as conn:
        conn.execute("UPDATE officers SET failed_attempts = 3 WHERE id = 'PTG01'")
        n = apply_snapshot(conn, _snap(full=False, households=[_hh("C", "z", 2)],
                                       deleted={"households": ["A"]}, version=2))
    assert n == 2
    assert _households(site) == {"B": "y", "C": "z"}
    conn = site.db.raw()
    try:  # the desk's own lockout counter is not the hub's business
        assert conn.execute("SELECT failed_attempts FROM officers").fetchone()[0] == 3
    finally:
        conn.close()


def test_a_full_snapshot_replaces_a_local_registry_and_retires_local_officers(site: Site) -> None:
    with site.db.transaction() as conn:
        apply_snapshot(conn, _snap(full=True, households=[_hh("LOCAL", "old")],
                                   officers=[["LOCAL1", "L", "petugas", "h", True, 0]]))
    with site.db.transaction() as conn:
        apply_snapshot(conn, _snap(full=True, households=[_hh("HUB", "new")],
                                   officers=[["PTG01", "Asep", "petugas", "h", True, 1]]))
    assert _households(site) == {"HUB": "new"}
    conn = site.db.raw()
    try:
        assert dict(conn.execute("SELECT id, active FROM officers").fetchall()) == {
            "LOCAL1": 0, "PTG01": 1}
    finally:
        conn.close()


def test_a_snapshot_that_fails_half_way_leaves_the_old_one(site: Site) -> None:
    with site.db.transaction() as conn:
        apply_snapshot(conn, _snap(full=True, households=[_hh("A", "x")]))
    broken = _snap(full=True, households=[_hh("B", "y"), _hh("C", "z")[:-1]])  # a short row
    with pytest.raises(SnapshotRefused), site.db.transaction() as conn:
        apply_snapshot(conn, broken)
    assert _households(site) == {"A": "x"}


def test_unknown_tables_or_columns_are_refused(site: Site) -> None:
    bad = _snap(full=False, households=[])
    bad["tables"]["journal"] = {"columns": ["uuid"], "rows": [["x"]]}
    with pytest.raises(SnapshotRefused), site.db.transaction() as conn:
        apply_snapshot(conn, bad)
    bad = _snap(full=False, households=[_hh("A", "x")])
    bad["tables"]["households"]["columns"] = [*HH_COLS[:-1], "evil"]
    with pytest.raises(SnapshotRefused), site.db.transaction() as conn:
        apply_snapshot(conn, bad)


def test_signature_is_checked_before_anything_is_parsed() -> None:
    key = Ed25519PrivateKey.generate()
    body = json.dumps(_snap(full=True, households=[])).encode()
    assert verify_snapshot(body, sign(key, body), public_key=public_hex(key))["full"] is True
    with pytest.raises(SnapshotRefused):
        verify_snapshot(body + b" ", sign(key, body), public_key=public_hex(key))
    other = Ed25519PrivateKey.generate()
    with pytest.raises(SnapshotRefused):
        verify_snapshot(body, sign(other, body), public_key=public_hex(key))
    with pytest.raises(SnapshotRefused):
        verify_snapshot(body, "", public_key=public_hex(key))
