"""Held voids: the device's site's list, and a supervisor's decision (with their PIN).

Any enrolled device of the site may list them; deciding needs an active supervisor of the
void's site with their PIN, checked at the hub, and not the one who approved the void.
"""

from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from bekasi_field.hub import held_voids
from bekasi_field.hub.api.deps import DeviceDep, StoreDep
from bekasi_field.hub.crud import HubRefusal
from bekasi_field.hub.supervisors import supervisor_refusal

router = APIRouter(prefix="/voids/held", tags=["voids"])


class HeldVoidOut(BaseModel):
    void_uuid: str
    voided_uuid: str
    device_id: str
    event_id: str
    household_id: str
    site_kelurahan: str
    officer_id: str
    reason: str
    status: str
    held_at: str
    decided_by: str | None = None
    decided_at: str | None = None
    note: str = ""


class HeldVoidDecision(BaseModel):
    accept: bool
    supervisor_id: str = Field(min_length=1, max_length=64)
    pin: str = Field(min_length=1, max_length=16)
    note: str = Field("", max_length=500)


@router.get("", response_model=list[HeldVoidOut])
def list_held(device: DeviceDep, store: StoreDep,
              status: str = Query("pending", pattern="^(pending|accepted|rejected|all)$")
              ) -> list[HeldVoidOut]:
    with store.read() as conn:
        rows = held_voids.list_held_voids(conn, status=None if status == "all" else status,
                                          site=device["site_kelurahan"])
    return [HeldVoidOut(**r) for r in rows]


@router.post("/{void_uuid}", response_model=HeldVoidOut)
def decide(void_uuid: str, body: HeldVoidDecision, device: DeviceDep,
           store: StoreDep) -> HeldVoidOut:
    site = device["site_kelurahan"]
    with store.read() as conn:
        row = held_voids.get_held_void(conn, void_uuid=void_uuid)
    if row is None or row["site_kelurahan"] != site:
        raise HubRefusal(404, "hub.held_void_unknown", uuid=void_uuid)
    with store.write() as conn:  # the failed-attempt count commits even when refused
        refusal = supervisor_refusal(conn, officer_id=body.supervisor_id, pin=body.pin,
                                     site=site)
    if refusal:
        raise HubRefusal(403, refusal, officer=body.supervisor_id)
    with store.write() as conn:
        done = held_voids.decide_held_void(conn, void_uuid=void_uuid, accept=body.accept,
                                           supervisor_id=body.supervisor_id, note=body.note)
    return HeldVoidOut(**{k: done[k] for k in HeldVoidOut.model_fields})
