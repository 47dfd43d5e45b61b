"""The scan loop: frames in on a worker thread, stable codes out through plain callbacks.

Live sources (a webcam) get two threads: one grabs frames into a single slot, one decodes the
newest frame in it, so a slow decode drops stale frames instead of queueing them ("latest
request wins"). Files played unpaced (tests, `scan`) are read and decoded in step, every frame.
Callbacks run on the worker threads; the GUI turns them into Qt signals.

QR first: only a frame in which no code reads is shown to the KTP reader (when the desk asked
for one), at most a few times a second, and a NIK comes out only when two of three such frames
agree. A sheet in view for a while with nothing read gives the officer a hint (guidance.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bekasi_field.scan.chain import DecoderChain
from bekasi_field.scan.decoders import Decoded
from bekasi_field.scan.guidance import HintTracker
from bekasi_field.scan.ktp import KtpRead, KtpReader, KtpStabilizer, OcrMissingError
from bekasi_field.scan.sources import FrameSource, SourceError, SourceLost, open_source
from bekasi_field.scan.stabilizer import Stabilizer

log = logging.getLogger(__name__)

RUNNING = "live"  # frames are coming in and being decoded
LOST = "lost"  # the camera stopped delivering frames; the loop keeps trying to reopen it
ENDED = "ended"  # a file source has no more frames
STOPPED = "stopped"


@dataclass(frozen=True)
class ScanHit:
    text: str
    decoded: Decoded
    frame_index: int
    at: float  # seconds: monotonic clock for live sources, video time for unpaced files


@dataclass(frozen=True)
class ScanStats:
    fps: float  # frames grabbed per second
    decode_fps: float  # frames decoded per second
    decode_ms: float  # mean decode time over the last frames
    frames: int
    decoded: int
    dropped: int  # stale frames replaced before they were decoded


class ScanLoop:
    """start()/stop() a worker that feeds `source` through `chain` and a Stabilizer.

    on_hit(ScanHit) for each accepted code; on_frame(frame) for each frame grabbed (preview;
    called on the grabbing thread, so a slow decode does not slow the preview down);
    on_state(str) on RUNNING/LOST/ENDED/STOPPED; on_stats(ScanStats) about once a second.
    With `ktp` (a KtpReader), on_card(KtpRead) for each KTP whose NIK two frames agree on;
    on_hint(key) for guidance when a sheet is in view and nothing reads (guidance.HINTS).
    pace: play a file at its own fps with frame dropping, like a camera (default: live only).
    repeat: restart a file source at its end (a demo camera). retry_s: how often a lost
    camera is reopened (None: give up and end in LOST).
    """

    def __init__(self, source: FrameSource, chain: DecoderChain, *,
                 on_hit: Callable[[ScanHit], None],
                 on_frame: Callable[[np.ndarray], None] | None = None,
                 on_state: Callable[[str], None] | None = None,
                 on_stats: Callable[[ScanStats], None] | None = None,
                 stabilizer: Stabilizer | None = None, pace: bool | None = None,
                 repeat: bool = False, retry_s: float | None = 2.0,
                 stats_every_s: float = 1.0,
                 ktp: KtpReader | None = None,
                 on_card: Callable[[KtpRead], None] | None = None,
                 on_hint: Callable[[str], None] | None = None,
                 ktp_every_s: float = 0.25,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.source = source
        self.chain = chain
        self.stabilizer = stabilizer or Stabilizer(clock=clock)
        self._on_hit = on_hit
        self._on_frame = on_frame
        self._on_state = on_state
        self._on_stats = on_stats
        self.pace = source.is_live if pace is None else pace
        self.repeat = repeat
        self.retry_s = retry_s
        self.stats_every_s = stats_every_s
        self.ktp = ktp if on_card is not None else None
        self._on_card = on_card
        self._on_hint = on_hint
        self.ktp_every_s = ktp_every_s
        self._ktp_at = float("-inf")
        self._cards = KtpStabilizer()
        self._hints = HintTracker() if on_hint is not None else None
        self._clock = clock
        self._stop = threading.Event()
        self._cond = threading.Condition()
        self._slot: tuple[np.ndarray, int] | None = None
        self._producer_done = False
        self._threads: list[threading.Thread] = []
        self.state = STOPPED
        self._frames = self._decoded = self._dropped = 0
        self._decode_ms: deque[float] = deque(maxlen=30)
        self.last_found: list[Decoded] = []  # codes in the last decoded frame (preview boxes)
        self._stats_at: float | None = None
        self._stats_base = (0, 0)
        self._closed = False
        self._close_lock = threading.Lock()

    # -- control ---------------------------------------------------------------------------

    def start(self) -> None:
        if self.running:
            return
        if self._closed:  # started again after stop(): the source was closed then
            self.source.reopen()
            self._closed = False
        self._stop.clear()
        if self.ktp is not None and not self.ktp.ready:
            threading.Thread(target=_warm_up, args=(self.ktp,), name="ktp-warm",
                             daemon=True).start()
        self._slot, self._producer_done = None, False
        self._set_state(RUNNING)
        if self.pace:
            targets = [(self._grab_loop, "scan-grab"), (self._decode_loop, "scan-decode")]
        else:
            targets = [(self._inline_loop, "scan-inline")]
        self._threads = [threading.Thread(target=t, name=n, daemon=True) for t, n in targets]
        for th in self._threads:
            th.start()

    def stop(self, timeout: float = 1.0) -> None:
        """Stop the workers and close the source. Safe to call twice or from a callback.

        Waits at most `timeout` (the GUI thread calls this). A webcam driver can hang inside
        read(); the source is then closed by the reading thread when read() returns, never
        from here, since releasing a capture another thread is reading from can crash.
        """
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        me = threading.current_thread()
        for th in self._threads:
            if th is not me:
                th.join(timeout)
        reader = self._threads[0] if self._threads else None
        if reader is None or reader is me or not reader.is_alive():
            self._close_source()
        else:
            log.warning("camera thread still inside read(); it closes the source on return")
        self._closed = True
        if self.state in (RUNNING, LOST):
            self._set_state(STOPPED)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the workers end by themselves (a file played to its end)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        for th in self._threads:
            th.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        return not self.running

    @property
    def running(self) -> bool:
        return any(th.is_alive() for th in self._threads)

    # -- workers ---------------------------------------------------------------------------

    def _inline_loop(self) -> None:
        """Unpaced file: every frame decoded, in order; stabiliser on the video's own clock."""
        while not self._stop.is_set():
            frame = self._next_frame()
            if frame is None:
                break
            self._frames += 1
            if self._on_frame is not None:
                self._call(self._on_frame, frame)
            t = self.source.position / (self.source.fps or 30.0)
            self._process(frame, self.source.position, t)
            self._maybe_stats()
        if self._stop.is_set():
            self._close_source()
        self._finish()

    def _grab_loop(self) -> None:
        period = 0.0 if self.source.is_live else 1.0 / (self.source.fps or 30.0)
        next_at = self._clock()
        while not self._stop.is_set():
            frame = self._next_frame()
            if frame is None:
                break
            self._frames += 1
            if self._on_frame is not None:
                self._call(self._on_frame, frame)
            with self._cond:
                if self._slot is not None:
                    self._dropped += 1  # the decoder was busy: the stale frame is replaced
                self._slot = (frame, self.source.position)
                self._cond.notify()
            if period:
                next_at += period
                self._stop.wait(max(0.0, next_at - self._clock()))
        with self._cond:
            self._producer_done = True
            self._cond.notify_all()
        if self._stop.is_set():
            self._close_source()

    def _close_source(self) -> None:
        with self._close_lock:
            self.source.close()

    def _decode_loop(self) -> None:
        while True:
            with self._cond:
                while self._slot is None and not self._producer_done and not self._stop.is_set():
                    self._cond.wait(0.5)
                if self._stop.is_set() or (self._slot is None and self._producer_done):
                    break
                assert self._slot is not None
                (frame, index), self._slot = self._slot, None
            self._process(frame, index, self._clock())
            self._maybe_stats()
        self._finish()

    def _next_frame(self) -> np.ndarray | None:
        """The next frame, riding out a lost camera; None at the end or on stop()."""
        while not self._stop.is_set():
            try:
                frame = self.source.read()
            except (SourceLost, OSError, RuntimeError) as exc:
                if self._stop.is_set():  # closed under us by stop(): not a lost camera
                    return None
                log.warning("source %s lost: %s", self.source.name, type(exc).__name__)
                self._set_state(LOST)
                self.source.close()
                if not self._reopen():
                    return None
                continue
            if frame is None and self.repeat and not self.source.is_live:
                self.source.reopen()
                continue
            return frame
        return None

    def _reopen(self) -> bool:
        while self.retry_s is not None and not self._stop.wait(self.retry_s):
            try:
                self.source.reopen()
            except (SourceError, SourceLost, OSError, RuntimeError) as exc:
                log.info("reopening %s failed: %s", self.source.name, type(exc).__name__)
                continue
            self.stabilizer.forget()
            self._set_state(RUNNING)
            return True
        return False

    def _process(self, frame: np.ndarray, index: int, t: float) -> None:
        try:
            found = self.chain.decode(frame)
        except Exception:  # an odd frame must not end the desk's camera; it is logged
            log.exception("decoding frame %d failed", index)
            return
        self._decoded += 1
        self._decode_ms.append(self.chain.last_stats.ms)
        by_text = {d.text: d for d in found}
        self.last_found = found
        for text in self.stabilizer.feed(by_text, now=t):
            self._call(self._on_hit, ScanHit(text, by_text[text], index, t))
        card_seen = bool(found) or self._read_card(frame, t)
        if self._hints is not None:
            hint = self._hints.feed(frame, read_something=card_seen)
            if hint is not None and self._on_hint is not None:
                self._call(self._on_hint, hint)

    def _read_card(self, frame: np.ndarray, t: float) -> bool:
        """The KTP reader on a frame where no code read; True when it read a NIK."""
        if self.ktp is None or self._on_card is None or t - self._ktp_at < self.ktp_every_s:
            return False
        if not self.ktp.ready and self.pace:
            return False  # live: the models are still loading on their own thread
        # (an unpaced file waits for them instead: every frame counts there)
        self._ktp_at = t
        try:
            read = self.ktp.read(frame)
        except OcrMissingError:
            log.warning("KTP reader not installed: the camera reads codes only")
            self.ktp = None
            return False
        except Exception:  # an odd frame must not end the desk's camera; it is logged
            log.exception("reading a KTP in frame failed")
            return False
        accepted = self._cards.feed(read)
        if accepted is not None:
            self._call(self._on_card, accepted)
        return read is not None

    def _finish(self) -> None:
        self._maybe_stats(force=True)
        if self._stop.is_set():
            return
        if self.state != LOST:
            self._set_state(ENDED)

    # -- reporting -------------------------------------------------------------------------

    def _maybe_stats(self, *, force: bool = False) -> None:
        if self._on_stats is None:
            return
        now = time.monotonic()
        if self._stats_at is None:
            self._stats_at, self._stats_base = now, (0, 0)
        span = now - self._stats_at
        if not force and span < self.stats_every_s:
            return
        f0, d0 = self._stats_base
        span = max(span, 1e-6)
        ms = sum(self._decode_ms) / len(self._decode_ms) if self._decode_ms else 0.0
        stats = ScanStats((self._frames - f0) / span, (self._decoded - d0) / span, ms,
                          self._frames, self._decoded, self._dropped)
        self._stats_at, self._stats_base = now, (self._frames, self._decoded)
        self._call(self._on_stats, stats)

    def _set_state(self, state: str) -> None:
        if state == self.state:
            return
        self.state = state
        if self._on_state is not None:
            self._call(self._on_state, state)

    @staticmethod
    def _call(fn: Callable[..., None], *args: object) -> None:
        try:
            fn(*args)
        except Exception:  # a broken callback must not kill the camera thread
            log.exception("scan loop callback failed")


def make_scan_loop(spec: str | int, *, on_hit: Callable[[ScanHit], None],
                   on_frame: Callable[[np.ndarray], None] | None = None,
                   on_state: Callable[[str], None] | None = None,
                   on_stats: Callable[[ScanStats], None] | None = None,
                   on_card: Callable[[KtpRead], None] | None = None,
                   on_hint: Callable[[str], None] | None = None,
                   budget_ms: float = 25.0, idle_budget_ms: float = 8.0,
                   cooldown_s: float = 3.0) -> ScanLoop:
    """The desk's camera: open `spec` (webcam index or a stand-in file) and build its loop.

    A file standing in for a camera plays at its own pace and starts over at its end.
    With on_card, KTPs are read too: the OCR models load on a thread of their own when the
    loop starts, and codes read meanwhile.
    Raises SourceError (a BekasiError with a message for the officer) if it cannot open.
    """
    source = open_source(spec)
    live_like = not source.is_live
    chain = DecoderChain(budget_ms=budget_ms, idle_budget_ms=idle_budget_ms)
    reader = KtpReader() if on_card is not None else None
    return ScanLoop(source, chain, on_hit=on_hit, on_frame=on_frame,
                    on_state=on_state, on_stats=on_stats,
                    stabilizer=Stabilizer(cooldown_s=cooldown_s), pace=True, repeat=live_like,
                    ktp=reader, on_card=on_card, on_hint=on_hint)


def _warm_up(reader: KtpReader) -> None:
    try:
        reader.engine  # noqa: B018 - loads the OCR models
    except OcrMissingError:
        log.warning("KTP reader not installed: the camera reads codes only")
    except Exception:
        log.exception("loading the KTP reader failed")
