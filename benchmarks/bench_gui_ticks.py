"""The GUI thread's timer rate while the desk camera's scan loop plays a slip video and decodes
it on its own threads (DESIGN §7: the GUI thread never waits on the camera or the decoder),
beside the same timer with no camera running, in the same run.

The desk window's test (tests/gui/test_responsive.py) shows the behaviour; the rate and the
longest gap between ticks are timings, so they are measured here.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.common import Row

TICK_MS = 20


def _ticks(app: object, seconds: float) -> list[float]:
    from PySide6.QtCore import QEventLoop, QTimer

    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    timer.start()
    loop.exec()
    timer.stop()
    return ticks


def _rate(ticks: list[float], seconds: float) -> tuple[float, float]:
    """(share of the expected ticks that came, longest gap in ms)."""
    expected = seconds * 1000 / TICK_MS
    gaps = [b - a for a, b in itertools.pairwise(ticks)] or [seconds]
    return len(ticks) / expected, max(gaps) * 1000


def run(quick: bool) -> list[Row]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from bekasi_field.domain.slip_codec import SlipPayload, encode_slip
    from bekasi_field.scan.loop import make_scan_loop
    from bekasi_field.scan.synthetic import write_video
    from bekasi_field.services.keys import SlipSigner

    seconds = 3.0 if quick else 10.0
    app = QApplication.instance() or QApplication([])
    scratch = Path.cwd() / "bench-out"
    scratch.mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="bench-ticks-", dir=scratch))
    try:
        import datetime as dt

        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        signer = SlipSigner(Ed25519PrivateKey.generate())
        texts = [encode_slip(SlipPayload(key_id=signer.key_id, household_id=f"HH{i}",
                                         event_id="BENCH", item="Kartu KKS", amount=None,
                                         expires=dt.date(2099, 1, 1), serial=f"S{i}"),
                             sign=signer.sign) for i in range(3)]
        video = workdir / "camera.avi"
        write_video(video, texts, hold=10, gap=25, size=(640, 480), fps=15.0)
        idle = _ticks(app, seconds)
        hits: list[object] = []
        frames = [0]
        loop = make_scan_loop(str(video), on_hit=hits.append,
                              on_frame=lambda _f: frames.__setitem__(0, frames[0] + 1))
        loop.start()
        try:
            busy = _ticks(app, seconds)
        finally:
            loop.stop()
        idle_share, idle_gap = _rate(idle, seconds)
        busy_share, busy_gap = _rate(busy, seconds)
        note = (f"{frames[0]} frames grabbed, {len(hits)} codes read meanwhile; load average "
                f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        return [
            Row("GUI timer ticks while the camera decodes (share of 50/s)", busy_share * 100,
                "%", ">= 50 %", "the same timer, camera off", idle_share * 100, note=note),
            Row("GUI thread's longest gap while the camera decodes", busy_gap, "ms", "< 500 ms",
                "the same timer, camera off", idle_gap),
        ]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
