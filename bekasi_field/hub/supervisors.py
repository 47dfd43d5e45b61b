"""A supervisor acting at the hub (deciding a held void): active, of the site, right PIN.

Wrong PINs count towards the same lock-out as at the desk (domain.pins), kept in the hub's
officers row. The check returns the refusal instead of raising, so the caller can commit the
failed-attempt count before refusing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, select
from sqlmodel import SQLModel

from bekasi_field.domain import pins
from bekasi_field.hub.officer_sites import sites_of

SUPERVISOR_ROLES = ("supervisor", "admin")


def supervisor_refusal(conn: Connection, *, officer_id: str, pin: str, site: str,
                       now: dt.datetime | None = None) -> str | None:
    """None when `officer_id` is an active supervisor of `site` and `pin` is theirs; else the
    i18n key of the refusal. Updates the failed-attempt count (commit it either way)."""
    now = now or dt.datetime.now(dt.UTC)
    of = SQLModel.metadata.tables["officers"]
    row = conn.execute(select(of.c.role, of.c.active, of.c.pin_hash, of.c.failed_attempts,
                              of.c.locked_until).where(of.c.id == officer_id)).first()
    if row is None or not row.active or row.role not in SUPERVISOR_ROLES \
            or site not in sites_of(conn, [officer_id])[officer_id]:
        return "hub.not_site_supervisor"
    if row.locked_until and dt.datetime.fromisoformat(row.locked_until) > now:
        return "hub.supervisor_locked"
    if pins.pin_matches(row.pin_hash, pin):
        conn.execute(of.update().where(of.c.id == officer_id)
                     .values(failed_attempts=0, locked_until=None))
        return None
    failed = int(row.failed_attempts or 0) + 1
    until = pins.lock_until(failed, now)
    # The count is kept through a lock-out (as at the desk), so each further failure waits
    # longer; a right PIN starts over.
    conn.execute(of.update().where(of.c.id == officer_id).values(
        failed_attempts=failed, locked_until=until.isoformat() if until else None))
    return "hub.supervisor_locked" if until else "hub.supervisor_wrong_pin"
