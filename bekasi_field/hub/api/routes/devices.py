"""Enrolment (one-time code -> device token) and the device's status."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import update

from bekasi_field.hub import crud
from bekasi_field.hub.api.deps import DeviceDep, StoreDep
from bekasi_field.hub.enrol_guard import EnrolGuard
from bekasi_field.hub.models import HubDevice
from bekasi_field.hub.scope import scope_digest
from bekasi_field.sync.protocol import (
    DeviceKeyRequest,
    DeviceNameRequest,
    EnrolRequest,
    EnrolResponse,
    StatusResponse,
)
from bekasi_field.sync.signing import public_hex

router = APIRouter(tags=["devices"])


@router.post("/enrol", response_model=EnrolResponse,
             responses={429: {"description": "too many wrong codes from this address: wait "
                                             "Retry-After seconds"}})
def enrol(body: EnrolRequest, store: StoreDep, request: Request) -> EnrolResponse:
    guard: EnrolGuard = request.app.state.enrol_guard
    address = request.client.host if request.client else ""
    wait = guard.retry_after(address)
    if wait is not None:
        raise crud.HubRefusal(429, "hub.enrol_wait", seconds=wait)
    try:
        with store.write() as conn:
            token, site = crud.enrol_device(conn, code=body.code, device_id=body.device_id,
                                            name=body.name, public_key=body.public_key)
    except crud.HubRefusal as exc:
        if exc.status == 401:  # a wrong or expired code: one more towards the wait
            guard.failed(address)
        raise
    guard.succeeded(address)
    return EnrolResponse(device_id=body.device_id, token=token, site_kelurahan=site,
                         hub_id=store.hub_id(), hub_public_key=public_hex(store.signing_key()))


@router.get("/status", response_model=StatusResponse)
def status(device: DeviceDep, store: StoreDep) -> StatusResponse:
    with store.read() as conn:
        acked, _ = crud.device_head(conn, device["id"])
        conflicts = crud.list_conflicts(conn, device_id=device["id"])
        scope = scope_digest(conn, device["site_kelurahan"])
    return StatusResponse(device_id=device["id"], site_kelurahan=device["site_kelurahan"],
                          acked_seq=acked, snapshot_version=store.snapshot_version(),
                          open_conflicts=len(conflicts), hub_id=store.hub_id(),
                          device_key_registered=bool(device.get("public_key")),
                          snapshot_scope=scope)


@router.put("/device/name", status_code=204)
def set_name(body: DeviceNameRequest, device: DeviceDep, store: StoreDep) -> None:
    """The desk tells its name; the site's desks learn it with the keys (/site/device-keys)."""
    d = HubDevice.__table__
    with store.write() as conn:
        conn.execute(update(d).where(d.c.id == device["id"]).values(name=body.name.strip()))


@router.put("/device/key", status_code=204)
def register_key(body: DeviceKeyRequest, device: DeviceDep, store: StoreDep) -> None:
    """A device enrolled before entries were signed registers its key (once; 409 after)."""
    with store.write() as conn:
        crud.register_device_key(conn, device_id=device["id"], public_key=body.public_key)


@router.get("/health", tags=["meta"])
def health() -> dict[str, str]:
    return {"status": "ok"}
