"""The Qt part of `bekasi-field --self-test`: platform plugin, widgets, QPainter, a worker
thread delivering to the GUI thread; the supervisor dashboard is built on a tiny demo site
and rendered to an image. Reached by name from bekasi_field/selftest.py.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QIcon, QImageReader
from PySide6.QtWidgets import QApplication

from bekasi_field.gui.dashboard import SupervisorDashboard
from bekasi_field.paths import resource_path
from bekasi_field.services.data_key import ephemeral
from bekasi_field.services.demo import populate_demo
from bekasi_field.services.site import Site

TIMEOUT_MS = 20_000


def _ensure_app() -> QApplication:
    app = QApplication.instance()
    if app is not None:
        return app  # type: ignore[return-value]
    # Qt aborts the whole process when it finds no display; a headless Linux gets offscreen.
    if (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return QApplication(sys.argv[:1])


def _icons() -> int:
    """The desk's SVG icons need Qt's svg image plugins; a build without them shows blanks."""
    if b"svg" not in [f.data() for f in QImageReader.supportedImageFormats()]:
        raise RuntimeError("Qt svg image plugin missing")
    icons = sorted(resource_path("icons").glob("*.svg"))
    for path in icons:
        if QIcon(str(path)).pixmap(32, 32).isNull():
            raise RuntimeError(f"icon {path.name} does not render")
    return len(icons)


def qt_check(tmp: Path) -> str:
    app = _ensure_app()
    icons = _icons()
    with Site.open(tmp / "home", data_key=ephemeral()) as site:
        demo = populate_demo(site.db.engine, households=4, seed=3)
        dash = SupervisorDashboard(site=site, event_id=demo.event_id)
        try:
            loop = QEventLoop()
            dash.refreshed.connect(loop.quit)
            QTimer.singleShot(TIMEOUT_MS, loop.quit)
            dash.resize(900, 600)
            dash.refresh()
            loop.exec()
            if dash.data is None:
                raise RuntimeError("dashboard data did not arrive from the worker thread")
            image = dash.grab().toImage()
            if image.isNull() or image.width() < 100:
                raise RuntimeError("dashboard did not render")
            rows = dash.table.rowCount()
        finally:
            dash.ops.shutdown(2.0)
            dash.deleteLater()
    return (f"PySide6 {pyside_version}, platform {app.platformName()}, dashboard rendered "
            f"{image.width()}x{image.height()} with {rows} kelurahan, {icons} SVG icons")
