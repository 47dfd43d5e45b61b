"""The verdict rule: named facts about one scanned code in, a Verdict out.

services/verdict_engine.py gathers the facts with its SQL (and verifies the slip signature);
`decide` only orders them. Decision order for a household: already collected (journal of every
device, void-aware) > graduated from PKH (in a PKH event) > suspended > entitled here (its kelurahan served? else WRONG_SITE) >
entitled at another open site of the same programme (WRONG_SITE) > NOT_ENTITLED. A slip is
checked first: readable, key known and not revoked, signature, key window, expiry, deny list,
household known, not replaced by a re-issued slip. A validly signed slip of ANOTHER event is
not MALFORMED: it authenticates the household, which is then judged for this event like a plain
code, with an identity check asked for. When that event is another site's open event of the same
programme (events reach every desk, other sites' households do not), the slip names where the
household is entitled: WRONG_SITE when it is not entitled here, also when this desk does not
hold the household (unless the journal shows it collected already). A typed code found nowhere
stays UNKNOWN, with a next step saying the person may belong to another site. Messages are
Texts, translated when shown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from bekasi_field.domain.identifiers import mask
from bekasi_field.domain.verdicts import Text, Verdict, VerdictCode

HOUSEHOLD_STATUSES = ("suspended", "graduated", "deceased")  # each has verdict.status.<name>


@dataclass(frozen=True, slots=True)
class EventFacts:
    id: str
    name: str
    programme: str
    site_kelurahan: str
    served: frozenset[str]  # kelurahan it serves, its own included; folded by fold_place()
    item: str
    amount: int | None


@dataclass(frozen=True, slots=True)
class HouseholdFacts:
    id: str
    address: str
    rt: str
    rw: str
    kelurahan: str
    kecamatan: str
    status: str  # active | suspended | graduated | deceased
    recipient_nik: str | None  # the designated recipient (pengurus), else the first member
    recipient_name: str | None


@dataclass(frozen=True, slots=True)
class EntitlementFacts:
    item: str
    amount: int | None
    slip_serial: str


@dataclass(frozen=True, slots=True)
class CollectedFacts:
    """A live hand-over of the household in this event or an overlapping one of its programme."""

    uuid: str
    created_at: str
    created_at_local: str  # as the desk shows it
    site: str
    device_id: str
    officer_id: str
    by_proxy: bool
    proxy_name: str | None
    learned_elsewhere: bool  # came from another device through sync
    event_id: str
    desk_name: str = ""  # the recording desk's name ("Meja 2"), when this desk knows it
    own_desk: bool = False  # recorded at this very desk
    officer_name: str = ""  # the officer's name, when this desk knows the officer


@dataclass(frozen=True, slots=True)
class OtherSiteFacts:
    event_id: str
    site_kelurahan: str


@dataclass(frozen=True, slots=True)
class HouseholdCase:
    """What is known of the household a code points at, for this event."""

    household_id: str
    code_kind: str  # slip | nik | kk | kks | household
    household: HouseholdFacts | None
    entitlement: EntitlementFacts | None
    collected: CollectedFacts | None
    # PKH graduation (a live graduation entry, else the hub's mark), looked up in PKH events.
    graduated_on: dt.date | None = None
    # Looked up only when there is no entitlement here: decide() reads it only then.
    other_site: OtherSiteFacts | None = None


@dataclass(frozen=True, slots=True)
class KeyFacts:
    revoked: bool
    valid_from: dt.date
    valid_to: dt.date


@dataclass(frozen=True, slots=True)
class SlipFacts:
    decoded: bool  # readable and complete; the fields below are empty when not
    key_id: str = ""
    serial: str = ""
    household_id: str = ""
    event_id: str = ""
    expires: dt.date | None = None
    key: KeyFacts | None = None  # None: no such key on this device
    signature_ok: bool = False  # False too when there was no usable key to check it with
    serial_revoked: bool = False  # on the deny list
    household_known: bool = False
    superseded: bool = False  # this event's entitlement carries another (re-issued) serial
    tampered: bool = False  # not decoded, but read whole: its signed content was edited
    # The kelurahan of the site holding the slip's event, when this device has that event and
    # it is an open event of this event's programme (events go to every desk, other sites'
    # households do not); else empty.
    event_site: str = ""


@dataclass(frozen=True, slots=True)
class ScannedPerson:
    """The holder of a scanned KTP, who may not be the designated recipient."""

    name: str | None
    nik_masked: str


@dataclass(frozen=True, slots=True)
class CheckFacts:
    event_id: str
    event: EventFacts | None  # None: no such event on this device
    today: dt.date
    slip: SlipFacts | None = None  # the code was slip text
    case: HouseholdCase | None = None  # the household the code points at, when one was found
    scanned: ScannedPerson | None = None
    # Nothing found and the code was a mistyped number: what is wrong (identifiers.number_problem)
    typed_problem: tuple[str, dict[str, object]] | None = None


def fold_place(name: str) -> str:
    """A kelurahan name as the served-list comparison sees it."""
    return " ".join(name.split()).casefold()


def _verdict(code: VerdictCode, event_id: str, household_id: str | None, kind: str,
             text: Text, *, check_id: bool = False, **details: Any) -> Verdict:
    return Verdict(code=code, event_id=event_id, household_id=household_id, text=text,
                   code_kind=kind, needs_identity_check=check_id, details=details)


def decide(facts: CheckFacts) -> Verdict:
    """The verdict for the facts gathered about one code in one event."""
    event = facts.event
    if event is None:
        return _verdict(VerdictCode.UNKNOWN, facts.event_id, None, "unknown",
                        Text("verdict.msg.unknown_event", {"event": facts.event_id}),
                        problem="unknown_event")
    if facts.slip is not None:
        return _decide_slip(facts.slip, event, facts.case, today=facts.today)
    if facts.case is None and facts.typed_problem is not None:
        key, values = facts.typed_problem  # say what to fix, not "search by name"
        verdict = _verdict(VerdictCode.UNKNOWN, event.id, None, "nik", Text(key, values),
                           problem="bad_number")
        return dataclasses.replace(verdict, next_text=Text("desk.next.retype"))
    if facts.case is None:  # a desk holds only its site's households: say so
        verdict = _verdict(VerdictCode.UNKNOWN, event.id, None, "unknown",
                           Text("verdict.msg.unknown"))
        return dataclasses.replace(verdict, next_text=Text("desk.next.unknown_elsewhere"))
    verdict = judge(event, facts.case, check_id=True)
    if facts.scanned is not None:
        verdict.details.update(scanned_name=facts.scanned.name,
                               scanned_nik_masked=facts.scanned.nik_masked)
    return verdict


def _decide_slip(slip: SlipFacts, event: EventFacts, case: HouseholdCase | None, *,
                 today: dt.date) -> Verdict:
    eid = event.id
    bad_sig = Text("verdict.msg.invalid_signature")
    if not slip.decoded and slip.tampered:  # not a camera problem: scanning again won't help
        return _verdict(VerdictCode.INVALID_SIGNATURE, eid, None, "slip", bad_sig,
                        problem="tampered")
    if not slip.decoded:
        return _verdict(VerdictCode.MALFORMED, eid, None, "slip", Text("verdict.msg.malformed"))
    key = slip.key
    if key is None or key.revoked:
        return _verdict(VerdictCode.INVALID_SIGNATURE, eid, None, "slip", bad_sig,
                        key_id=slip.key_id,
                        problem="unknown_key" if key is None else "revoked_key")
    if not slip.signature_ok:
        return _verdict(VerdictCode.INVALID_SIGNATURE, eid, None, "slip", bad_sig,
                        key_id=slip.key_id, problem="bad_signature")
    if today < key.valid_from:
        return _verdict(VerdictCode.INVALID_SIGNATURE, eid, None, "slip", bad_sig,
                        key_id=slip.key_id, problem="key_not_yet_valid")
    assert slip.expires is not None  # a decoded slip has its expiry
    if today > key.valid_to or today > slip.expires:
        expires = min(slip.expires, key.valid_to)
        return _verdict(VerdictCode.EXPIRED, eid, slip.household_id, "slip",
                        Text("verdict.msg.expired", {"expires": expires.strftime("%d-%m-%Y")}),
                        expires=expires.isoformat(), slip_serial=slip.serial)
    revoked = Text("verdict.msg.revoked", {"serial": slip.serial})
    if slip.serial_revoked:
        return _verdict(VerdictCode.REVOKED, eid, slip.household_id, "slip", revoked,
                        slip_serial=slip.serial)
    elsewhere = _slip_elsewhere(slip, event)
    if not slip.household_known or case is None or case.household is None:
        if elsewhere is None:
            return _verdict(VerdictCode.UNKNOWN, eid, slip.household_id, "slip",
                            Text("verdict.msg.unknown"), slip_serial=slip.serial)
        return _absent_of_other_site(slip, event, case, elsewhere)
    if case.entitlement is None and case.other_site is None and elsewhere is not None:
        case = dataclasses.replace(case, other_site=elsewhere)  # the slip says where
    other_event = slip.event_id != eid
    if not other_event and slip.superseded:
        return _verdict(VerdictCode.REVOKED, eid, slip.household_id, "slip", revoked,
                        slip_serial=slip.serial, problem="superseded")
    verdict = judge(event, case, check_id=other_event)
    verdict.details["slip_serial"] = slip.serial
    if other_event:
        verdict.details["slip_event"] = slip.event_id
    return verdict


def _slip_elsewhere(slip: SlipFacts, event: EventFacts) -> OtherSiteFacts | None:
    """The other site a validly signed slip entitles its household at, if it names one."""
    if slip.event_id == event.id or not slip.event_site.strip():
        return None
    if fold_place(slip.event_site) == fold_place(event.site_kelurahan):
        return None
    return OtherSiteFacts(slip.event_id, slip.event_site)


def _absent_of_other_site(slip: SlipFacts, event: EventFacts, case: HouseholdCase | None,
                          elsewhere: OtherSiteFacts) -> Verdict:
    """A signed slip of another site's event whose household this desk does not hold (the hub
    sends a desk only its own site's households): send the person there, unless it was
    already handed over (a supervisor's override, found in the journal)."""
    if case is not None and case.collected is not None:
        verdict = judge(event, case, check_id=True)
    else:
        other = elsewhere.site_kelurahan
        verdict = dataclasses.replace(_verdict(
            VerdictCode.WRONG_SITE, event.id, slip.household_id, "slip",
            Text("verdict.msg.wrong_site_slip", {"other_site": other}), check_id=True,
            event_name=event.name, item=event.item, amount=event.amount,
            other_event=elsewhere.event_id, other_site=other),
            next_text=Text("desk.next.wrong_site_other", {"other_site": other}))
    verdict.details.update(slip_serial=slip.serial, slip_event=slip.event_id)
    return verdict


def _desk(got: CollectedFacts) -> object:
    """The desk that recorded it, as people call it: "Meja 2", "meja ini", or "meja lain"."""
    if got.desk_name:
        return Text("desk.collected.named_here", {"desk": got.desk_name}) if got.own_desk \
            else got.desk_name
    if got.own_desk:
        return Text("desk.collected.here")
    return Text("desk.collected.other", {"device": got.device_id[:6]})


def judge(event: EventFacts, case: HouseholdCase, *, check_id: bool) -> Verdict:
    """The household's verdict in this event (the order in the module docstring)."""
    kind, household_id = case.code_kind, case.household_id
    hh = case.household
    if hh is None and case.collected is None:
        return _verdict(VerdictCode.UNKNOWN, event.id, None, kind, Text("verdict.msg.unknown"),
                        check_id=check_id)
    # No household row but a hand-over of it (another site's, let through here): named by id.
    name = hh.recipient_name if hh is not None and hh.recipient_nik else household_id
    details: dict[str, Any] = {} if hh is None else {
        "recipient_name": hh.recipient_name if hh.recipient_nik else None,
        "nik_masked": mask(hh.recipient_nik) if hh.recipient_nik else "",
        "address": hh.address, "rt": hh.rt, "rw": hh.rw, "kelurahan": hh.kelurahan,
        "kecamatan": hh.kecamatan, "status": hh.status,
    }
    details["event_name"] = event.name
    ent = case.entitlement
    if ent is not None:
        details.update(item=ent.item, amount=ent.amount, slip_serial=ent.slip_serial)
    else:
        details.update(item=event.item, amount=event.amount)

    def verdict(code: VerdictCode, key: str, *, next_text: Text | None = None,
                **values: object) -> Verdict:
        found = _verdict(code, event.id, household_id, kind, Text(key, values),
                         check_id=check_id, **details)
        return found if next_text is None else dataclasses.replace(found, next_text=next_text)

    got = case.collected
    if got is not None:
        who = (Text("verdict.msg.who_proxy", {"proxy": got.proxy_name or "?"}) if got.by_proxy
               else Text("verdict.msg.who_self"))
        details.update(collected_uuid=got.uuid, collected_at=got.created_at,
                       collected_at_local=got.created_at_local, collected_site=got.site,
                       collected_device=got.device_id, collected_officer=got.officer_id,
                       collected_by_proxy=got.by_proxy, collected_proxy_name=got.proxy_name,
                       collected_elsewhere=got.learned_elsewhere, collected_event=got.event_id)
        return verdict(VerdictCode.ALREADY_COLLECTED, "verdict.msg.already_collected",
                       when=got.created_at_local, site=got.site, desk=_desk(got),
                       officer=(f"{got.officer_name} ({got.officer_id})"
                                if got.officer_name not in ("", got.officer_id)
                                else got.officer_id), who=who)
    assert hh is not None  # only a collected case comes this far without its household
    if event.programme == "PKH" and case.graduated_on is not None:
        details.update(pkh_status="graduated", graduated_on=case.graduated_on.isoformat())
        return verdict(VerdictCode.SUSPENDED, "verdict.msg.graduated", name=name,
                       date=case.graduated_on.strftime("%d-%m-%Y"),
                       next_text=Text("desk.next.graduated"))
    if hh.status != "active":
        status: object = (Text(f"verdict.status.{hh.status}")
                          if hh.status in HOUSEHOLD_STATUSES else hh.status)
        # Where to send them: the pendamping for a suspension, the kelurahan for a death.
        where = hh.status if hh.status in HOUSEHOLD_STATUSES else "suspended"
        return verdict(VerdictCode.SUSPENDED, "verdict.msg.suspended", name=name, status=status,
                       next_text=Text(f"desk.next.{where}"))
    if ent is not None:
        if hh.kelurahan.strip() and fold_place(hh.kelurahan) not in event.served:
            details["other_site"] = hh.kelurahan
            return verdict(VerdictCode.WRONG_SITE, "verdict.msg.wrong_site_served", name=name,
                           kelurahan=hh.kelurahan, next_text=Text(
                               "desk.next.wrong_site_served", {"kelurahan": hh.kelurahan}))
        key = "verdict.msg.eligible_check" if check_id else "verdict.msg.eligible"
        return verdict(VerdictCode.ELIGIBLE, key, name=name, item=details["item"])
    other = case.other_site
    if other is not None:
        details.update(other_event=other.event_id, other_site=other.site_kelurahan)
        return verdict(VerdictCode.WRONG_SITE, "verdict.msg.wrong_site_other", name=name,
                       other_site=other.site_kelurahan, next_text=Text(
                           "desk.next.wrong_site_other", {"other_site": other.site_kelurahan}))
    return verdict(VerdictCode.NOT_ENTITLED, "verdict.msg.not_entitled", name=name,
                   event=event.name)
