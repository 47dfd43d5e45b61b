"""The composition root of the desktop app: opens the site, makes its typed services object
(services.desk_services.DeskServices) and hands both to the GUI. The only module outside gui/
that imports bekasi_field.gui."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bekasi_field.gui.context import DeskConfig, DeskContext

if TYPE_CHECKING:
    from bekasi_field.gui.main_window import MainWindow
    from bekasi_field.services.site import Site

log = logging.getLogger(__name__)


def build_context(site: Site, *, camera: str | None = None, hub_url: str | None = None,
                  idle_lock_seconds: float | None = None, sound: bool = True) -> DeskContext:
    """The window's context. Reads the site's settings and officers: call it on a worker
    (launch.start does), not on the GUI thread."""
    from bekasi_field.services.desk_services import DeskServices

    config = DeskConfig(camera=camera, hub_url=hub_url, sound=sound)
    if idle_lock_seconds is not None:
        config.idle_lock_seconds = idle_lock_seconds
    services = DeskServices(site)
    return DeskContext(site=site, services=services, startup=services.startup(), config=config)


def open_site(home: Path, passphrase: str | None = None) -> Site:
    """The site's database, opened without the whole-file integrity check: the launcher runs
    that on a worker while the officer logs in (it takes seconds on a 1M-household snapshot).
    The passphrase, when the launcher had to ask for it, unwraps the data key (argon2id) on
    that same worker."""
    from bekasi_field.services.site import Site

    return Site.open(Path(home), full_check=False, passphrase=passphrase)


def start_desktop(*, home: Path, camera: str | None = None,
                  sound: bool = True) -> tuple[MainWindow, Site]:
    """Everything up to the login window on screen (used by run_desktop and the benchmark)."""
    from bekasi_field.store.datakey import warm_keystore
    warm_keystore()  # keyring's import and backend discovery, beside Qt's start-up
    from bekasi_field.gui import launch

    return launch.start(home=Path(home), open_site=open_site,
                        make_context=lambda site: build_context(site, camera=camera,
                                                                sound=sound))


def run_desktop(*, home: Path, camera: str | None = None) -> int:
    """Open the desk on the site at `home` and run until the window closes."""
    from bekasi_field.gui import launch
    from bekasi_field.gui.error_dialog import install_excepthook
    from bekasi_field.gui.qt_log import install_qt_log_handler, restore_qt_log_handler
    from bekasi_field.gui.theme import ensure_app

    t0 = time.perf_counter()
    app = ensure_app()
    install_excepthook()  # a crash dialog instead of a silent exit
    previous_qt_handler = install_qt_log_handler()  # Qt's own messages into the log
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
        restore_qt_log_handler(previous_qt_handler)
