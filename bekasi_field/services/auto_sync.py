"""Push and pull on their own, every few seconds (default 5 s), backing off while the hub is
unreachable: the loop behind `sync --watch` and the desk's automatic sync.

One round is one sync_now with a single try per request (the loop itself is the retry). A round
that cannot reach the hub doubles the wait, up to MAX_BACKOFF_S; the first round that gets
through goes back to the interval. Nothing here sleeps on a GUI thread: the CLI runs `run`, the
desk calls `round` on its sync worker and schedules the next one with `next_delay`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bekasi_field.domain.errors import BekasiError
from bekasi_field.services import sync_service
from bekasi_field.services.site import Site
from bekasi_field.store.db import utc_now
from bekasi_field.sync.client import HubRejected, HubUnreachable

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 5.0
MIN_INTERVAL_S = 0.2
MAX_BACKOFF_S = 60.0


def enabled(site: Site) -> bool:
    """The desk syncs on its own unless its setting `sync_interval_s` is "off" (or 0)."""
    return (site.db.get_meta("sync_interval_s") or "").strip().lower() not in ("off", "0")


def interval_of(site: Site, given: float | None = None) -> float:
    """The interval asked for, else the desk's setting `sync_interval_s`, else 5 s."""
    if given is None:
        try:
            given = float(site.db.get_meta("sync_interval_s") or DEFAULT_INTERVAL_S) or \
                DEFAULT_INTERVAL_S
        except ValueError:  # "off": the desk's own loop is off, an explicit watch still runs
            given = DEFAULT_INTERVAL_S
    return max(MIN_INTERVAL_S, float(given))


@dataclass
class RoundReport:
    """One round, as `sync --watch` prints it (one JSON line)."""

    round: int
    at: str
    ok: bool
    online: bool  # the hub answered (a refusal is an answer)
    pushed: int = 0
    acked_seq: int = 0
    pulled: int = 0
    pulled_journal: int = 0
    conflicts: int = 0
    refused: int = 0
    pending: int = 0
    next_in_s: float = 0.0
    error: str | None = None
    problems: list[str] = field(default_factory=list)
    # the first bad entry when this desk's journal fails verify (the round sent nothing)
    journal_broken: dict[str, object] | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class AutoSync:
    """The state of one desk's loop: the interval, the current backoff, the round count."""

    def __init__(self, site: Site, *, interval: float | None = None,
                 timeout: float = 5.0,
                 sync: Callable[..., sync_service.SyncResult] | None = None) -> None:
        self.site = site
        self.interval = interval_of(site, interval)
        self.timeout = timeout
        self._sync = sync or sync_service.sync_now
        self.rounds = 0
        self.failures = 0  # consecutive rounds without the hub
        self._verified = False  # the journal passed verify and nothing was written since

    def next_delay(self) -> float:
        if self.failures == 0:
            return self.interval
        doubling = float(2 ** min(self.failures, 8))
        return min(MAX_BACKOFF_S, max(self.interval, 1.0) * doubling)

    def round(self) -> RoundReport:
        """One push and pull; never raises for a hub that is down or refusing."""
        self.rounds += 1
        report = RoundReport(round=self.rounds, at=utc_now(), ok=False, online=False)
        try:
            # The whole journal is verified on the first round and before every push (an
            # entry written since); a round with nothing to push and a journal verified by
            # this loop skips the re-hash of every entry.
            verify = not self._verified or sync_service.pending_count(self.site.db) > 0
            result = self._sync(site=self.site, timeout=self.timeout, attempts=1,
                                verify=verify)
            self._verified = True
        except sync_service.JournalBroken as exc:
            self.failures += 1  # slows the loop down: nothing will change on its own
            self._verified = False
            report.error, report.problems = exc.message, [exc.problem_text()]
            report.journal_broken = exc.as_dict()
        except HubUnreachable as exc:
            self.failures += 1
            report.error = exc.message
        except HubRejected as exc:
            self.failures += 1  # revoked or other hub: keep trying, but slowly
            report.online, report.error = True, exc.message
        except BekasiError as exc:  # not enrolled, snapshot refused, ...: said, not fatal
            self.failures += 1
            report.error = exc.message
        else:
            self.failures = 0
            report.ok, report.online = not result.refused, True
            for name in ("pushed", "acked_seq", "pulled", "pulled_journal", "conflicts",
                         "refused", "problems"):
                setattr(report, name, getattr(result, name))
        try:
            report.pending = sync_service.pending_count(self.site.db)
        except Exception:  # a count is a nicety; the round's outcome is what matters
            log.exception("pending count failed")
        report.next_in_s = self.next_delay()
        return report

    def run(self, *, on_round: Callable[[RoundReport], None], rounds: int | None = None,
            stop: threading.Event | None = None) -> int:
        """Rounds until `rounds` are done or `stop` is set (Ctrl+C ends the CLI's); returns
        the number of rounds run."""
        stop = stop or threading.Event()
        while not stop.is_set():
            started = time.monotonic()
            on_round(self.round())
            if rounds is not None and self.rounds >= rounds:
                break
            # The interval is measured from round start to round start.
            stop.wait(max(0.0, self.next_delay() - (time.monotonic() - started)))
        return self.rounds
