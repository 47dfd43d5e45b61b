"""USB barcode scanners type like a keyboard; tell their bursts from a person typing, by timing.

A scanner sends a whole code within a few tens of milliseconds and ends with Enter; a person
types 5-10 keys a second. The GUI feeds every printable key with its timestamp (seconds) and
calls enter() on Return; no Qt here, so the rule is testable with synthetic timings.
"""

from __future__ import annotations

from dataclasses import dataclass

ENTER_KEYS = frozenset({"\r", "\n"})


@dataclass(frozen=True)
class ScannerBurst:
    """A code from a scanner. typed_prefix: slow keys typed before the burst, if any."""

    text: str
    started: float
    ended: float
    typed_prefix: str = ""

    @property
    def duration_ms(self) -> float:
        return (self.ended - self.started) * 1000


@dataclass(frozen=True)
class TypedText:
    """What a person typed (a NIK, a name): the GUI handles it like its search field."""

    text: str


class WedgeParser:
    """feed(key, t) per key, enter(t) on Return -> ScannerBurst | TypedText | None.

    max_gap_s: the largest gap between two keys of a burst (scanners: 1-20 ms; ~40 ms on a
    busy USB hub). min_length: shorter bursts are treated as typing (a fast double tap).
    idle_reset_s: keys older than this before a new key are forgotten (a half-typed, abandoned
    entry is not glued to the next scan).
    """

    def __init__(self, *, max_gap_s: float = 0.045, min_length: int = 6,
                 idle_reset_s: float = 10.0) -> None:
        self.max_gap_s = max_gap_s
        self.min_length = min_length
        self.idle_reset_s = idle_reset_s
        self._keys: list[tuple[str, float]] = []

    def feed(self, key: str, t: float) -> ScannerBurst | TypedText | None:
        if key in ENTER_KEYS:
            return self.enter(t)
        if not key:
            return None
        if self._keys and t - self._keys[-1][1] > self.idle_reset_s:
            self._keys.clear()
        self._keys.extend((ch, t) for ch in key)
        return None

    def _run_start(self, keys: list[tuple[str, float]]) -> int:
        """Index where the trailing run of fast keys starts."""
        i = len(keys) - 1
        while i > 0 and keys[i][1] - keys[i - 1][1] <= self.max_gap_s:
            i -= 1
        return max(i, 0)

    @property
    def in_burst(self) -> bool:
        """True while the trailing keys look like a scanner (the GUI may hide their echo)."""
        return len(self._keys) - self._run_start(self._keys) >= 3 if self._keys else False

    def enter(self, t: float) -> ScannerBurst | TypedText | None:
        keys, self._keys = self._keys, []
        if not keys:
            return None
        i = self._run_start(keys)
        run = keys[i:]
        enter_gap = t - run[-1][1]
        if len(run) >= self.min_length and enter_gap <= self.max_gap_s:
            prefix = "".join(ch for ch, _ in keys[:i])
            return ScannerBurst("".join(ch for ch, _ in run), run[0][1], t, prefix)
        return TypedText("".join(ch for ch, _ in keys))

    def clear(self) -> None:
        self._keys.clear()

    @property
    def pending(self) -> str:
        return "".join(ch for ch, _ in self._keys)
