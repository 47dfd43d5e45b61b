"""The scan loop: a video played through it fires each slip once; a camera that dies mid-stream
gives a clear state and comes back; a slow decoder drops stale frames instead of queueing them."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from bekasi_field.scan.chain import VIDEO_PLAN, DecoderChain
from bekasi_field.scan.decoders import Decoded, ZxingDecoder
from bekasi_field.scan.loop import (
    ENDED,
    LOST,
    RUNNING,
    STOPPED,
    ScanHit,
    ScanLoop,
    ScanStats,
    make_scan_loop,
)
from bekasi_field.scan.sources import SourceError, SourceLost, open_source
from bekasi_field.scan.synthetic import photo, write_video


class Recorder:
    def __init__(self) -> None:
        self.hits: list[ScanHit] = []
        self.states: list[str] = []
        self.stats: list[ScanStats] = []
        self.frames = 0
        self.hit_event = threading.Event()
        self._changed = threading.Condition()

    def wait_for(self, predicate, timeout: float = 10) -> bool:
        """Wait (without polling) until a state or stats report makes `predicate` true."""
        with self._changed:
            return self._changed.wait_for(predicate, timeout)

    def on_hit(self, hit: ScanHit) -> None:
        self.hits.append(hit)
        self.hit_event.set()

    def on_state(self, state: str) -> None:
        with self._changed:
            self.states.append(state)
            self._changed.notify_all()

    def on_stats(self, stats: ScanStats) -> None:
        with self._changed:
            self.stats.append(stats)
            self._changed.notify_all()

    def on_frame(self, frame: np.ndarray) -> None:
        self.frames += 1

    def kwargs(self) -> dict:
        return {"on_hit": self.on_hit, "on_state": self.on_state, "on_stats": self.on_stats,
                "on_frame": self.on_frame}


def test_video_through_the_loop_fires_each_slip_once(tmp_path: Path, texts: list[str]) -> None:
    path = tmp_path / "desk.avi"
    # The second slip comes back ~1 s (video time) later: within the cooldown, so not again.
    shown = [texts[0], texts[1], texts[2], texts[1]]
    n = write_video(path, shown, hold=6, gap=5, seed=7)
    rec = Recorder()
    chain = DecoderChain(budget_ms=None, plan=VIDEO_PLAN)
    loop = ScanLoop(open_source(path), chain, **rec.kwargs())
    loop.start()
    assert loop.wait(60)
    assert [h.text for h in rec.hits] == texts[:3]
    assert rec.states == [RUNNING, ENDED]
    assert rec.frames == n and rec.stats[-1].decoded == n and rec.stats[-1].dropped == 0
    first = rec.hits[0]
    assert 5 <= first.frame_index <= 7  # accepted on its 2nd frame in view
    assert isinstance(first.decoded, Decoded) and len(first.decoded.points) == 4


def test_paced_playback_like_a_camera(tmp_path: Path, texts: list[str]) -> None:
    path = tmp_path / "cam.avi"
    write_video(path, texts[:2], hold=15, gap=6, fps=30, seed=3)
    rec = Recorder()
    loop = ScanLoop(open_source(path), DecoderChain(), pace=True, **rec.kwargs())
    t0 = time.monotonic()
    loop.start()
    assert loop.wait(60)
    assert time.monotonic() - t0 > 1.0  # 48 frames at 30 fps: played in real time
    assert [h.text for h in rec.hits] == texts[:2]
    assert rec.states[-1] == ENDED


class FlakyCamera:
    """A live source that dies after `die_after` frames, and comes back when reopened
    after `down_for` failed attempts (a USB cable pulled and plugged back)."""

    is_live = True
    name = "flaky"
    fps = 100.0

    def __init__(self, frames: list[np.ndarray], *, die_after: int, down_for: int = 1) -> None:
        self.frames, self.die_after, self.down_for = frames, die_after, down_for
        self.position = -1
        self.opened = True
        self.reopen_attempts = 0
        self.deaths = 0

    def open(self) -> None:
        self.opened = True

    def read(self) -> np.ndarray | None:
        if not self.opened:
            raise SourceLost(self.name)
        if self.deaths == 0 and self.position + 1 >= self.die_after:
            self.deaths += 1
            raise SourceLost(self.name)
        self.position += 1
        time.sleep(0.01)
        return self.frames[self.position % len(self.frames)]

    def close(self) -> None:
        self.opened = False

    def reopen(self) -> None:
        self.reopen_attempts += 1
        if self.reopen_attempts <= self.down_for:
            raise SourceError("camera 0 not found")
        self.opened = True


def test_camera_lost_mid_stream_then_back(texts: list[str]) -> None:
    blank = photo("no_code", 1).image
    slip = photo("clean", 1, texts=[texts[0]]).image
    cam = FlakyCamera([blank, blank, blank], die_after=5, down_for=2)
    cam.frames = [blank] * 3  # before the cable is pulled: an empty desk
    rec = Recorder()
    loop = ScanLoop(cam, DecoderChain(), retry_s=0.02, **rec.kwargs())
    loop.start()
    assert rec.wait_for(lambda: LOST in rec.states)
    cam.frames = [slip]  # after the reconnect the officer holds up a slip
    assert rec.hit_event.wait(10)
    loop.stop()
    assert rec.states[:3] == [RUNNING, LOST, RUNNING]
    assert rec.states[-1] == STOPPED
    assert cam.reopen_attempts == 3
    assert [h.text for h in rec.hits] == [texts[0]]
    assert not loop.running


def test_camera_lost_for_good_ends_in_lost_without_crash() -> None:
    cam = FlakyCamera([photo("no_code", 2).image], die_after=3, down_for=10**6)
    rec = Recorder()
    loop = ScanLoop(cam, DecoderChain(), retry_s=None, **rec.kwargs())
    loop.start()
    assert loop.wait(10)
    assert rec.states == [RUNNING, LOST]
    assert loop.state == LOST
    loop.stop()  # still safe
    assert rec.hits == []


class SlowDecoder(ZxingDecoder):
    """zxing-cpp plus the time a weak laptop needs."""

    def decode(self, gray: np.ndarray) -> list[Decoded]:
        time.sleep(0.04)
        return super().decode(gray)


class FastCamera:
    is_live = True
    name = "fast"
    fps = 200.0

    def __init__(self, frame: np.ndarray, n: int) -> None:
        self.frame, self.n, self.position = frame, n, -1

    def open(self) -> None: ...

    def read(self) -> np.ndarray | None:
        if self.position + 1 >= self.n:
            return None
        time.sleep(0.005)
        self.position += 1
        return self.frame

    def close(self) -> None: ...

    def reopen(self) -> None: ...


def test_slow_decoder_drops_stale_frames_instead_of_queueing(texts: list[str]) -> None:
    frame = photo("clean", 3, texts=[texts[1]], size=(640, 480)).image
    rec = Recorder()
    chain = DecoderChain(decoders=[SlowDecoder()])
    loop = ScanLoop(FastCamera(frame, 120), chain, stats_every_s=0.1, **rec.kwargs())
    loop.start()
    assert loop.wait(30)
    last = rec.stats[-1]
    assert last.frames == 120
    assert last.dropped > 0 and last.decoded < last.frames
    assert last.decoded + last.dropped == last.frames
    assert last.decode_ms >= 40
    assert [h.text for h in rec.hits] == [texts[1]]


def test_a_failing_callback_does_not_stop_the_camera(tmp_path: Path, texts: list[str]) -> None:
    path = tmp_path / "v.avi"
    write_video(path, texts[:2], hold=4, gap=3)
    seen = []

    def bad_hit(hit: ScanHit) -> None:
        seen.append(hit.text)
        raise RuntimeError("GUI bug")

    loop = ScanLoop(open_source(path), DecoderChain(budget_ms=None), on_hit=bad_hit)
    loop.start()
    assert loop.wait(30)
    assert seen == texts[:2]


def test_make_scan_loop_with_a_photo_as_camera(tmp_path: Path, texts: list[str]) -> None:
    path = tmp_path / "slip.jpg"
    cv2.imwrite(str(path), photo("clean", 4, texts=[texts[2]]).image)
    rec = Recorder()
    loop = make_scan_loop(str(path), on_hit=rec.on_hit, on_state=rec.on_state,
                          on_stats=rec.on_stats)
    loop.source.fps = 50.0  # speed the still "camera" up for the test
    loop.stats_every_s = 0.05
    loop.start()
    assert rec.hit_event.wait(10)
    # the same photo keeps coming: a dozen more frames decoded, and still no second hit
    seen = rec.stats[-1].decoded if rec.stats else 0  # reported before the hit: a lower bound
    assert rec.wait_for(lambda: bool(rec.stats) and rec.stats[-1].decoded >= seen + 12)
    loop.stop()
    assert [h.text for h in rec.hits] == [texts[2]]
    assert rec.states == [RUNNING, STOPPED]


def test_make_scan_loop_with_no_camera_is_a_clear_error() -> None:
    with pytest.raises(SourceError):
        make_scan_loop("cam:9", on_hit=lambda hit: None)


def test_stop_then_start_again_reopens_the_source(tmp_path: Path, texts: list[str]) -> None:
    path = tmp_path / "v.avi"
    write_video(path, texts[:1], hold=4, gap=2)
    rec = Recorder()
    loop = ScanLoop(open_source(path), DecoderChain(budget_ms=None), **rec.kwargs())
    loop.start()
    assert loop.wait(30)
    loop.stop()
    loop.stabilizer.forget()
    loop.start()  # the officer switches the camera off and on again
    assert loop.wait(30)
    assert [h.text for h in rec.hits] == [texts[0], texts[0]]


class HangingCamera:
    """A webcam driver stuck inside read() until `release` is set."""

    is_live = True
    name = "hanging"
    fps = 30.0

    def __init__(self, frame: np.ndarray) -> None:
        self.frame, self.position = frame, -1
        self.release = threading.Event()
        self.reading = threading.Event()
        self.closed_while_reading = False
        self.in_read = False
        self.closed = False

    def open(self) -> None: ...

    def read(self) -> np.ndarray | None:
        self.in_read = True
        self.reading.set()
        self.release.wait(10)
        self.in_read = False
        self.position += 1
        return self.frame

    def close(self) -> None:
        self.closed_while_reading |= self.in_read
        self.closed = True

    def reopen(self) -> None: ...


def test_stop_does_not_wait_for_a_hung_camera_nor_close_it_under_the_reader() -> None:
    cam = HangingCamera(photo("no_code", 5, size=(320, 240)).image)
    rec = Recorder()
    loop = ScanLoop(cam, DecoderChain(), **rec.kwargs())
    loop.start()
    assert cam.reading.wait(5)
    t0 = time.monotonic()
    loop.stop(timeout=0.2)
    assert time.monotonic() - t0 < 2  # the GUI thread is back at once
    assert rec.states[-1] == STOPPED
    assert not cam.closed  # not released while the driver is inside read()
    cam.release.set()  # the driver wakes up
    assert loop.wait(5)
    assert cam.closed and not cam.closed_while_reading


def test_a_ktp_held_up_gives_its_nik_once_and_codes_still_read(tmp_path: Path) -> None:
    """QR first; a frame with no code goes to the KTP reader; two agreeing frames give the NIK
    once, with the name printed on the card."""
    import random

    from bekasi_field.scan.ktp import KtpRead, KtpReader
    from bekasi_field.scan.synthetic_ktp import make_person, write_ktp_video

    person = make_person(random.Random(8))
    path = tmp_path / "ktp.avi"
    write_ktp_video(path, person, hold=6, gap=3)
    cards: list[KtpRead] = []
    rec = Recorder()
    loop = ScanLoop(open_source(path), DecoderChain(budget_ms=None, plan=VIDEO_PLAN),
                    on_hit=rec.on_hit, pace=False, ktp=KtpReader(), on_card=cards.append,
                    ktp_every_s=0.0)
    loop.start()
    assert loop.wait(120)
    assert [c.nik for c in cards] == [person.nik]
    assert cards[0].name.replace(" ", "")[:4] == person.name.replace(" ", "")[:4]
    assert rec.hits == []


def test_a_far_slip_gives_the_hint_to_bring_it_closer(tmp_path: Path) -> None:
    # At 640x480 a slip this far away has modules under one pixel: no decoder reads it.
    frames = [photo("tiny", 40 + k, size=(640, 480)).image for k in range(10)]
    path = tmp_path / "jauh.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 15.0, (640, 480))
    for f in frames:
        writer.write(f)
    writer.release()
    hints: list[str] = []
    rec = Recorder()
    loop = ScanLoop(open_source(path), DecoderChain(budget_ms=None, plan=VIDEO_PLAN),
                    on_hit=rec.on_hit, pace=False, on_hint=hints.append)
    loop.start()
    assert loop.wait(60)
    assert rec.hits == []
    assert hints and set(hints) == {"closer"}
