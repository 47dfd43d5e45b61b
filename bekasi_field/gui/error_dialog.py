"""An unexpected error in the desktop app: logged with its traceback, then a dialog that says
where the log is, instead of the window vanishing or a slot failing silently.

app.py installs it with install_excepthook(); PySide6 hands exceptions raised in slots to
sys.excepthook, so this catches those too.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from bekasi_field.i18n import tr
from bekasi_field.logging_setup import current_log_path

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


class CrashReporter:
    """sys.excepthook: log, then one dialog at a time (an error in a paint event repeats)."""

    def __init__(self, *, log_path: Path | None = None,
                 parent: Callable[[], QWidget | None] | None = None) -> None:
        self._log_path = log_path
        self._parent = parent or (lambda: QApplication.activeWindow())
        self.previous: ExceptHook = sys.excepthook
        self.dialog: QMessageBox | None = None
        self.count = 0

    def __call__(self, exc_type: type[BaseException], exc: BaseException,
                 tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self.previous(exc_type, exc, tb)
            return
        self.count += 1
        log.critical("unexpected error in the desktop app", exc_info=(exc_type, exc, tb))
        if QApplication.instance() is None:
            self.previous(exc_type, exc, tb)
            return
        if self.dialog is not None and self.dialog.isVisible():
            return  # the first dialog is still open; the log has this one too
        try:
            self._show(exc_type)
        except Exception:  # the dialog itself failed: never loop, fall back to stderr
            log.exception("could not show the error dialog")
            self.previous(exc_type, exc, tb)

    def log_path(self) -> str:
        path = self._log_path or current_log_path()
        return str(path) if path else "-"

    def _show(self, exc_type: type[BaseException]) -> None:
        path = self.log_path()
        box = QMessageBox(self._parent())
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(tr("error.title"))
        box.setText(tr("error.text", error=exc_type.__name__, log=path))
        copy = box.addButton(tr("error.copy"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Ok)
        # The officer can paste the path into a chat to the admin.
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(path))
        box.setObjectName("crashDialog")
        self.dialog = box
        box.open()  # not exec(): a nested event loop inside an excepthook invites re-entry


def install_excepthook(*, log_path: Path | None = None) -> CrashReporter:
    """Make sys.excepthook a CrashReporter; returns it (its .previous restores)."""
    reporter = CrashReporter(log_path=log_path)
    sys.excepthook = reporter
    return reporter
