"""Opening the desk: a small window at once, the site's database opened on a worker (its
integrity check reads the whole file, seconds on a 1M-household snapshot), then the login."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QVBoxLayout, QWidget

from bekasi_field.domain.errors import BekasiError
from bekasi_field.gui.ops import Ops
from bekasi_field.gui.theme import ensure_app
from bekasi_field.i18n import set_language, tr
from bekasi_field.services.data_key import PassphraseNeeded

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
        super().__init__()
        self.setObjectName("openingWindow")
        self.setWindowTitle("bekasi-field")
        lay = QVBoxLayout(self)
        title = QLabel(tr("gui.open.title"), objectName="pageTitle")
        text = QLabel(tr("gui.open.text", home=home), wordWrap=True)
        for label in (title, text):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            lay.addWidget(label)
        self.resize(520, 180)


def _open_on_worker(home: Path, open_site: Callable[..., Site],
                    make_context: Callable[[Site], DeskContext]) -> DeskContext:
    """Open the site and read what the window needs, on a worker; the small window keeps
    painting meanwhile (a local event loop waits for the one result)."""
    ops = Ops("desk-open-site")
    loop = QEventLoop()
    outcome: dict[str, Any] = {}

    def work() -> DeskContext:
        site = open_site(home)
        try:
            return make_context(site)
        except BaseException:
            site.close()
            raise

    def failed(exc: BekasiError) -> None:
        outcome["error"] = exc

    ops.run(work, on_success=lambda ctx: outcome.setdefault("ctx", ctx), on_error=failed)
    ops.idle.connect(loop.quit)
    if ops.pending:
        loop.exec()
    ops.shutdown()
    if "error" in outcome:
        raise outcome["error"]
    ctx: DeskContext = outcome["ctx"]
    return ctx


def _open_with_passphrase(parent: QWidget, home: Path, open_site: Callable[..., Site],
                          make_context: Callable[[Site], DeskContext],
                          first: PassphraseNeeded) -> DeskContext:
    """Ask for the site's recovery passphrase (up to three tries); the KDF runs on the worker.
    Cancel raises the original refusal, so the desk says why and exits."""
    from bekasi_field.gui.passphrase_dialog import ask_passphrase
    from bekasi_field.services.data_key import WrongPassphrase

    message = first.message
    for _attempt in range(3):
        passphrase = ask_passphrase(parent, message=message, new=first.first_run)
        if passphrase is None:
            raise first
        try:
            return _open_on_worker(
                home, lambda h, p=passphrase: open_site(h, passphrase=p), make_context)
        except WrongPassphrase as exc:
            message = exc.message
    raise WrongPassphrase(message)


def start(*, home: Path, open_site: Callable[..., Site],
          make_context: Callable[[Site], DeskContext]) -> tuple[MainWindow, Site]:
    app = ensure_app()
    opening = OpeningWindow(home)
    opening.show()
    app.processEvents()
    try:
        try:
            ctx = _open_on_worker(home, open_site, make_context)
        except PassphraseNeeded as exc:  # no key store here, or a home copied from elsewhere
            ctx = _open_with_passphrase(opening, home, open_site, make_context, exc)
    except BekasiError as exc:  # not ours, damaged, too new: refused, nothing changed
        log.error("site at %s refused: %s", home, type(exc).__name__)
        QMessageBox.critical(opening, "bekasi-field", exc.message)
        opening.close()
        raise StartRefused(exc.exit_code) from exc
    from bekasi_field.gui.main_window import MainWindow

    lang = ctx.startup.settings.get("language")
    if lang in ("id", "en"):
        set_language(lang)
    window = MainWindow(ctx)
    window.show()
    opening.close()
    opening.deleteLater()
    check_integrity_in_background(window, ctx.site, ops=window.sync_ops)
    return window, ctx.site


def check_integrity_in_background(window: QWidget, site: Site, *, ops: Ops | None = None) -> None:
    """The whole-file integrity check, on a worker while the officer logs in. A damaged
    database closes the desk with the reason before anything more is written to it."""
    from bekasi_field.services.site import integrity_problems

    worker = ops or Ops("desk-integrity-check", window)

    def checked(problems: list[str]) -> None:
        window.setProperty("integrityChecked", True)
        if problems:
            log.error("integrity check failed for %s (%d problems)", site.db.path, len(problems))
            QMessageBox.critical(window, "bekasi-field", tr(
                "db.corrupt", path=site.db.path, detail="; ".join(problems[:3])))
            window.close()

    worker.run(lambda: integrity_problems(site), on_success=checked)
