"""Supervisor actions: approve with a PIN (override, void), void with a reason, add officers and
facilitators, desk settings (hub address, auto-lock)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bekasi_field.domain import pins
from bekasi_field.domain.errors import BekasiError
from bekasi_field.gui.dialogs import CHECKING, with_key
from bekasi_field.gui.ops import Ops
from bekasi_field.gui.start_pages import pin_edit
from bekasi_field.i18n import tr
from bekasi_field.services import officers
from bekasi_field.services.desk import HandoverRow
from bekasi_field.services.desk_services import DeskServices


def _buttons(dialog: QDialog, ok_key: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                           | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(with_key(tr(ok_key), "Enter"))
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(with_key(tr("gui.cancel"), "Esc"))
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class SupervisorApproval(QDialog):
    """A supervisor confirms with their PIN (checked with the same lockout as login).

    The PIN check (one argon2 verify) runs on the ops worker; meanwhile the dialog's result is
    CHECKING and its buttons wait, then it closes itself or says why not."""

    def __init__(self, parent: QWidget | None, services: DeskServices, ops: Ops, *,
                 supervisors: list[officers.OfficerInfo], title: str, prompt: str,
                 with_reason: bool = False, current: officers.OfficerInfo | None = None,
                 check: Callable[[str, str], officers.OfficerInfo] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supervisorApproval")
        self._check = check  # (supervisor id, PIN) -> the supervisor; default: their login
        self.setWindowTitle(title)
        self._services, self._ops = services, ops
        self._checking = False
        self.approved_by: officers.OfficerInfo | None = None
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(prompt, wordWrap=True))
        form = QFormLayout()
        self.reason = QLineEdit()
        if with_reason:
            form.addRow(tr("gui.sup.reason"), self.reason)
        self.supervisor = QComboBox()
        for o in supervisors:
            self.supervisor.addItem(f"{o.name} ({o.id})", o.id)
            if current is not None and current.id == o.id:
                self.supervisor.setCurrentIndex(self.supervisor.count() - 1)
        self.pin = pin_edit()
        form.addRow(tr("gui.sup.supervisor"), self.supervisor)
        form.addRow(tr("gui.login.pin"), self.pin)
        lay.addLayout(form)
        self.message = QLabel(objectName="errorText", wordWrap=True)
        lay.addWidget(self.message)
        lay.addWidget(_buttons(self, "gui.sup.approve"))
        (self.reason if with_reason else self.pin).setFocus()
        self._with_reason = with_reason

    def accept(self) -> None:
        if self._checking:
            return
        if self._with_reason and len(self.reason.text().strip()) < 5:
            self.message.setText(tr("gui.sup.need_reason"))
            return
        officer_id = self.supervisor.currentData()
        if officer_id is None:
            self.message.setText(tr("gui.sup.none"))
            return
        services, pin = self._services, self.pin.text()
        self._checking = True
        self.setResult(CHECKING)
        check = self._check or (lambda oid, p: services.login(officer_id=oid, pin=p))
        self._ops.run(lambda: check(officer_id, pin), on_success=self._checked,
                      on_error=self._refused)

    def _checked(self, info: officers.OfficerInfo) -> None:
        self._checking = False
        if not info.is_supervisor:
            self._refused(BekasiError(tr("gui.sup.none")))
            return
        self.approved_by = info
        super().accept()

    def _refused(self, exc: BekasiError) -> None:
        self._checking = False
        if self.result() == CHECKING:
            self.setResult(0)
        self.pin.clear()
        self.message.setText(exc.message)


def void_prompt(row: HandoverRow) -> str:
    text = tr("gui.void.prompt", seq=row.seq, household=row.household_id,
              name=row.recipient_name or "—")
    if row.number:  # the row number the officer sees in Ctrl+1 (journal numbers skip)
        text += "\n" + tr("desk.void.list_no", n=row.number)
    return text


class OfficersDialog(QDialog):
    """Supervisors add petugas, pendamping (PKH facilitators) and other supervisors. The PIN is
    hashed on the ops worker (argon2 takes a noticeable moment)."""

    added = Signal(object)  # OfficerInfo, after it was saved

    def __init__(self, parent: QWidget | None, services: DeskServices, ops: Ops, *,
                 known: list[officers.OfficerInfo]) -> None:
        super().__init__(parent)
        self.setObjectName("officersDialog")
        self.setWindowTitle(tr("gui.off.title"))
        self._services, self._ops = services, ops
        self._officers = list(known)
        lay = QVBoxLayout(self)
        self.list = QListWidget()
        lay.addWidget(self.list)
        form = QFormLayout()
        self.officer_id, self.name = QLineEdit(), QLineEdit()
        self.role = QComboBox()
        for role in ("petugas", "pendamping", "supervisor"):
            self.role.addItem(tr("gui.role." + role), role)
        self.pin = pin_edit()
        form.addRow(tr("gui.first.officer_id"), self.officer_id)
        form.addRow(tr("gui.first.name"), self.name)
        form.addRow(tr("gui.off.role"), self.role)
        form.addRow(tr("gui.first.pin"), self.pin)
        lay.addLayout(form)
        self.message = QLabel(objectName="errorText", wordWrap=True)
        lay.addWidget(self.message)
        self.add_button = QPushButton(tr("gui.off.add"))
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.add)
        lay.addWidget(self.add_button)
        close = QPushButton(tr("gui.close"))
        close.clicked.connect(self.accept)
        lay.addWidget(close)
        self.reload()
        self.officer_id.setFocus()

    def reload(self) -> None:
        self.list.clear()
        for o in self._officers:
            self.list.addItem(f"{o.id} — {o.name} — {tr('gui.role.' + o.role)}")

    def add(self) -> None:
        oid, name = self.officer_id.text().strip(), self.name.text().strip()
        if not (oid and name):
            self.message.setText(tr("gui.first.missing"))
            return
        pin, role = self.pin.text(), self.role.currentData()
        try:
            pins.validate_pin(pin, role)
        except BekasiError as exc:
            self.message.setText(exc.message)
            return
        services = self._services
        self.add_button.setEnabled(False)
        self._ops.run(lambda: services.create_officer(officer_id=oid, name=name, role=role,
                                                      pin=pin),
                      on_success=self._added, on_error=self._not_added)

    def _not_added(self, exc: BekasiError) -> None:
        self.add_button.setEnabled(True)
        self.message.setText(exc.message)

    def _added(self, info: officers.OfficerInfo) -> None:
        self.add_button.setEnabled(True)
        self._officers = sorted([o for o in self._officers if o.id != info.id] + [info],
                                key=lambda o: o.id)
        self.message.setText(tr("gui.off.added", officer=info.id))
        for edit in (self.officer_id, self.name, self.pin):
            edit.clear()
        self.reload()
        self.officer_id.setFocus()
        self.added.emit(info)


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None, *, hub_url: str, lock_minutes: float,
                 desk_name: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(tr("gui.set.title"))
        lay = QVBoxLayout(self)
        form = QFormLayout()
        # The desk's name is what other desks read in SUDAH DIAMBIL ("Meja 2").
        self.desk_name = QLineEdit(desk_name, objectName="deskName")
        self.desk_name.setMaxLength(40)
        self.desk_name.setPlaceholderText("Meja 1")
        form.addRow(tr("desk.set.desk_name"), self.desk_name)
        self.hub_url = QLineEdit(hub_url)
        self.hub_url.setPlaceholderText("http://192.168.1.10:8000")
        self.lock = QDoubleSpinBox()
        self.lock.setRange(0.5, 120)
        self.lock.setDecimals(1)
        self.lock.setValue(lock_minutes)
        form.addRow(tr("gui.set.hub_url"), self.hub_url)
        form.addRow(tr("gui.set.lock_minutes"), self.lock)
        lay.addLayout(form)
        lay.addWidget(_buttons(self, "gui.set.save"))
        (self.hub_url if desk_name else self.desk_name).setFocus()
