"""One way to show a modal dialog: announced first (tests and automation answer it through
`opened`), then shown modally unless it was answered already."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QMessageBox

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
