"""PKH graduation of one household: reason, the signed statement (pad and/or photo), note, PIN.

Opened from the desk menu (Ctrl+G) by a pendamping or a supervisor; the household comes from
the last verdict when there is one. Saved on the ops worker; the PKH verdict changes at once.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bekasi_field.domain.errors import BekasiError
from bekasi_field.gui.dialogs import with_key
from bekasi_field.gui.ops import Ops
from bekasi_field.gui.signature_pad import SignaturePad
from bekasi_field.i18n import tr
from bekasi_field.services.graduation import REASONS, Graduated, reason_label
from bekasi_field.services.kind_services import GraduationForm, KindServices


class GraduateDialog(QDialog):
    saved = Signal(object)  # Graduated

    def __init__(self, parent: QWidget | None, *, services: KindServices, ops: Ops,
                 officer_id: str, code: str = "", event_id: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("graduateDialog")
        self.services, self.ops = services, ops
        self.officer_id, self.event_id = officer_id, event_id
        self.photo: bytes | None = None
        self.setWindowTitle(tr("kind.gui.grad_title"))
        self.setMinimumWidth(620)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.code = QLineEdit(code, objectName="gradCode")
        self.reason = QComboBox(objectName="gradReason")
        for r in REASONS:
            self.reason.addItem(reason_label(r), r)
        self.note = QLineEdit(objectName="gradNote")
        form.addRow(tr("kind.gui.household"), self.code)
        form.addRow(tr("grad.col.reason"), self.reason)
        form.addRow(tr("grad.col.note"), self.note)
        lay.addLayout(form)
        lay.addWidget(QLabel(tr("kind.gui.statement")))
        self.signature = SignaturePad()
        lay.addWidget(self.signature)
        row = QHBoxLayout()
        clear = QPushButton(tr("gui.ho.clear_signature"))
        clear.clicked.connect(self.signature.clear)
        self.photo_button = QPushButton(tr("kind.gui.photo"), objectName="gradPhoto")
        self.photo_button.clicked.connect(self.choose_photo)
        self.photo_label = QLabel(objectName="gradPhotoLabel")
        row.addWidget(clear)
        row.addWidget(self.photo_button)
        row.addWidget(self.photo_label, 1)
        lay.addLayout(row)
        pin_row = QFormLayout()
        self.pin = QLineEdit(objectName="gradPin", echoMode=QLineEdit.EchoMode.Password)
        pin_row.addRow(tr("kind.gui.pin", officer=officer_id), self.pin)
        lay.addLayout(pin_row)
        self.message = QLabel(objectName="gradMessage", wordWrap=True)
        self.message.setStyleSheet("color: #C62828; font-weight: 600;")
        lay.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(tr("kind.gui.save"))
        self.save_button.setObjectName("gradSave")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            with_key(tr("gui.cancel"), "Esc"))  # Qt's own "Cancel" is English
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def choose_photo(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, tr("kind.gui.photo"), "",
                                              "Foto (*.jpg *.jpeg *.png)")
        if name:
            self.set_photo(Path(name).read_bytes(), Path(name).name)

    def set_photo(self, data: bytes, label: str) -> None:
        self.photo = data
        self.photo_label.setText(label)

    def value(self) -> GraduationForm:
        return GraduationForm(code=self.code.text(), reason=str(self.reason.currentData()),
                              note=self.note.text(),
                              signature=None if self.signature.is_empty
                              else self.signature.to_png(), photo=self.photo)

    def save(self) -> None:
        services, form, officer, pin, event = (self.services, self.value(), self.officer_id,
                                               self.pin.text(), self.event_id)
        self.save_button.setEnabled(False)
        self.ops.run(lambda: services.graduate(officer_id=officer, pin=pin, form=form,
                                               event_id=event),
                     on_success=self._saved, on_error=self._failed, key="graduate")

    def _saved(self, done: Graduated) -> None:
        self.saved.emit(done)
        self.accept()

    def _failed(self, error: BekasiError) -> None:
        self.message.setText(error.message)
        self.save_button.setEnabled(True)
