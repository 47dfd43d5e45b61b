"""Officers: create, list and log in with a PIN (argon2, lockout after repeated failures)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bekasi_field.domain import pins
from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.site_formats import SITE_TZ
from bekasi_field.i18n import tr
from bekasi_field.store.db import Database

ROLES = ("petugas", "pendamping", "supervisor", "admin")


@dataclass(frozen=True)
class OfficerInfo:
    id: str
    name: str
    role: str
    active: bool

    @property
    def is_supervisor(self) -> bool:
        return self.role in ("supervisor", "admin")


def create_officer(db: Database, *, officer_id: str, name: str, role: str, pin: str) -> OfficerInfo:
    if role not in ROLES:
        raise BekasiError(f"role must be one of {', '.join(ROLES)}")
    pin_hash = pins.hash_pin(pin, role)
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO officers (id, name, role, pin_hash, active, failed_attempts, version) "
            "VALUES (?, ?, ?, ?, 1, 0, 0) ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
            "role = excluded.role, pin_hash = excluded.pin_hash, active = 1, "
            "failed_attempts = 0, locked_until = NULL",
            (officer_id, name, role, pin_hash),
        )
    return OfficerInfo(officer_id, name, role, True)


def list_officers(db: Database) -> list[OfficerInfo]:
    conn = db.raw()
    try:
        rows = conn.execute("SELECT id, name, role, active FROM officers ORDER BY id").fetchall()
    finally:
        conn.close()
    return [OfficerInfo(r[0], r[1], r[2], bool(r[3])) for r in rows]


def get_officer(db: Database, officer_id: str) -> OfficerInfo | None:
    return next((o for o in list_officers(db) if o.id == officer_id), None)


def _locked_message(officer_id: str, until: dt.datetime, now: dt.datetime) -> str:
    left = max(0, int((until - now).total_seconds() + 0.999))
    return tr("pin.locked_exact", officer=officer_id,
              until=until.astimezone(SITE_TZ).strftime("%H:%M:%S"),
              minutes=left // 60, seconds=left % 60)


def login(db: Database, *, officer_id: str, pin: str, now: dt.datetime | None = None) -> OfficerInfo:
    """The officer when the PIN matches; BekasiError (wrong PIN, locked, unknown) otherwise.
    An empty PIN is not an attempt: it says so and counts nothing."""
    now = now or dt.datetime.now(dt.UTC)
    if not pin:
        raise BekasiError(tr("pin.empty"))
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT name, role, pin_hash, active, failed_attempts, locked_until "
            "FROM officers WHERE id = ?",
            (officer_id,),
        ).fetchone()
        if row is None or not row[3]:
            raise BekasiError(tr("pin.unknown_officer", officer=officer_id))
        name, role, pin_hash, _active, failed, locked_until = row
        if locked_until and dt.datetime.fromisoformat(locked_until) > now:
            raise BekasiError(_locked_message(officer_id, dt.datetime.fromisoformat(locked_until),
                                              now))
        if pins.pin_matches(pin_hash, pin):
            conn.execute(
                "UPDATE officers SET failed_attempts = 0, locked_until = NULL WHERE id = ?",
                (officer_id,),
            )
            return OfficerInfo(officer_id, name, role, True)
        failed = int(failed or 0) + 1
        until_dt = pins.lock_until(failed, now)
        # The count is kept through a lock-out, so each further failure waits longer.
        conn.execute(
            "UPDATE officers SET failed_attempts = ?, locked_until = ? WHERE id = ?",
            (failed, until_dt.isoformat() if until_dt else None, officer_id),
        )
    if until_dt:
        raise BekasiError(_locked_message(officer_id, until_dt, now))
    raise BekasiError(tr("pin.wrong", left=pins.MAX_ATTEMPTS - failed))


def unlock(db: Database, *, officer_id: str, supervisor_id: str, pin: str,
           now: dt.datetime | None = None) -> OfficerInfo:
    """Another supervisor lifts a lock-out with their own PIN (checked like a login)."""
    if supervisor_id == officer_id:
        raise BekasiError(tr("pin.unlock_self"))
    approver = login(db, officer_id=supervisor_id, pin=pin, now=now)
    if not approver.is_supervisor:
        raise BekasiError(tr("pin.unlock_not_supervisor", officer=supervisor_id))
    with db.transaction() as conn:
        done = conn.execute("UPDATE officers SET failed_attempts = 0, locked_until = NULL "
                            "WHERE id = ? AND active = 1", (officer_id,)).rowcount
    if not done:
        raise BekasiError(tr("pin.unknown_officer", officer=officer_id))
    return approver
