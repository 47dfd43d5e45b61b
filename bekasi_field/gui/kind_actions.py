"""The desk menu's two entries for the event kinds: enrol a worker, graduate a household.

install() hooks them into a MainWindow's ActionSet (keyboard: Ctrl+Shift+E, Ctrl+G) and opens
the dialogs through the window's DialogRunner, with the code on screen pre-filled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bekasi_field.gui.actions import DeskAction
from bekasi_field.gui.enrol_dialog import EnrolDialog
from bekasi_field.gui.graduate_dialog import GraduateDialog
from bekasi_field.i18n import tr
from bekasi_field.services.kind_services import KindServices

if TYPE_CHECKING:
    from bekasi_field.gui.main_window import MainWindow

ENROL = DeskAction("enrol", "kind.act.enrol", "Ctrl+Shift+E", "desk")
GRADUATE = DeskAction("graduate", "kind.act.graduate", "Ctrl+G", "desk")
GRADUATION_ROLES = ("pendamping", "supervisor", "admin")


class KindActions:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        # Enrolments claim the worker at the site hub through the desk's one live link.
        self.services = KindServices(window.services.site, link=window.services.live_link)
        self.enrol_dialog: EnrolDialog | None = None  # open now: KTP reads go to it
        window.actions.add(ENROL, self.enrol)
        window.actions.add(GRADUATE, self.graduate)

    def enrol(self) -> EnrolDialog | None:
        w = self.window
        event = w.state.chosen_event
        if w.officer is None or event is None:
            return None
        if event.kind != "enrolment":
            w.show_message(tr("kind.gui.not_enrolment", event=event.id))
            return None
        code = w.state.code if w.state.code.strip().isdigit() else ""
        verdict = w.state.verdict  # a KTP the camera read just before: its NIK, marked so
        card_name = (str(verdict.details.get("card_name") or "")
                     if code and verdict is not None and verdict.details.get("ktp_read")
                     else None)
        dialog = EnrolDialog(w, services=self.services, ops=w.ops, event_id=event.id,
                             officer_id=w.officer.id, code=code, card_name=card_name)
        dialog.saved.connect(lambda e: w.show_message(tr("kind.gui.enrolled", seq=e.seq)))
        self.enrol_dialog = dialog
        dialog.finished.connect(lambda _r: self._enrol_closed(dialog))
        w.dialogs.run(dialog)
        return dialog

    def _enrol_closed(self, dialog: EnrolDialog) -> None:
        if self.enrol_dialog is dialog:
            self.enrol_dialog = None

    def take_card(self, nik: str, card_name: str) -> bool:
        """A KTP read by the camera goes to the open enrolment dialog, if there is one."""
        dialog = self.enrol_dialog
        if dialog is None or not dialog.isVisible():
            return False
        dialog.fill_from_card(nik, card_name)
        return True

    def graduate(self) -> GraduateDialog | None:
        w = self.window
        if w.officer is None:
            return None
        if w.officer.role not in GRADUATION_ROLES:
            w.show_message(tr("grad.not_allowed", officer=w.officer.id))
            return None
        event = w.state.chosen_event
        verdict = w.state.verdict
        code = (verdict.household_id if verdict is not None and verdict.household_id
                else w.state.code)
        dialog = GraduateDialog(w, services=self.services, ops=w.ops, officer_id=w.officer.id,
                                code=code or "",
                                event_id=event.id if event and event.kind == "graduation"
                                else None)
        dialog.saved.connect(lambda d: w.show_message(
            tr("grad.saved", household=d.household_id, seq=d.entry.seq)))
        w.dialogs.run(dialog)
        return dialog


def install(window: MainWindow) -> KindActions:
    return KindActions(window)
