"""The end-of-day files from the keyboard: the BAST (Ctrl+Shift+B) and the recap workbook
(Ctrl+Shift+X), which the dashboard's buttons also ask for, and the USB bundle for a hub out of
reach (Ctrl+Shift+U, with a progress bar: photos take the time). All in the Laporan menu.

The file is chosen in a dialog the window runs (tests answer it); the writing runs on a worker
(the lists worker for reports, the sync worker for the bundle, which holds the sync lock).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QProgressDialog

from bekasi_field.gui.actions import DeskAction
from bekasi_field.i18n import tr

if TYPE_CHECKING:
    from bekasi_field.domain.errors import BekasiError
    from bekasi_field.gui.dashboard import SupervisorDashboard
    from bekasi_field.gui.main_window import MainWindow

log = logging.getLogger(__name__)

ACTIONS = (
    DeskAction("report_bast", "desk.act.bast", "Ctrl+Shift+B", "reports", supervisor=True),
    DeskAction("report_xlsx", "desk.act.xlsx", "Ctrl+Shift+X", "reports", supervisor=True),
    DeskAction("dashboard_refresh", "desk.act.dash_refresh", "Ctrl+R", "reports",
               supervisor=True),
    DeskAction("bundle_export", "desk.act.bundle", "Ctrl+Shift+U", "reports"),
)
_PATTERNS = {"bast": "PDF (*.pdf)", "xlsx": "Excel (*.xlsx)", "bundle": "Bundel (*.bkf)"}
_SUFFIX = {"bast": "pdf", "xlsx": "xlsx", "bundle": "bkf"}
_TITLES = {"bast": "desk.save.bast", "xlsx": "desk.save.xlsx", "bundle": "desk.save.bundle"}


class ReportActions(QObject):
    written = Signal(str, str)  # kind ("bast" | "xlsx" | "bundle"), the file's path
    failed = Signal(str)  # the message shown
    _progress = Signal(int, int)  # from the worker: (done, total)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.progress: QProgressDialog | None = None
        handlers = {"report_bast": lambda: self.export("bast"),
                    "report_xlsx": lambda: self.export("xlsx"),
                    "dashboard_refresh": self.refresh_dashboard,
                    "bundle_export": self.export_bundle}
        for spec in ACTIONS:
            window.actions.add(spec, handlers[spec.name])
        self._progress.connect(self._show_progress)

    def attach(self, dashboard: SupervisorDashboard) -> None:
        """The dashboard's buttons ask through here: same dialog, worker and keys."""
        dashboard.export_handler = self.export
        for button, name in ((dashboard.bast_button, "report_bast"),
                             (dashboard.xlsx_button, "report_xlsx"),
                             (dashboard.refresh_button, "dashboard_refresh")):
            key = self.window.actions.by_name[name].shortcut()
            button.setToolTip(key.toString(QKeySequence.SequenceFormat.NativeText))

    # --- choosing the file -----------------------------------------------------------------
    def _ask(self, kind: str, suggested: Path) -> Path | None:
        window = self.window
        dialog = QFileDialog(window, tr(_TITLES[kind]), str(suggested), _PATTERNS[kind])
        dialog.setObjectName(f"{kind}FileDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setDefaultSuffix(_SUFFIX[kind])
        chosen = window.dialogs.run(dialog)
        files = dialog.selectedFiles() if chosen else []
        dialog.deleteLater()
        return Path(files[0]) if files else None

    # --- BAST and recap --------------------------------------------------------------------
    def export(self, kind: str) -> None:
        window = self.window
        event = window.state.chosen_event
        if event is None or window.officer is None or not window.officer.is_supervisor:
            return
        services, event_id = window.services, event.id
        out = self._ask(kind, services.report_path(kind, event_id))
        if out is None:
            return
        window.show_message(tr("desk.report.writing", path=out))
        window.lists.run(lambda: services.export_report(kind, event_id, out),
                         on_success=lambda path: self._done(kind, str(path)),
                         on_error=self._failed)

    def refresh_dashboard(self) -> None:
        dashboard = self.window.desk.dashboard
        if dashboard is not None:
            self.window.desk.tabs.setCurrentIndex(2)
            getattr(dashboard, "refresh", lambda: None)()

    # --- the USB bundle --------------------------------------------------------------------
    def export_bundle(self) -> None:
        window = self.window
        if window.officer is None:
            return
        services = window.services
        out = self._ask("bundle", Path.home() / f"bekasi-{window.ctx.site.device_id}.bkf")
        if out is None:
            return
        self.progress = QProgressDialog(tr("desk.bundle.writing", path=out), "", 0, 0, window)
        self.progress.setObjectName("bundleProgress")
        self.progress.setCancelButton(None)  # a half-written bundle is never kept anyway
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.show()
        emit = self._progress.emit  # called on the worker: a queued signal to the GUI thread
        window.sync_ops.run(lambda: services.export_bundle(out, progress=emit),
                            on_success=lambda info: self._bundle_done(out, info),
                            on_error=self._failed, key="bundle")

    def _show_progress(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.setMaximum(total)
            self.progress.setValue(done)

    def _bundle_done(self, out: Path, info: dict[str, object]) -> None:
        self._close_progress()
        self.window.show_message(tr("sync.bundle_exported", path=out, entries=info["entries"],
                                    evidence=info["evidence"]))
        self.written.emit("bundle", str(out))

    # --- results ---------------------------------------------------------------------------
    def _done(self, kind: str, path: str) -> None:
        text = tr("dash.saved", path=path)
        self.window.show_message(text)
        dashboard = self.window.desk.dashboard
        status = getattr(dashboard, "status", None)
        if status is not None:
            status.setText(text)
        log.info("%s written from the desk", kind)
        self.written.emit(kind, path)

    def _failed(self, exc: BekasiError) -> None:
        self._close_progress()
        self.window.show_message(exc.message)
        self.failed.emit(exc.message)

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
