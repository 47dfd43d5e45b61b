"""Devices: a one-time enrolment code (text and QR), the enrolled desks, revocation."""

from __future__ import annotations

import io
from typing import Any

import qrcode
import qrcode.image.svg
from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Connection, func, select, text

from bekasi_field.domain.enrol_qr import enrol_qr_text
from bekasi_field.hub import crud
from bekasi_field.hub.console import audit
from bekasi_field.hub.console.web import CheckedDep, CtxDep, page, redirect
from bekasi_field.hub.models import HubQuarantine

router = APIRouter()


def qr_svg(data: str) -> str:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4,
                       box_size=10, image_factory=qrcode.image.svg.SvgPathFillImage)
    qr.add_data(data)
    qr.make(fit=True)
    buf = io.BytesIO()
    qr.make_image().save(buf)
    svg = buf.getvalue().decode("utf-8")
    return svg[svg.index("<svg"):]  # inline in the page: no XML declaration


def known_sites(conn: Connection) -> list[str]:
    rows = conn.execute(text(
        "SELECT DISTINCT site_kelurahan FROM events UNION "
        "SELECT DISTINCT kelurahan FROM households")).scalars().all()
    return sorted({r for r in rows if r})


def _devices(ctx: CtxDep) -> tuple[list[dict[str, Any]], list[str]]:
    q = HubQuarantine.__table__
    with ctx.store.read() as conn:
        rows = crud.list_devices(conn)
        held: dict[str, int] = dict(conn.execute(select(q.c.device_id, func.count()).group_by(q.c.device_id))
                    .all())
        open_conflicts = crud.list_conflicts(conn)
        sites = known_sites(conn)
    for d in rows:
        d["quarantined"] = int(held.get(d["id"], 0))
        d["conflicts"] = sum(1 for c in open_conflicts if d["id"] in c["devices"])
    rows = [d for d in rows if ctx.account.may_see_site(d["site_kelurahan"])]
    if not ctx.account.is_admin:
        sites = [s for s in sites if ctx.account.may_see_site(s)] or list(ctx.account.sites)
    return rows, sites


@router.get("/devices", response_class=HTMLResponse)
def devices(ctx: CtxDep) -> HTMLResponse:
    rows, sites = _devices(ctx)
    return page(ctx, "devices.html", devices=rows, sites=sites, code=None)


@router.post("/devices/code", response_class=HTMLResponse)
def new_code(ctx: CheckedDep, site: str = Form(...), hours: float = Form(24.0)) -> HTMLResponse:
    ctx.require_site(site)
    hours = min(max(hours, 0.25), 72.0)
    with ctx.store.write() as conn:
        code = crud.create_enrol_code(conn, site_kelurahan=site, valid_hours=hours)
        audit.record(conn, account_id=ctx.account.id, action="enrol_code",
                     detail={"site": site, "hours": hours}, ip=ctx.ip)
    from bekasi_field.hub.site_hub import hub_fingerprint
    hub_url = str(ctx.request.base_url).rstrip("/")
    # The desk that reads it pins the hub's certificate only if it has this fingerprint.
    cert = hub_fingerprint(ctx.store) if hub_url.startswith("https://") else None
    qr_text = enrol_qr_text(hub_url=hub_url, code=code, fingerprint=cert)
    rows, sites = _devices(ctx)
    return page(ctx, "devices.html", devices=rows, sites=sites,
                code={"code": code, "site": site, "hours": hours, "hub_url": hub_url,
                      "svg": qr_svg(qr_text), "text": qr_text,
                      "fingerprint": hub_fingerprint(ctx.store)})


@router.post("/devices/{device_id}/revoke", response_model=None)
def revoke(ctx: CheckedDep, device_id: str) -> Response:
    with ctx.store.write() as conn:
        found = next((d for d in crud.list_devices(conn) if d["id"] == device_id), None)
        if found is None:
            return redirect("/devices", notice="console.unknown_device")
        ctx.require_site(found["site_kelurahan"])
        crud.revoke_device(conn, device_id)
        audit.record(conn, account_id=ctx.account.id, action="device_revoked",
                     detail={"device": device_id}, ip=ctx.ip)
    return redirect("/devices", notice="console.revoked")
