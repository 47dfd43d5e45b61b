"""Officers on the hub's registry: add, assign to sites, reset a PIN, deactivate. Every change
is stamped into a new snapshot version, so the desks of the site get it on their next pull."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Connection, delete, select
from sqlmodel import SQLModel

from bekasi_field.domain import pins
from bekasi_field.domain.errors import BekasiError
from bekasi_field.hub.console import audit
from bekasi_field.hub.console.models import HubOfficerSite
from bekasi_field.hub.console.routes_devices import known_sites
from bekasi_field.hub.console.web import CheckedDep, Ctx, CtxDep, Forbidden, page, redirect
from bekasi_field.hub.snapshots import restamp
from bekasi_field.services.officers import ROLES
from bekasi_field.store.models import Officer

_OFFICERS = SQLModel.metadata.tables[Officer.__tablename__]

router = APIRouter()
SitesForm = Annotated[list[str] | None, Form()]  # a multiple <select>: absent when none
SUPERVISOR_MAY_ADD = ("petugas", "pendamping")


def _officers(conn: Connection) -> list[dict[str, Any]]:
    o, s = _OFFICERS, HubOfficerSite.__table__
    sites: dict[str, list[str]] = {}
    for oid, site in conn.execute(select(s.c.officer_id, s.c.site_kelurahan)):
        sites.setdefault(oid, []).append(site)
    return [{"id": r.id, "name": r.name, "role": r.role, "active": bool(r.active),
             "sites": sorted(sites.get(r.id, []))}
            for r in conn.execute(select(o.c.id, o.c.name, o.c.role, o.c.active)
                                  .order_by(o.c.id))]


def _visible(ctx: Ctx, officer: dict[str, Any]) -> bool:
    return ctx.account.is_admin or any(ctx.account.may_see_site(s) for s in officer["sites"])


def _render(ctx: Ctx, error: str = "") -> HTMLResponse:
    with ctx.store.read() as conn:
        rows = [r for r in _officers(conn) if _visible(ctx, r)]
        sites = known_sites(conn)
    if not ctx.account.is_admin:
        sites = list(ctx.account.sites)
    roles = ROLES if ctx.account.is_admin else SUPERVISOR_MAY_ADD
    return page(ctx, "officers.html", officers=rows, sites=sites, roles=roles, error=error)


@router.get("/officers", response_class=HTMLResponse)
def officers(ctx: CtxDep) -> HTMLResponse:
    return _render(ctx)


def _set_sites(conn: Connection, officer_id: str, sites: list[str]) -> None:
    s = HubOfficerSite.__table__
    conn.execute(delete(s).where(s.c.officer_id == officer_id))
    if sites:
        conn.execute(s.insert(), [{"officer_id": officer_id, "site_kelurahan": x}
                                  for x in sorted(set(sites))])


def _one(ctx: Ctx, conn: Connection, officer_id: str) -> dict[str, Any]:
    found = next((r for r in _officers(conn) if r["id"] == officer_id), None)
    if found is None or not _visible(ctx, found):
        raise Forbidden("console.unknown_officer")
    return found


@router.post("/officers", response_model=None)
def add(ctx: CheckedDep, officer_id: str = Form(...), name: str = Form(...),
        role: str = Form(...), pin: str = Form(...), sites: SitesForm = None) -> Response:
    officer_id, name = officer_id.strip().upper(), " ".join(name.split())
    sites = sites or []
    try:
        if not officer_id or not name or len(officer_id) > 32:
            raise BekasiError(ctx.t("console.officer_fields"))
        if role not in (ROLES if ctx.account.is_admin else SUPERVISOR_MAY_ADD):
            raise BekasiError(ctx.t("console.bad_officer_role"))
        for s in sites:
            ctx.require_site(s)
        if not ctx.account.is_admin and not sites:
            sites = list(ctx.account.sites[:1])
        pin_hash = pins.hash_pin(pin, role)
        o = _OFFICERS
        with ctx.store.write() as conn:
            if conn.execute(select(o.c.id).where(o.c.id == officer_id)).first():
                raise BekasiError(ctx.t("console.officer_exists", id=officer_id))
            conn.execute(o.insert().values(id=officer_id, name=name, role=role,
                                           pin_hash=pin_hash, active=True, failed_attempts=0,
                                           version=0))
            _set_sites(conn, officer_id, sites)
            restamp(ctx.store, conn, ("officers",))
            audit.record(conn, account_id=ctx.account.id, action="officer_added",
                         detail={"officer": officer_id, "role": role, "sites": sites},
                         ip=ctx.ip)
    except BekasiError as exc:
        return _render(ctx, error=str(exc))
    return redirect("/officers", notice="console.saved")


@router.post("/officers/{officer_id}/sites", response_model=None)
def assign(ctx: CheckedDep, officer_id: str, sites: SitesForm = None) -> Response:
    sites = sites or []
    for s in sites:
        ctx.require_site(s)
    with ctx.store.write() as conn:
        before = _one(ctx, conn, officer_id)["sites"]
        # A supervisor changes only their own sites' part of the list.
        kept = [s for s in before if not ctx.account.may_see_site(s)]
        _set_sites(conn, officer_id, kept + sites)
        audit.record(conn, account_id=ctx.account.id, action="officer_sites",
                     detail={"officer": officer_id, "sites": sorted(set(kept + sites))},
                     ip=ctx.ip)
    return redirect("/officers", notice="console.saved")


@router.post("/officers/{officer_id}/pin", response_model=None)
def reset_pin(ctx: CheckedDep, officer_id: str, pin: str = Form(...)) -> Response:
    with ctx.store.read() as conn:
        role = _one(ctx, conn, officer_id)["role"]
    try:
        pin_hash = pins.hash_pin(pin, role)
    except BekasiError as exc:
        return _render(ctx, error=str(exc))
    o = _OFFICERS
    with ctx.store.write() as conn:
        _one(ctx, conn, officer_id)
        conn.execute(o.update().where(o.c.id == officer_id).values(
            pin_hash=pin_hash, failed_attempts=0, locked_until=None))
        restamp(ctx.store, conn, ("officers",))
        audit.record(conn, account_id=ctx.account.id, action="officer_pin_reset",
                     detail={"officer": officer_id}, ip=ctx.ip)
    return redirect("/officers", notice="console.pin_reset")


@router.post("/officers/{officer_id}/active", response_model=None)
def set_active(ctx: CheckedDep, officer_id: str, active: str = Form("0")) -> Response:
    o = _OFFICERS
    with ctx.store.write() as conn:
        _one(ctx, conn, officer_id)
        conn.execute(o.update().where(o.c.id == officer_id).values(active=active == "1"))
        restamp(ctx.store, conn, ("officers",))
        audit.record(conn, account_id=ctx.account.id,
                     action="officer_activated" if active == "1" else "officer_deactivated",
                     detail={"officer": officer_id}, ip=ctx.ip)
    return redirect("/officers", notice="console.saved")
