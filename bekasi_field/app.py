"""The composition root of the desktop app: opens the site, resolves the other parts of the
app and hands them to the GUI. The only module outside gui/ that imports bekasi_field.gui."""

from __future__ import annotations

import importlib
import logging
import sys
import time
from pathlib import Path
from typing import Any

from bekasi_field.gui.context import DeskConfig, DeskContext, DeskParts
from bekasi_field.services import desk
from bekasi_field.services.site import Site

log = logging.getLogger(__name__)


def _optional(module: str, name: str) -> Any:
    """A part's function, or None when that part is not in this build."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        log.warning("part %s.%s is not available; the desk works without it", module, name)
        return None


def resolve_parts() -> DeskParts:
    engine_cls = _optional("bekasi_field.services.verdict_engine", "VerdictEngine")
    dashboard_cls = _optional("bekasi_field.gui.dashboard", "SupervisorDashboard")

    def make_dashboard(site: Site, event_id: str, parent: Any, ops: Any = None) -> Any:
        return dashboard_cls(site=site, event_id=event_id, parent=parent, ops=ops)

    return DeskParts(
        make_verdict_engine=engine_cls,
        record_handover=_optional("bekasi_field.services.journal", "record_handover"),
        void_entry=_optional("bekasi_field.services.journal", "void_entry"),
        proxy_info=_optional("bekasi_field.services.journal", "ProxyInfo"),
        identity_check=_optional("bekasi_field.services.journal", "IdentityCheck"),
        list_events=_optional("bekasi_field.services.events", "list_events"),
        sync_now=_optional("bekasi_field.services.sync_service", "sync_now"),
        pending_count=_optional("bekasi_field.services.sync_service", "pending_count"),
        make_scan_loop=_optional("bekasi_field.scan.loop", "make_scan_loop"),
        make_wedge_parser=_optional("bekasi_field.scan.wedge", "WedgeParser"),
        make_dashboard=make_dashboard if dashboard_cls is not None else None,
    )


def build_context(site: Site, *, camera: str | None = None, hub_url: str | None = None,
                  idle_lock_seconds: float | None = None, sound: bool = True) -> DeskContext:
    config = DeskConfig(camera=camera, hub_url=hub_url, sound=sound)
    if idle_lock_seconds is not None:
        config.idle_lock_seconds = idle_lock_seconds
    return DeskContext(site=site, config=config, parts=resolve_parts())


def run_desktop(*, home: Path, camera: str | None = None) -> int:
    """Open the desk on the site at `home` and run until the window closes."""
    t0 = time.perf_counter()
    from PySide6.QtWidgets import QApplication

    from bekasi_field.gui.main_window import MainWindow
    from bekasi_field.gui.theme import apply_theme
    from bekasi_field.i18n import set_language

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("bekasi-field")
    apply_theme(app)
    previous_qt_handler = _install_error_reporting()
    site = Site.open(Path(home))
    try:
        lang = desk.get_setting(site.db, "language")
        if lang in ("id", "en"):
            set_language(lang)
        window = MainWindow(build_context(site, camera=camera))
        window.show()
        log.info("desk window shown in %.0f ms", (time.perf_counter() - t0) * 1000)
        return int(app.exec())
    finally:
        site.close()
        restore = _optional("bekasi_field.gui.qt_log", "restore_qt_log_handler")
        if restore is not None:
            restore(previous_qt_handler)


def _install_error_reporting() -> Any:
    """H6's crash dialog (sys.excepthook) and Qt's messages into the log, when present."""
    hook = _optional("bekasi_field.gui.error_dialog", "install_excepthook")
    if hook is not None:
        hook()
    install = _optional("bekasi_field.gui.qt_log", "install_qt_log_handler")
    return install() if install is not None else None
