"""Journal push (idempotent, chain-checked) and pull of other devices' entries."""

from __future__ import annotations

from fastapi import APIRouter, Query

from bekasi_field.hub import crud, held_voids
from bekasi_field.hub.api.deps import DeviceDep, StoreDep
from bekasi_field.hub.graduations import apply_graduations
from bekasi_field.hub.scope import site_scope
from bekasi_field.sync.protocol import MAX_CURSOR, EntryIn, JournalPage, PushRequest, PushResponse

router = APIRouter(prefix="/journal", tags=["journal"])


@router.post("", response_model=PushResponse)
def push(body: PushRequest, device: DeviceDep, store: StoreDep) -> PushResponse:
    with store.write() as conn:
        result = crud.ingest(conn, device_id=device["id"], entries=body.entries)
        stored = {r.uuid for r in result.results if r.status == "stored"}
        apply_graduations(store, conn, [e for e in (x.model_dump() for x in body.entries)
                                        if e["uuid"] in stored])
    return PushResponse(acked_seq=result.acked_seq, results=result.results,
                        new_conflicts=result.new_conflicts, problem=result.problem)


@router.get("", response_model=JournalPage)
def pull(device: DeviceDep, store: StoreDep, after: int = Query(0, ge=0, le=MAX_CURSOR),
         limit: int = Query(2000, ge=1, le=5000),
         released_after: int = Query(0, ge=0, le=MAX_CURSOR)) -> JournalPage:
    with store.read() as conn:  # only entries of what the device's site needs
        scope = site_scope(conn, device["site_kelurahan"])
        rows, cursor, more = crud.journal_page(conn, exclude_device=device["id"], after=after,
                                               limit=limit, scope=scope)
        released, next_released, more_released = held_voids.released_page(
            conn, exclude_device=device["id"], after=released_after, limit=limit, scope=scope)
        keys = crud.device_keys(conn, {r["device_id"] for r in rows + released})
    return JournalPage(entries=[EntryIn.model_validate(r) for r in rows], next_cursor=cursor,
                       more=more or more_released, device_keys=keys,
                       released=[EntryIn.model_validate(r) for r in released],
                       next_released=next_released)
