"""Officer PINs: argon2 hashes and the lockout rule."""

from __future__ import annotations

import datetime as dt

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr

MAX_ATTEMPTS = 5
LOCKOUT = dt.timedelta(minutes=5)
# Desk laptops are slow; these parameters keep a check near 50 ms while staying memory-hard.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


MIN_DIGITS = 4
# A supervisor's PIN approves voids and overrides and decides held voids at the hub: a 4-digit
# one fell to an offline guess against its hash in under a minute, so it has at least 6.
SUPERVISOR_MIN_DIGITS = 6
MAX_DIGITS = 8
SUPERVISOR_ROLES = ("supervisor", "admin")


def min_digits(role: str | None) -> int:
    return SUPERVISOR_MIN_DIGITS if role in SUPERVISOR_ROLES else MIN_DIGITS


def validate_pin(pin: str, role: str | None = None) -> str:
    """The PIN when it is 4 to 8 digits (a supervisor's or admin's: 6 to 8)."""
    if not (pin.isascii() and pin.isdigit() and len(pin) <= MAX_DIGITS):
        raise BekasiError(tr("pin.too_short"))
    if len(pin) < min_digits(role):
        raise BekasiError(tr("pin.too_short_supervisor") if role in SUPERVISOR_ROLES
                          else tr("pin.too_short"))
    return pin


def hash_pin(pin: str, role: str | None = None) -> str:
    return _hasher.hash(validate_pin(pin, role))


def pin_matches(pin_hash: str, pin: str) -> bool:
    try:
        return _hasher.verify(pin_hash, pin)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


MAX_LOCKOUT = dt.timedelta(hours=1)


def lock_until(failed_attempts: int, now: dt.datetime) -> dt.datetime | None:
    """After MAX_ATTEMPTS consecutive failures the officer waits LOCKOUT; every further failure
    doubles the wait (10, 20, 40 minutes), up to MAX_LOCKOUT. A right PIN starts over."""
    if failed_attempts < MAX_ATTEMPTS:
        return None
    wait = min(LOCKOUT * (1 << min(failed_attempts - MAX_ATTEMPTS, 8)), MAX_LOCKOUT)
    return now + wait
