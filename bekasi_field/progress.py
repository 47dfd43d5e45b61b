"""Progress reporting shared by services: a callback (done, total); a terminal bar for the CLI."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

ProgressFn = Callable[[int, int], None]


def no_progress(done: int, total: int) -> None:  # the callback's signature; nothing to report
    return None


class TerminalProgress:
    """A one-line bar on stderr, redrawn at most 10 times a second; silent when not a TTY."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        width = 30
        frac = done / total if total else 1.0
        bar = "#" * int(frac * width)
        self.stream.write(f"\r{self.label} [{bar:<{width}}] {done:,}/{total:,}".replace(",", "."))
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
