"""Live checks and claims: while the site hub answers, every desk asks it before it decides.

`check_live` asks the hub for the subject's state (a hand-over stored, or being made at another
desk right now) and turns a local ELIGIBLE or WRONG_SITE into ALREADY_COLLECTED naming the desk,
officer and time. `handover_live` claims the subject at the hub first (one transaction there:
exactly one desk wins), records the hand-over locally, and gives the claim back if the local
recording fails. No answer within the claim timeout means `offline`: the desk decides from its
snapshot, the entry queues, and a double collection surfaces as a conflict after reconnection.
`enrol_live` does the same for a BPJS-TK enrolment, per person (the worker's NIK).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Literal

from bekasi_field.domain.enrolment_rules import ALREADY_ENROLLED, NOT_SELECTED
from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.identifiers import mask
from bekasi_field.domain.verdicts import Text, Verdict, VerdictCode
from bekasi_field.i18n import tr
from bekasi_field.services.enrolment import (
    EnrolmentForm,
    EnrolmentRefused,
    PersonCheck,
    check_person,
    record_enrolment,
    validate_form,
)
from bekasi_field.services.journal import HandoverRefused, RecordedEntry, record_handover
from bekasi_field.services.site import Site
from bekasi_field.services.verdict_engine import VerdictEngine, local_time
from bekasi_field.store.db import Database
from bekasi_field.sync.live_client import CLAIM_TIMEOUT_S, LiveLink
from bekasi_field.sync.live_protocol import DEFAULT_CLAIM_TTL_S, ClaimAnswer, Holder

log = logging.getLogger(__name__)

ClaimStatus = Literal["granted", "refused", "offline"]
_CONTESTED = (VerdictCode.ELIGIBLE, VerdictCode.WRONG_SITE)  # verdicts a hand-over may follow


def claim_timeout(db: Database) -> float:
    """The desk's setting `claim_timeout_s` (a slow office Wi-Fi may want 2 s), else 1 s."""
    try:
        return min(10.0, max(0.2, float(db.get_meta("claim_timeout_s") or CLAIM_TIMEOUT_S)))
    except ValueError:
        return CLAIM_TIMEOUT_S


def link_for(db: Database, *, timeout: float | None = None) -> LiveLink | None:
    """The live link of an enrolled desk, else None (a desk without a hub is always local)."""
    url, token = db.get_meta("hub_url"), db.get_meta("hub_token")
    if not url or not token:
        return None
    try:
        return LiveLink(url, token=token, tls_cert=db.get_meta("hub_tls_cert") or None,
                        timeout=claim_timeout(db) if timeout is None else timeout)
    except BekasiError as exc:  # plain HTTP to another machine: local only; sync says why
        log.warning("no live link: %s", exc.message)
        return None


def claim_ttl(db: Database) -> float:
    try:
        return float(db.get_meta("claim_ttl_s") or DEFAULT_CLAIM_TTL_S)
    except ValueError:
        return DEFAULT_CLAIM_TTL_S


@contextmanager
def _released_on_failure(link: LiveLink | None, answer: ClaimAnswer | None) -> Iterator[None]:
    """A granted claim whose entry was not recorded is given back at once (not left to expire)."""
    try:
        yield
    except BaseException:
        if link is not None and answer is not None and answer.claim_id:
            link.release(answer.claim_id)
        raise


def taken_verdict(verdict: Verdict, holder: Holder, *, state: str) -> Verdict:
    """The local verdict turned into ALREADY_COLLECTED by what the hub said."""
    when = local_time(holder.at)
    details = dict(verdict.details)
    details.update(collected_uuid=holder.entry_uuid, collected_at=holder.at,
                   collected_at_local=when, collected_site=holder.site,
                   collected_device=holder.device_id, collected_officer=holder.officer_id,
                   collected_by_proxy=holder.is_proxy, collected_proxy_name=holder.proxy_name,
                   collected_elsewhere=True, collected_event=verdict.event_id,
                   collected_live=state)
    if state == "claimed":  # another desk is handing it over at this very moment
        text = Text("live.msg.claimed", {"site": holder.site or "-", "device": holder.device_id,
                                         "officer": holder.officer_id, "when": when})
    else:
        who = (Text("verdict.msg.who_proxy", {"proxy": holder.proxy_name or "?"})
               if holder.is_proxy else Text("verdict.msg.who_self"))
        # The hub names the device; the desk's name for it is not known here.
        desk = Text("desk.collected.other", {"device": holder.device_id[:6]})
        text = Text("verdict.msg.already_collected", {
            "when": when, "site": holder.site or "-", "desk": desk,
            "device": holder.device_id, "officer": holder.officer_id, "who": who})
    return replace(verdict, code=VerdictCode.ALREADY_COLLECTED, text=text, details=details)


@dataclass(frozen=True)
class LiveVerdict:
    verdict: Verdict
    live: bool  # the hub answered for this check


def check_live(verdict: Verdict, link: LiveLink | None, *,
               person_nik: str | None = None) -> LiveVerdict:
    """Ask the hub about the verdict's subject (nothing to ask without a household)."""
    if link is None or verdict.household_id is None:
        return LiveVerdict(verdict, False)
    answer = link.state(event_id=verdict.event_id, household_id=verdict.household_id,
                        person_nik=person_nik)
    if answer is None:
        return LiveVerdict(verdict, False)
    if answer.holder is not None and answer.state != "free" and verdict.code in _CONTESTED:
        return LiveVerdict(taken_verdict(verdict, answer.holder, state=answer.state), True)
    return LiveVerdict(verdict, True)


class ClaimRefused(HandoverRefused):
    """Another desk has it (stored at the hub, or being handed over there now)."""

    claim: ClaimStatus = "refused"


@dataclass(frozen=True)
class LiveRecorded:
    entry: RecordedEntry
    live: bool
    claim: ClaimStatus


def handover_live(*, site: Site, event_id: str, code: str, officer_id: str,
                  link: LiveLink | None, engine: VerdictEngine | None = None,
                  person_nik: str | None = None, **record: Any) -> LiveRecorded:
    """Claim at the hub (when it answers), then record_handover with the same arguments.

    Raises ClaimRefused (verdict ALREADY_COLLECTED) when another desk won, HandoverRefused when
    the local verdict does not allow it; a granted claim is released if recording fails."""
    own_engine = engine is None
    engine = engine or VerdictEngine(site.db)
    try:
        # The local verdict alone: a live engine's check() would already have asked the hub.
        first = engine.check_in(engine.connection(), code, event_id=event_id)
        answer = None
        allowed = first.allows_handover or (first.allows_override
                                            and record.get("override_by") is not None)
        if link is not None and first.household_id is not None and allowed:
            answer = link.claim(event_id=event_id, household_id=first.household_id,
                                officer_id=officer_id, person_nik=person_nik,
                                ttl_s=claim_ttl(site.db))
        if answer is not None and answer.claim == "refused":
            assert answer.holder is not None
            taken = taken_verdict(first, answer.holder, state=answer.state)
            log.info("claim refused by the hub: household %s is %s at device %s",
                     first.household_id, answer.state, answer.holder.device_id)
            raise ClaimRefused(taken)
        with _released_on_failure(link, answer):
            entry = record_handover(site=site, event_id=event_id, code=code,
                                    officer_id=officer_id, engine=engine, **record)
        claim: ClaimStatus = "granted" if answer is not None else "offline"
        return LiveRecorded(entry, answer is not None, claim)
    finally:
        if own_engine:
            engine.close()


class EnrolmentClaimRefused(EnrolmentRefused):
    """Another desk enrolled this worker (stored at the hub) or is enrolling them right now."""

    claim: ClaimStatus = "refused"


@dataclass(frozen=True)
class LiveEnrolled:
    entry: RecordedEntry
    live: bool
    claim: ClaimStatus


def enrolled_elsewhere(check: PersonCheck, holder: Holder, *, state: str) -> PersonCheck:
    """The desk's check turned into ALREADY_ENROLLED by what the hub said (desk, officer, time)."""
    when = local_time(holder.at)
    details = dict(check.details)
    details.update(enrolled_uuid=holder.entry_uuid, enrolled_at=holder.at,
                   enrolled_site=holder.site, enrolled_device=holder.device_id,
                   enrolled_officer=holder.officer_id, enrolled_event=check.event_id,
                   enrolled_live=state)
    key = "live.enrol.claimed" if state == "claimed" else "live.enrol.collected"
    message = tr(key, name=check.name or mask(check.nik), site=holder.site or "-",
                 device=holder.device_id, officer=holder.officer_id, when=when)
    return replace(check, reason=ALREADY_ENROLLED, message=message, details=details)


def check_person_live(check: PersonCheck, link: LiveLink | None) -> tuple[PersonCheck, bool]:
    """Ask the hub about the worker (per NIK); (check, whether the hub answered)."""
    if link is None or check.household_id is None or check.reason not in (None, NOT_SELECTED):
        return check, False
    answer = link.state(event_id=check.event_id, household_id=check.household_id,
                        person_nik=check.nik)
    if answer is None:
        return check, False
    if answer.holder is not None and answer.state != "free":
        return enrolled_elsewhere(check, answer.holder, state=answer.state), True
    return check, True


def enrol_live(*, site: Site, event_id: str, code: str, officer_id: str, form: EnrolmentForm,
               link: LiveLink | None, override_by: str | None = None) -> LiveEnrolled:
    """Claim the worker (subject `nik:<NIK>`) at the hub when it answers, then
    record_enrolment; EnrolmentClaimRefused (ALREADY_ENROLLED) when another desk won. The form
    is checked before the hub is asked; a granted claim is released if recording fails."""
    first = check_person(site, code, event_id=event_id)
    allowed = first.reason is None or (first.allows_override and override_by is not None)
    answer = None
    if link is not None and allowed and first.household_id is not None:
        validate_form(form)  # a form that will be refused claims nothing
        answer = link.claim(event_id=event_id, household_id=first.household_id,
                            officer_id=officer_id, person_nik=first.nik,
                            ttl_s=claim_ttl(site.db))
    if answer is not None and answer.claim == "refused":
        assert answer.holder is not None
        taken = enrolled_elsewhere(first, answer.holder, state=answer.state)
        log.info("enrolment claim refused by the hub: the worker is %s at device %s",
                 answer.state, answer.holder.device_id)
        raise EnrolmentClaimRefused(ALREADY_ENROLLED, taken.message, taken)
    with _released_on_failure(link, answer):
        entry = record_enrolment(site=site, event_id=event_id, code=code, officer_id=officer_id,
                                 form=form, override_by=override_by)
    return LiveEnrolled(entry, answer is not None, "granted" if answer is not None else "offline")


def push_after_handover(site: Site, *, timeout: float = 2.0) -> bool:
    """Send the new entry at once (best effort), so the hub's journal, not a claim that will
    expire, speaks for it; the auto-sync loop or the next `sync` retries when this fails."""
    from bekasi_field.domain.errors import BekasiError
    from bekasi_field.services import sync_service
    try:
        sync_service.sync_now(site=site, timeout=timeout, attempts=1)
    except BekasiError as exc:
        log.info("push after the hand-over did not go through: %s", exc.message)
        return False
    return True


class LiveVerdictEngine(VerdictEngine):
    """The desk's engine: check() asks the hub too (off the GUI thread, like every check), and
    hand-overs claim through the same link. The link follows the desk's enrolment."""

    def __init__(self, db: Database, **kwargs: Any) -> None:
        super().__init__(db, **kwargs)
        self._link: LiveLink | None = None
        self._link_for: tuple[str | None, str | None] = (None, None)
        self.last_live = False  # did the hub answer for the last check (the status bar)

    @property
    def link(self) -> LiveLink | None:
        wanted = (self.db.get_meta("hub_url"), self.db.get_meta("hub_token"))
        if wanted != self._link_for:
            if self._link is not None:
                self._link.close()
            self._link, self._link_for = link_for(self.db), wanted
        return self._link

    def check(self, code: str, *, event_id: str) -> Verdict:
        checked = check_live(super().check(code, event_id=event_id), self.link)
        self.last_live = checked.live
        return checked.verdict

    def close(self) -> None:
        super().close()
        if self._link is not None:
            self._link.close()
            self._link, self._link_for = None, (None, None)


def record_handover_live(*, site: Site, event_id: str, code: str, officer_id: str,
                         engine: VerdictEngine | None = None, **record: Any) -> RecordedEntry:
    """record_handover's signature for the desk: claims through a LiveVerdictEngine's link."""
    link = engine.link if isinstance(engine, LiveVerdictEngine) else None
    return handover_live(site=site, event_id=event_id, code=code, officer_id=officer_id,
                         link=link, engine=engine, **record).entry
