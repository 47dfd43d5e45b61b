"""The window: pages (first run, login/lock, event, desk), actions with a key each (gui.actions),
auto-lock, language switch. It owns the desk's state (DeskState) and what it remembers of the
site (DeskSettings); all database work goes through the ops workers and ctx.services."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
)

from bekasi_field.gui.actions import ActionSet
from bekasi_field.gui.camera import CameraController
from bekasi_field.gui.context import DeskContext
from bekasi_field.gui.desk_page import DeskPage
from bekasi_field.gui.desk_settings import DeskSettings
from bekasi_field.gui.desk_state import DeskState
from bekasi_field.gui.dialogs import DialogRunner, fit_on_screen, scrolling, with_key
from bekasi_field.gui.handover_flow import HandoverFlow
from bekasi_field.gui.input_filters import IdleWatcher, WedgeFilter
from bekasi_field.gui.ops import Ops
from bekasi_field.gui.paper_actions import PaperActions
from bekasi_field.gui.site_network import DeskNetwork, start_site_hub
from bekasi_field.gui.sounds import SoundPlayer
from bekasi_field.gui.start_pages import EventPage, FirstRunPage, LoginPage
from bekasi_field.gui.supervisor_dialogs import OfficersDialog, SettingsDialog
from bekasi_field.i18n import language, set_language, tr

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from bekasi_field.services.desk_services import DeskStartup
    from bekasi_field.services.events import EventInfo
    from bekasi_field.services.officers import OfficerInfo
    from bekasi_field.services.sync_service import SyncResult

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    locked = Signal()
    page_changed = Signal(str)
    # The desk's action table. The name hides QWidget.actions() (nothing calls it; renaming it
    # touches every module that adds actions, left for when the desk work settles).
    actions: ActionSet  # type: ignore[assignment]

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.services = ctx.services
        self.setObjectName("mainWindow")
        self.ops = Ops("desk-ops", self)
        self.lists = Ops("desk-lists", self)
        self.sync_ops = Ops("desk-sync", self)
        self.settings = DeskSettings(ctx, write=self._write_settings)
        self.state = DeskState(parent=self)
        self.dialogs = DialogRunner(self)
        self.sounds = SoundPlayer(enabled=ctx.config.sound)
        services = self.services
        self.camera = CameraController(
            services.make_scan_loop if services.camera_available else None, ctx.config.camera,
            preview_width=ctx.config.preview_width, parent=self)
        self.officer: OfficerInfo | None = None
        self._dashboard_event: str | None = None

        self.stack = QStackedWidget()
        self.first_run = FirstRunPage(ctx, self.ops, self.settings)
        self.first_run.attach_camera(self.camera)  # reads the console's enrolment QR
        self.login = LoginPage(ctx, self.ops, self.settings)
        self.events = EventPage(ctx, self.ops, self.settings)
        self.desk = DeskPage(ctx, self.state, self.ops, self.lists, self.camera, self.sounds)
        for page in (self.first_run, self.login, self.events, self.desk):
            self.stack.addWidget(page)
        self.setCentralWidget(self.stack)
        self.flow = HandoverFlow(ctx, state=self.state, settings=self.settings, ops=self.ops,
                                 sync_ops=self.sync_ops, page=self.desk, dialogs=self.dialogs,
                                 window=self)

        self.officer_label = QLabel(objectName="statusOfficer")
        self.statusBar().addPermanentWidget(self.officer_label)
        # Automatic push and pull, and whether checks are live: its own module.
        self.network = DeskNetwork(ctx.services, self.sync_ops, self)
        self.statusBar().addPermanentWidget(self.network.label)
        self.network.pulled.connect(self._network_pulled)
        for ops in (self.ops, self.lists, self.sync_ops):
            ops.failed.connect(self.show_message)
        self.flow.status.connect(self.show_message)
        self.flow.synced.connect(lambda _r: self.reload_startup())
        self.flow.hub_missing.connect(self.hub_settings)
        self.flow.saved.connect(lambda _entry: self.network.kick())
        self.desk.handover_requested.connect(self.flow.handover)
        self.desk.proxy_button.clicked.connect(lambda: self.flow.handover(proxy=True))
        self.desk.override_button.clicked.connect(self.flow.override)
        self.desk.void_button.clicked.connect(self.flow.void)
        self.desk.sync_button.clicked.connect(self.flow.sync)
        self.camera.code_read.connect(self._camera_code)
        self.camera.card_read.connect(self._camera_card)
        self.camera.hint.connect(self._camera_hint)
        self.first_run.created.connect(self._supervisor_created)
        self.first_run.enrolled.connect(self._enrolled)
        self.login.logged_in.connect(self._logged_in)
        self.login.unlock_requested.connect(self.unlock_officer)
        self.events.chosen.connect(self._event_chosen)

        self.actions = ActionSet(self, self._handlers())
        self.actions_by_name = self.actions.by_name
        from bekasi_field.gui.kind_actions import install as install_kind_actions
        self.passphrase_dialog: QDialog | None = None  # the first run's recovery passphrase
        self.kind_actions = install_kind_actions(self)  # enrol (Ctrl+Shift+E), graduate (Ctrl+G)
        self.paper = PaperActions(self)  # complaints, daftar nominatif (its own actions)
        from bekasi_field.gui.report_actions import ReportActions
        self.reports = ReportActions(self)  # BAST, recap, USB bundle by key (Laporan menu)
        app = QApplication.instance()
        lock_minutes = self.settings.get("lock_minutes")
        seconds = float(lock_minutes) * 60 if lock_minutes else ctx.config.idle_lock_seconds
        self.idle = IdleWatcher(seconds, self)
        self.idle.idle.connect(lambda: self.lock(idle=True))
        self.wedge = WedgeFilter(services.make_wedge_parser(), enabled=self._wedge_enabled,
                                 own_field=lambda: self.desk.code, parent=self)
        self.wedge.scanned.connect(lambda text: self.desk.submit(text, source="scanner"))
        if app is not None:
            app.installEventFilter(self.idle)
            app.installEventFilter(self.wedge)
        self._pending_timer = QTimer(self)
        self._pending_timer.setInterval(30_000)
        self._pending_timer.timeout.connect(self.desk.refresh_pending)
        self.resize(1366, 740)
        self.retranslate()
        self.start()
        self._warm = False
        self.sync_ops.run(services.warm_up, on_success=self._warmed_up)

    def _write_settings(self, values: dict[str, str]) -> None:
        services = self.services
        self.ops.run(lambda: services.set_settings(values))

    def _warmed_up(self, _result: object) -> None:
        self._warm = True
        if self.stack.currentWidget() is self.desk:
            self._place_dashboard()

    # --- actions ---------------------------------------------------------------------------
    def _handlers(self) -> dict[str, Any]:
        return {
            "focus_code": lambda: self.desk.code.setFocus(),
            "focus_candidates": self._focus_candidates,
            "handover": self.flow.handover,
            "proxy": lambda: self.flow.handover(proxy=True),
            "void": self.flow.void,
            "override": self.flow.override,
            "sync": self.flow.sync,
            "camera": self.toggle_camera,
            "today": lambda: self._tab(0),
            "remaining": lambda: (self._tab(1), self.desk.remaining_search.setFocus()),
            "dashboard": lambda: self._tab(2),
            "change_event": self.change_event,
            "officers": self.manage_officers,
            "settings": self.edit_settings,
            "site_hub": lambda: start_site_hub(self),
            "language": self.toggle_language,
            "lock": self.lock,
            "logout": self.logout,
            "help": self.show_help,
            "quit": self.close,
        }

    def _desk_actions_enabled(self, on: bool) -> None:
        self.actions.enable_for(on_desk=on,
                                supervisor=bool(self.officer and self.officer.is_supervisor))

    def _tab(self, i: int) -> None:
        if i < self.desk.tabs.count():
            self.desk.tabs.setCurrentIndex(i)
            self.desk.tabs.currentWidget().setFocus()

    def _focus_candidates(self) -> None:
        self.desk.show_candidates(True)
        self.desk.candidates.setFocus()

    def _wedge_enabled(self) -> bool:
        return (self.stack.currentWidget() is self.desk and self.isActiveWindow()
                and QApplication.activeModalWidget() is None)

    # --- pages -----------------------------------------------------------------------------
    def _show(self, page: QWidget, name: str) -> None:
        if page is not self.first_run:
            self.first_run.stop_scan()
        self.stack.setCurrentWidget(page)
        self._desk_actions_enabled(page is self.desk)
        self.update_title()
        self.page_changed.emit(name)

    def start(self) -> None:
        if self.settings.has_officers:
            self.login.reload()
            self._show(self.login, "login")
        else:
            self._show(self.first_run, "first_run")
            self.first_run.focus_first()

    def reload_startup(self, then: Any = None) -> None:
        """Read the site's settings and officers again (after a sync or an enrolment)."""
        def apply(startup: DeskStartup) -> None:
            self.settings.apply(startup)
            self.update_title()
            if then is not None:
                then()

        self.ops.run(self.services.startup, on_success=apply, key="startup")

    def _enrolled(self, result: SyncResult) -> None:
        self.show_message(tr("gui.sync.done", pushed=result.pushed, pulled=result.pulled,
                             conflicts=result.conflicts))
        self.reload_startup(then=self.start)  # the hub sent the site's name and officers

    def _supervisor_created(self, info: OfficerInfo) -> None:
        self.settings.site_name = self.first_run.site.text().strip()
        self.settings.remember_officer(info)
        self.show_message(tr("gui.first.done", officer=info.id))
        # The site recovery passphrase is due now and cannot be dismissed; until it is saved
        # (the window closed or the desk killed first) every supervisor login asks again.
        self.settings.set(recovery_pending="1")
        self._logged_in(info)

    def _require_recovery_passphrase(self) -> None:
        from bekasi_field.gui.passphrase_dialog import require_recovery_passphrase
        if self.passphrase_dialog is not None and self.passphrase_dialog.isVisible():
            return
        site = self.ctx.site

        def done(saved: bool, message: str) -> None:
            self.show_message(message)
            if saved:
                self.settings.set(recovery_pending="")

        self.passphrase_dialog = require_recovery_passphrase(
            self, key_file=site.layout.key_file, data_key=site.data_key, ops=self.ops,
            done=done)
        if self.passphrase_dialog is None:  # set meanwhile (`data passphrase`)
            self.settings.set(recovery_pending="")

    def _logged_in(self, info: OfficerInfo) -> None:
        log.info("officer %s logged in", info.id)
        previous, self.officer = self.officer, info
        self.flow.officer = info
        self.settings.values["last_officer"] = info.id  # written by the login itself
        self.officer_label.setText(tr("gui.status.officer", name=info.name,
                                      role=tr("gui.role." + info.role)))
        self.idle.start()
        if self.settings.get("recovery_pending") == "1" and info.is_supervisor:
            QTimer.singleShot(0, self._require_recovery_passphrase)  # over the next page
        if self.state.chosen_event is not None and previous is not None:
            # Unlocked (by this officer or another): back to the same lists, but the verdict
            # went with the lock; whoever is at the desk now scans again.
            self.desk.clear_verdict()
            self._enter_desk()
            return
        self.events.reload(preselect=self.settings.get("last_event"))
        self._show(self.events, "event")

    def _event_chosen(self, event: EventInfo) -> None:
        self.settings.set(last_event=event.id)
        self.desk.set_event(event)
        log.info("event %s chosen", event.id)
        self._enter_desk()
        if self.camera.state == "off" and self.camera.available:
            self.camera.start()
        self._pending_timer.start()
        self.network.start()

    def _network_pulled(self, _report: object) -> None:
        """Other desks' hand-overs arrived: lists, counters, dashboard and the verdict on
        screen follow without a key press."""
        self.desk.refresh_all()
        self.desk.recheck()
        dashboard = self.desk.dashboard
        if dashboard is not None and hasattr(dashboard, "refresh") and dashboard.isVisible():
            dashboard.refresh()

    @property
    def dist_event(self) -> EventInfo | None:
        return self.state.chosen_event

    def _enter_desk(self) -> None:
        self._place_dashboard()
        self._show(self.desk, "desk")
        self.desk.code.setFocus()

    def _place_dashboard(self) -> None:
        event = self.state.chosen_event
        want = bool(self.officer and self.officer.is_supervisor and event)
        if want and not self._warm:
            return  # placed when the parts have been imported (off the GUI thread)
        if not want or event is None:
            self.desk.set_dashboard(None)
            self._dashboard_event = None
            return
        if self.desk.dashboard is not None and self._dashboard_event == event.id:
            return
        from bekasi_field.gui.dashboard import SupervisorDashboard

        try:
            widget = SupervisorDashboard(site=self.ctx.site, event_id=event.id, ops=self.lists)
        except Exception:  # another part's widget must not keep the desk closed
            log.exception("supervisor dashboard could not be built")
            return
        self._dashboard_event = event.id
        self.reports.attach(widget)
        self.desk.set_dashboard(widget)

    def change_event(self) -> None:
        event = self.state.chosen_event
        self.events.reload(preselect=event.id if event else None)
        self._show(self.events, "event")

    def lock(self, *, idle: bool = False) -> None:
        """Back to the PIN screen; the desk behind it keeps its lists."""
        if self.officer is None or self.stack.currentWidget() in (self.login, self.first_run):
            return
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QDialog):
            modal.reject()
        elif modal is not None:
            modal.close()
        log.info("desk locked (officer %s)", self.officer.id)
        self.idle.stop()
        self.desk.clear_verdict()  # a live verdict must not wait behind the lock
        self.login.reload(lock_for=self.officer.id, idle=idle)
        self._show(self.login, "login")
        self.locked.emit()

    def logout(self) -> None:
        self.officer = None
        self.flow.officer = None
        self.desk.set_event(None)
        self.officer_label.clear()
        self.idle.stop()
        self.login.reload()
        self._show(self.login, "login")

    # --- things a user asks for ------------------------------------------------------------
    def _camera_code(self, text: str) -> None:
        if self.stack.currentWidget() is self.first_run:
            self.first_run.take_enrol_qr(text)
        elif self.stack.currentWidget() is self.desk and QApplication.activeModalWidget() is None:
            self.desk.submit(text, source="camera")

    def _camera_card(self, nik: str, name: str) -> None:
        """A KTP read by the camera: its NIK is checked like a typed one, and the name printed
        on the card is shown beside the registry's for the officer to compare. While the
        enrolment dialog is open, the card's NIK goes to it instead."""
        if self.kind_actions.take_card(nik, name):
            return
        if self.stack.currentWidget() is self.desk and QApplication.activeModalWidget() is None:
            self.desk.submit_card(nik, card_name=name)

    def _camera_hint(self, key: str) -> None:
        if self.stack.currentWidget() is self.desk:
            self.statusBar().showMessage(tr(f"scan.hint.{key}"), 3000)

    def toggle_camera(self) -> None:
        if self.camera.state in ("off", "error", "ended"):
            self.camera.start()
        else:
            self.camera.stop()

    def toggle_language(self) -> None:
        set_language("en" if language() == "id" else "id")
        self.settings.set(language=language())
        self.retranslate()
        self.desk.recheck()

    def unlock_officer(self, officer_id: str) -> None:
        """Another supervisor lifts a PIN lock-out with their own PIN (on the worker)."""
        from bekasi_field.gui.supervisor_dialogs import SupervisorApproval

        services = self.services
        dialog = SupervisorApproval(
            self, services, self.ops, title=tr("desk.unlock.title"),
            prompt=tr("desk.unlock.prompt", officer=officer_id),
            supervisors=[o for o in self.settings.supervisors() if o.id != officer_id],
            check=lambda sid, pin: services.unlock_officer(officer_id=officer_id,
                                                           supervisor_id=sid, pin=pin))
        ok = self.dialogs.run(dialog)
        approved = dialog.approved_by if ok else None
        dialog.deleteLater()
        if approved is not None:
            self.login.message.setText(tr("desk.unlock.done", officer=officer_id,
                                          supervisor=approved.id))
            self.login.pin.setFocus()

    def manage_officers(self) -> None:
        if self.officer is None or not self.officer.is_supervisor:
            return
        dialog = OfficersDialog(self, self.services, self.ops, known=self.settings.officers)
        dialog.added.connect(self.settings.remember_officer)
        self.dialogs.run(dialog)
        dialog.deleteLater()

    def hub_settings(self) -> None:
        """F9 with no hub set: the hub's address is asked for right away (a supervisor's
        setting: a petugas calls one, who approves with a PIN), then the sync runs."""
        if self.officer is None:
            return
        if not self.officer.is_supervisor:
            from bekasi_field.gui.supervisor_dialogs import SupervisorApproval

            dialog = SupervisorApproval(self, self.services, self.ops,
                                        supervisors=self.settings.supervisors(),
                                        title=tr("gui.set.title"),
                                        prompt=tr("desk.hub.needs_supervisor"))
            ok = self.dialogs.run(dialog)
            dialog.deleteLater()
            if not ok:
                self.show_message(tr("gui.sync.no_hub"))
                return
        if self.edit_settings(approved=True) and self.settings.hub_url():
            self.flow.sync()

    def edit_settings(self, *, approved: bool = False) -> bool:
        """True when the settings were saved."""
        if self.officer is None or not (approved or self.officer.is_supervisor):
            return False
        dialog = SettingsDialog(self, hub_url=self.settings.hub_url(),
                                lock_minutes=self.idle.seconds / 60,
                                desk_name=self.settings.desk_name)
        if self.dialogs.run(dialog):
            url, minutes = dialog.hub_url.text().strip(), dialog.lock.value()
            name = dialog.desk_name.text().strip()
            self.settings.values.update(hub_url=url, lock_minutes=f"{minutes:g}")
            self.settings.desk_name = name
            services = self.services

            def write() -> None:
                services.set_settings({"hub_url": url, "lock_minutes": f"{minutes:g}"})
                services.set_desk_name(name)

            self.ops.run(write, on_success=lambda _r: self.show_message(tr("gui.set.saved")))
            self.update_title()
            self.idle.set_seconds(minutes * 60)
            dialog.deleteLater()
            return True
        dialog.deleteLater()
        return False

    def show_help(self) -> None:
        from html import escape

        lines = [*self.actions.help_lines(), f"Enter\t{tr('gui.help.enter')}"]
        # Two columns of keys: one column of 30 keys is taller than a 768 px screen.
        half = (len(lines) + 1) // 2
        cells = [line.split("\t", 1) for line in lines] + [["", ""]]
        rows = "".join(
            "<tr>" + "".join(f"<td><b>{escape(k)}</b>&nbsp;&nbsp;</td><td>{escape(t)}"
                             "&nbsp;&nbsp;&nbsp;&nbsp;</td>" for k, t in (cells[i], cells[i + half]))
            + "</tr>" for i in range(half))
        box = QDialog(self, objectName="helpDialog")
        box.setWindowTitle(tr("gui.act.help"))
        text = QLabel(f"<table>{rows}</table>", textFormat=Qt.TextFormat.RichText)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(with_key("OK", "Enter"))
        buttons.accepted.connect(box.accept)
        lay = QVBoxLayout(box)
        area = scrolling(text)
        lay.addWidget(area, 1)
        lay.addWidget(buttons)
        box.setMinimumWidth(min(1100, text.sizeHint().width() + 60))
        fit_on_screen(box, area)
        self.dialogs.run(box)
        box.deleteLater()

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 15_000)

    def update_title(self) -> None:
        parts = ["bekasi-field"]
        if self.settings.site_name:
            parts.append(self.settings.site_name)
        if self.settings.desk_name:
            parts.append(self.settings.desk_name)
        event = self.state.chosen_event
        if event is not None:
            parts.append(getattr(event, "name", "") or event.id)
        self.setWindowTitle(" — ".join(parts))

    def retranslate(self) -> None:
        self.actions.retranslate()
        self.paper.retranslate()
        for page in (self.first_run, self.login, self.events, self.desk):
            page.retranslate()
        self.network.retranslate()
        if self.officer is not None:
            self.officer_label.setText(tr("gui.status.officer", name=self.officer.name,
                                          role=tr("gui.role." + self.officer.role)))
        self.update_title()

    def closeEvent(self, event: QCloseEvent) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
            app.removeEventFilter(self.wedge)
        self._pending_timer.stop()
        self.network.stop()
        self.idle.stop()
        self.camera.stop()
        self.paper.shutdown()
        for ops in (self.ops, self.lists, self.sync_ops):
            ops.shutdown()
        super().closeEvent(event)
