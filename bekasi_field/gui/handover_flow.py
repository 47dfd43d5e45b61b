"""The steps after a verdict: hand over (with identity / proxy / photo / signature when needed),
supervisor override for WRONG_SITE, supervisor void, and sync. Dialogs ask; the worker writes."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from bekasi_field.domain.errors import BekasiError
from bekasi_field.gui.context import DeskContext
from bekasi_field.gui.desk_page import DeskPage
from bekasi_field.gui.handover_dialog import HandoverDialog, HandoverInput
from bekasi_field.gui.ops import Ops
from bekasi_field.gui.supervisor_dialogs import SupervisorApproval, void_prompt
from bekasi_field.i18n import tr
from bekasi_field.services import desk, officers

log = logging.getLogger(__name__)
_UNANSWERED = -1


class HandoverFlow(QObject):
    saved = Signal(object)  # RecordedEntry of a hand-over
    voided = Signal(object)  # RecordedEntry of a void
    synced = Signal(object)  # SyncResult
    dialog_opened = Signal(QDialog)  # tests drive the dialogs through this
    status = Signal(str)

    def __init__(self, ctx: DeskContext, ops: Ops, sync_ops: Ops, page: DeskPage,
                 window: QWidget) -> None:
        super().__init__(window)
        self.ctx, self.ops, self.sync_ops, self.page, self.window = ctx, ops, sync_ops, page, window
        self.officer: officers.OfficerInfo | None = None
        self._busy = False

    def _exec(self, dialog: QDialog) -> bool:
        dialog.setResult(_UNANSWERED)
        self.dialog_opened.emit(dialog)
        if dialog.result() != _UNANSWERED:  # answered already by a test or an automation
            return dialog.result() == QDialog.DialogCode.Accepted.value
        return dialog.exec() == QDialog.DialogCode.Accepted.value

    # --- hand-over -------------------------------------------------------------------------
    def handover(self, *, proxy: bool = False, override_by: str | None = None) -> None:
        verdict = self.page.panel.verdict
        if self._busy or verdict is None or self.page.panel.code_name == "SAVED":
            return
        if not (verdict.allows_handover or (verdict.allows_override and override_by)):
            self.status.emit(tr("gui.flow.not_allowed", verdict=verdict.style.headline))
            self.page.sounds.play("no")
            return
        event = self.page.dist_event
        need_form = bool(proxy or verdict.needs_identity_check or override_by
                         or getattr(event, "require_photo", False)
                         or getattr(event, "require_signature", False))
        code = self.page.current_code
        if not need_form:
            self._record(code, None, override_by)
            return
        db, household = self.ctx.site.db, verdict.household_id

        def load() -> tuple[list[desk.MemberRow], list[officers.OfficerInfo]]:
            checkers = [o for o in officers.list_officers(db)
                        if o.active and (o.role == "pendamping" or o.is_supervisor
                                         or (self.officer and o.id == self.officer.id))]
            return desk.household_members(db, household), checkers

        self._busy = True
        self.ops.run(load, on_success=lambda r: self._ask(code, r, proxy, override_by),
                     on_error=self._failed)

    def _ask(self, code: str, loaded: tuple[list[Any], list[Any]], proxy: bool,
             override_by: str | None) -> None:
        members, checkers = loaded
        event = self.page.dist_event
        dialog = HandoverDialog(
            self.window, members=members, checkers=checkers,
            officer_id=self.officer.id if self.officer else "", proxy=proxy,
            allow_proxy=bool(getattr(event, "allow_proxy", True)),
            require_photo=bool(getattr(event, "require_photo", False)),
            require_signature=bool(getattr(event, "require_signature", False)),
            take_photo=self.page.camera.snapshot_jpeg)
        ok = self._exec(dialog)
        value = dialog.value() if ok else None
        dialog.deleteLater()
        if value is None:
            self._busy = False
            self.status.emit(tr("gui.flow.cancelled"))
            return
        self._record(code, value, override_by)

    def _record(self, code: str, form: HandoverInput | None, override_by: str | None) -> None:
        parts = self.ctx.parts
        if parts.record_handover is None or self.officer is None:
            self._busy = False
            return
        proxy = identity = None
        if form is not None:
            identity = parts.identity_check(member_nik=form.member_nik, ktp_seen=form.ktp_seen,
                                            kk_seen=form.kk_seen, checked_by=form.checked_by)
            if form.is_proxy:
                proxy = parts.proxy_info(name=form.proxy_name, nik=form.proxy_nik,
                                         relationship=form.proxy_relationship or "",
                                         letter_seen=form.proxy_letter_seen)
        site, event_id, officer_id = self.ctx.site, self.page.dist_event.id, self.officer.id
        engine = self.page.engine
        record = parts.record_handover
        self._busy = True

        def work() -> Any:
            return record(site=site, event_id=event_id, code=code, officer_id=officer_id,
                          proxy=proxy, identity=identity,
                          photo=form.photo if form else None,
                          signature=form.signature if form else None,
                          override_by=override_by, engine=engine())

        def done(entry: Any) -> None:
            self._busy = False
            self.page.show_saved(seq=entry.seq, proxy=proxy is not None)
            self.status.emit(tr("gui.flow.saved", seq=entry.seq))
            self.saved.emit(entry)

        self.ops.run(work, on_success=done, on_error=self._failed)

    def _failed(self, exc: BekasiError) -> None:
        self._busy = False
        verdict = getattr(exc, "verdict", None)
        if verdict is not None:  # refused: someone else collected meanwhile, say so loudly
            self.page.show_verdict(verdict, code=self.page.current_code)
        self.status.emit(exc.message)

    # --- supervisor ------------------------------------------------------------------------
    def override(self) -> None:
        verdict = self.page.panel.verdict
        if verdict is None or not verdict.allows_override or self.page.panel.code_name == "SAVED":
            return
        dialog = SupervisorApproval(
            self.window, self.ctx.site.db, title=tr("gui.sup.override_title"),
            prompt=tr("gui.sup.override_prompt", message=verdict.message),
            current=self.officer)
        ok = self._exec(dialog)
        approved = dialog.approved_by if ok else None
        dialog.deleteLater()
        if approved is None:
            return
        log.info("override of %s approved by %s", verdict.code.value, approved.id)
        self.handover(override_by=approved.id)

    def void(self) -> None:
        row = self.page.selected_handover()
        if row is None:
            self.status.emit(tr("gui.void.select"))
            return
        if row.voided:
            self.status.emit(tr("gui.void.already"))
            return
        dialog = SupervisorApproval(self.window, self.ctx.site.db, title=tr("gui.void.title"),
                                    prompt=void_prompt(row), with_reason=True,
                                    current=self.officer)
        ok = self._exec(dialog)
        approved, reason = (dialog.approved_by, dialog.reason.text().strip()) if ok else (None, "")
        dialog.deleteLater()
        if approved is None or self.ctx.parts.void_entry is None:
            return
        void_entry, site = self.ctx.parts.void_entry, self.ctx.site

        def done(entry: Any) -> None:
            self.status.emit(tr("gui.void.done", seq=row.seq))
            self.page.refresh_all()
            self.page.recheck()
            self.voided.emit(entry)

        self.ops.run(lambda: void_entry(site=site, entry_uuid=row.uuid,
                                        supervisor_id=approved.id, reason=reason),
                     on_success=done, on_error=self._failed)

    # --- sync ------------------------------------------------------------------------------
    def hub_url(self) -> str:
        db = self.ctx.site.db
        return (self.ctx.config.hub_url or desk.get_setting(db, "hub_url")
                or db.get_meta("hub_url") or "")

    def sync(self) -> None:
        sync_now = self.ctx.parts.sync_now
        if sync_now is None:
            return
        url = self.hub_url()
        if not url:
            self.status.emit(tr("gui.sync.no_hub"))
            return
        site = self.ctx.site
        self.status.emit(tr("gui.sync.running", url=url))
        self.page.sync_button.setEnabled(False)

        def done(result: Any) -> None:
            self.page.sync_button.setEnabled(True)
            self.status.emit(tr("gui.sync.done", pushed=result.pushed, pulled=result.pulled,
                                conflicts=result.conflicts))
            self.page.refresh_all()
            self.synced.emit(result)

        def failed(exc: BekasiError) -> None:
            self.page.sync_button.setEnabled(True)
            self.status.emit(tr("gui.sync.failed", message=exc.message))

        self.sync_ops.run(lambda: sync_now(site=site, hub_url=url), on_success=done,
                          on_error=failed, key="sync")
