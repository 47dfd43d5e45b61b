"""Accept a code only after consistent reads, and do not fire the same code twice in a row.

A single frame can misread or catch a slip half out of view; requiring the same text in
`needed` of the last `window` decoded frames removes those. The cooldown counts from the last
frame the code was *seen* in, so a slip left lying in front of the camera fires once, not every
few seconds; it fires again after it has been out of view for `cooldown_s`.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable


class Stabilizer:
    def __init__(self, *, window: int = 3, needed: int = 2, cooldown_s: float = 3.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if not 1 <= needed <= window:
            raise ValueError("need 1 <= needed <= window")
        self.window = window
        self.needed = needed
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._history: deque[frozenset[str]] = deque(maxlen=window)
        self._fired_seen: dict[str, float] = {}  # fired code -> last time it was seen

    def feed(self, texts: Iterable[str], now: float | None = None) -> list[str]:
        """The texts read in one decoded frame; returns the codes accepted by this frame."""
        t = self._clock() if now is None else now
        current = frozenset(texts)
        self._history.append(current)
        self._expire(t)
        accepted = []
        for text in sorted(current):
            if text in self._fired_seen:
                self._fired_seen[text] = t  # still in view: keep it quiet
                continue
            seen = sum(1 for frame in self._history if text in frame)
            if seen >= self.needed:
                accepted.append(text)
                self._fired_seen[text] = t
        return accepted

    def _expire(self, t: float) -> None:
        for text, last in list(self._fired_seen.items()):
            if t - last >= self.cooldown_s:
                del self._fired_seen[text]

    def forget(self, text: str | None = None) -> None:
        """Allow `text` (or every code) to fire again at once, e.g. after an officer's retry."""
        if text is None:
            self._fired_seen.clear()
            self._history.clear()
        else:
            self._fired_seen.pop(text, None)

    def cooling(self, now: float | None = None) -> set[str]:
        """Codes that would not fire now."""
        t = self._clock() if now is None else now
        self._expire(t)
        return set(self._fired_seen)
