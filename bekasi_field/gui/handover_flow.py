"""The steps after a verdict: hand over (with identity / proxy / photo / signature when needed),
supervisor override for WRONG_SITE, supervisor void, and sync. It reads the desk's state
(DeskState); dialogs ask, the worker writes through ctx.services."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, SignalInstance
from PySide6.QtWidgets import QWidget

from bekasi_field.domain.errors import BekasiError
from bekasi_field.gui.context import DeskContext
from bekasi_field.gui.desk_page import DeskPage
from bekasi_field.gui.desk_settings import DeskSettings
from bekasi_field.gui.desk_state import DeskState
from bekasi_field.gui.dialogs import DialogRunner
from bekasi_field.gui.handover_dialog import HandoverDialog
from bekasi_field.gui.id_check_dialog import IdCheckDialog
from bekasi_field.gui.ops import Ops
from bekasi_field.gui.supervisor_dialogs import SupervisorApproval, void_prompt
from bekasi_field.i18n import tr
from bekasi_field.services import desk, officers
from bekasi_field.services.desk_services import HandoverForm

if TYPE_CHECKING:
    from bekasi_field.services.journal import RecordedEntry
    from bekasi_field.services.sync_service import SyncResult

log = logging.getLogger(__name__)


class HandoverFlow(QObject):
    saved = Signal(object)  # RecordedEntry of a hand-over
    voided = Signal(object)  # RecordedEntry of a void
    synced = Signal(object)  # SyncResult
    hub_missing = Signal()  # F9 with no hub address: the window asks for one
    status = Signal(str)

    def __init__(self, ctx: DeskContext, *, state: DeskState, settings: DeskSettings, ops: Ops,
                 sync_ops: Ops, page: DeskPage, dialogs: DialogRunner, window: QWidget) -> None:
        super().__init__(window)
        self.ctx, self.services = ctx, ctx.services
        self.state, self.settings, self.dialogs = state, settings, dialogs
        self.ops, self.sync_ops, self.page, self.window = ops, sync_ops, page, window
        self.officer: officers.OfficerInfo | None = None
        self._busy = False
        self._override_reason = ""  # the supervisor's reason for the override under way

    @property
    def dialog_opened(self) -> SignalInstance:
        """Every dialog the desk opens is announced here first (tests answer them)."""
        return self.dialogs.opened

    # --- hand-over -------------------------------------------------------------------------
    def handover(self, *, proxy: bool = False, override_by: str | None = None) -> None:
        verdict, event = self.state.open_verdict, self.state.chosen_event
        if self._busy or verdict is None or event is None:
            return
        limit = self.ctx.config.stale_verdict_seconds
        if override_by is None and self.state.verdict_age() > limit:
            # Decided minutes ago: the person in front of the desk may not be the one who
            # showed the slip. Judge the code again and let the officer look before saving.
            self.status.emit(tr("desk.flow.stale", minutes=f"{limit / 60:g}"))
            self.page.check(self.state.code)
            return
        if not (verdict.allows_handover or (verdict.allows_override and override_by)):
            self.status.emit(tr("gui.flow.not_allowed", verdict=verdict.style.headline))
            self.page.sounds.play("no")
            return
        need_form = bool(proxy or verdict.needs_identity_check or override_by
                         or event.require_photo or event.require_signature)
        code = self.state.code
        if not need_form and verdict.code_kind == "slip" and event.id_check:
            form = self._slip_document()
            if form is not None:
                self._record(code, form, override_by)
            return
        if not need_form:
            self._record(code, None, override_by)
            return
        services, household = self.services, verdict.household_id or ""
        me = self.officer.id if self.officer else None
        checkers = [o for o in self.settings.active_officers()
                    if o.role == "pendamping" or o.is_supervisor or o.id == me]
        self._busy = True
        self.ops.run(lambda: services.household_members(household),
                     on_success=lambda members: self._ask(code, members, checkers, proxy,
                                                          override_by),
                     on_error=self._failed)

    def _slip_document(self) -> HandoverForm | None:
        """A slip proves the invitation, not the person: which document matched (one key)."""
        verdict = self.state.open_verdict
        details = verdict.details if verdict is not None else {}
        dialog = IdCheckDialog(self.window, name=str(details.get("recipient_name") or ""),
                               nik_masked=str(details.get("nik_masked") or ""))
        ok = self.dialogs.run(dialog)
        document = dialog.document if ok else None
        dialog.deleteLater()
        if document is None:
            self.status.emit(tr("gui.flow.cancelled"))
            return None
        return HandoverForm(member_nik=None, ktp_seen=document == "ktp",
                            kk_seen=document == "kk",
                            checked_by=self.officer.id if self.officer else "")

    def _ask(self, code: str, members: list[desk.MemberRow],
             checkers: list[officers.OfficerInfo], proxy: bool, override_by: str | None) -> None:
        event = self.state.chosen_event
        if event is None:
            self._busy = False
            return
        dialog = HandoverDialog(
            self.window, members=members, checkers=checkers,
            officer_id=self.officer.id if self.officer else "", proxy=proxy,
            allow_proxy=event.allow_proxy, require_photo=event.require_photo,
            require_signature=event.require_signature, take_photo=self.page.camera.snapshot_jpeg,
            approvers=[o for o in checkers if o.role == "pendamping" or o.is_supervisor],
            verify_pin=self._verify_approver)
        ok = self.dialogs.run(dialog)
        value = dialog.value() if ok else None
        dialog.deleteLater()
        if value is None:
            self._busy = False
            self.status.emit(tr("gui.flow.cancelled"))
            return
        self._record(code, value, override_by)

    def _verify_approver(self, officer_id: str, pin: str, ok: Callable[[str], None],
                         refused: Callable[[str], None]) -> None:
        """A pendamping or supervisor approves a proxy pick-up with their own PIN."""
        services = self.services

        def checked(info: officers.OfficerInfo) -> None:
            if info.role == "pendamping" or info.is_supervisor:
                ok(info.id)
            else:
                refused(tr("desk.proxy.not_approver", officer=info.id))

        self.ops.run(lambda: services.login(officer_id=officer_id, pin=pin),
                     on_success=checked, on_error=lambda exc: refused(exc.message))

    def _record(self, code: str, form: HandoverForm | None, override_by: str | None) -> None:
        event = self.state.chosen_event
        if self.officer is None or event is None:
            self._busy = False
            return
        services, event_id, officer_id = self.services, event.id, self.officer.id
        verdict = self.state.open_verdict
        if form is not None and form.ktp_seen and verdict is not None \
                and verdict.details.get("ktp_read"):
            form = dataclasses.replace(form, ktp_read=True)  # the KTP the camera read
        self._busy = True

        def done(entry: RecordedEntry) -> None:
            self._busy = False
            self.page.show_saved(entry, proxy=bool(form and form.is_proxy))
            self.status.emit(tr("gui.flow.saved", seq=entry.seq))
            self.saved.emit(entry)

        reason = self._override_reason if override_by else None
        self.ops.run(lambda: services.record_handover(
            event_id=event_id, code=code, officer_id=officer_id, form=form,
            override_by=override_by, override_reason=reason), on_success=done,
            on_error=self._failed)

    def _failed(self, exc: BekasiError) -> None:
        self._busy = False
        verdict = getattr(exc, "verdict", None)
        if verdict is not None:  # refused: someone else collected meanwhile, say so loudly
            self.page.show_verdict(verdict, code=self.state.code)
        self.status.emit(exc.message)

    # --- supervisor ------------------------------------------------------------------------
    def _approval(self, *, title: str, prompt: str, with_reason: bool = False
                  ) -> SupervisorApproval:
        return SupervisorApproval(self.window, self.services, self.ops,
                                  supervisors=self.settings.supervisors(), title=title,
                                  prompt=prompt, with_reason=with_reason, current=self.officer)

    def override(self) -> None:
        verdict = self.state.open_verdict
        if verdict is None or not verdict.allows_override:
            return
        # Who approved and why travel with the entry (override_by, reason) to every report.
        dialog = self._approval(title=tr("gui.sup.override_title"),
                                prompt=tr("gui.sup.override_prompt", message=verdict.message),
                                with_reason=True)
        ok = self.dialogs.run(dialog)
        approved = dialog.approved_by if ok else None
        self._override_reason = dialog.reason.text().strip() if ok else ""
        dialog.deleteLater()
        if approved is None:
            return
        log.info("override of %s approved by %s", verdict.code.value, approved.id)
        self.handover(override_by=approved.id)

    def void(self) -> None:
        row = self.page.selected_handover()
        saved = self.state.saved
        if row is None and saved is not None:
            # F7 right after a save: the entry just saved is the one most often wrong.
            services, uuid = self.services, saved.uuid
            self.ops.run(lambda: services.handover_entry(uuid),
                         on_success=lambda found: found is not None and self._void_row(found))
            return
        if row is None:
            self.status.emit(tr("gui.void.select"))
            return
        self._void_row(row)

    def _void_row(self, row: desk.HandoverRow) -> None:
        if row.voided:
            self.status.emit(tr("gui.void.already"))
            return
        dialog = self._approval(title=tr("gui.void.title"), prompt=void_prompt(row),
                                with_reason=True)
        ok = self.dialogs.run(dialog)
        approved, reason = (dialog.approved_by, dialog.reason.text().strip()) if ok else (None, "")
        dialog.deleteLater()
        if approved is None:
            return
        services = self.services

        def done(entry: RecordedEntry) -> None:
            self.status.emit(tr("gui.void.done", seq=row.seq))
            self.page.refresh_all()
            self.page.recheck()
            self.voided.emit(entry)

        self.ops.run(lambda: services.void_entry(entry_uuid=row.uuid, supervisor_id=approved.id,
                                                 reason=reason),
                     on_success=done, on_error=self._failed)

    # --- sync ------------------------------------------------------------------------------
    def hub_url(self) -> str:
        return self.settings.hub_url()

    def sync(self) -> None:
        if not self.services.sync_available:
            return
        url = self.hub_url()
        if not url:
            self.status.emit(tr("gui.sync.no_hub"))
            self.hub_missing.emit()
            return
        services = self.services
        self.status.emit(tr("gui.sync.running", url=url))
        self.page.sync_button.setEnabled(False)

        def done(result: SyncResult) -> None:
            self.page.sync_button.setEnabled(True)
            self.status.emit(tr("gui.sync.done", pushed=result.pushed, pulled=result.pulled,
                                conflicts=result.conflicts))
            self.page.refresh_all()
            self.synced.emit(result)

        def failed(exc: BekasiError) -> None:
            self.page.sync_button.setEnabled(True)
            self.status.emit(tr("gui.sync.failed", message=exc.message))

        self.sync_ops.run(lambda: services.sync_now(hub_url=url), on_success=done,
                          on_error=failed, key="sync")
