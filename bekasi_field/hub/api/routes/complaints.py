"""Complaint push from the desks: enrolled devices only, each for its own complaints."""

from __future__ import annotations

from fastapi import APIRouter

from bekasi_field.hub import complaints
from bekasi_field.hub.api.deps import DeviceDep, StoreDep
from bekasi_field.sync.complaint_protocol import ComplaintPush, ComplaintPushResponse

router = APIRouter(prefix="/complaints", tags=["complaints"])


@router.post("", response_model=ComplaintPushResponse)
def push(body: ComplaintPush, device: DeviceDep, store: StoreDep) -> ComplaintPushResponse:
    with store.write() as conn:
        acked, results, problem = complaints.ingest_complaints(
            conn, device_id=device["id"], complaints=body.complaints,
            public_key=device.get("public_key") or None)
    return ComplaintPushResponse(acked_seq=acked, results=results, problem=problem)


@router.get("/head")
def head(device: DeviceDep, store: StoreDep) -> dict[str, int]:
    """The device's acknowledged complaint sequence (a desk whose reply was lost resumes)."""
    with store.read() as conn:
        return {"acked_seq": complaints.complaints_head(conn, device_id=device["id"])}
