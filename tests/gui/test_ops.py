"""The one way to run background work: results on the GUI thread, errors handled in one place,
latest request wins."""

from __future__ import annotations

import threading

import pytest

from bekasi_field.domain.errors import BekasiError
from bekasi_field.gui.ops import Ops

pytestmark = pytest.mark.gui


@pytest.fixture
def ops(qtbot):
    o = Ops("test-ops")
    yield o
    o.shutdown()


def test_result_arrives_on_the_gui_thread(qtbot, ops: Ops) -> None:
    seen: list[tuple[int, bool]] = []
    worker: list[bool] = []

    def work() -> int:
        worker.append(threading.current_thread() is threading.main_thread())
        return 42

    with qtbot.waitSignal(ops.idle):
        ops.run(work, on_success=lambda r: seen.append(
            (r, threading.current_thread() is threading.main_thread())))
    assert worker == [False]
    assert seen == [(42, True)]


def test_user_errors_go_to_on_error_or_the_failed_signal(qtbot, ops: Ops) -> None:
    def refuse() -> None:
        raise BekasiError("PIN salah.")

    errors: list[str] = []
    with qtbot.waitSignal(ops.idle):
        ops.run(refuse, on_error=lambda e: errors.append(e.message))
    assert errors == ["PIN salah."]
    with qtbot.waitSignal(ops.failed) as blocker:
        ops.run(refuse)
    assert blocker.args == ["PIN salah."]


def test_latest_request_wins(qtbot, ops: Ops) -> None:
    gate = threading.Event()
    results: list[str] = []
    ops.run(gate.wait)  # holds the worker so the searches below queue up
    for q in ("s", "si", "sit", "siti"):
        ops.run(lambda q=q: q, on_success=results.append, key="search")
    with qtbot.waitSignal(ops.idle):
        gate.set()
    assert results == ["siti"]
