"""The desk's state in one object the window owns: the event, the code on screen, its verdict
(and when it was decided), the entry just saved (and when). Pages draw it, the hand-over flow
reads it; nobody reads state back out of a widget."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from bekasi_field.domain.verdicts import Verdict
    from bekasi_field.services.events import EventInfo
    from bekasi_field.services.journal import RecordedEntry


class DeskState(QObject):
    changed = Signal()

    def __init__(self, *, clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock = clock  # monotonic seconds (tests put a fake one here)
        # Not `event`: that would hide QObject.event(), and the first Qt event sent to the state
        # (a child, a property, deleteLater) crashed the process (tests/gui/test_desk_state.py).
        self.chosen_event: EventInfo | None = None
        self.code = ""
        self.verdict: Verdict | None = None
        self.verdict_at: float | None = None
        self.saved: RecordedEntry | None = None
        self.saved_proxy = False
        self.saved_at: float | None = None

    # --- what is on screen ----------------------------------------------------------------
    @property
    def shown(self) -> str:
        """"" (waiting for a code), "SAVED", or the verdict code on screen."""
        if self.saved is not None:
            return "SAVED"
        return "" if self.verdict is None else str(self.verdict.code.value)

    @property
    def open_verdict(self) -> Verdict | None:
        """The verdict an Enter would act on (None when idle or just saved)."""
        return None if self.saved is not None else self.verdict

    def verdict_age(self) -> float:
        return 0.0 if self.verdict_at is None else self.clock() - self.verdict_at

    # --- changes --------------------------------------------------------------------------
    def set_event(self, event: EventInfo | None) -> None:
        self.chosen_event = event
        self.clear()

    def show_verdict(self, verdict: Verdict, *, code: str) -> None:
        self.code, self.verdict, self.verdict_at = code, verdict, self.clock()
        self.saved, self.saved_at, self.saved_proxy = None, None, False
        self.changed.emit()

    def refresh_verdict(self, verdict: Verdict) -> None:
        """The same code judged again (language switch): keeps its saved state."""
        self.verdict = verdict
        if self.saved is None:
            self.verdict_at = self.clock()
        self.changed.emit()

    def show_saved(self, entry: RecordedEntry, *, proxy: bool) -> None:
        self.saved, self.saved_proxy, self.saved_at = entry, proxy, self.clock()
        self.changed.emit()

    def clear(self) -> None:
        """Back to "scan a code" (lock, unlock, another officer, another event)."""
        self.code, self.verdict, self.verdict_at = "", None, None
        self.saved, self.saved_proxy, self.saved_at = None, False, None
        self.changed.emit()
