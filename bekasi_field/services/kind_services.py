"""What the desk's enrolment and graduation dialogs call: typed, one site, run on a worker.

The GUI never touches the database or argon2 on its own thread: every method here is called
through gui.ops and may take a PIN check's 100 ms or a BEGIN IMMEDIATE's wait.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr
from bekasi_field.services import enrolment, graduation, officers
from bekasi_field.services.journal import RecordedEntry
from bekasi_field.services.site import Site

if TYPE_CHECKING:
    from bekasi_field.sync.live_client import LiveLink


@dataclass(frozen=True)
class GraduationForm:
    code: str
    reason: str
    note: str = ""
    signature: bytes | None = None
    photo: bytes | None = None


class KindServices:
    """`link` gives the desk's live link to its site hub (None: not enrolled, or offline)."""

    def __init__(self, site: Site,
                 link: Callable[[], LiveLink | None] | None = None) -> None:
        self.site = site
        self._link = link or (lambda: None)
        self.last_live = False  # did the hub answer for the last check or enrolment

    def check_person(self, code: str, *, event_id: str) -> enrolment.PersonCheck:
        """The desk's check, then the hub's word on this worker when it answers."""
        from bekasi_field.services import live

        check, self.last_live = live.check_person_live(
            enrolment.check_person(self.site, code, event_id=event_id), self._link())
        return check

    def enrol(self, *, event_id: str, code: str, officer_id: str, pin: str,
              form: enrolment.EnrolmentForm, supervisor_id: str | None = None,
              supervisor_pin: str | None = None) -> RecordedEntry:
        """PINs first (the officer's, then the overriding supervisor's), then the entry."""
        officers.login(self.site.db, officer_id=officer_id, pin=pin)
        if supervisor_id:
            who = officers.login(self.site.db, officer_id=supervisor_id, pin=supervisor_pin or "")
            if not who.is_supervisor:
                raise BekasiError(tr("journal.not_supervisor", officer=supervisor_id))
        from bekasi_field.services import live

        # Claimed at the site hub first (per NIK) when it answers: of two desks one wins.
        done = live.enrol_live(site=self.site, event_id=event_id, code=code,
                               officer_id=officer_id, form=form, link=self._link(),
                               override_by=supervisor_id or None)
        self.last_live = done.live
        if done.claim == "granted":
            live.push_after_handover(self.site)
        return done.entry

    def graduate(self, *, officer_id: str, pin: str, form: GraduationForm,
                 event_id: str | None = None) -> graduation.Graduated:
        officers.login(self.site.db, officer_id=officer_id, pin=pin)
        return graduation.record_graduation(
            site=self.site, code=form.code, officer_id=officer_id, reason=form.reason,
            note=form.note, signature=form.signature, photo=form.photo, event_id=event_id)
