"""App-wide input watchers: the idle timer behind auto-lock, and the USB scanner (keyboard
wedge) heard wherever the focus is on the desk, through scan.wedge.WedgeParser."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QPlainTextEdit, QTextEdit

_ACTIVITY = {
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
}


class IdleWatcher(QObject):
    """Emits `idle` after `seconds` with no key, click, move or touch anywhere in the app."""

    idle = Signal()

    def __init__(self, seconds: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle.emit)
        self.set_seconds(seconds)

    def set_seconds(self, seconds: float) -> None:
        self._timer.setInterval(max(50, int(seconds * 1000)))

    @property
    def seconds(self) -> float:
        return self._timer.interval() / 1000

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False


def _is_text_input(widget: Any) -> bool:
    return isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit | QAbstractSpinBox)


class WedgeFilter(QObject):
    """Hears scanner bursts typed into any widget of the desk (not into dialogs or the PIN
    page). The code field itself is left alone: it already submits on Enter."""

    scanned = Signal(str)

    def __init__(self, parser: Any, *, enabled: Callable[[], bool],
                 own_field: Callable[[], QObject | None],
                 clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.parser = parser
        self._enabled, self._own_field, self._clock = enabled, own_field, clock
        self._last_target: object = None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        target = QApplication.focusWidget() or QApplication.activeWindow()
        # A key event travels up the widget chain; look at it once, at its first stop.
        if obj is not target or not self._enabled() or target is self._own_field():
            return False
        now = self._clock()
        if target is not self._last_target:  # a scanner burst types into one widget
            self.parser.clear()
            self._last_target = target
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            found = self.parser.enter(now)
            text = getattr(found, "text", None)
            if found is None or type(found).__name__ != "ScannerBurst" or not text:
                return False
            if isinstance(target, QLineEdit) and target.text().endswith(text):
                target.setText(target.text()[: -len(text)])
            self.scanned.emit(text)
            return True
        text = event.text()
        if text and text.isprintable() and not event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            self.parser.feed(text, now)
            # Outside a text field the scanner's characters would trigger type-ahead or
            # mnemonics; they belong to the code, so they stop here.
            return not _is_text_input(target) and text != " "
        return False
