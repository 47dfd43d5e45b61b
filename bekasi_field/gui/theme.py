"""The stylesheet (large type for a busy office) and the window icon."""

from __future__ import annotations

import logging
import sys

from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication

from bekasi_field.paths import resource_path

log = logging.getLogger(__name__)


def ensure_app() -> QApplication:
    """The application object, created and themed once."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName("bekasi-field")
    assert isinstance(app, QApplication)
    if not app.property("bekasi_themed"):
        apply_theme(app)
        app.setProperty("bekasi_themed", True)
    return app


def apply_theme(app: QApplication) -> None:
    font = QFont(app.font())
    font.setPointSize(12)
    app.setFont(font)
    qss = resource_path("style", "desk.qss")
    if qss.exists():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
    else:
        log.warning("stylesheet %s missing", qss)
    icon = resource_path("icons", "app.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
