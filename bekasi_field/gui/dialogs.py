"""One way to show a modal dialog: announced first (tests and automation answer it through
`opened`), then shown modally unless it was answered already."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QFrame, QMessageBox, QScrollArea, QWidget

UNANSWERED = -1
CHECKING = -2  # the dialog checks its answer on a worker (a PIN) and closes itself after


class DialogRunner(QObject):
    opened = Signal(QDialog)

    def run(self, dialog: QDialog | QMessageBox) -> bool:
        """True when the dialog was accepted."""
        dialog.setResult(UNANSWERED)
        self.opened.emit(dialog)
        if dialog.result() not in (UNANSWERED, CHECKING):  # answered already (a test)
            return dialog.result() == QDialog.DialogCode.Accepted.value
        return dialog.exec() == QDialog.DialogCode.Accepted.value


# A 1366x768 laptop less a taskbar: no dialog of the desk is taller, so Save/Batal stay on screen.
MAX_DIALOG_HEIGHT = 700
TITLE_BAR = 32  # the window manager's frame above the dialog (Windows: about 31 px)


def with_key(text: str, key: str) -> str:
    """A button's text with its key, as the officer presses it: "Simpan (Ctrl+Enter)"."""
    return f"{text} ({key})"


def fit_on_screen(dialog: QDialog, scroll: QScrollArea | None = None) -> None:
    """Keep `dialog` within MAX_DIALOG_HEIGHT (and the screen): `scroll` holds the part that
    scrolls when it does not fit, the rest (message, buttons) always shows."""
    dialog.ensurePolished()  # the stylesheet's fonts decide the sizes: apply them first
    screen = dialog.screen() or QGuiApplication.primaryScreen()
    room = MAX_DIALOG_HEIGHT - TITLE_BAR
    if screen is not None:
        room = min(room, screen.availableGeometry().height() - TITLE_BAR)
    content = scroll.widget() if scroll is not None else None
    if scroll is not None and content is not None:
        inner = content.sizeHint().height() + 2 * scroll.frameWidth()
        others = dialog.sizeHint().height() - scroll.sizeHint().height()
        scroll.setMinimumHeight(max(120, min(inner, room - others)))
        # Never narrower than its content plus the scroll bar: nothing hides under the bar.
        scroll.setMinimumWidth(content.sizeHint().width() + 2 * scroll.frameWidth()
                               + scroll.verticalScrollBar().sizeHint().width())
    dialog.setMaximumHeight(room)
    dialog.resize(dialog.sizeHint().boundedTo(QSize(dialog.maximumWidth(), room)))


def scrolling(body: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(body)
    return area
