"""The window: pages (first run, login/lock, event, desk), actions with a key each, auto-lock,
language switch. Work goes through the ops workers; the desk page keeps its state when locked."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox, QStackedWidget

from bekasi_field.gui.camera import CameraController
from bekasi_field.gui.context import DeskContext
from bekasi_field.gui.desk_page import DeskPage
from bekasi_field.gui.handover_flow import HandoverFlow
from bekasi_field.gui.input_filters import IdleWatcher, WedgeFilter
from bekasi_field.gui.ops import Ops
from bekasi_field.gui.sounds import SoundPlayer
from bekasi_field.gui.start_pages import EventPage, FirstRunPage, LoginPage
from bekasi_field.gui.supervisor_dialogs import OfficersDialog, SettingsDialog
from bekasi_field.i18n import language, set_language, tr
from bekasi_field.services import desk, officers

log = logging.getLogger(__name__)

# (name, i18n key, shortcut, needs a supervisor)
ACTIONS: list[tuple[str, str, str, bool]] = [
    ("focus_code", "gui.act.focus_code", "F2", False),
    ("focus_candidates", "gui.act.focus_candidates", "F3", False),
    ("handover", "gui.act.handover", "F5", False),
    ("proxy", "gui.act.proxy", "F6", False),
    ("void", "gui.act.void", "F7", False),
    ("override", "gui.act.override", "F8", False),
    ("sync", "gui.act.sync", "F9", False),
    ("camera", "gui.act.camera", "F11", False),
    ("today", "gui.act.today", "Ctrl+1", False),
    ("remaining", "gui.act.remaining", "Ctrl+2", False),
    ("dashboard", "gui.act.dashboard", "Ctrl+3", True),
    ("change_event", "gui.act.change_event", "Ctrl+E", False),
    ("officers", "gui.act.officers", "Ctrl+O", True),
    ("settings", "gui.act.settings", "Ctrl+,", True),
    ("language", "gui.act.language", "Ctrl+B", False),
    ("lock", "gui.act.lock", "Ctrl+L", False),
    ("logout", "gui.act.logout", "Ctrl+Shift+L", False),
    ("help", "gui.act.help", "F1", False),
    ("quit", "gui.act.quit", "Ctrl+Q", False),
]


class MainWindow(QMainWindow):
    locked = Signal()
    page_changed = Signal(str)

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("mainWindow")
        self.ops = Ops("desk-ops", self)
        self.lists = Ops("desk-lists", self)
        self.sync_ops = Ops("desk-sync", self)
        self.sounds = SoundPlayer(enabled=ctx.config.sound)
        self.camera = CameraController(ctx.parts.make_scan_loop, ctx.config.camera,
                                       preview_width=ctx.config.preview_width, parent=self)
        self.officer: officers.OfficerInfo | None = None
        self.dist_event: Any = None
        self._site_name: str | None = None

        self.stack = QStackedWidget()
        self.first_run = FirstRunPage(ctx, self.ops)
        self.login = LoginPage(ctx, self.ops)
        self.events = EventPage(ctx, self.ops)
        self.desk = DeskPage(ctx, self.ops, self.lists, self.camera, self.sounds)
        for page in (self.first_run, self.login, self.events, self.desk):
            self.stack.addWidget(page)
        self.setCentralWidget(self.stack)
        self.flow = HandoverFlow(ctx, self.ops, self.sync_ops, self.desk, self)

        self.officer_label = QLabel(objectName="statusOfficer")
        self.statusBar().addPermanentWidget(self.officer_label)
        for ops in (self.ops, self.lists, self.sync_ops):
            ops.failed.connect(self.show_message)
        self.flow.status.connect(self.show_message)
        self.desk.handover_requested.connect(self.flow.handover)
        self.desk.proxy_button.clicked.connect(lambda: self.flow.handover(proxy=True))
        self.desk.override_button.clicked.connect(self.flow.override)
        self.desk.void_button.clicked.connect(self.flow.void)
        self.desk.sync_button.clicked.connect(self.flow.sync)
        self.camera.code_read.connect(self._camera_code)
        self.first_run.created.connect(self._supervisor_created)
        self.first_run.enrolled.connect(self._enrolled)
        self.login.logged_in.connect(self._logged_in)
        self.events.chosen.connect(self._event_chosen)

        self.actions_by_name: dict[str, QAction] = {}
        self._build_actions()
        app = QApplication.instance()
        lock_minutes = desk.get_setting(ctx.site.db, "lock_minutes")
        seconds = float(lock_minutes) * 60 if lock_minutes else ctx.config.idle_lock_seconds
        self.idle = IdleWatcher(seconds, self)
        self.idle.idle.connect(self.lock)
        self.wedge: WedgeFilter | None = None
        if ctx.parts.make_wedge_parser is not None:
            self.wedge = WedgeFilter(ctx.parts.make_wedge_parser(),
                                     enabled=self._wedge_enabled,
                                     own_field=lambda: self.desk.code, parent=self)
            self.wedge.scanned.connect(lambda text: self.desk.submit(text, source="scanner"))
        if app is not None:
            app.installEventFilter(self.idle)
            if self.wedge is not None:
                app.installEventFilter(self.wedge)
        self._pending_timer = QTimer(self)
        self._pending_timer.setInterval(30_000)
        self._pending_timer.timeout.connect(self.desk.refresh_pending)
        self.resize(1366, 740)
        self.retranslate()
        self.start()
        self._warm = ctx.parts.warm_up is None
        if ctx.parts.warm_up is not None:
            self.sync_ops.run(ctx.parts.warm_up, on_success=self._warmed_up)

    def _warmed_up(self, _result: object) -> None:
        self._warm = True
        if self.stack.currentWidget() is self.desk:
            self._place_dashboard()

    # --- actions ---------------------------------------------------------------------------
    def _build_actions(self) -> None:
        handlers = {
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
            "language": self.toggle_language,
            "lock": self.lock,
            "logout": self.logout,
            "help": self.show_help,
            "quit": self.close,
        }
        menus: dict[str, Any] = {}
        for name, _key, shortcut, _sup in ACTIONS:
            action = QAction(self)
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(handlers[name])
            self.actions_by_name[name] = action
            group = ("desk" if name in ("focus_code", "focus_candidates", "handover", "proxy",
                                        "void", "override", "camera", "today", "remaining",
                                        "dashboard") else "app")
            if group not in menus:
                menus[group] = self.menuBar().addMenu("")
            menus[group].addAction(action)
        self._menus = menus

    def _desk_actions_enabled(self, on: bool) -> None:
        supervisor = bool(self.officer and self.officer.is_supervisor)
        for name, _key, _shortcut, needs_sup in ACTIONS:
            if name in ("language", "help", "quit"):
                continue
            self.actions_by_name[name].setEnabled(on and (supervisor or not needs_sup))

    def _tab(self, i: int) -> None:
        if i < self.desk.tabs.count():
            self.desk.tabs.setCurrentIndex(i)
            self.desk.tabs.currentWidget().setFocus()

    def _focus_candidates(self) -> None:
        self.desk.side_stack.setCurrentWidget(self.desk.candidates)
        self.desk.history_title.setText(tr("gui.desk.candidates"))
        self.desk.candidates.setFocus()

    def _wedge_enabled(self) -> bool:
        return (self.stack.currentWidget() is self.desk and self.isActiveWindow()
                and QApplication.activeModalWidget() is None)

    # --- pages -----------------------------------------------------------------------------
    def _show(self, page: Any, name: str) -> None:
        self.stack.setCurrentWidget(page)
        self._desk_actions_enabled(page is self.desk)
        self.update_title()
        self.page_changed.emit(name)

    def start(self) -> None:
        if desk.has_officers(self.ctx.site.db):
            self.login.reload()
            self._show(self.login, "login")
        else:
            self._show(self.first_run, "first_run")
            self.first_run.focus_first()

    def _enrolled(self, result: Any) -> None:
        self._site_name = None  # the hub named the site
        self.show_message(tr("gui.sync.done", pushed=result.pushed, pulled=result.pulled,
                             conflicts=result.conflicts))
        self.start()

    def _supervisor_created(self, info: officers.OfficerInfo) -> None:
        self._site_name = None  # the first run named the site
        self.show_message(tr("gui.first.done", officer=info.id))
        self._logged_in(info)

    def _logged_in(self, info: officers.OfficerInfo) -> None:
        log.info("officer %s logged in", info.id)
        previous, self.officer = self.officer, info
        self.flow.officer = info
        self.officer_label.setText(tr("gui.status.officer", name=info.name,
                                      role=tr("gui.role." + info.role)))
        self.idle.start()
        if self.dist_event is not None and previous is not None:
            self._enter_desk()  # unlocked: back to the same desk, same verdict, same lists
            return
        last = desk.get_setting(self.ctx.site.db, "last_event")
        self.events.reload(preselect=last)
        self._show(self.events, "event")

    def _event_chosen(self, event: Any) -> None:
        self.dist_event = event
        db = self.ctx.site.db
        self.ops.run(lambda: desk.set_setting(db, "last_event", event.id))
        self.desk.set_event(event)
        log.info("event %s chosen", event.id)
        self._enter_desk()
        if self.camera.state == "off" and self.camera.available:
            self.camera.start()
        self._pending_timer.start()

    def _enter_desk(self) -> None:
        self._place_dashboard()
        self._show(self.desk, "desk")
        self.desk.code.setFocus()

    def _place_dashboard(self) -> None:
        make = self.ctx.parts.make_dashboard
        want = bool(make and self.officer and self.officer.is_supervisor and self.dist_event)
        if want and not self._warm:
            return  # placed when the parts have been imported (off the GUI thread)
        if not want:
            self.desk.set_dashboard(None)
            return
        current = self.desk.dashboard
        if current is not None and getattr(current, "_bekasi_event", None) == self.dist_event.id:
            return
        try:
            widget = make(self.ctx.site, self.dist_event.id, None, self.lists)
        except Exception:  # another part's widget must not keep the desk closed
            log.exception("supervisor dashboard could not be built")
            return
        widget._bekasi_event = self.dist_event.id  # type: ignore[attr-defined]
        self.desk.set_dashboard(widget)

    def change_event(self) -> None:
        self.events.reload(preselect=self.dist_event.id if self.dist_event else None)
        self._show(self.events, "event")

    def lock(self) -> None:
        """Back to the PIN screen; the desk behind it keeps everything."""
        if self.officer is None or self.stack.currentWidget() in (self.login, self.first_run):
            return
        modal = QApplication.activeModalWidget()
        if modal is not None:
            modal.reject()
        log.info("desk locked (officer %s)", self.officer.id)
        self.idle.stop()
        self.login.reload(lock_for=self.officer.id)
        self._show(self.login, "login")
        self.locked.emit()

    def logout(self) -> None:
        self.officer = None
        self.flow.officer = None
        self.dist_event = None
        self.officer_label.clear()
        self.idle.stop()
        self.login.reload()
        self._show(self.login, "login")

    # --- things a user asks for ------------------------------------------------------------
    def _camera_code(self, text: str) -> None:
        if self.stack.currentWidget() is self.desk and QApplication.activeModalWidget() is None:
            self.desk.submit(text, source="camera")

    def toggle_camera(self) -> None:
        if self.camera.state in ("off", "error", "ended"):
            self.camera.start()
        else:
            self.camera.stop()

    def toggle_language(self) -> None:
        set_language("en" if language() == "id" else "id")
        db, lang = self.ctx.site.db, language()
        self.ops.run(lambda: desk.set_setting(db, "language", lang))
        self.retranslate()
        self.desk.recheck()

    def manage_officers(self) -> None:
        if self.officer is None or not self.officer.is_supervisor:
            return
        dialog = OfficersDialog(self, self.ctx.site.db)
        self.flow._exec(dialog)
        dialog.deleteLater()

    def edit_settings(self) -> None:
        if self.officer is None or not self.officer.is_supervisor:
            return
        db = self.ctx.site.db
        minutes = self.idle._timer.interval() / 60_000
        dialog = SettingsDialog(self, hub_url=self.flow.hub_url(), lock_minutes=minutes)
        if self.flow._exec(dialog):
            url, minutes = dialog.hub_url.text().strip(), dialog.lock.value()

            def save() -> None:
                desk.set_setting(db, "hub_url", url)
                desk.set_setting(db, "lock_minutes", f"{minutes:g}")

            self.ops.run(save, on_success=lambda _r: self.show_message(tr("gui.set.saved")))
            self.idle.set_seconds(minutes * 60)
        dialog.deleteLater()

    def show_help(self) -> None:
        lines = [f"{a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)}\t"
                 f"{tr(key)}" for (name, key, _s, _sup) in ACTIONS
                 for a in [self.actions_by_name[name]]]
        lines.append(f"Enter\t{tr('gui.help.enter')}")
        box = QMessageBox(QMessageBox.Icon.Information, tr("gui.act.help"), "\n".join(lines),
                          QMessageBox.StandardButton.Ok, self)
        self.flow._exec(box)
        box.deleteLater()

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 15_000)

    def update_title(self) -> None:
        parts = ["bekasi-field"]
        if self._site_name is None:
            self._site_name = desk.site_name(self.ctx.site.db)
        site = self._site_name
        if site:
            parts.append(site)
        if self.dist_event is not None:
            parts.append(getattr(self.dist_event, "name", "") or self.dist_event.id)
        self.setWindowTitle(" — ".join(parts))

    def retranslate(self) -> None:
        for name, key, _shortcut, _sup in ACTIONS:
            self.actions_by_name[name].setText(tr(key))
        self._menus["desk"].setTitle(tr("gui.menu.desk"))
        self._menus["app"].setTitle(tr("gui.menu.app"))
        for page in (self.first_run, self.login, self.events, self.desk):
            page.retranslate()
        if self.officer is not None:
            self.officer_label.setText(tr("gui.status.officer", name=self.officer.name,
                                          role=tr("gui.role." + self.officer.role)))
        self.update_title()

    def closeEvent(self, event: QCloseEvent) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
            if self.wedge is not None:
                app.removeEventFilter(self.wedge)
        self._pending_timer.stop()
        self.idle.stop()
        self.camera.stop()
        for ops in (self.ops, self.lists, self.sync_ops):
            ops.shutdown()
        super().closeEvent(event)
