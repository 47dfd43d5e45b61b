"""Complaints / DTSEN update proposals pushed by the desks: the list (a supervisor's sites
only, NIKs masked) and the follow-up status, moved here with a note and audited."""

from __future__ import annotations

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response

from bekasi_field.domain import complaint_record as cr
from bekasi_field.hub import complaints
from bekasi_field.hub.console import audit
from bekasi_field.hub.console.web import CheckedDep, CtxDep, Forbidden, page, redirect
from bekasi_field.hub.crud import HubRefusal

router = APIRouter()


@router.get("/complaints", response_class=HTMLResponse)
def complaint_list(ctx: CtxDep, show: str = "open") -> HTMLResponse:
    with ctx.store.read() as conn:
        rows = complaints.list_complaints(conn, open_only=show != "all", limit=500)
        counts = complaints.complaint_counts(conn)
    rows = [r for r in rows if ctx.account.may_see_site(r["site"] or r["kelurahan"])]
    return page(ctx, "complaints.html", complaints=rows, counts=counts, show=show,
                statuses=cr.STATUSES)


@router.post("/complaints/{number}/status", response_model=None)
def set_status(ctx: CheckedDep, number: str, status: str = Form(...),
               note: str = Form("")) -> Response:
    with ctx.store.write() as conn:
        found = complaints.get_complaint(conn, complaint_id=number)
        if found is None:
            raise Forbidden("console.unknown_complaint")
        ctx.require_site(found["site"] or found["kelurahan"])
        try:
            complaints.set_complaint_status(conn, complaint_id=number, status=status,
                                            by=ctx.account.id, note=note)
        except HubRefusal:
            raise Forbidden("console.bad_status") from None
        audit.record(conn, account_id=ctx.account.id, action="complaint_status",
                     detail={"complaint": found["number"], "status": status}, ip=ctx.ip)
    return redirect("/complaints", notice="console.saved")
