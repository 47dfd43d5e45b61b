"""The one-key identity check of a signed slip: the slip says "Bawa undangan ini beserta KTP/KK
asli", so before saving the officer presses 1 (KTP matches) or 2 (KK matches); Esc cancels.
Enter does nothing here, so a reflex Enter cannot skip the look at the document."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from bekasi_field.i18n import tr


class IdCheckDialog(QDialog):
    def __init__(self, parent: QWidget | None, *, name: str, nik_masked: str) -> None:
        super().__init__(parent)
        self.setObjectName("idCheckDialog")
        self.setWindowTitle(tr("desk.id.title"))
        self.document: str | None = None  # "ktp" | "kk" once confirmed
        lay = QVBoxLayout(self)
        self.prompt = QLabel(tr("desk.id.prompt", name=name or "—", nik=nik_masked or "—"),
                             wordWrap=True, objectName="idCheckPrompt")
        lay.addWidget(self.prompt)
        row = QHBoxLayout()
        self.ktp_button = QPushButton(tr("desk.id.ktp"))
        self.kk_button = QPushButton(tr("desk.id.kk"))
        self.cancel_button = QPushButton(tr("desk.id.cancel"))
        for b in (self.ktp_button, self.kk_button, self.cancel_button):
            b.setAutoDefault(False)
            b.setDefault(False)
            row.addWidget(b)
        self.ktp_button.clicked.connect(lambda: self.confirm("ktp"))
        self.kk_button.clicked.connect(lambda: self.confirm("kk"))
        self.cancel_button.clicked.connect(self.reject)
        lay.addLayout(row)

    def confirm(self, document: str) -> None:
        self.document = document
        self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_1:
            self.confirm("ktp")
        elif key == Qt.Key.Key_2:
            self.confirm("kk")
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return  # deliberately nothing: the document must be looked at
        else:
            super().keyPressEvent(event)
