"""The GUI thread never waits on the camera or the decoder: a timer on it keeps ticking while
a video camera plays and its frames are decoded on the scan loop's threads. How fast it ticks
is a timing, measured in benchmarks/bench_gui_ticks.py."""

from __future__ import annotations

import time
from pathlib import Path

import helpers_desk as hd
import pytest
from PySide6.QtCore import QTimer

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
TICK_MS = 20


@pytest.mark.slow
def test_gui_thread_keeps_ticking_while_camera_and_decoder_run(qtbot, open_window, demo,
                                                               desk_site, tmp_path: Path) -> None:
    slips = [text for _hh, text in hd.slip_texts(desk_site, demo.event_id, n=3)]
    video = hd.slip_video(tmp_path / "camera.avi", slips)
    w = open_window(camera=str(video))
    hd.open_desk(qtbot, w, demo.event_id, hd.PETUGAS)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    frames_before = w.camera.frames_shown
    started = time.monotonic()
    timer.start()
    # Run until the camera has read and judged a slip (decoder busy the whole time).
    qtbot.waitUntil(lambda: w.state.shown == "ELIGIBLE" and
                    time.monotonic() - started > 2.0, timeout=20_000)
    timer.stop()
    elapsed = time.monotonic() - started
    assert w.camera.frames_shown - frames_before > 10  # the preview was live meanwhile
    # The timer fired throughout the decoding, not only before or after it.
    assert len(ticks) > 10
    assert ticks[0] - started < elapsed / 2 and ticks[-1] - started > elapsed / 2
