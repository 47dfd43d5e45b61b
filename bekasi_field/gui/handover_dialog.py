"""Before a hand-over is saved: the identity check, a proxy's details, photo and signature.

Shown when the event asks for evidence, the code was a plain NIK / KK / card number, or the
officer chose a proxy pick-up (F6). Everything is reachable by keyboard (Tab, Space, Alt+key).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bekasi_field.domain.identifiers import IdentifierError, parse_nik
from bekasi_field.gui.dialogs import CHECKING, fit_on_screen, scrolling, with_key
from bekasi_field.gui.signature_pad import SignaturePad
from bekasi_field.i18n import tr
from bekasi_field.services.desk import MemberRow
from bekasi_field.services.desk_services import HandoverForm
from bekasi_field.services.officers import OfficerInfo

# (officer id, PIN, on_ok(officer id), on_refused(message)): checks off the GUI thread
PinCheck = Callable[[str, str, Callable[[str], None], Callable[[str], None]], None]
RELATIONSHIPS = ("gui.rel.family", "gui.rel.neighbour", "gui.rel.rt", "gui.rel.other")


class HandoverDialog(QDialog):
    def __init__(
        self, parent: QWidget | None, *, members: list[MemberRow], checkers: list[OfficerInfo],
        officer_id: str, proxy: bool, allow_proxy: bool, require_photo: bool,
        require_signature: bool, take_photo: Callable[[], bytes | None] | None,
        approvers: list[OfficerInfo] | None = None,
        verify_pin: PinCheck | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("handoverDialog")
        self.setWindowTitle(tr("gui.ho.title"))
        self.setModal(True)
        self._require_photo, self._require_signature = require_photo, require_signature
        self._take_photo = take_photo
        self.photo: bytes | None = None
        self._verify_pin = verify_pin
        self._checking = False
        self.approved_by: str | None = None
        outer = QVBoxLayout(self)
        # Identity, proxy and evidence scroll when they do not fit a 768 px screen; the message
        # and Save/Batal below them always show.
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(0, 0, 0, 0)

        ident = QGroupBox(tr("gui.ho.identity"))
        form = QFormLayout(ident)
        self.member = QComboBox()
        # In a proxy pick-up nobody of the household is at the desk: that is the default then.
        self.member.addItem(tr("desk.proxy.nobody"), None)
        for m in members:
            mark = " ★" if m.is_recipient else ""
            self.member.addItem(f"{m.name} — {m.nik_masked} ({m.relationship}){mark}", m.nik)
        self.ktp = QCheckBox(tr("gui.ho.ktp_seen"))
        self.kk = QCheckBox(tr("gui.ho.kk_seen"))
        self.checker = QComboBox()
        for o in checkers:
            self.checker.addItem(f"{o.name} ({tr('gui.role.' + o.role)})", o.id)
            if o.id == officer_id:
                self.checker.setCurrentIndex(self.checker.count() - 1)
        form.addRow(tr("gui.ho.member"), self.member)
        form.addRow("", self.ktp)
        form.addRow("", self.kk)
        form.addRow(tr("gui.ho.checked_by"), self.checker)
        lay.addWidget(ident)

        self.proxy_box = QGroupBox(tr("gui.ho.proxy"))
        self.proxy_box.setCheckable(True)
        self.proxy_box.setChecked(proxy and allow_proxy)
        self.proxy_box.setEnabled(allow_proxy)
        pform = QFormLayout(self.proxy_box)
        self.proxy_name, self.proxy_nik = QLineEdit(), QLineEdit()
        self.proxy_nik.setMaxLength(20)
        self.proxy_rel = QComboBox()
        for key in RELATIONSHIPS:
            self.proxy_rel.addItem(tr(key), key.rsplit(".", 1)[1])
        self.letter = QCheckBox(tr("gui.ho.letter_seen"))
        self.proxy_ktp = QCheckBox(tr("desk.proxy.ktp_seen"))
        self.approver = QComboBox()
        for o in approvers or []:
            self.approver.addItem(f"{o.name} ({tr('gui.role.' + o.role)})", o.id)
        self.approver_pin = QLineEdit()
        self.approver_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.approver_pin.setMaxLength(8)
        pform.addRow(tr("gui.ho.proxy_name"), self.proxy_name)
        pform.addRow(tr("gui.ho.proxy_nik"), self.proxy_nik)
        pform.addRow("", self.proxy_ktp)
        pform.addRow(tr("gui.ho.proxy_rel"), self.proxy_rel)
        pform.addRow("", self.letter)
        pform.addRow(tr("desk.proxy.approver"), self.approver)
        pform.addRow(tr("desk.proxy.approver_pin"), self.approver_pin)
        lay.addWidget(self.proxy_box)
        self.proxy_box.toggled.connect(self._proxy_toggled)
        self._proxy_toggled(self.proxy_box.isChecked())

        evidence = QGroupBox(tr("gui.ho.evidence"))
        elay = QVBoxLayout(evidence)
        prow = QHBoxLayout()
        self.photo_button = QPushButton(tr("gui.ho.take_photo"))
        self.photo_button.clicked.connect(self.capture_photo)
        self.photo_file = QPushButton(tr("gui.ho.photo_file"))
        self.photo_file.clicked.connect(self._photo_from_file)
        self.photo_state = QLabel(tr("gui.ho.photo_none"))
        prow.addWidget(self.photo_button)
        prow.addWidget(self.photo_file)
        prow.addWidget(self.photo_state, 1)
        elay.addLayout(prow)
        self.signature = SignaturePad()
        srow = QHBoxLayout()
        srow.addWidget(QLabel(tr("gui.ho.signature")))
        clear = QPushButton(tr("gui.ho.clear_signature"))
        clear.clicked.connect(self.signature.clear)
        srow.addStretch(1)
        srow.addWidget(clear)
        elay.addLayout(srow)
        elay.addWidget(self.signature)
        lay.addWidget(evidence)
        self.body = scrolling(body)
        outer.addWidget(self.body, 1)

        self.message = QLabel(objectName="errorText", wordWrap=True)
        outer.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.save_button.setText(with_key(tr("gui.ho.save"), "Ctrl+Enter"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            with_key(tr("gui.cancel"), "Esc"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        fit_on_screen(self, self.body)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.accept)
        QShortcut(QKeySequence("Ctrl+Enter"), self, activated=self.accept)  # the keypad's
        QShortcut(QKeySequence("F4"), self, activated=self.capture_photo)
        (self.proxy_name if self.proxy_box.isChecked() else self.member).setFocus()

    def capture_photo(self) -> None:
        data = self._take_photo() if self._take_photo else None
        if data is None:
            self.photo_state.setText(tr("gui.ho.no_camera"))
            return
        self.set_photo(data)

    def set_photo(self, data: bytes) -> None:
        self.photo = data
        self.photo_state.setText(tr("gui.ho.photo_taken", kb=max(1, len(data) // 1024)))

    def _photo_from_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, tr("gui.ho.photo_file"), "",
                                              "JPEG/PNG (*.jpg *.jpeg *.png)")
        if name:
            self.set_photo(Path(name).read_bytes())

    def _proxy_toggled(self, on: bool) -> None:
        recipient = next((i for i in range(1, self.member.count())
                          if self.member.itemText(i).endswith("★")), 1)
        if on:
            self.member.setCurrentIndex(0)
        elif self.member.currentIndex() == 0 and self.member.count() > 1:
            self.member.setCurrentIndex(recipient)

    def problem(self) -> str | None:
        """Why the form cannot be saved yet, or None."""
        if not (self.ktp.isChecked() or self.kk.isChecked()):
            return tr("gui.ho.need_document")
        if not self.proxy_box.isChecked() and self.member.currentData() is None:
            return tr("desk.proxy.need_member")
        if self.proxy_box.isChecked():
            if not self.proxy_name.text().strip():
                return tr("gui.ho.need_proxy_name")
            try:
                parse_nik(self.proxy_nik.text())
            except IdentifierError as exc:
                return tr("gui.ho.bad_proxy_nik", reason=tr(exc.reason))
            if not self.proxy_ktp.isChecked():
                return tr("desk.proxy.need_ktp")
            if not self.letter.isChecked():
                return tr("gui.ho.need_letter")
            if self.approver.currentData() is None:
                return tr("desk.proxy.no_approver")
            if not self.approver_pin.text():
                return tr("desk.proxy.need_pin")
        if self._require_photo and self.photo is None:
            return tr("gui.ho.need_photo")
        if self._require_signature and self.signature.is_empty:
            return tr("gui.ho.need_signature")
        return None

    def accept(self) -> None:
        if self._checking:
            return
        problem = self.problem()
        if problem:
            self.message.setText(problem)
            return
        if not self.proxy_box.isChecked() or self._verify_pin is None:
            super().accept()
            return
        # The approver's PIN is checked on the worker (argon2); the dialog waits, then closes.
        self._checking = True
        self.setResult(CHECKING)
        self._verify_pin(self.approver.currentData(), self.approver_pin.text(),
                         self._approved, self._refused)

    def _approved(self, officer_id: str) -> None:
        self._checking = False
        self.approved_by = officer_id
        super().accept()

    def _refused(self, message: str) -> None:
        self._checking = False
        if self.result() == CHECKING:
            self.setResult(0)
        self.approver_pin.clear()
        self.message.setText(message)

    def value(self) -> HandoverForm:
        proxy = self.proxy_box.isChecked()
        return HandoverForm(
            member_nik=self.member.currentData(),
            ktp_seen=self.ktp.isChecked(), kk_seen=self.kk.isChecked(),
            checked_by=self.checker.currentData() or "",
            proxy_name=self.proxy_name.text().strip() if proxy else None,
            proxy_nik=parse_nik(self.proxy_nik.text()).value if proxy else None,
            proxy_relationship=self.proxy_rel.currentText() if proxy else None,
            proxy_letter_seen=self.letter.isChecked() if proxy else False,
            proxy_ktp_seen=self.proxy_ktp.isChecked() if proxy else False,
            approved_by=self.approved_by if proxy else None,
            photo=self.photo,
            signature=None if self.signature.is_empty else self.signature.to_png(),
        )

