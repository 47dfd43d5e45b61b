"""Signed snapshots, evidence upload by hash, and the conflicts list."""

from __future__ import annotations

import json
import re

from fastapi import APIRouter, HTTPException, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from bekasi_field.hub import crud, evidence
from bekasi_field.hub.api.deps import DeviceDep, StoreDep
from bekasi_field.hub.crud import HubRefusal
from bekasi_field.hub.evidence import MAX_EVIDENCE_BYTES
from bekasi_field.hub.scope import site_scope
from bekasi_field.hub.snapshots import build_snapshot
from bekasi_field.i18n import tr
from bekasi_field.sync.protocol import (
    MAX_CURSOR,
    SIGNATURE_HEADER,
    ConflictOut,
    EvidenceMissing,
    EvidenceQuery,
)
from bekasi_field.sync.signing import sign

router = APIRouter(tags=["registry"])
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CLOSE = {"Connection": "close"}  # a refused upload's body is not read: end the connection


@router.get("/snapshot")
def snapshot(device: DeviceDep, store: StoreDep, since: int = Query(0, ge=0, le=MAX_CURSOR),
             hub_id: str | None = None,
             scope: str | None = Query(None, max_length=64)) -> Response:
    """What the device's site needs of the registry (hub/scope.py), as a delta since `since`
    or in full (`scope`: the digest of the device's last snapshot); signed by the hub."""
    with store.read() as conn:
        payload = build_snapshot(store, conn, since=since, hub_id=hub_id,
                                 scope=site_scope(conn, device["site_kelurahan"]),
                                 device_scope=scope)
    payload["device_id"] = device["id"]
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(content=body, media_type="application/json",
                    headers={SIGNATURE_HEADER: sign(store.signing_key(), body)})


@router.post("/evidence/missing", response_model=EvidenceMissing)
def evidence_missing(body: EvidenceQuery, device: DeviceDep, store: StoreDep) -> EvidenceMissing:
    """Which of the files the device's stored entries name the hub lacks (hub/evidence.py:
    nothing is said of files other desks' entries name)."""
    with store.read() as conn:
        return EvidenceMissing(missing=evidence.missing(conn, device=device, hashes=body.hashes))


@router.put("/evidence/{sha256}", status_code=204)
async def evidence_put(sha256: str, request: Request, device: DeviceDep,
                       store: StoreDep) -> Response:
    """Store one evidence file named by its SHA-256 (hub/evidence.py: only a file a stored
    entry names, at most 20 MB read, within the device's quota)."""
    if not _SHA256.match(sha256):
        raise HTTPException(422, tr("hub.evidence_bad_hash"), headers=_CLOSE)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_EVIDENCE_BYTES:
        raise HTTPException(413, tr("hub.evidence_too_big"), headers=_CLOSE)
    quota: int = request.app.state.evidence_quota

    def admit() -> str | None:
        with store.read() as conn:
            return evidence.admit(conn, device=device, sha256=sha256, quota=quota,
                                  size=int(declared) if declared.isdigit() else None)

    try:
        owner = await run_in_threadpool(admit)
    except HubRefusal as exc:
        exc.close_connection = True
        raise
    if owner is None:  # the hub holds it already
        return Response(status_code=204, headers=_CLOSE)
    try:
        data = await evidence.read_limited(request.stream(), limit=MAX_EVIDENCE_BYTES)
    except evidence.TooLarge:
        raise HTTPException(413, tr("hub.evidence_too_big"), headers=_CLOSE) from None

    def save() -> bool:
        with store.write() as conn:
            return evidence.store_upload(conn, owner=owner, sha256=sha256, data=data,
                                         quota=quota)

    # The write waits for the hub's write lock: off the event loop, like the sync routes.
    if not await run_in_threadpool(save):
        raise HTTPException(422, tr("hub.evidence_bad_hash"))
    return Response(status_code=204)


@router.get("/conflicts", response_model=list[ConflictOut])
def conflicts(device: DeviceDep, store: StoreDep,
              status: str | None = Query("open")) -> list[ConflictOut]:
    with store.read() as conn:
        return [ConflictOut(**c) for c in crud.list_conflicts(conn, status=status or None)]
