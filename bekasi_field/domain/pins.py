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


def validate_pin(pin: str) -> str:
    if not (4 <= len(pin) <= 8 and pin.isascii() and pin.isdigit()):
        raise BekasiError(tr("pin.too_short"))
    return pin


def hash_pin(pin: str) -> str:
    return _hasher.hash(validate_pin(pin))


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
