"""Opening the desk: a small window at once, the site's database opened on a worker (its
integrity check reads the whole file, seconds on a 1M-household snapshot), then the login."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
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
    return window, site
