"""Qt's own messages (qDebug/qWarning from Qt and its plugins) into our log file.

Without this they go to stderr, which a desktop app launched from a shortcut does not have.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("qt")

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def qt_message_handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    category = context.category or "default"
    logger = log if category == "default" else log.getChild(category)
    logger.log(_LEVELS.get(mode, logging.WARNING), "%s", message)


def install_qt_log_handler() -> Callable[..., Any] | None:
    """Route Qt messages into logging; returns the previous handler (to restore in tests)."""
    return qInstallMessageHandler(qt_message_handler)


def restore_qt_log_handler(previous: Callable[..., Any] | None) -> None:
    qInstallMessageHandler(previous)
