"""The audit log page: every console action, newest first (administrators see everyone's,
a supervisor their own)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from bekasi_field.hub.console import audit
from bekasi_field.hub.console.web import CtxDep, page

router = APIRouter()
PAGE = 100


@router.get("/audit", response_class=HTMLResponse)
def audit_log(ctx: CtxDep, p: int = 0) -> HTMLResponse:
    with ctx.store.read() as conn:
        rows, total = audit.recent(conn, limit=PAGE, offset=max(p, 0) * PAGE,
                                   account_id=None if ctx.account.is_admin else ctx.account.id)
    return page(ctx, "audit.html", rows=rows, total=total, p=p,
                pages=(total + PAGE - 1) // PAGE)
