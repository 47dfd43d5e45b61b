"""Enrolling one worker in BPJS Ketenagakerjaan at the desk: checks, then a signed journal entry.

check_person() gathers the facts about the NIK (registry, age on the event's start date,
residence, enrolled already in this or an overlapping enrolment event, selected) and names the
first refusal. record_enrolment() runs the same check again inside BEGIN IMMEDIATE (two desks on
one file cannot both enrol the same worker) and appends a `kind = enrolment` entry whose
`details` carry the form: occupation, mobile, e-mail, domicile, heir and the consent sentence.
The worker's data is personal data: it is never logged, and shown masked.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
import uuid as uuidlib
from dataclasses import dataclass, field
from typing import Any

from bekasi_field.domain import enrolment_rules as er
from bekasi_field.domain import occupations as occ
from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.identifiers import IdentifierError, digits_only, mask, parse_nik
from bekasi_field.domain.journal_chain import canonical_json
from bekasi_field.domain.journal_entry import new_entry
from bekasi_field.i18n import tr
from bekasi_field.services import journal
from bekasi_field.services.site import Site
from bekasi_field.store.db import utc_now

log = logging.getLogger(__name__)

CONSENT_KEY = "enrol.consent_sentence"


@dataclass(frozen=True)
class Heir:
    name: str
    relationship: str
    nik: str | None = None


@dataclass(frozen=True)
class EnrolmentForm:
    occupation: str
    phone: str
    heir: Heir
    domicile: str = ""
    email: str | None = None
    consent: bool = False
    birth_place: str = ""  # tempat lahir as on the KTP: not in the DTSEN roster
    nik_read_from_card: bool = False  # the desk camera read the NIK off the worker's KTP


@dataclass
class PersonCheck:
    """What the desk knows about a NIK in an enrolment event; `reason` None means go ahead."""

    event_id: str
    nik: str
    reason: str | None
    message: str
    name: str | None = None
    household_id: str | None = None
    age: int | None = None
    selected: bool = False
    address: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def allows_override(self) -> bool:
        return self.reason == er.NOT_SELECTED

    def as_dict(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "nik_masked": mask(self.nik), "reason": self.reason,
                "message": self.message, "name": self.name, "household_id": self.household_id,
                "age": self.age, "selected": self.selected,
                "allows_override": self.allows_override, **self.details}


class EnrolmentRefused(BekasiError):
    """An enrolment the rules do not allow; `reason` is one of domain.enrolment_rules' codes."""

    def __init__(self, reason: str, message: str, check: PersonCheck | None = None) -> None:
        super().__init__(message)
        self.reason, self.check = reason, check


def _refuse(check: PersonCheck, reason: str, key: str, **values: Any) -> PersonCheck:
    check.reason, check.message = reason, tr(key, **values)
    return check


def _event(conn: sqlite3.Connection, event_id: str) -> tuple[Any, ...] | None:
    row: tuple[Any, ...] | None = conn.execute("SELECT id, programme, kind, status, start_date, params, name "
                        "FROM events WHERE id = ?", (event_id,)).fetchone()
    return row


def enrolled_entry(conn: sqlite3.Connection, *, nik: str, event_id: str, programme: str,
                   params: dict[str, Any], start: dt.date) -> tuple[Any, ...] | None:
    """The live enrolment of this worker in this event or one whose cover overlaps it."""
    from bekasi_field.services.selection import cover_of

    cover = cover_of(params, start)
    rows: list[tuple[Any, ...]] = conn.execute(
        "SELECT j.uuid, j.created_at, j.site, j.device_id, j.officer_id, j.event_id, "
        "e.start_date, e.params FROM journal j JOIN events e ON e.id = j.event_id "
        "WHERE j.recipient_nik = ? AND j.kind = 'enrolment' AND e.programme = ? "
        "AND NOT EXISTS (SELECT 1 FROM journal v WHERE v.kind = 'void' "
        "AND v.voids_uuid = j.uuid) ORDER BY j.event_id <> ?, j.created_at",
        (nik, programme, event_id)).fetchall()
    for r in rows:
        if r[5] == event_id or cover_of(json.loads(r[7] or "{}"),
                                        dt.date.fromisoformat(str(r[6])[:10])).overlaps(cover):
            return r
    return None


def check_person_in(conn: sqlite3.Connection, code: str, *, event_id: str) -> PersonCheck:
    nik = digits_only(code or "")
    check = PersonCheck(event_id=event_id, nik=nik, reason=None, message="")
    event = _event(conn, event_id)
    if event is None or event[2] != "enrolment":
        return _refuse(check, er.NOT_ENROLMENT_EVENT, "enrol.not_enrolment_event",
                       event=event_id)
    if event[3] != "open":
        return _refuse(check, er.EVENT_CLOSED, "journal.event_closed", event=event_id)
    start = dt.date.fromisoformat(str(event[4])[:10])
    params = json.loads(event[5] or "{}")
    try:
        parse_nik(nik, today=start)
    except IdentifierError as exc:
        return _refuse(check, er.BAD_NIK, "enrol.bad_nik", detail=exc.message)
    row = conn.execute(
        "SELECT m.name, m.household_id, m.birth_date, h.no_kk, h.address, h.rt, h.rw, "
        "h.kelurahan, m.occupation FROM members m JOIN households h ON h.id = m.household_id "
        "WHERE m.nik = ?", (nik,)).fetchone()
    if row is None:
        return _refuse(check, er.UNKNOWN_PERSON, "enrol.unknown_person", nik=mask(nik))
    name, hid, born_text, no_kk, address, rt, rw, kelurahan, occupation = row
    registry_born = dt.date.fromisoformat(str(born_text)[:10]) if born_text else None
    born = er.birth_date(nik, registry_born, on=start)
    check.name, check.household_id = name, hid
    check.address = f"{address} RT {rt}/RW {rw}, {kelurahan}".strip()
    check.age = er.age_on(born, start) if born else None
    check.details.update(kelurahan=kelurahan, registry_occupation=occupation,
                         occupation_code=occ.classify(occupation))
    low, high = int(params.get("age_min") or er.AGE_MIN), int(params.get("age_max") or er.AGE_MAX)
    if not er.age_in_range(born, start, low=low, high=high):
        return _refuse(check, er.AGE_OUT_OF_RANGE, "enrol.age_out_of_range", name=name,
                       age=check.age if check.age is not None else "?", low=low, high=high,
                       date=start.strftime("%d-%m-%Y"))
    if not er.is_resident(no_kk, nik):
        return _refuse(check, er.NOT_RESIDENT, "enrol.not_resident", name=name)
    got = enrolled_entry(conn, nik=nik, event_id=event_id, programme=event[1], params=params,
                         start=start)
    if got is not None:
        check.details.update(enrolled_uuid=got[0], enrolled_at=got[1], enrolled_site=got[2],
                             enrolled_device=got[3], enrolled_officer=got[4],
                             enrolled_event=got[5])
        from bekasi_field.services.verdict_engine import local_time
        return _refuse(check, er.ALREADY_ENROLLED, "enrol.already_enrolled", name=name,
                       when=local_time(got[1]), site=got[2], officer=got[4], event=got[5])
    check.selected = conn.execute(
        "SELECT 1 FROM person_entitlements WHERE event_id = ? AND nik = ?",
        (event_id, nik)).fetchone() is not None
    if not check.selected:
        return _refuse(check, er.NOT_SELECTED, "enrol.not_selected", name=name)
    check.message = tr("enrol.ok", name=name, age=check.age)
    return check


def check_person(site: Site, code: str, *, event_id: str) -> PersonCheck:
    conn = site.db.raw()
    try:
        return check_person_in(conn, code, event_id=event_id)
    finally:
        conn.close()


def validate_form(form: EnrolmentForm) -> dict[str, Any]:
    """The form as stored in the entry's details; EnrolmentRefused names the first problem."""
    code = occ.desk_code(form.occupation)
    if code is None:
        raise EnrolmentRefused(er.BAD_OCCUPATION, tr(
            "enrol.bad_occupation", value=form.occupation,
            known=", ".join(occ.LABELS[c] for c in occ.DESK_CODES)))
    phone = er.normalize_phone(form.phone)
    if phone is None:
        raise EnrolmentRefused(er.BAD_PHONE, tr("enrol.bad_phone"))
    email = (form.email or "").strip() or None
    if email is not None and not er.email_ok(email):
        raise EnrolmentRefused(er.BAD_EMAIL, tr("enrol.bad_email"))
    domicile = " ".join(form.domicile.split())
    if not domicile:
        raise EnrolmentRefused(er.MISSING_DOMICILE, tr("enrol.missing_domicile"))
    heir_name, heir_rel = " ".join(form.heir.name.split()), " ".join(
        form.heir.relationship.split())
    heir_nik = digits_only(form.heir.nik or "") or None
    if not heir_name or not heir_rel:
        raise EnrolmentRefused(er.MISSING_HEIR, tr("enrol.missing_heir"))
    if heir_nik is not None:
        try:
            parse_nik(heir_nik)
        except IdentifierError as exc:
            raise EnrolmentRefused(er.MISSING_HEIR, tr("enrol.bad_heir_nik",
                                                       detail=exc.message)) from exc
    if not form.consent:
        raise EnrolmentRefused(er.NO_CONSENT, tr("enrol.no_consent"))
    data: dict[str, Any] = {
        "occupation": code, "phone": phone, "email": email, "domicile": domicile,
        "birth_place": " ".join(form.birth_place.split()),
        "heir": {"name": heir_name, "relationship": heir_rel, "nik": heir_nik},
        "consent": {"given": True, "sentence": tr(CONSENT_KEY, lang="id")}}
    if form.nik_read_from_card:
        data["nik_read_from_card"] = True
    return data


def record_enrolment(*, site: Site, event_id: str, code: str, officer_id: str,
                     form: EnrolmentForm, override_by: str | None = None) -> journal.RecordedEntry:
    """Enrol one worker, durably; EnrolmentRefused (with `reason`) when the rules say no.

    The person is judged before the form: a worker who cannot be enrolled hears so before
    anyone types their phone number and heir."""
    conn = site.db.raw()
    try:
        first = check_person_in(conn, code, event_id=event_id)
        if first.reason is not None and not (first.allows_override and override_by):
            raise EnrolmentRefused(first.reason, first.message, first)
        data = validate_form(form)
        with journal._immediate(conn):
            journal._require_officer(conn, officer_id)
            if override_by is not None:
                journal._require_supervisor(conn, override_by)
            check = check_person_in(conn, code, event_id=event_id)
            if check.reason is not None and not (check.allows_override and override_by):
                raise EnrolmentRefused(check.reason, check.message, check)
            entry = journal._append(conn, new_entry(
                uuid=str(uuidlib.uuid4()), device_id=journal._device_id(conn),
                kind="enrolment", event_id=event_id, household_id=check.household_id,
                officer_id=officer_id, site=journal._site_name(conn, event_id),
                recipient_nik=check.nik, recipient_name=check.name, code_kind="nik",
                scanned_code=check.nik, verdict=check.reason or "ELIGIBLE",
                override_by=override_by if check.reason else None,
                details=canonical_json({**data, "read_by": officer_id}), created_at=utc_now(),
            ))
    finally:
        conn.close()
    log.info("enrolment recorded: seq %d, event %s%s", entry["seq"], event_id,
             " (supervisor override)" if override_by and check.reason else "")
    return journal.RecordedEntry(entry["uuid"], entry["seq"], None, entry["created_at"],
                                 kind="enrolment")
