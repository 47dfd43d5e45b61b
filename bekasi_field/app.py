"""The composition root of the desktop app: opens the site, resolves the other parts of the
app and hands them to the GUI. The only module outside gui/ that imports bekasi_field.gui."""

from __future__ import annotations

import importlib
import importlib.util
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bekasi_field.gui.context import DeskConfig, DeskContext, DeskParts

if TYPE_CHECKING:
    from bekasi_field.gui.main_window import MainWindow
    from bekasi_field.services.site import Site

log = logging.getLogger(__name__)


def _optional(module: str, name: str) -> Any:
    """A part's function, imported now, or None when that part is not in this build."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        log.warning("part %s.%s is not available; the desk works without it", module, name)
        return None


def _lazy(module: str, name: str) -> Any:
    """A part's callable that imports its module on first use (start-up stays fast: the heavy
    imports, OpenCV, reportlab, httpx, happen on a worker after the first page is up)."""
    try:
        found = importlib.util.find_spec(module) is not None
    except ImportError:
        found = False
    if not found:
        log.warning("part %s is not available; the desk works without it", module)
        return None

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__qualname__ = f"{module}.{name}"
    return call


_HEAVY_MODULES = (
    "bekasi_field.services.verdict_engine", "bekasi_field.services.journal",
    "bekasi_field.services.events", "bekasi_field.services.sync_service",
    "bekasi_field.scan.loop", "bekasi_field.gui.dashboard",
)


def warm_up() -> None:
    """Import the parts on a worker thread while the officer types the PIN."""
    for module in _HEAVY_MODULES:
        try:
            importlib.import_module(module)
        except ImportError:
            log.warning("part %s could not be imported", module)


def resolve_parts() -> DeskParts:
    dashboard = _lazy("bekasi_field.gui.dashboard", "SupervisorDashboard")

    def make_dashboard(site: Site, event_id: str, parent: Any, ops: Any = None) -> Any:
        assert dashboard is not None
        return dashboard(site=site, event_id=event_id, parent=parent, ops=ops)

    return DeskParts(
        make_verdict_engine=_lazy("bekasi_field.services.verdict_engine", "VerdictEngine"),
        record_handover=_lazy("bekasi_field.services.journal", "record_handover"),
        void_entry=_lazy("bekasi_field.services.journal", "void_entry"),
        proxy_info=_lazy("bekasi_field.services.journal", "ProxyInfo"),
        identity_check=_lazy("bekasi_field.services.journal", "IdentityCheck"),
        list_events=_lazy("bekasi_field.services.events", "list_events"),
        sync_now=_lazy("bekasi_field.services.sync_service", "sync_now"),
        pending_count=_lazy("bekasi_field.services.sync_service", "pending_count"),
        sync_status=_lazy("bekasi_field.services.sync_service", "sync_status"),
        make_scan_loop=_lazy("bekasi_field.scan.loop", "make_scan_loop"),
        make_wedge_parser=_lazy("bekasi_field.scan.wedge", "WedgeParser"),
        make_dashboard=make_dashboard if dashboard is not None else None,
        warm_up=warm_up,
    )


def build_context(site: Site, *, camera: str | None = None, hub_url: str | None = None,
                  idle_lock_seconds: float | None = None, sound: bool = True) -> DeskContext:
    config = DeskConfig(camera=camera, hub_url=hub_url, sound=sound)
    if idle_lock_seconds is not None:
        config.idle_lock_seconds = idle_lock_seconds
    return DeskContext(site=site, config=config, parts=resolve_parts())


def open_site(home: Path) -> Site:
    """The site's database, opened without the whole-file integrity check: the launcher runs
    that on a worker while the officer logs in (it takes seconds on a 1M-household snapshot)."""
    from bekasi_field.services.site import Site

    return Site.open(Path(home), full_check=False)


def site_language(site: Site) -> str | None:
    from bekasi_field.services import desk

    return desk.get_setting(site.db, "language")


def start_desktop(*, home: Path, camera: str | None = None,
                  sound: bool = True) -> tuple[MainWindow, Site]:
    """Everything up to the login window on screen (used by run_desktop and the benchmark)."""
    from bekasi_field.gui import launch

    return launch.start(home=Path(home), open_site=open_site, language_of=site_language,
                        make_context=lambda site: build_context(site, camera=camera,
                                                                sound=sound))


def run_desktop(*, home: Path, camera: str | None = None) -> int:
    """Open the desk on the site at `home` and run until the window closes."""
    from bekasi_field.gui import launch
    from bekasi_field.gui.theme import ensure_app

    t0 = time.perf_counter()
    app = ensure_app()
    previous_qt_handler = _install_error_reporting()
    try:
        try:
            window, site = start_desktop(home=home, camera=camera)
        except launch.StartRefused as exc:
            return exc.exit_code
        log.info("desk window shown in %.0f ms", (time.perf_counter() - t0) * 1000)
        try:
            return int(app.exec())
        finally:
            window.close()
            site.close()
    finally:
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
