"""The desk's paper: complaints for people turned away (Ctrl+K), the hand-over receipt (printed
after every hand-over when a receipt printer is set, again with Ctrl+P) and the daftar
nominatif of the event (Ctrl+D).

Hooked into the window through its action table (ActionSet.add); the database work runs on the
window's ops worker and printing on a worker of its own, so a printer that is off, unplugged or
out of paper costs the desk a status message, never a frozen screen.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from bekasi_field.domain.complaint_record import TURNED_AWAY
from bekasi_field.gui.actions import DeskAction
from bekasi_field.gui.complaint_dialog import ComplaintDialog
from bekasi_field.gui.ops import Ops
from bekasi_field.i18n import tr
from bekasi_field.services import desk_paper

if TYPE_CHECKING:
    from bekasi_field.domain.errors import BekasiError
    from bekasi_field.gui.main_window import MainWindow
    from bekasi_field.services.complaints import RecordedComplaint
    from bekasi_field.services.journal import RecordedEntry

log = logging.getLogger(__name__)

ACTIONS = (
    DeskAction("complaint", "complaint.gui.act", "Ctrl+K", "desk"),
    DeskAction("receipt", "receipt.gui.act", "Ctrl+P", "desk"),
    DeskAction("danom", "danom.gui.act", "Ctrl+D", "desk"),
)


class PaperActions(QObject):
    complaint_saved = Signal(object)  # RecordedComplaint
    printed = Signal(str)  # what was printed: "receipt" | "complaint"
    print_failed = Signal(str)  # the message shown
    danom_written = Signal(str)  # the PDF's path

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.site = window.ctx.site
        self.printer_ops = Ops("desk-printer", self)  # a slow printer never holds the desk's ops
        handlers = {"complaint": self.complaint, "receipt": self.reprint, "danom": self.danom}
        for spec in ACTIONS:
            window.actions.add(spec, handlers[spec.name])
        self.offer = QPushButton(objectName="complaintOffer")
        # amber like the verdicts a supervisor may act on: seen at a glance, never green
        self.offer.setStyleSheet("QPushButton#complaintOffer { background: #E08E0B; "
                                 "color: black; font-weight: bold; padding: 4px 12px; }")
        self.offer.setVisible(False)
        self.offer.clicked.connect(self.complaint)
        window.statusBar().addPermanentWidget(self.offer)
        window.state.changed.connect(self._state_changed)
        window.flow.saved.connect(self._saved)
        self.retranslate()

    def retranslate(self) -> None:
        self.offer.setText(tr("complaint.gui.offer"))

    # --- complaints ------------------------------------------------------------------------
    def _turned_away(self) -> bool:
        verdict = self.window.state.open_verdict
        return verdict is not None and verdict.code.value in TURNED_AWAY

    def _state_changed(self) -> None:
        self.offer.setVisible(self._turned_away() and self.window.officer is not None)

    def complaint(self) -> None:
        """The form for the person the verdict on screen turned away (any verdict code: an
        officer may also record one for someone who asks without scanning)."""
        window = self.window
        if window.officer is None:
            return
        state = window.state
        dialog = ComplaintDialog(window, code=state.code, verdict=state.verdict)
        accepted = window.dialogs.run(dialog)
        values = dialog.values() if accepted else None
        dialog.deleteLater()
        if values is None:
            return
        from bekasi_field.services.complaints import ComplaintInput, record_complaint
        event = state.chosen_event
        verdict = state.verdict
        data = ComplaintInput(code=state.code or values["nik"], officer_id=window.officer.id,
                              event_id=event.id if event else "",
                              verdict=verdict.code.value if verdict is not None else "",
                              **values)
        site = self.site
        window.ops.run(lambda: record_complaint(site=site, data=data),
                       on_success=self._complaint_done, on_error=self._complaint_failed)

    def _complaint_failed(self, exc: BekasiError) -> None:
        self.window.show_message(exc.message)
        box = QMessageBox(QMessageBox.Icon.Warning, tr("complaint.gui.title"), exc.message,
                          QMessageBox.StandardButton.Ok, self.window)
        self.window.dialogs.run(box)
        box.deleteLater()

    def _complaint_done(self, done: RecordedComplaint) -> None:
        self.complaint_saved.emit(done)
        self.window.show_message(tr("complaint.saved", number=done.number, name=done.name))
        self._print(lambda: desk_paper.print_complaint_slip(self.site, done), "complaint")
        box = QMessageBox(QMessageBox.Icon.Information, tr("complaint.gui.title"),
                          tr("complaint.gui.number", number=done.number, name=done.name),
                          QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("complaintNumberBox")
        self.window.dialogs.run(box)
        box.deleteLater()

    # --- receipts --------------------------------------------------------------------------
    def _saved(self, entry: RecordedEntry) -> None:
        self._print(lambda: desk_paper.print_receipt(self.site, entry.uuid, only_if_printer=True),
                    "receipt")

    def reprint(self) -> None:
        """The last hand-over this desk recorded today, looked up in the journal on the
        printer worker (a desk restarted mid-day reprints it too)."""
        if self.window.officer is None:
            return
        site = self.site
        self._print(lambda: desk_paper.reprint_last_receipt(site), "receipt")

    def _print(self, job: Any, what: str) -> None:
        def done(sent: object) -> None:
            if sent:
                self.window.show_message(str(sent))
                self.printed.emit(what)

        def failed(exc: BekasiError) -> None:
            self.window.show_message(exc.message)
            self.print_failed.emit(exc.message)

        self.printer_ops.run(job, on_success=done, on_error=failed)

    # --- daftar nominatif ------------------------------------------------------------------
    def danom(self) -> None:
        window = self.window
        event = window.state.chosen_event
        if event is None:
            return
        dialog = QFileDialog(window, tr("danom.gui.save_as"),
                             str(Path.home() / f"danom-{event.id}.pdf"), "PDF (*.pdf)")
        dialog.setObjectName("danomFileDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setDefaultSuffix("pdf")
        chosen = window.dialogs.run(dialog)
        files = dialog.selectedFiles() if chosen else []
        dialog.deleteLater()
        if not files:
            return
        out, site, event_id = Path(files[0]), self.site, event.id

        def write() -> str:
            from bekasi_field.services.desk_paper import write_event_danom
            return write_event_danom(site, event_id, out)

        def done(text: str) -> None:
            window.show_message(text)
            self.danom_written.emit(str(out))

        window.lists.run(write, on_success=done)

    def shutdown(self) -> None:
        self.printer_ops.shutdown()
