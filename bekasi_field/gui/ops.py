"""One way to run background work (after Anki's `op`): a function runs on a worker thread, its
result or error comes back on the GUI thread. A `key` makes it "latest request wins" (napari):
a newer request with the same key makes older, not yet started or not yet delivered ones moot.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from bekasi_field.domain.errors import BekasiError

log = logging.getLogger(__name__)

Callback = Callable[[Any], object]  # what it returns is not used


@dataclass
class _Job:
    fn: Callable[[], Any]
    on_success: Callback | None
    on_error: Callable[[BekasiError], None] | None
    key: str | None
    generation: int


class Ops(QObject):
    """A serial worker. Workers never touch widgets: results travel back by a queued signal."""

    failed = Signal(str)  # a user-caused error nobody handled: the window shows it
    busy_changed = Signal(bool)
    idle = Signal()  # the queue drained and every result was delivered (tests wait on it)
    _finished = Signal(object)  # one tuple (job, result, exception): no bare None crosses

    def __init__(self, name: str = "desk-ops", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._latest: dict[str, int] = {}
        self._lock = threading.Lock()
        self._pending = 0
        self._finished.connect(self._deliver)
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def run(
        self, fn: Callable[[], Any], *, on_success: Callback | None = None,
        on_error: Callable[[BekasiError], None] | None = None, key: str | None = None,
    ) -> None:
        with self._lock:
            generation = self._latest.get(key, 0) + 1 if key else 0
            if key:
                self._latest[key] = generation
            self._pending += 1
            first = self._pending == 1
        if first:
            self.busy_changed.emit(True)
        self._queue.put(_Job(fn, on_success, on_error, key, generation))

    @property
    def pending(self) -> int:
        return self._pending

    def _stale(self, job: _Job) -> bool:
        with self._lock:
            return job.key is not None and self._latest.get(job.key) != job.generation

    def _loop(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            if self._stale(job):
                self._finished.emit((job, None, None))
                continue
            try:
                result = job.fn()
            except Exception as exc:  # noqa: BLE001 - re-raised or shown on the GUI thread
                self._finished.emit((job, None, exc))
            else:
                self._finished.emit((job, result, None))

    def _deliver(self, outcome: tuple[_Job, Any, BaseException | None]) -> None:
        job, result, exc = outcome
        try:
            if self._stale(job):
                return
            if exc is None:
                if job.on_success is not None:
                    job.on_success(result)
            elif isinstance(exc, BekasiError):
                log.info("operation refused: %s", type(exc).__name__)
                if job.on_error is not None:
                    job.on_error(exc)
                else:
                    self.failed.emit(exc.message)
            else:
                # A programming error: crash loudly (pytest-qt fails the test), keep the log.
                log.error("background operation failed", exc_info=exc)
                raise exc
        finally:
            with self._lock:
                self._pending -= 1
                done = self._pending == 0
            if done:
                self.busy_changed.emit(False)
                self.idle.emit()

    def shutdown(self, timeout: float = 5.0) -> None:
        self._queue.put(None)
        self._thread.join(timeout)
