"""Console accounts: argon2id passwords, lock-out with back-off, sessions with a CSRF token.

Helpers never commit; the caller owns the transaction (HubStore.write()).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, delete, select

from bekasi_field.domain.errors import BekasiError
from bekasi_field.hub.console.models import ConsoleAccount, ConsoleSession
from bekasi_field.i18n import tr

ROLES = ("admin", "supervisor")
ADMIN_MIN_LENGTH = 10
OTHER_MIN_LENGTH = 8
FREE_ATTEMPTS = 3  # then locked for BACKOFF_BASE, doubling with each further failure
BACKOFF_BASE = dt.timedelta(seconds=30)
BACKOFF_MAX = dt.timedelta(hours=1)
SESSION_HOURS = 12
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)
# Verified when the ID is unknown, so a wrong ID costs the same time as a wrong password.
_DUMMY_HASH = _hasher.hash("not-an-account-password")


@dataclass(frozen=True)
class Account:
    id: str
    role: str
    sites: tuple[str, ...]
    active: bool = True

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def may_see_site(self, site: str) -> bool:
        return self.is_admin or site.strip().lower() in {s.lower() for s in self.sites}


class LoginRefused(BekasiError):
    """Wrong ID or password, a locked or inactive account: the message says which it may."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(t: dt.datetime) -> str:
    return t.isoformat(timespec="seconds")


def check_password(password: str, *, role: str) -> str:
    need = ADMIN_MIN_LENGTH if role == "admin" else OTHER_MIN_LENGTH
    if len(password) < need:
        raise BekasiError(tr("console.password_short", n=need))
    return password


def _row_account(r: Mapping[str, Any]) -> Account:
    return Account(id=r["id"], role=r["role"], sites=tuple(json.loads(r["sites"] or "[]")),
                   active=bool(r["active"]))


def add_account(conn: Connection, *, account_id: str, password: str, role: str = "admin",
                sites: list[str] | None = None) -> Account:
    """Create (or replace the password, role and sites of) a console account."""
    account_id = account_id.strip()
    if not account_id or len(account_id) > 64:
        raise BekasiError(tr("console.bad_account_id"))
    if role not in ROLES:
        raise BekasiError(tr("console.bad_role", roles=", ".join(ROLES)))
    sites = [s.strip() for s in (sites or []) if s.strip()]
    if role == "supervisor" and not sites:
        raise BekasiError(tr("console.supervisor_needs_sites"))
    values = {"role": role, "sites": json.dumps(sites, ensure_ascii=False),
              "password_hash": _hasher.hash(check_password(password, role=role)),
              "active": True, "failed_attempts": 0, "locked_until": None}
    t = ConsoleAccount.__table__
    if conn.execute(select(t.c.id).where(t.c.id == account_id)).first():
        conn.execute(t.update().where(t.c.id == account_id).values(**values))
    else:
        conn.execute(t.insert().values(id=account_id, created_at=_iso(_now()), **values))
    return Account(id=account_id, role=role, sites=tuple(sites))


def list_accounts(conn: Connection) -> list[Account]:
    t = ConsoleAccount.__table__
    return [_row_account(dict(r)) for r in conn.execute(select(t).order_by(t.c.id)).mappings()]


def backoff(failed: int) -> dt.timedelta | None:
    """How long an account stays locked after `failed` consecutive failures."""
    if failed < FREE_ATTEMPTS:
        return None
    wait: dt.timedelta = BACKOFF_BASE * (2 ** (failed - FREE_ATTEMPTS))
    return min(wait, BACKOFF_MAX)


def login(conn: Connection, *, account_id: str, password: str,
          now: dt.datetime | None = None) -> Account:
    """The account when the password matches; LoginRefused otherwise (counting the failure)."""
    now = now or _now()
    t = ConsoleAccount.__table__
    row = conn.execute(select(t).where(t.c.id == account_id.strip())).mappings().first()
    if row is None:
        try:
            _hasher.verify(_DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            pass
        raise LoginRefused(tr("console.login_wrong"))
    if row["locked_until"] and dt.datetime.fromisoformat(row["locked_until"]) > now:
        raise LoginRefused(tr("console.login_locked", until=row["locked_until"][11:19]))
    ok = _password_matches(row["password_hash"], password)
    if not ok:
        failed = int(row["failed_attempts"]) + 1
        wait = backoff(failed)
        conn.execute(t.update().where(t.c.id == row["id"]).values(
            failed_attempts=failed, locked_until=_iso(now + wait) if wait else None))
        raise LoginRefused(tr("console.login_wrong"))
    if not row["active"]:
        raise LoginRefused(tr("console.login_inactive"))
    conn.execute(t.update().where(t.c.id == row["id"]).values(failed_attempts=0,
                                                               locked_until=None))
    return _row_account(dict(row))


def _password_matches(password_hash: str, password: str) -> bool:
    try:
        return bool(_hasher.verify(password_hash, password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(conn: Connection, account: Account) -> tuple[str, str]:
    """A new session: (cookie token, CSRF token). Only the token's hash is stored."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    now = _now()
    s = ConsoleSession.__table__
    conn.execute(delete(s).where(s.c.expires_at < _iso(now)))
    conn.execute(s.insert().values(token_hash=_token_hash(token), account_id=account.id,
                                   csrf=csrf, created_at=_iso(now),
                                   expires_at=_iso(now + dt.timedelta(hours=SESSION_HOURS))))
    return token, csrf


def session_account(conn: Connection, token: str | None) -> tuple[Account, str] | None:
    """(account, CSRF token) of a live session of an active account, else None."""
    if not token:
        return None
    s, a = ConsoleSession.__table__, ConsoleAccount.__table__
    row = conn.execute(
        select(s.c.csrf, s.c.expires_at, a).join(a, a.c.id == s.c.account_id)
        .where(s.c.token_hash == _token_hash(token))).mappings().first()
    if row is None or row["expires_at"] < _iso(_now()) or not row["active"]:
        return None
    return _row_account(dict(row)), row["csrf"]


def close_session(conn: Connection, token: str | None) -> None:
    if token:
        s = ConsoleSession.__table__
        conn.execute(delete(s).where(s.c.token_hash == _token_hash(token)))
