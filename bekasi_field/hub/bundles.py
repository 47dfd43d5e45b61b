"""The hub's side of USB bundles: import a desk's journal bundle, export a snapshot bundle."""

from __future__ import annotations

import base64
import binascii
import logging
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from bekasi_field.hub import crud, evidence_refs, held_voids
from bekasi_field.hub.models import HubDevice
from bekasi_field.hub.scope import site_scope
from bekasi_field.hub.snapshots import build_snapshot
from bekasi_field.hub.store import HubStore
from bekasi_field.i18n import tr
from bekasi_field.sync.bundle import BundleRefused, bundle_key, read_bundle, write_bundle
from bekasi_field.sync.protocol import EntryIn
from bekasi_field.sync.signing import device_mac_ok, sign

log = logging.getLogger(__name__)


def _device(store: HubStore, device_id: str) -> dict[str, Any] | None:
    d = HubDevice.__table__
    with store.read() as conn:
        row = conn.execute(select(d).where(d.c.id == device_id)).mappings().first()
    return dict(row) if row else None


def import_journal_bundle(store: HubStore, path: Path) -> dict[str, Any]:
    """Check the seal with the device's credential, then ingest like a push (idempotent)."""
    found: dict[str, Any] = {}

    def check(header: dict[str, Any], data: bytes, seal: str) -> bool:
        device = _device(store, str(header.get("device_id", "")))
        if device is None:
            raise BundleRefused(tr("sync.bundle_unknown_device", path=path,
                                   device=header.get("device_id")))
        if device["revoked"]:
            raise BundleRefused(tr("hub.device_revoked", device=device["id"]))
        found.update(device)
        return device_mac_ok(device["token_hash"], data, seal)

    bundle = read_bundle(path, kind="journal", check_seal=check,
                         decrypt_key=lambda _h: bundle_key(found["token_hash"]))
    device_id = found["id"]
    bad = BundleRefused(tr("sync.bundle_bad", path=path))
    try:
        entries = [EntryIn.model_validate(e) for e in bundle.payload.get("entries", [])]
        blobs = {sha: base64.b64decode(b64, validate=True)
                 for sha, b64 in dict(bundle.payload.get("evidence", {})).items()}
    except (ValidationError, binascii.Error, TypeError, ValueError) as exc:
        raise bad from exc
    try:
        with store.write() as conn:
            for sha, data in evidence_refs.named(blobs, entries).items():
                if not crud.store_evidence(conn, sha256=sha, data=data):
                    raise bad  # rolls back: nothing from this bundle is kept
            result = crud.ingest(conn, device_id=device_id, entries=entries)
            from bekasi_field.hub.graduations import apply_graduations
            stored = {r.uuid for r in result.results if r.status == "stored"}
            apply_graduations(store, conn, [e for e in (x.model_dump() for x in entries)
                                            if e["uuid"] in stored])
    except crud.HubRefusal as exc:  # e.g. entries of another device inside the bundle
        raise BundleRefused(tr(exc.key, **exc.values)) from exc
    counts = {s: sum(1 for r in result.results if r.status == s)
              for s in ("stored", "duplicate", "quarantined", "refused")}
    log.info("journal bundle from %s: %s", device_id, counts)
    return {"device_id": device_id, **counts, "duplicates": counts["duplicate"],
            "acked_seq": result.acked_seq, "conflicts": result.new_conflicts,
            "evidence": len(blobs), "problem": result.problem}


def export_snapshot_bundle(store: HubStore, path: Path, *, device_id: str,
                           since: int = 0) -> dict[str, Any]:
    """The registry (full, or a delta since `since`) and every other device's entries."""
    device = _device(store, device_id)
    if device is None:
        raise BundleRefused(tr("hub.unknown_device", device=device_id))
    journal: list[dict[str, Any]] = []
    with store.read() as conn:
        # Only what the device's site needs (hub/scope.py); in full, since the bundle cannot
        # know which scope the desk's last snapshot had.
        scope = site_scope(conn, str(device.get("site_kelurahan") or ""))
        snap = build_snapshot(store, conn, since=since, scope=scope)
        cursor, more = 0, True
        while more:
            page, cursor, more = crud.journal_page(conn, exclude_device=device_id, after=cursor,
                                                   limit=5000, scope=scope)
            journal += page
        cursor, more = 0, True
        while more:  # voids once held, since accepted at the hub
            page, cursor, more = held_voids.released_page(conn, exclude_device=device_id,
                                                          after=cursor, limit=5000,
                                                          scope=scope)
            journal += page
        keys = crud.device_keys(conn, {e["device_id"] for e in journal})
        acked, _ = crud.device_head(conn, device_id)
    key = store.signing_key()
    size = write_bundle(
        path, kind="snapshot",
        header={"device_id": device_id, "hub_id": snap["hub_id"], "created_at": crud.utc_now(),
                "version": snap["version"]},
        payload={"device_id": device_id, "snapshot": snap, "journal": journal,
                 "device_keys": keys, "acked_seq": acked},
        seal=lambda data: sign(key, data),
        encrypt_key=bundle_key(device["token_hash"]),  # for that device alone
    )
    log.info("snapshot bundle for %s: version %d, %d entries, %d bytes",
             device_id, snap["version"], len(journal), size)
    return {"path": str(path), "device_id": device_id, "snapshot_version": snap["version"],
            "journal": len(journal), "bytes": size}

