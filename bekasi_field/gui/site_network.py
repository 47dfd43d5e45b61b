"""The desk's side of the site network: automatic push and pull on the sync worker (default
every 5 s, backing off while the hub is unreachable), a status-bar label that says plainly
whether checks are live at the hub or local only, and the list of hubs found on the LAN for the
first-run page. Nothing here waits on the GUI thread: rounds and discovery run on an Ops worker.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bekasi_field.domain.errors import BekasiError
from bekasi_field.gui.ops import Ops
from bekasi_field.i18n import tr

log = logging.getLogger(__name__)


class DeskNetwork(QObject):
    """Schedules sync rounds with a single-shot timer; the worker does the round."""

    round_done = Signal(object)  # RoundReport, or None on a desk without a hub
    pulled = Signal(object)  # a round that brought other desks' entries or registry rows

    def __init__(self, services: Any, ops: Ops, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services, self.ops = services, ops
        self.label = QLabel(objectName="statusNetwork")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._round)
        self._running = False
        self._in_flight = False
        self.last: Any = None
        self._show(None)

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        if not self._running:
            self._running = True
            self._timer.start(0)

    def stop(self) -> None:
        self._running = False
        self._timer.stop()

    def kick(self) -> None:
        """A hand-over was saved here: push it soon instead of at the end of the interval
        (a short wait lets a burst of hand-overs go in one push)."""
        if self._running and not self._in_flight:
            left = self._timer.remainingTime() if self._timer.isActive() else 1000
            self._timer.start(max(0, min(left, 1000)))

    def _round(self) -> None:
        if not self._running or self._in_flight:
            return
        self._in_flight = True
        self.ops.run(self.services.auto_sync_round, on_success=self._done,
                     on_error=self._failed)

    def _done(self, report: Any) -> None:
        self._in_flight = False
        self.last = report
        self._show(report)
        if report is not None and report.online and report.pulled:
            self.pulled.emit(report)
        self.round_done.emit(report)
        if self._running:
            delay = report.next_in_s if report is not None else 30.0  # not enrolled: look again
            self._timer.start(int(delay * 1000))

    def _failed(self, exc: BekasiError) -> None:
        log.warning("automatic sync round failed: %s", exc.message)
        self._in_flight = False
        if self._running:
            self._timer.start(30_000)

    def _show(self, report: Any) -> None:
        if report is None:
            text, state = tr("net.standalone"), "local"
        elif report.journal_broken:
            bad = report.journal_broken
            text, state = tr("net.journal_broken", seq=bad["seq"], problem=bad["problem"],
                             pending=report.pending), "broken"
        elif report.online:
            text, state = tr("net.online", pending=report.pending), "live"
            if report.conflicts:
                text += " · " + tr("net.conflicts", n=report.conflicts)
        else:
            text, state = tr("net.offline", pending=report.pending,
                             next=f"{report.next_in_s:.0f}"), "offline"
        self.label.setText(text)
        self.label.setProperty("network", state)
        # Local-only checks must not look like business as usual: red and bold.
        self.label.setStyleSheet("color: #C62828; font-weight: bold;"
                                 if state in ("offline", "broken") else "")

    def retranslate(self) -> None:
        self._show(self.last)


class HubFinder(QWidget):
    """'Find hubs on this network': name, address and key fingerprint of each hub announcing
    itself; choosing one fills the address field (which can still be typed)."""

    found = Signal(list)

    def __init__(self, ops: Ops, target: QLineEdit, discover: Any,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops, self.target, self._discover = ops, target, discover
        self._hubs: list[Any] = []
        self.button = QPushButton(objectName="findHubsButton")
        self.button.clicked.connect(self.search)
        self.list = QListWidget(objectName="hubList")
        self.list.setMaximumHeight(120)
        self.list.itemActivated.connect(self._chosen)
        self.list.itemClicked.connect(self._chosen)
        self.note = QLabel(objectName="hubFinderNote")
        self.note.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        for w in (self.button, self.list, self.note):
            lay.addWidget(w)
        self.list.hide()
        self.retranslate()

    def retranslate(self) -> None:
        self.button.setText(tr("net.find_hubs"))

    def search(self, *, seconds: float = 2.0, interface: str | None = None) -> None:
        self.button.setEnabled(False)
        self.note.setText(tr("net.searching"))
        discover = self._discover
        self.ops.run(lambda: discover(seconds=seconds, interface=interface),
                     on_success=self._show, on_error=self._failed, key="discover")

    def _failed(self, exc: BekasiError) -> None:
        self.button.setEnabled(True)
        self.note.setText(exc.message)

    def fingerprint_for(self, url: str) -> str | None:
        """The fingerprint a found hub announced for this address (None: typed by hand)."""
        for hub in self._hubs:
            if hub.url.rstrip("/") == url.rstrip("/") and hub.fingerprint:
                return str(hub.fingerprint)
        return None

    def _show(self, hubs: list[Any]) -> None:
        self._hubs = list(hubs)
        self.button.setEnabled(True)
        self.list.clear()
        for hub in hubs:
            item = QListWidgetItem(tr("net.hub_item", name=hub.name, url=hub.url,
                                      fingerprint=hub.fingerprint or "?"))
            item.setData(Qt.ItemDataRole.UserRole, hub.url)
            self.list.addItem(item)
        self.list.setVisible(bool(hubs))
        self.note.setText(tr("net.compare_fingerprint") if hubs else tr("discover.none"))
        if hubs:
            self.list.setCurrentRow(0)
            self.list.setFocus()
        self.found.emit(hubs)

    def _chosen(self, item: QListWidgetItem) -> None:
        self.target.setText(str(item.data(Qt.ItemDataRole.UserRole)))


def start_site_hub(window: Any) -> None:
    """The supervisor's one action: a site hub process on this laptop (it outlives the window),
    this desk enrolled at it, and the address, fingerprint and next desk's code on screen."""
    from PySide6.QtWidgets import QMessageBox

    officer = getattr(window, "officer", None)
    if officer is None or not officer.is_supervisor:
        return
    def done(info: Any) -> None:
        text = tr("sitehub.running", url=info.lan_url, fingerprint=info.fingerprint,
                  pid=info.pid)
        if info.next_code:
            text += "\n\n" + tr("sitehub.next_code", code=info.next_code)
        window.show_message(tr("sitehub.running", url=info.lan_url,
                               fingerprint=info.fingerprint, pid=info.pid))
        box = QMessageBox(QMessageBox.Icon.Information, tr("sitehub.dialog_title"), text,
                          QMessageBox.StandardButton.Ok, window)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        window.dialogs.run(box)
        box.deleteLater()
        window.network.start()

    window.show_message(tr("sitehub.starting"))
    window.sync_ops.run(window.services.start_site_hub, on_success=done, on_error=lambda e: window.show_message(e.message))
