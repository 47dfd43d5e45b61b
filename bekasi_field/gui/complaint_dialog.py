"""The complaint form (pengaduan / usulan DTSEN) for someone the verdict turned away.

Pre-filled from the verdict (the roster's name and address when the household is known, the
NIK when a KTP was scanned); the officer completes it with the person. Keyboard only: Tab
between fields, Ctrl+Enter saves, Esc cancels. Nothing is written here: the window records it
on a worker (services/complaints.py) and shows the number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from bekasi_field.domain.complaint_record import CATEGORIES
from bekasi_field.domain.identifiers import digits_only, mask
from bekasi_field.i18n import tr

if TYPE_CHECKING:
    from bekasi_field.domain.verdicts import Verdict


def _default_category(verdict: Verdict | None) -> str:
    code = verdict.code.value if verdict is not None else ""
    return {"UNKNOWN": "not_listed", "WRONG_SITE": "moved",
            "NOT_ENTITLED": "says_eligible", "SUSPENDED": "says_eligible"}.get(code, "other")


class ComplaintDialog(QDialog):
    def __init__(self, parent: QWidget | None, *, code: str, verdict: Verdict | None) -> None:
        super().__init__(parent)
        self.setObjectName("complaintDialog")
        self.setWindowTitle(tr("complaint.gui.title"))
        self.code = code
        details: dict[str, Any] = dict(verdict.details) if verdict is not None else {}
        scanned = digits_only(code)
        head = QLabel(tr("complaint.gui.intro", verdict=verdict.style.headline
                         if verdict is not None else "-"), objectName="complaintIntro")
        head.setWordWrap(True)
        self.nik = QLineEdit(objectName="complaintNik")
        self.nik.setMaxLength(16)
        # A scanned NIK is kept whole for the record but shown masked (the person stands at the
        # desk with the card; the screen is seen by the queue). A key on the field drops it and
        # the officer types the NIK afresh.
        self.scanned_nik: str | None = None
        if len(scanned) == 16 and scanned.isdigit():
            self.scanned_nik = scanned
            self.nik.setText(mask(scanned))
            self.nik.setToolTip(tr("complaint.gui.nik_scanned"))
            self.nik.textEdited.connect(self._nik_typed)
        elif verdict is not None and verdict.household_id:
            self.nik.setPlaceholderText(tr("complaint.gui.nik_from_roster"))
        self.name = QLineEdit(objectName="complaintName")
        self.name.setText(str(details.get("scanned_name") or details.get("recipient_name") or ""))
        self.address = QLineEdit(objectName="complaintAddress")
        self.address.setText(str(details.get("address") or ""))
        self.rt = QLineEdit(str(details.get("rt") or ""), objectName="complaintRt")
        self.rw = QLineEdit(str(details.get("rw") or ""), objectName="complaintRw")
        for short in (self.rt, self.rw):
            short.setMaxLength(3)
        self.phone = QLineEdit(objectName="complaintPhone")
        self.phone.setPlaceholderText("08xxxxxxxxxx")
        self.category = QComboBox(objectName="complaintCategory")
        for c in CATEGORIES:
            self.category.addItem(tr(f"complaint.cat.{c}"), c)
        self.category.setCurrentIndex(CATEGORIES.index(_default_category(verdict)))
        self.note = QPlainTextEdit(objectName="complaintNote")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(70)
        self.error = QLabel(objectName="complaintError")
        self.error.setWordWrap(True)
        form = QFormLayout()
        for label, widget in (("complaint.gui.nik", self.nik), ("complaint.gui.name", self.name),
                              ("complaint.gui.address", self.address),
                              ("complaint.gui.rt", self.rt), ("complaint.gui.rw", self.rw),
                              ("complaint.gui.phone", self.phone),
                              ("complaint.gui.category", self.category),
                              ("complaint.gui.note", self.note)):
            buddy = QLabel(tr(label))
            buddy.setBuddy(widget)
            form.addRow(buddy, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("complaint.gui.save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("complaint.gui.cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(560, 440)
        (self.name if self.nik.text() else self.nik).setFocus()

    def _nik_typed(self, text: str) -> None:
        if self.scanned_nik is None:
            return
        self.scanned_nik = None
        self.nik.setToolTip("")
        self.nik.clear()

    def values(self) -> dict[str, str]:
        """The form as ComplaintInput's fields (the code and officer come from the desk)."""
        nik = self.scanned_nik or digits_only(self.nik.text())
        return {"nik": nik, "name": self.name.text().strip(),
                "address": self.address.text().strip(), "rt": self.rt.text().strip(),
                "rw": self.rw.text().strip(), "phone": self.phone.text().strip(),
                "category": str(self.category.currentData()),
                "note": self.note.toPlainText().strip()}
