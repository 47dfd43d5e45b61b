"""Live claims: an enrolled desk asks for a subject's state and claims it before a hand-over.

Who may: any enrolled, unrevoked device (Bearer token); a claim is released only by its holder.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Response

from bekasi_field.hub import claims
from bekasi_field.hub.api.deps import DeviceDep, StoreDep
from bekasi_field.hub.crud import HubRefusal
from bekasi_field.sync.live_protocol import ClaimAnswer, ClaimRequest, Holder, StateAnswer

router = APIRouter(prefix="/claims", tags=["claims"])


@router.post("", response_model=ClaimAnswer)
def claim(body: ClaimRequest, device: DeviceDep, store: StoreDep) -> ClaimAnswer:
    # A claim is answered while an officer waits; it survives a killed hub without an fsync.
    with store.write(fsync=False) as conn:
        out = claims.claim(conn, device=device, event_id=body.event_id,
                           household_id=body.household_id, person_nik=body.person_nik,
                           officer_id=body.officer_id, ttl_s=body.ttl_s)
    return ClaimAnswer(claim="granted" if out.granted else "refused", state=out.state,
                       claim_id=out.claim_id, expires_in=out.expires_in,
                       holder=Holder(**out.holder) if out.holder else None)


@router.get("/state", response_model=StateAnswer)
def state(device: DeviceDep, store: StoreDep, event_id: str = Query(min_length=1),
          household_id: str = Query(min_length=1),
          person_nik: str | None = Query(None)) -> StateAnswer:
    with store.read() as conn:
        found, holder = claims.state(conn, event_id=event_id, household_id=household_id,
                                     person_nik=person_nik, device_id=device["id"])
    return StateAnswer(state=found, holder=Holder(**holder) if holder else None)


@router.delete("/{claim_id}", status_code=204)
def release(claim_id: str, device: DeviceDep, store: StoreDep) -> Response:
    with store.write() as conn:
        if not claims.release(conn, device_id=device["id"], claim_id=claim_id):
            raise HubRefusal(404, "hub.claim_unknown")
    return Response(status_code=204)
