"""The console's audit log: who did what, when, from where. Written in the same transaction as
the action it records, so an action and its audit line commit (or roll back) together."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, func, select

from bekasi_field.hub.console.models import ConsoleAudit
from bekasi_field.hub.crud import utc_now


def record(conn: Connection, *, account_id: str, action: str,
           detail: dict[str, Any] | None = None,
           ip: str = "") -> None:
    """One audit line. `detail` must hold ids and counts, never a NIK, a name or a password."""
    conn.execute(ConsoleAudit.__table__.insert().values(
        at=utc_now(), account_id=account_id, action=action,
        detail=json.dumps(detail or {}, ensure_ascii=False, sort_keys=True), ip=ip))


def recent(conn: Connection, *, limit: int = 200, offset: int = 0,
           account_id: str | None = None) -> tuple[list[dict[str, Any]], int]:
    t = ConsoleAudit.__table__
    q = select(t).order_by(t.c.id.desc()).limit(limit).offset(offset)
    n = select(func.count()).select_from(t)
    if account_id:
        q, n = q.where(t.c.account_id == account_id), n.where(t.c.account_id == account_id)
    rows = [dict(r) for r in conn.execute(q).mappings()]
    return rows, int(conn.execute(n).scalar_one())
