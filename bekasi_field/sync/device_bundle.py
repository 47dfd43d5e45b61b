"""The desk's side of USB bundles: export the journal (+ evidence), import a hub snapshot."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr
from bekasi_field.store.db import Database, set_meta, utc_now
from bekasi_field.sync import device_journal as dj
from bekasi_field.sync.bundle import BundleRefused, bundle_key, read_bundle, write_bundle
from bekasi_field.sync.signing import device_mac, token_hash, verify
from bekasi_field.sync.snapshot import apply_snapshot

log = logging.getLogger(__name__)


def export_journal_bundle(*, db: Database, path: Path,
                          evidence: Callable[[str], bytes | None],
                          progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """All own entries (the hub skips what it has) and their evidence (`evidence(sha)` gives
    the plaintext, None when missing), sealed and encrypted for the hub.

    `progress(done, total)` is told after each evidence file and once more when the bundle is
    written (total = evidence files + 1): the photos are what takes the time."""
    token = db.get_meta("hub_token")
    if not token:
        raise BekasiError(tr("sync.bundle_needs_enrolment"))
    device = db.device_id
    conn = db.raw()
    try:
        entries = dj.own_entries_after(conn, device_id=device, after=0, limit=-1)
    finally:
        conn.close()
    blobs: dict[str, str] = {}
    hashes = sorted(set(dj.evidence_hashes(entries)))
    total = len(hashes) + 1
    if progress is not None:
        progress(0, total)
    for i, sha in enumerate(hashes, start=1):
        data = evidence(sha)
        if data is not None:
            blobs[sha] = base64.b64encode(data).decode("ascii")
        if progress is not None:
            progress(i, total)
    size = write_bundle(
        path, kind="journal",
        header={"device_id": device, "hub_id": db.get_meta("hub_id"), "created_at": utc_now(),
                "entries": len(entries)},
        payload={"device_id": device, "entries": entries, "evidence": blobs},
        seal=lambda data: device_mac(token, data),
        encrypt_key=bundle_key(token_hash(token)),
    )
    if progress is not None:
        progress(total, total)
    log.info("journal bundle: %d entries, %d evidence files, %d bytes",
             len(entries), len(blobs), size)
    return {"path": str(path), "entries": len(entries), "evidence": len(blobs),
            "bytes": size}


def import_snapshot_bundle(*, db: Database, path: Path) -> dict[str, Any]:
    """Apply a hub's snapshot bundle (registry + others' entries) in one transaction."""
    public_key = db.get_meta("hub_public_key")
    token = db.get_meta("hub_token")
    if not public_key or not token:
        raise BekasiError(tr("sync.bundle_needs_enrolment"))
    device = db.device_id

    def key_for(header: dict[str, Any]) -> bytes:
        # Encrypted for one device: name the mix-up instead of failing to decrypt.
        if header.get("device_id") != device:
            raise BundleRefused(tr("sync.bundle_wrong_device", path=path,
                                   device=header.get("device_id")))
        return bundle_key(token_hash(token))

    bundle = read_bundle(path, kind="snapshot",
                         check_seal=lambda _h, data, seal: verify(public_key, data, seal),
                         decrypt_key=key_for)
    if bundle.header.get("device_id") != device or bundle.payload.get("device_id") != device:
        raise BundleRefused(tr("sync.bundle_wrong_device", path=path,
                               device=bundle.header.get("device_id")))
    snap = bundle.payload.get("snapshot") or {}
    if snap.get("hub_id") != db.get_meta("hub_id"):
        raise BundleRefused(tr("sync.other_hub", url=path))
    mine = int(db.get_meta("snapshot_version", "0") or 0)
    version = int(snap.get("version", 0))
    pulled = 0
    with db.transaction() as conn:
        usable = snap.get("full") or int(snap.get("base_version", -1)) <= mine
        if version > mine and usable:
            pulled += apply_snapshot(conn, snap)
            set_meta(conn, "snapshot_version", str(version))
        dj.remember_device_keys(conn, dict(bundle.payload.get("device_keys") or {}))
        pulled += dj.insert_remote(conn, list(bundle.payload.get("journal", [])),
                                   received_at=utc_now())
        acked = int(bundle.payload.get("acked_seq", 0))
        if acked > int(db_meta(conn, "sync_acked_seq")):
            set_meta(conn, "sync_acked_seq", str(acked))
    log.info("snapshot bundle applied: version %d, %d rows", max(version, mine), pulled)
    return {"path": str(path), "snapshot_version": max(version, mine), "pulled": pulled}


def db_meta(conn: Any, key: str) -> str:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else "0"
