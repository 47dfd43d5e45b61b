"""The pages before the desk: first-run supervisor creation, login / lock, event choice."""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bekasi_field.domain import pins
from bekasi_field.domain.enrol_qr import enrol_qr_fingerprint, parse_enrol_qr
from bekasi_field.domain.errors import BekasiError
from bekasi_field.gui.camera import CameraController
from bekasi_field.gui.context import DeskContext
from bekasi_field.gui.desk_settings import DeskSettings
from bekasi_field.gui.ops import Ops
from bekasi_field.i18n import tr
from bekasi_field.services import officers

log = logging.getLogger(__name__)


def _centred(page: QWidget, inner: QWidget, *, width: int = 560) -> None:
    outer = QVBoxLayout(page)
    outer.addStretch(1)
    outer.addWidget(inner, 0, Qt.AlignmentFlag.AlignHCenter)
    outer.addStretch(2)
    inner.setObjectName("startCard")
    inner.setMinimumWidth(width)


def pin_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(8)
    edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
    return edit


class FirstRunPage(QWidget):
    """No officer yet: the first person creates the supervisor account (and names the site)."""

    created = Signal(object)  # OfficerInfo
    enrolled = Signal(object)  # SyncResult: officers and registry came from the hub

    def __init__(self, ctx: DeskContext, ops: Ops, settings: DeskSettings) -> None:
        super().__init__()
        self._ctx, self._ops, self._settings = ctx, ops, settings
        card = QWidget()
        _centred(self, card)
        lay = QVBoxLayout(card)
        self.title = QLabel(objectName="pageTitle")
        self.intro = QLabel(wordWrap=True)
        form = QFormLayout()
        self.site = QLineEdit(settings.site_name)
        self.officer_id = QLineEdit()
        self.name = QLineEdit()
        self.pin, self.pin2 = pin_edit(), pin_edit()
        self._labels = [QLabel() for _ in range(5)]
        for label, field in zip(self._labels, (self.site, self.officer_id, self.name, self.pin,
                                                self.pin2), strict=True):
            form.addRow(label, field)
        self.message = QLabel(objectName="errorText", wordWrap=True)
        self.button = QPushButton(objectName="primaryButton")
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        for edit in (self.site, self.officer_id, self.name, self.pin, self.pin2):
            edit.returnPressed.connect(self.submit)
        lay.addWidget(self.title)
        lay.addWidget(self.intro)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addWidget(self.button)
        # Or: this desk belongs to a hub, which sends its officers, registry and events.
        self.enrol_title = QLabel(objectName="sectionTitle")
        enrol_form = QFormLayout()
        self.hub_url, self.enrol_code = QLineEdit(), QLineEdit()
        self._qr_hub: tuple[str, str | None] = ("", None)  # (address, fingerprint) of a QR read
        self.hub_url.setPlaceholderText("https://192.168.1.10:8470")
        self._enrol_labels = [QLabel(), QLabel()]
        enrol_form.addRow(self._enrol_labels[0], self.hub_url)
        enrol_form.addRow(self._enrol_labels[1], self.enrol_code)
        self.enrol_button = QPushButton(objectName="enrolButton")
        self.enrol_button.clicked.connect(self.enrol)
        self.enrol_code.returnPressed.connect(self.enrol)
        lay.addSpacing(12)
        lay.addWidget(self.enrol_title)
        from bekasi_field.gui.site_network import HubFinder  # hubs found on the LAN
        self.hub_finder = HubFinder(ops, self.hub_url, ctx.services.discover_hubs)
        lay.addWidget(self.hub_finder)
        lay.addLayout(enrol_form)
        # Or the enrolment QR the hub's console shows, read by the webcam (attach_camera).
        self.scan_button = QPushButton(objectName="enrolScanButton")
        self.scan_button.setCheckable(True)
        self.scan_button.toggled.connect(self._scan_toggled)
        self.scan_button.setVisible(False)
        self.camera_view: QWidget | None = None
        self._camera: CameraController | None = None
        lay.addWidget(self.scan_button)
        self._camera_slot = QVBoxLayout()
        lay.addLayout(self._camera_slot)
        lay.addWidget(self.enrol_button)
        self.enrol_button.setVisible(ctx.services.sync_available)
        self.retranslate()

    def attach_camera(self, controller: CameraController) -> None:
        """The desk's camera, for reading the console's enrolment QR on this page."""
        from bekasi_field.gui.camera import CameraView
        self._camera = controller
        self.camera_view = CameraView(controller)
        # A small picture to aim by; a failure is said in the page's message (the camera's
        # own status line names a desk key, which this page does not have).
        self.camera_view.picture.setMinimumSize(QSize(200, 150))
        self.camera_view.picture.setMaximumHeight(160)
        self.camera_view.status.setVisible(False)
        self.camera_view.setVisible(False)
        self._camera_slot.addWidget(self.camera_view)
        self.scan_button.setVisible(self._ctx.services.sync_available and controller.available)

    def _scan_toggled(self, on: bool) -> None:
        if self._camera is None or self.camera_view is None:
            return
        self.camera_view.setVisible(on)
        if on:
            self.message.setText(tr("gui.first.scan_hint"))
            self._camera.start()
            if self._camera.state == "error":
                self.message.setText(tr("gui.camera.error"))
        else:
            self._camera.stop()

    def stop_scan(self) -> None:
        """Leaving the page (or the QR read): the camera goes off."""
        if self.scan_button.isChecked():
            self.scan_button.setChecked(False)

    def take_enrol_qr(self, text: str) -> bool:
        """A code the camera read: an enrolment QR fills in the hub address and the code."""
        found = parse_enrol_qr(text)
        if found is None:
            self.message.setText(tr("gui.first.not_enrol_qr"))
            return False
        url, code = found
        self._qr_hub = (url, enrol_qr_fingerprint(text))
        self.hub_url.setText(url)
        self.enrol_code.setText(code)
        self.stop_scan()
        self.message.setText(tr("gui.first.qr_read", url=url))
        log.info("enrolment QR read by the camera")
        self.enrol_button.setFocus()
        return True

    def enrol(self) -> None:
        """Enrol at the hub with a one-time code and pull everything (on the sync worker)."""
        services = self._ctx.services
        url, code = self.hub_url.text().strip(), self.enrol_code.text().strip()
        if not (services.sync_available and url and code):
            self.message.setText(tr("gui.first.enrol_missing"))
            return
        self.enrol_button.setEnabled(False)
        self.message.setText(tr("gui.sync.running", url=url))

        def failed(exc: BekasiError) -> None:
            self.enrol_button.setEnabled(True)
            self.message.setText(tr("gui.sync.failed", message=exc.message))

        def done(result: object) -> None:
            self.enrol_button.setEnabled(True)
            log.info("device enrolled at the hub")
            self.enrolled.emit(result)

        # A hub chosen from those found on the LAN: its certificate must be the one it
        # announced (and the officer compared with the hub's screen).
        # Or one read from the console's enrolment QR, which carries the fingerprint.
        qr_url, qr_fp = self._qr_hub
        expected = self.hub_finder.fingerprint_for(url) or (qr_fp if qr_url == url else None)
        self._ops.run(lambda: services.sync_now(hub_url=url, enrol_code=code,
                                                fingerprint=expected),
                      on_success=done, on_error=failed)

    def retranslate(self) -> None:
        self.enrol_title.setText(tr("gui.first.enrol_title"))
        self.hub_finder.retranslate()
        self._enrol_labels[0].setText(tr("gui.set.hub_url"))
        self._enrol_labels[1].setText(tr("gui.first.enrol_code"))
        self.enrol_button.setText(tr("gui.first.enrol"))
        self.scan_button.setText(tr("gui.first.scan_qr"))
        self.title.setText(tr("gui.first.title"))
        self.intro.setText(tr("gui.first.intro"))
        for label, key in zip(self._labels, ("gui.first.site", "gui.first.officer_id",
                                             "gui.first.name", "gui.first.pin",
                                             "gui.first.pin2"), strict=True):
            label.setText(tr(key))
        self.button.setText(tr("gui.first.create"))

    def focus_first(self) -> None:
        (self.site if not self.site.text() else self.officer_id).setFocus()

    def submit(self) -> None:
        site, oid, name = (e.text().strip() for e in (self.site, self.officer_id, self.name))
        pin = self.pin.text()
        if not (site and oid and name):
            self.message.setText(tr("gui.first.missing"))
            return
        if pin != self.pin2.text():
            self.message.setText(tr("gui.first.pin_mismatch"))
            return
        try:
            pins.validate_pin(pin, "supervisor")
        except BekasiError as exc:
            self.message.setText(exc.message)
            return
        self.button.setEnabled(False)
        services = self._ctx.services

        def work() -> officers.OfficerInfo:
            return services.create_first_supervisor(site_name=site, officer_id=oid, name=name,
                                                    pin=pin)

        def failed(exc: BekasiError) -> None:
            self.button.setEnabled(True)
            self.message.setText(exc.message)

        log.info("first run: creating the supervisor account")
        self._ops.run(work, on_success=self.created.emit, on_error=failed)


class LoginPage(QWidget):
    """Officer + PIN. Also the lock screen: the desk behind it keeps its state."""

    logged_in = Signal(object)  # OfficerInfo
    unlock_requested = Signal(str)  # the locked-out officer's id

    def __init__(self, ctx: DeskContext, ops: Ops, settings: DeskSettings) -> None:
        super().__init__()
        self._ctx, self._ops, self._settings = ctx, ops, settings
        self.locked_for: str | None = None
        self.locked_idle = False  # the auto-lock, not Ctrl+L
        card = QWidget()
        _centred(self, card)
        lay = QVBoxLayout(card)
        self.title = QLabel(objectName="pageTitle")
        self.subtitle = QLabel(wordWrap=True)
        form = QFormLayout()
        self.officer = QComboBox()
        self.pin = pin_edit()
        self.officer_label, self.pin_label = QLabel(), QLabel()
        form.addRow(self.officer_label, self.officer)
        form.addRow(self.pin_label, self.pin)
        self.message = QLabel(objectName="errorText", wordWrap=True)
        self.button = QPushButton(objectName="primaryButton")
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        self.pin.returnPressed.connect(self.submit)
        self.unlock_button = QPushButton()
        self.unlock_button.clicked.connect(self.request_unlock)
        QShortcut(QKeySequence("Ctrl+U"), self, activated=self.request_unlock)
        lay.addWidget(self.title)
        lay.addWidget(self.subtitle)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addWidget(self.button)
        lay.addWidget(self.unlock_button)
        self.retranslate()

    def request_unlock(self) -> None:
        info = self.officer.currentData()
        if info is not None:
            self.unlock_requested.emit(info.id)

    def retranslate(self) -> None:
        self.unlock_button.setText(tr("desk.unlock.button"))
        locked = self.locked_for is not None
        self.title.setText(tr("gui.login.locked_title" if locked else "gui.login.title"))
        site = self._settings.site_name
        hint = "gui.login.locked_hint" if self.locked_idle else "desk.login.locked_manual"
        self.subtitle.setText(tr(hint) if locked
                              else tr("gui.login.site", site=site or "—"))
        self.officer_label.setText(tr("gui.login.officer"))
        self.pin_label.setText(tr("gui.login.pin"))
        self.button.setText(tr("gui.login.submit"))
        for i in range(self.officer.count()):
            info = self.officer.itemData(i)
            self.officer.setItemText(i, self._label(info))

    @staticmethod
    def _label(info: officers.OfficerInfo) -> str:
        return f"{info.name} ({info.id}) — {tr('gui.role.' + info.role)}"

    def reload(self, *, lock_for: str | None = None, idle: bool = False) -> None:
        """Fill the officer list (small table) and reset the PIN; `lock_for` preselects,
        else the officer who last logged in at this desk."""
        self.locked_for = lock_for
        self.locked_idle = idle
        self.pin.clear()
        self.message.clear()
        self.officer.clear()
        wanted = lock_for or self._settings.get("last_officer")
        for info in self._settings.active_officers():
            self.officer.addItem(self._label(info), info)
        # Nobody is picked for the officer (a PIN typed blind must not log in someone else):
        # the locked officer, else the one who last worked at this desk, else no one.
        found = next((i for i in range(self.officer.count())
                      if self.officer.itemData(i).id == wanted), -1)
        self.officer.setCurrentIndex(found)
        self.retranslate()
        self.button.setEnabled(True)
        # The PIN field when the officer is known (the lock screen), else the officer list.
        (self.pin if lock_for else self.officer).setFocus()

    def submit(self) -> None:
        info = self.officer.currentData()
        if not self.button.isEnabled():
            return
        if info is None:
            self.message.setText(tr("desk.login.pick_officer"))
            self.pin.clear()
            self.officer.setFocus()
            return
        pin = self.pin.text()
        if not pin:  # not an attempt: nothing is counted
            self.message.setText(tr("pin.empty"))
            return
        self.button.setEnabled(False)
        services = self._ctx.services

        def failed(exc: BekasiError) -> None:
            self.button.setEnabled(True)
            self.pin.clear()
            self.message.setText(exc.message)
            self.pin.setFocus()

        def work() -> officers.OfficerInfo:
            info_ = services.login(officer_id=info.id, pin=pin)
            services.set_setting("last_officer", info_.id)
            return info_

        def ok(result: officers.OfficerInfo) -> None:
            self.button.setEnabled(True)
            self.pin.clear()
            self.message.clear()
            self.logged_in.emit(result)

        self._ops.run(work, on_success=ok, on_error=failed)


class EventPage(QWidget):
    """Choose the open distribution event for this desk (Enter on the highlighted one)."""

    chosen = Signal(object)  # EventInfo

    def __init__(self, ctx: DeskContext, ops: Ops, settings: DeskSettings) -> None:
        super().__init__()
        self._ctx, self._ops, self._settings = ctx, ops, settings
        card = QWidget()
        _centred(self, card, width=860)
        lay = QVBoxLayout(card)
        self.title = QLabel(objectName="pageTitle")
        self.events = QListWidget(objectName="eventList")
        self.events.setWordWrap(True)
        self.events.itemActivated.connect(lambda _item: self.submit())
        self.message = QLabel(objectName="errorText", wordWrap=True)
        self.button = QPushButton(objectName="primaryButton")
        self.button.clicked.connect(self.submit)
        lay.addWidget(self.title)
        lay.addWidget(self.events)
        lay.addWidget(self.message)
        lay.addWidget(self.button)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("gui.event.title"))
        self.button.setText(tr("gui.event.choose"))

    @staticmethod
    def describe(ev: object) -> str:
        served = ", ".join(getattr(ev, "served_kelurahan", []) or [])
        return tr("gui.event.line", name=getattr(ev, "name", ""), id=getattr(ev, "id", ""),
                  site=getattr(ev, "site_kelurahan", ""), served=served,
                  start=getattr(ev, "start_date", ""), end=getattr(ev, "end_date", ""))

    def reload(self, *, preselect: str | None = None) -> None:
        self.events.clear()
        self.message.clear()
        services = self._ctx.services
        here = self._settings.site_name.casefold()

        def show(events: list[object]) -> None:
            self.events.clear()
            # This site's own events first: the sibling sites' ones are there for WRONG_SITE.
            events = sorted(events, key=lambda ev: str(
                getattr(ev, "site_kelurahan", "")).casefold() != here)
            for ev in events:
                if getattr(ev, "status", "open") != "open":
                    continue
                item = QListWidgetItem(self.describe(ev))
                item.setData(Qt.ItemDataRole.UserRole, ev)
                self.events.addItem(item)
                if getattr(ev, "id", None) == preselect:
                    self.events.setCurrentItem(item)
            if self.events.count() == 0:
                self.message.setText(tr("gui.event.none"))
            elif self.events.currentItem() is None:
                self.events.setCurrentRow(0)
            self.events.setFocus()

        self._ops.run(services.list_events, on_success=show, key="events")

    def submit(self) -> None:
        item = self.events.currentItem()
        if item is not None:
            self.chosen.emit(item.data(Qt.ItemDataRole.UserRole))
