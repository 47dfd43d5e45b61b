"""Voids held for review at the hub: listed, then accepted or rejected by a supervisor.

A held void is stored in its device's chain but is not applied: conflicts ignore it and other
desks do not receive it. Accepting it (a supervisor of the entry's site, not the one who
approved the void at the desk) applies it: conflicts are recomputed and desks receive it
through the release cursor of the journal pull. Rejecting it keeps it on record, unapplied.

Helpers are keyword-only and never commit (the caller owns the transaction), like hub/crud.py;
the web console calls them as the CLI and the API do.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import Connection, func, select

from bekasi_field.hub.models import HubHeldVoid, HubJournal, HubMeta
from bekasi_field.hub.scope import SiteScope

log = logging.getLogger(__name__)

_T = HubHeldVoid.__table__
STATUSES = ("pending", "accepted", "rejected")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def hold(conn: Connection, *, entries: list[dict[str, Any]], reasons: dict[str, str],
         sites: dict[str, str]) -> int:
    """Record the held voids among freshly stored `entries` (reasons: void uuid -> why)."""
    rows = [{"void_uuid": e["uuid"], "voided_uuid": e["voids_uuid"], "device_id": e["device_id"],
             "event_id": e["event_id"], "household_id": e["household_id"],
             "site_kelurahan": sites.get(e["event_id"], ""), "officer_id": e["officer_id"],
             "reason": reasons[e["uuid"]], "status": "pending", "held_at": _now(), "note": ""}
            for e in entries if e["uuid"] in reasons]
    if rows:
        conn.execute(_T.insert(), rows)
        log.warning("%d void(s) held for review at the hub", len(rows))
    return len(rows)


def unapplied(conn: Connection, void_uuids: list[str]) -> set[str]:
    """Of these voids, the ones held and not accepted (they change no verdict)."""
    out: set[str] = set()
    want = sorted(set(void_uuids))
    for i in range(0, len(want), 500):
        out |= set(conn.execute(select(_T.c.void_uuid).where(
            _T.c.void_uuid.in_(want[i:i + 500]), _T.c.status != "accepted")).scalars())
    return out


def list_held_voids(conn: Connection, *, status: str | None = "pending",
                    site: str | None = None) -> list[dict[str, Any]]:
    """Held voids (pending by default; None: all), oldest first, optionally of one site."""
    q = select(_T).order_by(_T.c.held_at, _T.c.void_uuid)
    if status:
        q = q.where(_T.c.status == status)
    if site is not None:
        q = q.where(_T.c.site_kelurahan == site)
    cols = ("void_uuid", "voided_uuid", "device_id", "event_id", "household_id",
            "site_kelurahan", "officer_id", "reason", "status", "held_at", "decided_by",
            "decided_at", "note")
    return [{k: r[k] for k in cols} for r in conn.execute(q).mappings()]


def get_held_void(conn: Connection, *, void_uuid: str) -> dict[str, Any] | None:
    row = conn.execute(select(_T).where(_T.c.void_uuid == void_uuid)).mappings().first()
    return dict(row) if row else None


def decide_held_void(conn: Connection, *, void_uuid: str, accept: bool, supervisor_id: str,
                     note: str = "") -> dict[str, Any]:
    """Accept or reject a pending held void; returns the updated row.

    The caller has checked that `supervisor_id` is an active supervisor of the void's site
    (and, on the CLI and API, their PIN). Raises HubRefusal 404 (unknown), 409 (decided
    already) or 403 (the supervisor who approved the void cannot also accept it).
    """
    from bekasi_field.hub.crud import HubRefusal, update_conflicts
    row = get_held_void(conn, void_uuid=void_uuid)
    if row is None:
        raise HubRefusal(404, "hub.held_void_unknown", uuid=void_uuid)
    if row["status"] != "pending":
        raise HubRefusal(409, "hub.held_void_decided", uuid=void_uuid, state=row["status"])
    if supervisor_id == row["officer_id"]:
        raise HubRefusal(403, "hub.held_void_same_supervisor", officer=supervisor_id)
    values: dict[str, Any] = {"status": "accepted" if accept else "rejected",
                              "decided_by": supervisor_id, "decided_at": _now(),
                              "note": note.strip()[:500]}
    if accept:
        values["released_seq"] = _next_release(conn)
    conn.execute(_T.update().where(_T.c.void_uuid == void_uuid).values(**values))
    if accept:
        update_conflicts(conn, pairs={(row["event_id"], row["household_id"])})
    log.info("held void %s %s by %s", void_uuid, values["status"], supervisor_id)
    row.update(values)
    return row


def _next_release(conn: Connection) -> int:
    m = HubMeta.__table__
    current = conn.execute(select(m.c.value).where(m.c.key == "void_release_seq")).scalar()
    nxt = int(current or 0) + 1
    if current is None:
        conn.execute(m.insert().values(key="void_release_seq", value=str(nxt)))
    else:
        conn.execute(m.update().where(m.c.key == "void_release_seq").values(value=str(nxt)))
    return nxt


def released_page(conn: Connection, *, exclude_device: str | None, after: int,
                  limit: int, scope: SiteScope | None = None
                  ) -> tuple[list[dict[str, Any]], int, bool]:
    """Accepted held voids released after the cursor, as journal entries (oldest first)."""
    from bekasi_field.domain.journal_entry import ENTRY_COLUMNS
    j = HubJournal.__table__
    # The upper bound first, so a release committed meanwhile is not skipped by the cursor.
    top = int(conn.execute(select(func.max(_T.c.released_seq))).scalar() or 0)
    q = (select(j, _T.c.released_seq).join(_T, _T.c.void_uuid == j.c.uuid)
         .where(_T.c.released_seq > after, _T.c.released_seq <= top)
         .order_by(_T.c.released_seq).limit(limit + 1))
    if exclude_device:
        q = q.where(j.c.device_id != exclude_device)
    if scope is not None:
        q = q.where(scope.journal_filter(j))
    rows = [dict(r) for r in conn.execute(q).mappings()]
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = int(rows[-1]["released_seq"]) if more else max(top, after)
    return [{k: r[k] for k in ENTRY_COLUMNS} for r in rows], cursor, more


def held_uuids_query() -> Any:
    """A subquery of every held void's uuid (the normal journal pull leaves them out)."""
    return select(_T.c.void_uuid)
