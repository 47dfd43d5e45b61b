"""Conflicts: the hand-overs of one household side by side, and the reviewer's decision."""

from __future__ import annotations

import json

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Connection, select
from sqlmodel import SQLModel

from bekasi_field.domain.errors import BekasiError
from bekasi_field.hub import crud
from bekasi_field.hub.console import audit, decisions
from bekasi_field.hub.console.web import CheckedDep, CtxDep, Forbidden, page, redirect
from bekasi_field.hub.models import HubDevice, HubEvidence

router = APIRouter()


def _site_of_event(conn: Connection, event_id: str) -> str:
    e = SQLModel.metadata.tables["events"]
    return str(conn.execute(select(e.c.site_kelurahan).where(e.c.id == event_id)).scalar() or "")


@router.get("/conflicts", response_class=HTMLResponse)
def conflicts(ctx: CtxDep, show: str = "open") -> HTMLResponse:
    with ctx.store.read() as conn:
        rows = crud.list_conflicts(conn, status=None if show == "all" else "open")
        sites = {ev: _site_of_event(conn, ev) for ev in {r["event_id"] for r in rows}}
    rows = [r for r in rows if ctx.account.may_see_site(sites.get(r["event_id"], ""))]
    return page(ctx, "conflicts.html", conflicts=rows, show=show)


@router.get("/conflicts/{conflict_id}", response_class=HTMLResponse)
def conflict(ctx: CtxDep, conflict_id: int, error: str = "") -> HTMLResponse:
    with ctx.store.read() as conn:
        try:
            row, entries = decisions.conflict_entries(conn, conflict_id)
        except BekasiError:
            raise Forbidden("console.unknown_conflict") from None
        ctx.require_site(_site_of_event(conn, row["event_id"]))
        o, d = SQLModel.metadata.tables["officers"], HubDevice.__table__
        officers: dict[str, str] = dict(conn.execute(select(o.c.id, o.c.name)).all())
        devices = {r.id: r for r in conn.execute(select(d.c.id, d.c.name, d.c.site_kelurahan))}
    for e in entries:
        e["officer_name"] = officers.get(e["officer_id"], e["officer_id"])
        dev = devices.get(e["device_id"])
        e["device_name"] = (dev.name or dev.id) if dev else e["device_id"]
        e["evidence_map"] = json.loads(e["evidence"] or "{}")
        e["identity_map"] = json.loads(e["identity"] or "{}")
    return page(ctx, "conflict.html", conflict=row, entries=entries, error=error)


@router.post("/conflicts/{conflict_id}/decide", response_model=None)
def decide(ctx: CheckedDep, conflict_id: int, action: str = Form(...),
           entry_uuid: str = Form(...), reason: str = Form("")) -> Response:
    try:
        with ctx.store.write() as conn:
            row, _ = decisions.conflict_entries(conn, conflict_id)
            ctx.require_site(_site_of_event(conn, row["event_id"]))
            written = decisions.decide_conflict(
                conn, store=ctx.store, conflict_id=conflict_id, action=action,
                entry_uuid=entry_uuid, reason=reason, reviewer=ctx.account.id)
            audit.record(conn, account_id=ctx.account.id, action="conflict_decided",
                         detail={"conflict": conflict_id, "decision": action,
                                 "entry": entry_uuid, "voids": [w["uuid"] for w in written]},
                         ip=ctx.ip)
    except BekasiError as exc:
        return conflict(ctx, conflict_id, error=str(exc))
    return redirect("/conflicts", notice="console.decided")


@router.get("/evidence/{sha256}")
def evidence(ctx: CtxDep, sha256: str) -> Response:
    """A photo or signature named by a journal entry the account may see."""
    from bekasi_field.hub.models import HubJournal
    j, e = HubJournal.__table__, HubEvidence.__table__
    with ctx.store.read() as conn:
        data = conn.execute(select(e.c.data).where(e.c.sha256 == sha256)).scalar()
        sites = conn.execute(select(j.c.site).where(j.c.evidence.contains(sha256))
                             .limit(5)).scalars().all()
    if data is None or not any(ctx.account.may_see_site(s) for s in sites):
        raise Forbidden("console.no_evidence")
    media = "image/png" if data[:8] == b"\x89PNG\r\n\x1a\n" else "image/jpeg"
    return Response(data, media_type=media, headers={"Cache-Control": "no-store"})


