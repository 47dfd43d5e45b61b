"""Choosing the workers of an enrolment event from the registry, on the device or the hub.

SQL gathers the facts (members of the served kelurahan, who is enrolled or selected in an
enrolment event of the same programme whose cover overlaps); domain.selection_rules decides.
The chosen persons become person_entitlements rows in the caller's transaction. The same call
runs on a device (journal) and on the hub (hub_journal), SQLite or PostgreSQL.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, bindparam, inspect, text

from bekasi_field.domain import occupations as occ
from bekasi_field.domain import selection_rules as rules
from bekasi_field.domain.enrolment_rules import AGE_MAX, AGE_MIN, PREMIUM, Cover, default_cover
from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.identifiers import mask
from bekasi_field.i18n import tr

log = logging.getLogger(__name__)

SelectionResult = rules.Selection


def _date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def enrolment_params(given: dict[str, Any], *, start: dt.date,
                     premium: int | None) -> dict[str, Any]:
    """Complete and check an enrolment event's settings (what `event create` was told)."""
    quota = given.get("quota")
    if quota is not None and (not isinstance(quota, int) or quota < 0):
        raise BekasiError(tr("selection.bad_quota", quota=quota))
    raw = given.get("priority")
    try:
        priority = rules.parse_priority(raw if isinstance(raw, str) or raw is None
                                        else ",".join(raw))
    except ValueError as exc:
        raise BekasiError(tr("selection.bad_priority", key=str(exc),
                             known=", ".join(rules.PRIORITY_KEYS))) from exc
    targeted: list[str] = []
    for name in given.get("occupations") or occ.TARGETED:
        code = occ.desk_code(str(name))
        if code is None or code == occ.LAINNYA:
            raise BekasiError(tr("selection.bad_occupation", name=name,
                                 known=", ".join(occ.TARGETED)))
        if code not in targeted:
            targeted.append(code)
    default = default_cover(start)
    cover_start = _date(given.get("cover_start") or default.start)
    cover_end = _date(given.get("cover_end") or (default.end if cover_start == default.start
                                                 else default_cover(cover_start).end))
    if cover_end < cover_start:
        raise BekasiError(tr("event.end_before_start", start=cover_start, end=cover_end))
    budget = given.get("budget")
    if budget is not None and (not isinstance(budget, int) or budget < 0):
        raise BekasiError(tr("event.bad_amount", amount=budget))
    if budget is None and quota is not None:
        budget = quota * (premium if premium is not None else PREMIUM)
    return {"quota": quota, "priority": list(priority), "occupations": targeted,
            "cover_start": cover_start.isoformat(), "cover_end": cover_end.isoformat(),
            "budget": budget, "age_min": int(given.get("age_min") or AGE_MIN),
            "age_max": int(given.get("age_max") or AGE_MAX)}


def cover_of(params: dict[str, Any], start: dt.date) -> Cover:
    default = default_cover(start)
    return Cover(_date(params.get("cover_start") or default.start),
                 _date(params.get("cover_end") or default.end))


def journal_table(conn: Connection) -> str:
    """The hub keeps every device's entries in hub_journal; a device in journal."""
    return "hub_journal" if inspect(conn).has_table("hub_journal") else "journal"


def overlapping_events(conn: Connection, *, programme: str, cover: Cover,
                       exclude: str | None = None) -> list[str]:
    rows = conn.execute(text(
        "SELECT id, start_date, params FROM events WHERE kind = 'enrolment' "
        "AND programme = :p"), {"p": programme}).all()
    out = []
    for event_id, start, params in rows:
        if event_id == exclude:
            continue
        if cover_of(json.loads(params or "{}"), _date(start)).overlaps(cover):
            out.append(event_id)
    return out


def enrolled_niks(conn: Connection, event_ids: list[str], *, table: str | None = None) -> set[str]:
    """Workers with a live (not voided) enrolment entry in these events."""
    if not event_ids:
        return set()
    table = table or journal_table(conn)
    q = text(
        f"SELECT j.recipient_nik FROM {table} j WHERE j.kind = 'enrolment' "
        "AND j.event_id IN :events AND NOT EXISTS (SELECT 1 FROM "
        f"{table} v WHERE v.kind = 'void' AND v.voids_uuid = j.uuid)"
    ).bindparams(bindparam("events", expanding=True))
    return {r[0] for r in conn.execute(q, {"events": event_ids}) if r[0]}


def _candidates(conn: Connection, served: list[str]) -> list[rules.Candidate]:
    q = text(
        "SELECT m.nik, m.household_id, m.name, h.no_kk, h.desil, m.occupation, m.birth_date, "
        "h.status FROM members m JOIN households h ON h.id = m.household_id "
        "WHERE h.kelurahan IN :served ORDER BY m.nik"
    ).bindparams(bindparam("served", expanding=True))
    out = []
    for nik, hid, name, kk, desil, occupation, born, status in conn.execute(q, {"served": served}):
        out.append(rules.Candidate(
            nik=nik, household_id=hid, name=name, no_kk=kk or "",
            desil=int(desil) if desil is not None else None, occupation=occupation or "",
            registry_birth=_date(born) if born else None, household_status=status or "active"))
    return out


def allocate_persons(conn: Connection, *, event_id: str, programme: str, served: list[str],
                     start: dt.date, item: str, amount: int | None,
                     params: dict[str, Any]) -> rules.Selection:
    """Run the selection and write the chosen persons' entitlements (caller's transaction)."""
    cover = cover_of(params, start)
    others = overlapping_events(conn, programme=programme, cover=cover, exclude=event_id)
    enrolled = enrolled_niks(conn, others)
    elsewhere: set[str] = set()
    if others:
        q = text("SELECT nik FROM person_entitlements WHERE event_id IN :events") \
            .bindparams(bindparam("events", expanding=True))
        elsewhere = {r[0] for r in conn.execute(q, {"events": others})}
    result = rules.select(
        _candidates(conn, served), event_id=event_id, on=start, quota=params.get("quota"),
        enrolled=enrolled, selected_elsewhere=elsewhere - enrolled,
        priority=tuple(params.get("priority") or rules.DEFAULT_PRIORITY),
        targeted=tuple(params.get("occupations") or occ.TARGETED),
        age_min=int(params.get("age_min") or AGE_MIN),
        age_max=int(params.get("age_max") or AGE_MAX))
    rows = [{"event_id": event_id, "nik": j.candidate.nik,
             "household_id": j.candidate.household_id, "item": item, "amount": amount,
             "rank": j.rank or 0, "reason": j.why(), "version": 0} for j in result.selected]
    ins = text("INSERT INTO person_entitlements (event_id, nik, household_id, item, amount, "
               "rank, reason, version) VALUES (:event_id, :nik, :household_id, :item, "
               ":amount, :rank, :reason, :version)")
    for i in range(0, len(rows), 5000):
        conn.execute(ins, rows[i:i + 5000])
    log.info("selection for %s: %s", event_id, json.dumps(result.counts, sort_keys=True))
    return result


CSV_COLUMNS = ("rank", "selected", "nik", "household_id", "name", "desil", "occupation",
               "age", "rule", "why")


def write_explanation(path: Path, selection: rules.Selection) -> int:
    """Who was considered, in rank order, and why each was or was not selected.

    NIKs are masked: the household id and name find the person in the registry, and the file
    is not a copy of identity numbers (the enrolment XLSX is where full NIKs go)."""
    path = Path(path)
    try:
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(CSV_COLUMNS)
            for j in selection.judged:
                c = j.candidate
                out.writerow((j.rank or "", "Y" if j.selected else "", mask(c.nik),
                              c.household_id, c.name, c.desil if c.desil is not None else "",
                              occ.LABELS.get(j.occupation_code, c.occupation),
                              "" if j.age is None else j.age, j.excluded_by or "", j.why()))
    except OSError as exc:
        raise BekasiError(tr("report.cannot_write", path=path, detail=exc.strerror)) from exc
    return len(selection.judged)
