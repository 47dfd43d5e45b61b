"""Failed enrolment codes per client address: after a few, the address waits (HTTP 429).

The code space (32^12) already makes guessing impractical, but a hub on a city network should
not answer a guesser ~140 times a second. The FREE_FAILURES-th wrong or expired code from one
address starts a wait of FIRST_WAIT_S, and every failure after a wait doubles it, up to
MAX_WAIT_S. While an address waits, its attempts are answered 429 with
Retry-After and not even looked at (a valid code too: it works once the wait is over). A right
code starts the address over. The state is in memory, per hub process: a restart forgets it,
which costs a guesser a restart of someone else's hub.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

FREE_FAILURES = 5
FIRST_WAIT_S = 30.0
MAX_WAIT_S = 15 * 60.0
_KEEP_S = 2 * MAX_WAIT_S  # an address quiet this long is forgotten
_PRUNE_AT = 4096  # addresses remembered before quiet ones are dropped


@dataclass
class _Address:
    failures: int = 0
    waits_until: float = 0.0
    last: float = 0.0


class EnrolGuard:
    """Thread-safe: the sync routes run on the server's thread pool."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._seen: dict[str, _Address] = {}

    def retry_after(self, address: str) -> int | None:
        """Whole seconds this address still waits, or None when it may try."""
        now = self.clock()
        with self._lock:
            a = self._seen.get(address)
            if a is None or a.waits_until <= now:
                return None
            return max(1, int(a.waits_until - now + 0.999))

    def failed(self, address: str) -> None:
        now = self.clock()
        with self._lock:
            a = self._seen.setdefault(address, _Address())
            a.failures += 1
            a.last = now
            over = a.failures - FREE_FAILURES
            if over >= 0:
                a.waits_until = now + min(FIRST_WAIT_S * (2 ** min(over, 16)), MAX_WAIT_S)
            if len(self._seen) > _PRUNE_AT:
                self._prune(now)

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._seen.pop(address, None)

    def _prune(self, now: float) -> None:
        for key in [k for k, a in self._seen.items()
                    if a.waits_until <= now and now - a.last > _KEEP_S]:
            del self._seen[key]
