"""Crashes show a dialog with the log path; Qt's messages land in the log file."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import qWarning
from PySide6.QtWidgets import QApplication, QPushButton

from bekasi_field.gui.error_dialog import install_excepthook
from bekasi_field.gui.qt_log import install_qt_log_handler, restore_qt_log_handler
from bekasi_field.logging_setup import setup_logging

pytestmark = [
    pytest.mark.gui,
    # the offscreen platform says this for every shown top-level window; not our warning
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


@pytest.fixture
def log_path(tmp_path: Path):
    path = setup_logging(tmp_path / "logs")
    yield path
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_bekasi_field", False):
            root.removeHandler(h)
            h.close()


def _flushed(path: Path) -> str:
    for h in logging.getLogger().handlers:
        h.flush()
    return path.read_text(encoding="utf-8")


@pytest.mark.qt_no_exception_capture
def test_a_raising_slot_shows_a_dialog_with_the_log_path(qtbot, log_path) -> None:
    button = QPushButton("x")
    qtbot.addWidget(button)

    def broken() -> None:
        raise RuntimeError("slot broke for 3275014503850001")

    button.clicked.connect(broken)
    reporter = install_excepthook()
    try:
        button.click()  # PySide6 hands the slot's exception to sys.excepthook
        qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
        text = reporter.dialog.text()
        assert str(log_path) in text and "RuntimeError" in text
        button.click()  # a second error while the dialog is open: logged, no second dialog
        assert reporter.count == 2
        assert len([w for w in QApplication.topLevelWidgets()
                    if w.objectName() == "crashDialog" and w.isVisible()]) == 1
        reporter.dialog.close()
    finally:
        sys.excepthook = reporter.previous
    log = _flushed(log_path)
    assert "unexpected error in the desktop app" in log and "RuntimeError: slot broke" in log
    assert "3275014503850001" not in log  # redacted in the traceback too


def test_calling_the_hook_directly_and_keyboard_interrupt(qtbot, log_path) -> None:
    original = sys.excepthook
    reporter = install_excepthook(log_path=log_path)
    seen = []
    reporter.previous = lambda *a: seen.append(a[0])
    try:
        try:
            raise ValueError("boom")
        except ValueError:
            reporter(*sys.exc_info())
        assert reporter.dialog is not None and str(log_path) in reporter.dialog.text()
        reporter.dialog.close()
        reporter(KeyboardInterrupt, KeyboardInterrupt(), None)
        assert seen == [KeyboardInterrupt]  # Ctrl+C is not a crash
    finally:
        sys.excepthook = original


def test_qt_warnings_go_to_the_log_file(qtbot, log_path) -> None:
    previous = install_qt_log_handler()
    try:
        qWarning("bekasi qt routing check")
    finally:
        restore_qt_log_handler(previous)
    text = _flushed(log_path)
    assert "WARNING qt: bekasi qt routing check" in text
