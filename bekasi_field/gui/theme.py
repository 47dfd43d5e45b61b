"""The stylesheet (large type for a busy office) and the window icon."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication

from bekasi_field.paths import resource_path

log = logging.getLogger(__name__)


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
