"""Relaying by USB stick when the site has no link to the city: the site hub writes its desks'
entries (after the last cursor the city acknowledged online) with their evidence into one sealed
bundle; the city hub checks the seal with the relay's credential and stores each entry as from
its own device, idempotently, like the online relay. The city's snapshot bundle for the relay
device (`hub bundle export --device hub-…`) goes the other way and lands in the site registry.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.journal_entry import ENTRY_COLUMNS
from bekasi_field.hub import crud, evidence_refs
from bekasi_field.hub.models import HubDevice, HubEvidence, HubJournal
from bekasi_field.hub.relay import apply_upstream, relay_device_id
from bekasi_field.hub.relay_ingest import ingest_relayed
from bekasi_field.hub.snapshots import restamp
from bekasi_field.hub.store import HubStore
from bekasi_field.i18n import tr
from bekasi_field.sync.bundle import BundleRefused, bundle_key, read_bundle, write_bundle
from bekasi_field.sync.protocol import EntryIn
from bekasi_field.sync.signing import device_mac, device_mac_ok, token_hash, verify

log = logging.getLogger(__name__)


def export_relay_bundle(store: HubStore, path: Path) -> dict[str, Any]:
    """Everything the city has not acknowledged online yet (a replay is stored once)."""
    with store.read() as conn:
        token = store.meta(conn, "upstream_token")
        if not token:
            raise BekasiError(tr("relay.not_enrolled"))
        cursor = int(store.meta(conn, "relay_cursor") or 0)
        j, e = HubJournal.__table__, HubEvidence.__table__
        rows = [{k: r[k] for k in ENTRY_COLUMNS} for r in conn.execute(
            select(j).where(j.c.hub_seq > cursor).order_by(j.c.hub_seq)).mappings()]
        hashes = sorted({h for r in rows for h in json.loads(r["evidence"] or "{}").values()
                         if isinstance(h, str)})
        blobs = {sha: base64.b64encode(bytes(data)).decode("ascii") for sha, data in
                 conn.execute(select(e.c.sha256, e.c.data).where(e.c.sha256.in_(hashes)))}
        keys = crud.device_keys(conn, {r["device_id"] for r in rows})
    relay = relay_device_id(store)
    size = write_bundle(path, kind="relay",
                        header={"device_id": relay, "created_at": crud.utc_now()},
                        payload={"entries": rows, "evidence": blobs, "device_keys": keys},
                        seal=lambda data: device_mac(token, data),
                        encrypt_key=bundle_key(token_hash(token)))  # for the city hub alone
    log.info("relay bundle: %d entries, %d evidence files, %d bytes", len(rows), len(blobs),
             size)
    return {"path": str(path), "entries": len(rows), "evidence": len(blobs), "bytes": size}


def import_relay_bundle(store: HubStore, path: Path) -> dict[str, Any]:
    """At the city hub: check the relay's seal, then store like /relay/journal."""
    found: dict[str, Any] = {}

    def check(header: dict[str, Any], data: bytes, seal: str) -> bool:
        d = HubDevice.__table__
        with store.read() as conn:
            row = conn.execute(select(d).where(d.c.id == str(header.get("device_id", "")))
                               ).mappings().first()
        if row is None or row["revoked"]:
            raise BundleRefused(tr("sync.bundle_unknown_device", path=path,
                                   device=header.get("device_id")))
        found.update(row)
        return device_mac_ok(row["token_hash"], data, seal)

    bundle = read_bundle(path, kind="relay", check_seal=check,
                         decrypt_key=lambda _h: bundle_key(found["token_hash"]))
    bad = BundleRefused(tr("sync.bundle_bad", path=path))
    try:
        entries = [EntryIn.model_validate(e) for e in bundle.payload.get("entries", [])]
        blobs = {sha: base64.b64decode(b64, validate=True)
                 for sha, b64 in dict(bundle.payload.get("evidence", {})).items()}
        keys = {str(k): str(v) for k, v in dict(bundle.payload.get("device_keys", {})).items()}
    except (ValidationError, binascii.Error, TypeError, ValueError) as exc:
        raise bad from exc
    try:
        with store.write() as conn:
            for sha, data in evidence_refs.named(blobs, entries).items():
                if not crud.store_evidence(conn, sha256=sha, data=data):
                    raise bad
            out = ingest_relayed(conn, relay=found, entries=entries, device_keys=keys)
    except crud.HubRefusal as exc:
        raise BundleRefused(tr(exc.key, **exc.values)) from exc
    statuses = [r.status for r in out["results"]]
    return {"relay": found["id"], "stored": statuses.count("stored"),
            "duplicates": statuses.count("duplicate"), "evidence": len(blobs),
            "conflicts": out["new_conflicts"], "problems": out["problems"]}


def import_upstream_snapshot(store: HubStore, path: Path) -> dict[str, Any]:
    """At the site hub: the city's snapshot bundle for this relay, into the site registry."""
    with store.read() as conn:
        key = store.meta(conn, "upstream_public_key")
        upstream = store.meta(conn, "upstream_hub_id")
        token = store.meta(conn, "upstream_token")
    if not key or not token:
        raise BekasiError(tr("relay.not_enrolled"))
    bundle = read_bundle(path, kind="snapshot",
                         check_seal=lambda _h, data, seal: verify(key, data, seal),
                         decrypt_key=lambda _h: bundle_key(token_hash(token)))
    snap = bundle.payload.get("snapshot") or {}
    if bundle.payload.get("device_id") != relay_device_id(store) or \
            snap.get("hub_id") != upstream:
        raise BundleRefused(tr("sync.bundle_wrong_device", path=path,
                               device=bundle.payload.get("device_id")))
    with store.write() as conn:
        mine = int(store.meta(conn, "upstream_snapshot_version") or 0)
        version = int(snap.get("version", 0))
        rows = 0
        if version > mine and (snap.get("full") or int(snap.get("base_version", -1)) <= mine):
            rows = apply_upstream(store, conn, snap)
            store.set_meta(conn, "upstream_snapshot_version", str(version))
            restamp(store, conn)
    return {"path": str(path), "snapshot_version": max(version, mine), "pulled": rows}

