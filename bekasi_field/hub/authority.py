"""The hub checks every pushed entry against its registry before storing it.

A batch that names an event of another site, an officer the hub does not know (or who is not
active, or not assigned to the device's site), an unknown kind, a household without an
entitlement (unless a supervisor of the device's site let a household entitled at another
site's event of the same programme through: WRONG_SITE with override_by), a verdict that does not allow a hand-over,
or a void that is not a supervisor's or not of the device's own site is quarantined whole, with
the reason (hub_quarantine.problem).
Voids that pass are stored, but the ones that undo another device's hand-over, or a hand-over
in an open conflict, are held for a supervisor's review (hub/held_voids.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select
from sqlmodel import SQLModel

from bekasi_field.domain.journal_chain import ChainProblem
from bekasi_field.hub.models import HubConflict, HubJournal
from bekasi_field.hub.officer_sites import sites_of

# Entries that count as collecting (voidable), and voids.
COLLECTING_KINDS: tuple[str, ...] = ("handover", "enrolment", "graduation")
KNOWN_KINDS: tuple[str, ...] = (*COLLECTING_KINDS, "void")
SUPERVISOR_ROLES: tuple[str, ...] = ("supervisor", "admin")
HANDOVER_VERDICTS = ("ELIGIBLE",)
OVERRIDE_VERDICTS = ("WRONG_SITE",)  # a supervisor may let these through (override_by)


def _table(name: str) -> Any:
    return SQLModel.metadata.tables[name]


def _chunks(values: Iterable[str], size: int = 500) -> Iterable[list[str]]:
    items = sorted(set(values))
    for i in range(0, len(items), size):
        yield items[i:i + size]


@dataclass
class _Facts:
    """What the registry says about the names a batch uses (a few queries per batch)."""

    events: dict[str, str]  # event id -> site kelurahan
    officers: dict[str, tuple[str, bool]]  # officer id -> (role, active)
    officer_sites: dict[str, set[str]]  # officer id -> the sites they serve
    entitled: set[tuple[str, str]]  # (event, household)
    # (programme, household) of WRONG_SITE hand-overs not entitled at their event: entitled at
    # an event of the same programme at another site (a supervisor may let them through here)
    entitled_elsewhere: set[tuple[str, str]]
    programmes: dict[str, str]  # event id -> programme
    stored: dict[str, dict[str, Any]]  # uuid -> stored entry (the voided ones)


def _facts(conn: Connection, rows: list[dict[str, Any]], site: str) -> _Facts:
    ev, of, en = _table("events"), _table("officers"), _table("entitlements")
    j = HubJournal.__table__
    events: dict[str, str] = {}
    programmes: dict[str, str] = {}
    for chunk in _chunks(r["event_id"] for r in rows):
        for event_id, event_site, programme in conn.execute(
                select(ev.c.id, ev.c.site_kelurahan, ev.c.programme).where(ev.c.id.in_(chunk))):
            events[event_id], programmes[event_id] = event_site, programme
    names = {r["officer_id"] for r in rows} | {r["override_by"] for r in rows if r["override_by"]}
    officers: dict[str, tuple[str, bool]] = {}
    for chunk in _chunks(names):
        officers.update({i: (role, bool(active)) for i, role, active in conn.execute(
            select(of.c.id, of.c.role, of.c.active).where(of.c.id.in_(chunk)))})
    entitled: set[tuple[str, str]] = set()
    by_event: dict[str, set[str]] = {}
    for r in rows:
        if r["kind"] == "handover":
            by_event.setdefault(r["event_id"], set()).add(r["household_id"])
    for event_id, households in by_event.items():
        for chunk in _chunks(households):
            entitled |= {(event_id, h) for h in conn.execute(
                select(en.c.household_id).where(en.c.event_id == event_id,
                                                en.c.household_id.in_(chunk))).scalars()}
    away = {r["household_id"] for r in rows if r["kind"] == "handover"
            and r["verdict"] in OVERRIDE_VERDICTS
            and (r["event_id"], r["household_id"]) not in entitled}
    elsewhere: set[tuple[str, str]] = set()
    for chunk in _chunks(away):
        elsewhere |= {(str(p), str(h)) for p, h in conn.execute(
            select(ev.c.programme, en.c.household_id).join(ev, ev.c.id == en.c.event_id)
            .where(en.c.household_id.in_(chunk), ev.c.site_kelurahan != site))}
    stored: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(r["voids_uuid"] for r in rows if r["kind"] == "void" and r["voids_uuid"]):
        stored.update({m["uuid"]: dict(m) for m in conn.execute(
            select(j.c.uuid, j.c.device_id, j.c.kind, j.c.event_id, j.c.household_id)
            .where(j.c.uuid.in_(chunk))).mappings()})
    return _Facts(events, officers, sites_of(conn, officers.keys()), entitled, elsewhere,
                  programmes, stored)


def _officer_ok(facts: _Facts, officer_id: str | None, site: str, *,
                supervisor: bool = False) -> bool:
    o = facts.officers.get(officer_id or "")
    if o is None or not o[1] or (supervisor and o[0] not in SUPERVISOR_ROLES):
        return False
    return site in facts.officer_sites.get(officer_id or "", set())


def _problem(r: dict[str, Any], site: str, facts: _Facts,
             batch: dict[str, dict[str, Any]]) -> str | None:
    if r["kind"] not in KNOWN_KINDS:
        return "unknown_kind"
    event_site = facts.events.get(r["event_id"])
    if event_site is None:
        return "unknown_event"
    if event_site != site:
        return "event_of_other_site"
    if r["kind"] == "void":
        if not _officer_ok(facts, r["officer_id"], site, supervisor=True):
            return "void_without_supervisor"
        target = facts.stored.get(r["voids_uuid"] or "") or batch.get(r["voids_uuid"] or "")
        if target is None or target["kind"] not in COLLECTING_KINDS:
            return "void_of_unknown_entry"
        if (target["event_id"], target["household_id"]) != (r["event_id"], r["household_id"]):
            return "void_of_other_site"  # the event named is ours, the entry voided is not
        return None
    if not _officer_ok(facts, r["officer_id"], site):
        return "unknown_officer"
    if r["kind"] != "handover":
        # Enrolment (per person) and graduation keep their own rules (selection, reasons);
        # here the hub checks what every entry shares: kind, event, site, officer.
        return None
    entitled = (r["event_id"], r["household_id"]) in facts.entitled
    if entitled and r["verdict"] in HANDOVER_VERDICTS:
        return None
    # A supervisor of the device's site may let a WRONG_SITE through: a household entitled here
    # but living outside the kelurahan served, or one entitled only at another site's event of
    # the same programme    # (the desk counts it apart, as `outside`; services/counts.py).
    overridden = r["verdict"] in OVERRIDE_VERDICTS and _officer_ok(
        facts, r["override_by"], site, supervisor=True)
    away = (facts.programmes.get(r["event_id"], ""), r["household_id"])
    if not entitled and not (overridden and away in facts.entitled_elsewhere):
        return "not_entitled"
    return None if overridden else "verdict_not_allowed"


def registry_problem(conn: Connection, *, device: dict[str, Any],
                     rows: list[dict[str, Any]]) -> ChainProblem | None:
    """The first entry of a (chain-checked, signed) batch the registry does not allow."""
    if not rows:
        return None
    site = str(device.get("site_kelurahan") or "")
    facts = _facts(conn, rows, site)
    batch = {r["uuid"]: r for r in rows}
    for r in rows:
        problem = _problem(r, site, facts, batch)
        if problem is not None:
            return ChainProblem(str(r["device_id"]), int(r["seq"]), r["uuid"], problem)
    return None


def voids_to_hold(conn: Connection, *, rows: list[dict[str, Any]]) -> dict[str, str]:
    """Void uuid -> why it is held: it undoes another device's entry, or one in an open
    conflict (checked before this batch's own conflicts are recorded)."""
    voids = [r for r in rows if r["kind"] == "void" and r["voids_uuid"]]
    if not voids:
        return {}
    j, c = HubJournal.__table__, HubConflict.__table__
    owners: dict[str, str] = {r["uuid"]: r["device_id"] for r in rows}
    for chunk in _chunks(v["voids_uuid"] for v in voids):
        owners.update(conn.execute(select(j.c.uuid, j.c.device_id)
                                   .where(j.c.uuid.in_(chunk))).all())
    open_pairs: set[tuple[str, str]] = set()
    for event_id in {v["event_id"] for v in voids}:
        households = [v["household_id"] for v in voids if v["event_id"] == event_id]
        for chunk in _chunks(households):
            open_pairs |= {(e, h) for e, h in conn.execute(
                select(c.c.event_id, c.c.household_id).where(
                    c.c.event_id == event_id, c.c.household_id.in_(chunk),
                    c.c.status == "open")).all()}
    held: dict[str, str] = {}
    for v in voids:
        if owners.get(v["voids_uuid"]) != v["device_id"]:
            held[v["uuid"]] = "other_device"
        elif (v["event_id"], v["household_id"]) in open_pairs:
            held[v["uuid"]] = "open_conflict"
    return held
