"""Opening the desk: a small window at once, the site's database opened on a worker (its
integrity check reads the whole file, seconds on a 1M-household snapshot), then the login."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QMessageBox, QVBoxLayout, QWidget

from bekasi_field.domain.errors import BekasiError
from bekasi_field.gui.theme import ensure_app
from bekasi_field.i18n import set_language, tr

if TYPE_CHECKING:
    from bekasi_field.gui.context import DeskContext
    from bekasi_field.gui.main_window import MainWindow
    from bekasi_field.services.site import Site

log = logging.getLogger(__name__)


class StartRefused(Exception):
    """The site could not be opened; the user was told why."""

    def __init__(self, exit_code: int) -> None:
        super().__init__(exit_code)
        self.exit_code = exit_code


class OpeningWindow(QWidget):
    def __init__(self, home: Path) -> None:
        super().__init__(objectName="openingWindow")
        self.setWindowTitle("bekasi-field")
        lay = QVBoxLayout(self)
        title = QLabel(tr("gui.open.title"), objectName="pageTitle")
        text = QLabel(tr("gui.open.text", home=home), wordWrap=True)
        for label in (title, text):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            lay.addWidget(label)
        self.resize(520, 180)


def _open_on_worker(home: Path, open_site: Callable[[Path], Site]) -> Site:
    app = ensure_app()
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["site"] = open_site(home)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread below
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="desk-open-site", daemon=True)
    worker.start()
    while worker.is_alive():  # keep the small window painted and movable meanwhile
        app.processEvents()
        worker.join(0.015)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["site"]


def start(*, home: Path, open_site: Callable[[Path], Site],
          language_of: Callable[[Site], str | None],
          make_context: Callable[[Site], DeskContext]) -> tuple[MainWindow, Site]:
    app = ensure_app()
    opening = OpeningWindow(home)
    opening.show()
    app.processEvents()
    try:
        site = _open_on_worker(home, open_site)
    except BekasiError as exc:  # not ours, damaged, too new: refused, nothing changed
        log.error("site at %s refused: %s", home, type(exc).__name__)
        QMessageBox.critical(opening, "bekasi-field", exc.message)
        opening.close()
        raise StartRefused(exc.exit_code) from exc
    from bekasi_field.gui.main_window import MainWindow

    lang = language_of(site)
    if lang in ("id", "en"):
        set_language(lang)
    window = MainWindow(make_context(site))
    window.show()
    opening.close()
    opening.deleteLater()
    check_integrity_in_background(window, site)
    return window, site


def check_integrity_in_background(window: QWidget, site: Site) -> threading.Thread:
    """The whole-file integrity check, on a worker while the officer logs in. A damaged
    database closes the desk with the reason before anything more is written to it."""
    from bekasi_field.store.db import integrity_problems

    outcome: dict[str, list[str]] = {}
    worker = threading.Thread(
        target=lambda: outcome.setdefault("problems", integrity_problems(site.db.path)),
        name="desk-integrity-check", daemon=True,
    )
    timer = QTimer(window)
    timer.setInterval(100)

    def poll() -> None:
        if worker.is_alive():
            return
        timer.stop()
        problems = outcome.get("problems", [])
        window.setProperty("integrityChecked", True)
        if problems:
            log.error("integrity check failed for %s (%d problems)", site.db.path, len(problems))
            QMessageBox.critical(window, "bekasi-field", tr(
                "db.corrupt", path=site.db.path, detail="; ".join(problems[:3])))
            window.close()

    timer.timeout.connect(poll)
    worker.start()
    timer.start()
    return worker
