"""The city overview (refreshing by itself) and an event's page with its downloads."""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse
from starlette.background import BackgroundTask

from bekasi_field.domain.errors import BekasiError
from bekasi_field.hub.console import audit, event_data
from bekasi_field.hub.console.progress import Overview
from bekasi_field.hub.console.web import CtxDep, Forbidden, page
from bekasi_field.reports.bast_pdf import write_bast
from bekasi_field.reports.model import EventSummary
from bekasi_field.reports.xlsx_recap import write_recap
from bekasi_field.services import reports

router = APIRouter()


def _overview(ctx: CtxDep) -> dict[str, Any]:
    ov: Overview = ctx.request.app.state.console_overview
    events, hours = ov.snapshot(sites=ctx.sites())
    first = next((i for i, v in enumerate(hours) if v), 7)
    last = max((i for i, v in enumerate(hours) if v), default=17)
    lo, hi = min(first, 7), max(last, 17)
    chart = event_data.bar_chart(hours[lo:hi + 1], [f"{h:02d}" for h in range(lo, hi + 1)])
    return {"events": events, "chart": chart, "today_total": sum(hours),
            "now": dt.datetime.now(dt.UTC).isoformat()}


@router.get("/", response_class=HTMLResponse)
def overview(ctx: CtxDep) -> HTMLResponse:
    return page(ctx, "overview.html", **_overview(ctx))


@router.get("/overview/part", response_class=HTMLResponse)
def overview_part(ctx: CtxDep) -> HTMLResponse:
    """The numbers alone, fetched by the page every few seconds."""
    return page(ctx, "overview_part.html", **_overview(ctx))


def _event(ctx: CtxDep, event_id: str) -> EventSummary:
    try:
        event = reports.get_event_summary(ctx.store.engine, event_id)
    except BekasiError:
        raise Forbidden("console.unknown_event") from None
    ctx.require_site(event.site_kelurahan)
    return event


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(ctx: CtxDep, event_id: str, q: str = "", kelurahan: str = "",
               p: int = 0) -> HTMLResponse:
    event = _event(ctx, event_id)
    recap = reports.recap_by_kelurahan(ctx.store.engine, event_id)
    with ctx.store.read() as conn:
        left, total_left = event_data.remaining_page(conn, event_id=event_id, query=q,
                                                     kelurahan=kelurahan, page=p)
        days, hours = event_data.timeline(conn, event_id=event_id)
    if q:
        with ctx.store.write() as conn:  # a search names a person: who looked is recorded
            audit.record(conn, account_id=ctx.account.id, action="search_remaining",
                         detail={"event": event_id, "found": total_left}, ip=ctx.ip)
    day_chart = event_data.bar_chart([n for _, n in days][-14:],
                                     [f"{d:%d/%m}" for d, _ in days][-14:])
    hour_chart = event_data.bar_chart(hours[6:20], [f"{h:02d}" for h in range(6, 20)])
    return page(ctx, "event.html", event=event, recap=recap, left=left, total_left=total_left,
                q=q, kelurahan=kelurahan, p=p, pages=(total_left + event_data.PAGE - 1)
                // event_data.PAGE, day_chart=day_chart, hour_chart=hour_chart)


def _work_file(ctx: CtxDep, suffix: str) -> Path:
    """A file in the hub's own console directory (not the system temp), deleted once sent."""
    d: Path = ctx.request.app.state.console_dir / "out"
    d.mkdir(parents=True, exist_ok=True)
    return d / f"{secrets.token_hex(8)}{suffix}"


def _send(path: Path, name: str, media: str) -> FileResponse:
    return FileResponse(path, filename=name, media_type=media,
                        headers={"Cache-Control": "no-store"},
                        background=BackgroundTask(path.unlink, missing_ok=True))


@router.get("/events/{event_id}/bast.pdf")
def bast(ctx: CtxDep, event_id: str, kelurahan: str = "") -> FileResponse:
    _event(ctx, event_id)
    data = reports.bast_data(ctx.store.engine, event_id)
    if kelurahan:
        rows = [r for r in data.rows if r.kelurahan == kelurahan]
        allocated = reports.allocated_by_kelurahan(ctx.store.engine, event_id).get(kelurahan, 0)
        data = dataclasses.replace(data, rows=rows,
                                   totals=reports.totals(rows, allocated=allocated))
    out = _work_file(ctx, ".pdf")
    write_bast(data, out)
    with ctx.store.write() as conn:
        audit.record(conn, account_id=ctx.account.id, action="download_bast",
                     detail={"event": event_id, "kelurahan": kelurahan,
                             "rows": len(data.rows)}, ip=ctx.ip)
    suffix = f"-{kelurahan.replace(' ', '_')}" if kelurahan else ""
    return _send(out, f"BAST-{event_id}{suffix}.pdf", "application/pdf")


@router.get("/events/{event_id}/recap.xlsx")
def recap_xlsx(ctx: CtxDep, event_id: str, kelurahan: str = "") -> FileResponse:
    event = _event(ctx, event_id)
    engine = ctx.store.engine
    rows = reports.handovers(engine, event_id)
    left = reports.remaining(engine, event_id)
    recap = reports.recap_by_kelurahan(engine, event_id, rows=rows)
    if kelurahan:
        rows = [r for r in rows if r.kelurahan == kelurahan]
        left = [r for r in left if r.kelurahan == kelurahan]
        recap = [r for r in recap if r.kelurahan == kelurahan]
    out = _work_file(ctx, ".xlsx")
    write_recap(event=event, handovers=rows, remaining=left, recap=recap, out=out)
    with ctx.store.write() as conn:
        audit.record(conn, account_id=ctx.account.id, action="download_xlsx",
                     detail={"event": event_id, "kelurahan": kelurahan, "rows": len(rows)},
                     ip=ctx.ip)
    suffix = f"-{kelurahan.replace(' ', '_')}" if kelurahan else ""
    return _send(out, f"Rekap-{event_id}{suffix}.xlsx",
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@router.get("/events/{event_id}/slips.pdf")
def slips_pdf(ctx: CtxDep, event_id: str) -> FileResponse:
    from bekasi_field.hub.snapshots import restamp
    from bekasi_field.services import keys, slips
    _event(ctx, event_id)
    signer = keys.ensure_signer(ctx.store.engine, ctx.request.app.state.hub_home / "hub-keys")
    out = _work_file(ctx, ".pdf")
    n = slips.render_event_slips(engine=ctx.store.engine, event_id=event_id, out=out,
                                 signer=signer)
    with ctx.store.write() as conn:
        restamp(ctx.store, conn, ("issuer_keys",))  # a new issuer key travels to the desks
        audit.record(conn, account_id=ctx.account.id, action="download_slips",
                     detail={"event": event_id, "slips": n}, ip=ctx.ip)
    return _send(out, f"Slip-{event_id}.pdf", "application/pdf")
