"""The public keys of the desks of the caller's site, so that a desk can verify another desk's
receipts offline (services/receipts.py). Enrolled devices only; revoked desks are left out."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from bekasi_field.hub.api.deps import DeviceDep, StoreDep
from bekasi_field.hub.models import HubDevice

router = APIRouter(prefix="/site", tags=["devices"])


@router.get("/device-keys")
def device_keys(device: DeviceDep, store: StoreDep) -> dict[str, dict[str, str]]:
    d = HubDevice.__table__
    with store.read() as conn:
        rows = conn.execute(select(d.c.id, d.c.public_key, d.c.name).where(
            d.c.site_kelurahan == device["site_kelurahan"], d.c.revoked.is_(False))).all()
    # The desks' names too ("Meja 2"): SUDAH DIAMBIL names the desk that recorded it.
    return {"device_keys": {i: k for i, k, _n in rows if k},
            "device_names": {i: n for i, _k, n in rows if n}}
