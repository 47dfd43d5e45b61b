"""Enrolling one worker in BPJS Ketenagakerjaan: NIK, check, form, consent read aloud, PIN.

Opened from the desk menu (Ctrl+Shift+E) when the current event is an enrolment event. The
NIK is checked first (on the ops worker), so a worker who cannot be enrolled is told before
the form is filled; NOT_SELECTED opens the supervisor override fields. The phone number is
shown masked once saved; nothing of the form is logged.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bekasi_field.domain import occupations as occ
from bekasi_field.domain.enrolment_rules import mask_phone, normalize_phone
from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.identifiers import MASK_CHAR, mask
from bekasi_field.gui.dialogs import fit_on_screen, scrolling, with_key
from bekasi_field.gui.ops import Ops
from bekasi_field.i18n import tr
from bekasi_field.services.enrolment import EnrolmentForm, EnrolmentRefused, Heir, PersonCheck
from bekasi_field.services.journal import RecordedEntry
from bekasi_field.services.kind_services import KindServices

HEIR_RELATIONSHIPS = ("Istri", "Suami", "Anak", "Orang tua", "Saudara kandung", "Lainnya")


class EnrolDialog(QDialog):
    saved = Signal(object)  # RecordedEntry

    def __init__(self, parent: QWidget | None, *, services: KindServices, ops: Ops,
                 event_id: str, officer_id: str, code: str = "",
                 card_name: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enrolDialog")
        self.services, self.ops = services, ops
        self.event_id, self.officer_id = event_id, officer_id
        self.check: PersonCheck | None = None
        self.setWindowTitle(tr("kind.gui.enrol_title"))
        self.setMinimumWidth(720)
        lay = QVBoxLayout(self)

        top = QHBoxLayout()
        from_card = bool(code) and card_name is not None
        self.nik = QLineEdit("" if from_card else code, objectName="enrolNik",
                             placeholderText="3275...")
        self.nik.setMaxLength(24)
        self.nik.returnPressed.connect(self.run_check)
        self.nik.textEdited.connect(self._typed)  # a hand on the NIK: no longer the card's
        self.check_button = QPushButton(tr("kind.gui.check"), objectName="enrolCheck")
        self.check_button.clicked.connect(self.run_check)
        top.addWidget(QLabel(tr("kind.gui.nik")))
        top.addWidget(self.nik, 1)
        top.addWidget(self.check_button)
        lay.addLayout(top)
        self.saving = False
        self.from_card = False  # the NIK on screen is the one the camera read off a KTP
        # The card's NIK, kept whole for the check and the record; the field shows it masked
        # (the worker stands at the desk with the card; the queue sees the screen).
        self.scanned_nik: str | None = None
        self.card_mark = QLabel(objectName="enrolCardMark", wordWrap=True)
        self.card_mark.setTextFormat(Qt.TextFormat.PlainText)
        self.card_mark.setStyleSheet("color: #1565C0; font-weight: 600;")
        self.card_mark.setVisible(False)
        lay.addWidget(self.card_mark)
        self.person = QLabel(objectName="enrolPerson", wordWrap=True)
        self.person.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(self.person)
        # The form scrolls when it does not fit a 768 px screen; PIN, message and buttons show.
        body = QWidget()
        blay = QVBoxLayout(body)
        blay.setContentsMargins(0, 0, 0, 0)

        self.form_box = QGroupBox(tr("kind.gui.form"))
        form = QFormLayout(self.form_box)
        self.occupation = QComboBox(objectName="enrolOccupation")
        for code_ in occ.DESK_CODES:
            self.occupation.addItem(occ.LABELS[code_], code_)
        self.phone = QLineEdit(objectName="enrolPhone", placeholderText="08xx-xxxx-xxxx")
        self.email = QLineEdit(objectName="enrolEmail")
        self.domicile = QLineEdit(objectName="enrolDomicile")
        self.birth_place = QLineEdit(objectName="enrolBirthPlace")
        self.heir_name = QLineEdit(objectName="enrolHeirName")
        self.heir_rel = QComboBox(objectName="enrolHeirRel", editable=True)
        self.heir_rel.addItems(HEIR_RELATIONSHIPS)
        self.heir_nik = QLineEdit(objectName="enrolHeirNik")
        for label, widget in (("kind.gui.occupation", self.occupation),
                              ("kind.gui.phone", self.phone), ("kind.gui.email", self.email),
                              ("kind.gui.domicile", self.domicile),
                              ("kind.gui.birth_place", self.birth_place),
                              ("kind.gui.heir_name", self.heir_name),
                              ("kind.gui.heir_rel", self.heir_rel),
                              ("kind.gui.heir_nik", self.heir_nik)):
            form.addRow(tr(label), widget)
        blay.addWidget(self.form_box)

        consent_box = QGroupBox(tr("kind.gui.consent_title"))
        clay = QVBoxLayout(consent_box)
        sentence = QLabel(tr("enrol.consent_sentence"), objectName="enrolSentence",
                          wordWrap=True)
        sentence.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.consent = QCheckBox(tr("kind.gui.consent"), objectName="enrolConsent")
        clay.addWidget(sentence)
        clay.addWidget(self.consent)
        blay.addWidget(consent_box)

        self.override_box = QGroupBox(tr("kind.gui.override"))
        olay = QFormLayout(self.override_box)
        self.supervisor = QLineEdit(objectName="enrolSupervisor")
        self.supervisor_pin = QLineEdit(objectName="enrolSupervisorPin",
                                        echoMode=QLineEdit.EchoMode.Password)
        olay.addRow(tr("kind.gui.supervisor"), self.supervisor)
        olay.addRow(tr("kind.gui.supervisor_pin"), self.supervisor_pin)
        self.override_box.setVisible(False)
        blay.addWidget(self.override_box)
        self.body = scrolling(body)
        lay.addWidget(self.body, 1)

        pin_row = QFormLayout()
        self.pin = QLineEdit(objectName="enrolPin", echoMode=QLineEdit.EchoMode.Password)
        pin_row.addRow(tr("kind.gui.pin", officer=officer_id), self.pin)
        lay.addLayout(pin_row)
        self.message = QLabel(objectName="enrolMessage", wordWrap=True)
        self.message.setStyleSheet("color: #C62828; font-weight: 600;")
        lay.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(tr("kind.gui.save"))
        self.save_button.setObjectName("enrolSave")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            with_key(tr("gui.cancel"), "Esc"))  # Qt's own "Cancel" is English
        self.save_button.setEnabled(False)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        fit_on_screen(self, self.body)
        self.form_box.setEnabled(False)
        if from_card and card_name is not None:
            self._mark_card(code, card_name)
        if code:
            self.run_check()

    # --- the KTP reader ------------------------------------------------------------------
    def fill_from_card(self, nik: str, card_name: str) -> None:
        """A KTP read by the desk camera while the dialog is open: its NIK, checked at once."""
        if self.saving:
            return  # the worker on screen is being saved: the card waits for the next one
        if self.from_card and self.scanned_nik == nik:
            return  # the same card, still held up
        self._mark_card(nik, card_name)
        self.run_check()

    def _mark_card(self, nik: str, card_name: str) -> None:
        self.from_card = True
        self.scanned_nik = nik
        self.nik.setText(mask(nik))
        self.card_mark.setText(tr("kind.gui.nik_from_card",
                                  name=card_name or tr("ktp.name_unread")))
        self.card_mark.setVisible(True)

    def _typed(self, text: str) -> None:
        if self.from_card:
            self.from_card = False
            self.scanned_nik = None
            self.card_mark.setVisible(False)
            if MASK_CHAR in text:  # a key on the masked NIK: the officer types it afresh
                self.nik.clear()

    # --- check -------------------------------------------------------------------------
    def nik_value(self) -> str:
        """The NIK to check: the card's, whole, or what the officer typed."""
        return self.scanned_nik if self.scanned_nik is not None else self.nik.text()

    def run_check(self) -> None:
        code, event = self.nik_value(), self.event_id
        services = self.services
        self.message.clear()
        self.ops.run(lambda: services.check_person(code, event_id=event),
                     on_success=self._checked, on_error=self._failed, key="enrol-check")

    def _checked(self, check: PersonCheck) -> None:
        self.check = check
        head = f"{check.name or '-'}  ·  NIK {mask(check.nik)}"
        if check.age is not None:
            head += f"  ·  {tr('kind.gui.age', age=check.age)}"
        self.person.setText(f"{head}\n{check.message}")
        ok = check.reason is None or check.allows_override
        self.person.setStyleSheet(f"color: {'#1B8A3A' if check.reason is None else '#C62828'};"
                                  " font-size: 15px; font-weight: 600;")
        self.override_box.setVisible(check.allows_override)
        self.form_box.setEnabled(ok)
        self.save_button.setEnabled(ok)
        if ok and not self.domicile.text():
            self.domicile.setText(check.address)
        code = check.details.get("occupation_code")
        if ok and code in occ.DESK_CODES:  # the registry's occupation, to confirm or change
            self.occupation.setCurrentIndex(occ.DESK_CODES.index(code))
        if ok:
            self.occupation.setFocus()

    # --- save --------------------------------------------------------------------------
    def form(self) -> EnrolmentForm:
        return EnrolmentForm(
            occupation=str(self.occupation.currentData()), phone=self.phone.text(),
            email=self.email.text() or None, domicile=self.domicile.text(),
            birth_place=self.birth_place.text(),
            heir=Heir(self.heir_name.text(), self.heir_rel.currentText(),
                      self.heir_nik.text() or None),
            consent=self.consent.isChecked(),
            nik_read_from_card=self.from_card and self.check is not None
            and self.check.nik == self.scanned_nik)

    def save(self) -> None:
        if self.check is None:
            return
        if normalize_phone(self.phone.text()) is None:  # a quick look before the worker
            self.message.setText(tr("enrol.bad_phone"))
            self.phone.setFocus()
            return
        services, form = self.services, self.form()
        event, code, officer, pin = self.event_id, self.check.nik, self.officer_id, \
            self.pin.text()
        sup = self.supervisor.text().strip() if self.override_box.isVisible() else ""
        sup_pin = self.supervisor_pin.text()
        self.save_button.setEnabled(False)
        self.saving = True
        self.ops.run(lambda: services.enrol(event_id=event, code=code, officer_id=officer,
                                            pin=pin, form=form, supervisor_id=sup or None,
                                            supervisor_pin=sup_pin),
                     on_success=self._saved, on_error=self._failed, key="enrol-save")

    def _saved(self, entry: RecordedEntry) -> None:
        self.saving = False
        phone = mask_phone(normalize_phone(self.phone.text()))
        self.saved.emit(entry)
        self.message.setStyleSheet("color: #1B8A3A; font-weight: 600;")
        self.message.setText(tr("enrol.saved", seq=entry.seq, phone=phone))
        self.accept()

    def _failed(self, error: BekasiError) -> None:
        self.saving = False
        if isinstance(error, EnrolmentRefused):
            self.message.setText(f"{error.message} [{error.reason}]")
        else:
            self.message.setText(error.message)
        self.save_button.setEnabled(self.check is not None and (
            self.check.reason is None or self.check.allows_override))
