"""Voids held for review (hub/held_voids.py), decided in the console.

Each held void is shown beside the entry it would undo: desk, officer, time, the void's reason
and the supervisor who approved it at the desk. The logged-in account (an administrator, or a
supervisor of the void's site) accepts or rejects it with a reason; the same helper as the CLI
and the API applies the decision (an accepted void reaches the desks through the journal pull's
release cursor), and the audit line commits in the same transaction.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Connection, select
from sqlmodel import SQLModel

from bekasi_field.hub import held_voids
from bekasi_field.hub.console import audit
from bekasi_field.hub.console.web import CheckedDep, Ctx, CtxDep, Forbidden, page, redirect
from bekasi_field.hub.crud import HubRefusal
from bekasi_field.hub.models import HubDevice, HubJournal

router = APIRouter()

DECISIONS = ("accept", "reject")
_ENTRY_COLS = ("uuid", "device_id", "kind", "officer_id", "created_at", "reason", "is_proxy",
               "proxy_name", "recipient_name", "recipient_nik", "code_kind", "verdict", "site",
               "override_by")


def _entries(conn: Connection, uuids: set[str]) -> dict[str, dict[str, Any]]:
    j = HubJournal.__table__
    out: dict[str, dict[str, Any]] = {}
    want = sorted(uuids)
    for i in range(0, len(want), 500):
        q = select(*(j.c[c] for c in _ENTRY_COLS)).where(j.c.uuid.in_(want[i:i + 500]))
        out.update({r["uuid"]: dict(r) for r in conn.execute(q).mappings()})
    return out


def _held(ctx: Ctx, show: str) -> list[dict[str, Any]]:
    """The held voids this account may see, each with its void and voided journal entries."""
    with ctx.store.read() as conn:
        rows = held_voids.list_held_voids(conn, status=None if show == "all" else "pending")
        rows = [r for r in rows if ctx.account.may_see_site(r["site_kelurahan"])]
        entries = _entries(conn, {r["void_uuid"] for r in rows} | {r["voided_uuid"] for r in rows})
        o, d = SQLModel.metadata.tables["officers"], HubDevice.__table__
        officers: dict[str, str] = dict(conn.execute(select(o.c.id, o.c.name)).all())
        devices: dict[str, str] = {i: (n or i) for i, n in conn.execute(select(d.c.id, d.c.name))}
    for r in rows:
        for key, uuid in (("void", r["void_uuid"]), ("voided", r["voided_uuid"])):
            e = entries.get(uuid)
            if e is not None:
                e["officer_name"] = officers.get(e["officer_id"], e["officer_id"])
                e["device_name"] = devices.get(e["device_id"], e["device_id"])
            r[key] = e
        r["approver_name"] = officers.get(r["officer_id"], r["officer_id"])
    return rows


@router.get("/voids", response_class=HTMLResponse)
def voids(ctx: CtxDep, show: str = "pending", error: str = "", focus: str = "") -> HTMLResponse:
    return page(ctx, "voids.html", held=_held(ctx, show), show=show, error=error, focus=focus)


@router.post("/voids/{void_uuid}/decide", response_model=None)
def decide(ctx: CheckedDep, void_uuid: str, decision: str = Form(...),
           reason: str = Form("")) -> Response:
    reason = " ".join(reason.split())
    if decision not in DECISIONS:
        return voids(ctx, error=ctx.t("console.bad_decision"), focus=void_uuid)
    if len(reason) < 5:
        return voids(ctx, error=ctx.t("console.reason_needed"), focus=void_uuid)
    try:
        with ctx.store.write() as conn:
            row = held_voids.get_held_void(conn, void_uuid=void_uuid)
            if row is None:
                raise Forbidden("console.unknown_held_void")
            ctx.require_site(row["site_kelurahan"])
            if ctx.account.id.strip().lower() == str(row["officer_id"]).strip().lower():
                # the same person cannot approve a void at the desk and accept it here
                raise HubRefusal(403, "hub.held_void_same_supervisor", officer=row["officer_id"])
            done = held_voids.decide_held_void(conn, void_uuid=void_uuid,
                                               accept=decision == "accept",
                                               supervisor_id=ctx.account.id, note=reason)
            audit.record(conn, account_id=ctx.account.id, action="held_void_decided",
                         detail={"void": void_uuid, "voided": row["voided_uuid"],
                                 "event": row["event_id"], "decision": done["status"]},
                         ip=ctx.ip)
    except HubRefusal as exc:
        return voids(ctx, error=ctx.t(exc.key, **exc.values), focus=void_uuid)
    accepted = done["status"] == "accepted"
    return redirect("/voids", notice="console.held_void_accepted" if accepted
                    else "console.held_void_rejected")
