"""The daftar nominatif of an event: every allocated household per kelurahan and RT/RW, and,
once the day has started, whether each collected (time, desk), is still to come or was voided.

Status from the journal this desk knows (its own entries and those synced from other desks):
a live hand-over (no void names it) = collected at its time and desk; only voided hand-overs =
voided at the void's time and desk; none = pending.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from sqlalchemy import Engine, RowMapping, text

from bekasi_field.reports.danom_model import DanomData, DanomGroup, DanomRow
from bekasi_field.services.reports import get_event_summary

log = logging.getLogger(__name__)

_ROWS = (
    "SELECT en.household_id, en.item, en.amount, en.slip_serial, h.address, h.rt, h.rw, "
    "h.kelurahan, "
    "(SELECT m.nik FROM members m WHERE m.household_id = en.household_id "
    " ORDER BY m.is_recipient DESC, m.nik LIMIT 1) AS nik, "
    "(SELECT m.name FROM members m WHERE m.household_id = en.household_id "
    " ORDER BY m.is_recipient DESC, m.nik LIMIT 1) AS name "
    "FROM entitlements en JOIN households h ON h.id = en.household_id "
    "WHERE en.event_id = :event"
)
_ENTRIES = (
    "SELECT j.uuid, j.kind, j.household_id, j.created_at, j.device_id, j.is_proxy, "
    "j.voids_uuid, d.name AS desk FROM journal j LEFT JOIN devices d ON d.id = j.device_id "
    "WHERE j.event_id = :event ORDER BY j.created_at, j.device_id, j.seq"
)


def _norm(kelurahan: str) -> str:
    return " ".join(kelurahan.split()).casefold()


def _rt_key(value: str) -> tuple[int, str]:
    digits = "".join(ch for ch in value if ch.isdigit())
    return (int(digits) if digits else 10**6, value)


def danom_data(engine: Engine, event_id: str, *, kelurahan: str | None = None,
               marked: bool | None = None) -> DanomData:
    """The list for `event_id` (one kelurahan when given). `marked=None`: statuses are printed
    once the event has any journal entry on this desk (before the day the columns stay blank)."""
    event = get_event_summary(engine, event_id)
    with engine.connect() as conn:
        allocated = conn.execute(text(_ROWS), {"event": event_id}).mappings().all()
        entries = conn.execute(text(_ENTRIES), {"event": event_id}).mappings().all()
    voided = {e["voids_uuid"] for e in entries if e["kind"] == "void" and e["voids_uuid"]}
    void_of = {e["voids_uuid"]: e for e in entries if e["kind"] == "void"}
    live: dict[str, list[RowMapping]] = defaultdict(list)
    cancelled: dict[str, list[RowMapping]] = defaultdict(list)
    for e in entries:
        if e["kind"] != "handover":
            continue
        (cancelled if e["uuid"] in voided else live)[e["household_id"]].append(e)
    want = _norm(kelurahan) if kelurahan else None
    groups: dict[str, list[DanomRow]] = defaultdict(list)
    for r in allocated:
        kel = r["kelurahan"] or ""
        if want is not None and _norm(kel) != want:
            continue
        hid = r["household_id"]
        base = {"household_id": hid, "name": r["name"] or "", "nik": r["nik"] or "",
                "address": r["address"] or "", "rt": r["rt"] or "", "rw": r["rw"] or "",
                "kelurahan": kel, "slip_serial": r["slip_serial"] or "", "item": r["item"] or "",
                "amount": r["amount"]}
        if live.get(hid):
            first = live[hid][0]
            row = DanomRow(**base, status="collected", at=first["created_at"],
                           desk=first["desk"] or first["device_id"],
                           by_proxy=bool(first["is_proxy"]), entries=len(live[hid]))
        elif cancelled.get(hid):
            void = void_of[cancelled[hid][-1]["uuid"]]
            row = DanomRow(**base, status="voided", at=void["created_at"],
                           desk=void["desk"] or void["device_id"])
        else:
            row = DanomRow(**base)
        groups[kel].append(row)
    ordered = [
        DanomGroup(kelurahan=k, rows=sorted(rows, key=lambda x: (
            _rt_key(x.rw), _rt_key(x.rt), x.household_id)))
        for k, rows in sorted(groups.items(), key=lambda kv: _norm(kv[0]))
    ]
    is_marked = bool(entries) if marked is None else marked
    desks = sorted({r.desk for g in ordered for r in g.rows if r.desk})
    log.info("danom data: event %s, %d households, %d kelurahan, marked %s", event_id,
             sum(len(g.rows) for g in ordered), len(ordered), is_marked)
    return DanomData(event=event, groups=ordered, marked=is_marked, entries=len(entries),
                     kelurahan_filter=kelurahan, desks=desks)
