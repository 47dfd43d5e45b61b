"""What the reports and the supervisor dashboard show: hand-overs, who still has to collect, recaps.

Plain portable SQL through SQLAlchemy Core (an Engine) over the device schema. The hub shares
the registry tables but keeps its journal in `hub_journal`, so hub-side reports would need that
table name passed in (not done: reports are printed at the site). A hand-over counts unless a
later `void` entry names it; a household collected twice (two desks, found on sync) is counted
once and listed as a duplicate to review.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, text

from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr
from bekasi_field.paths import resource_path
from bekasi_field.reports.model import (
    BastData,
    EventSummary,
    HandoverRow,
    KelurahanRecap,
    OfficerRef,
    RemainingRow,
    Totals,
)
from bekasi_field.reports.rupiah import local_date
from bekasi_field.services.counts import EventCounts, event_counts
from bekasi_field.store.db import Database

log = logging.getLogger(__name__)

# Hand-overs of one event that no void entry cancels. NOT IN over a subquery is evaluated once.
_LIVE = (
    "SELECT j.* FROM journal j WHERE j.event_id = :event AND j.kind = 'handover' "
    "AND j.uuid NOT IN (SELECT v.voids_uuid FROM journal v "
    "WHERE v.kind = 'void' AND v.voids_uuid IS NOT NULL)"
)
# The designated recipient (pengurus) of a household, else its first member.
_PENGURUS = (
    "(SELECT m.{col} FROM members m WHERE m.household_id = {hh} "
    "ORDER BY m.is_recipient DESC, m.nik LIMIT 1)"
)


@cache
def _kecamatan_of() -> dict[str, str]:
    path = resource_path("data", "kota_bekasi_wilayah.csv")
    try:
        with path.open(encoding="utf-8") as fh:
            return {r["kelurahan"].strip().lower(): r["kecamatan"].strip() for r in csv.DictReader(fh)}
    except OSError:
        log.warning("wilayah list missing at %s", path)
        return {}


def get_event_summary(engine: Engine, event_id: str) -> EventSummary:
    with engine.connect() as conn:
        r = conn.execute(
            text("SELECT id, name, programme, site_kelurahan, served_kelurahan, start_date, "
                 "end_date, item, amount, status FROM events WHERE id = :e"),
            {"e": event_id},
        ).mappings().first()
    if r is None:
        raise BekasiError(tr("report.unknown_event", event=event_id))
    try:
        served = list(json.loads(r["served_kelurahan"] or "[]"))
    except (TypeError, ValueError):
        served = [s.strip() for s in str(r["served_kelurahan"]).split(",") if s.strip()]
    return EventSummary(
        id=r["id"], name=r["name"], programme=r["programme"], site_kelurahan=r["site_kelurahan"],
        site_kecamatan=_kecamatan_of().get(r["site_kelurahan"].strip().lower(), ""),
        served_kelurahan=served, start_date=_as_date(r["start_date"]),
        end_date=_as_date(r["end_date"]), item=r["item"], amount=r["amount"], status=r["status"],
    )


def _as_date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def handovers(engine: Engine, event_id: str, *, day: dt.date | None = None) -> list[HandoverRow]:
    """Live hand-overs of an event (of one WIB day when `day` is given), oldest first."""
    sql = (
        f"SELECT j.uuid, j.household_id, j.created_at, j.recipient_nik, j.recipient_name, "
        f"j.is_proxy, j.proxy_name, j.proxy_relationship, j.officer_id, o.name AS officer_name, "
        f"j.device_id, j.verdict, j.override_by, j.reason AS override_reason, "
        f"so.name AS override_name, en.household_id AS allocated_household, "
        f"h.rt, h.rw, h.kelurahan, "
        f"en.item, en.amount, ev.item AS event_item, ev.amount AS event_amount, "
        f"{_PENGURUS.format(col='nik', hh='j.household_id')} AS pengurus_nik, "
        f"{_PENGURUS.format(col='name', hh='j.household_id')} AS pengurus_name "
        f"FROM ({_LIVE}) j "
        f"LEFT JOIN households h ON h.id = j.household_id "
        f"LEFT JOIN entitlements en ON en.event_id = j.event_id AND en.household_id = j.household_id "
        f"LEFT JOIN events ev ON ev.id = j.event_id "
        f"LEFT JOIN officers o ON o.id = j.officer_id "
        f"LEFT JOIN officers so ON so.id = j.override_by "
        f"ORDER BY j.created_at, j.device_id, j.seq"
    )
    with engine.connect() as conn:
        result = conn.execute(text(sql), {"event": event_id}).mappings().all()
    rows = []
    for r in result:
        if day is not None and local_date(r["created_at"]) != day:
            continue
        rows.append(HandoverRow(
            entry_uuid=r["uuid"], household_id=r["household_id"], created_at=r["created_at"],
            recipient_name=r["recipient_name"] or r["pengurus_name"] or "",
            recipient_nik=r["recipient_nik"] or r["pengurus_nik"] or "",
            rt=r["rt"] or "", rw=r["rw"] or "", kelurahan=r["kelurahan"] or "",
            is_proxy=bool(r["is_proxy"]), proxy_name=r["proxy_name"] or "",
            proxy_relationship=r["proxy_relationship"] or "", officer_id=r["officer_id"],
            officer_name=r["officer_name"] or r["officer_id"],
            item=r["item"] or r["event_item"] or "",
            amount=r["amount"] if r["amount"] is not None else r["event_amount"],
            device_id=r["device_id"], verdict=r["verdict"] or "", override_by=r["override_by"] or "",
            override_name=(r["override_name"] or "") if r["override_by"] else "",
            override_reason=(r["override_reason"] or "") if r["override_by"] else "",
            allocated=r["allocated_household"] is not None,
        ))
    return rows


def remaining(engine: Engine, event_id: str) -> list[RemainingRow]:
    """Households allocated in the event that have no live hand-over yet (for follow-up visits)."""
    sql = (
        f"SELECT en.household_id, en.item, en.amount, en.slip_serial, h.address, h.rt, h.rw, "
        f"h.kelurahan, h.status, "
        f"{_PENGURUS.format(col='nik', hh='en.household_id')} AS nik, "
        f"{_PENGURUS.format(col='name', hh='en.household_id')} AS name "
        f"FROM entitlements en JOIN households h ON h.id = en.household_id "
        f"LEFT JOIN (SELECT DISTINCT household_id FROM ({_LIVE}) l) c "
        f"ON c.household_id = en.household_id "
        f"WHERE en.event_id = :event AND c.household_id IS NULL "
        f"ORDER BY h.kelurahan, h.rw, h.rt, en.household_id"
    )
    with engine.connect() as conn:
        result = conn.execute(text(sql), {"event": event_id}).mappings().all()
    return [
        RemainingRow(
            household_id=r["household_id"], recipient_name=r["name"] or "",
            recipient_nik=r["nik"] or "", address=r["address"] or "", rt=r["rt"] or "",
            rw=r["rw"] or "", kelurahan=r["kelurahan"] or "", status=r["status"] or "",
            item=r["item"] or "", amount=r["amount"], slip_serial=r["slip_serial"] or "",
        )
        for r in result
    ]


def allocated_by_kelurahan(engine: Engine, event_id: str) -> dict[str, int]:
    with engine.connect() as conn:
        result = conn.execute(
            text("SELECT h.kelurahan, COUNT(*) AS n FROM entitlements en "
                 "JOIN households h ON h.id = en.household_id WHERE en.event_id = :e "
                 "GROUP BY h.kelurahan"),
            {"e": event_id},
        ).all()
    return {k or "": int(n) for k, n in result}


def recap_by_kelurahan(
    engine: Engine, event_id: str, *, rows: list[HandoverRow] | None = None
) -> list[KelurahanRecap]:
    """Allocated, collected (distinct households), by proxy and Rupiah per kelurahan.

    Only households allocated in the event count here (services/counts.py): an override from
    another site is in `outside_rows`, not a "1 / 0" kelurahan."""
    rows = handovers(engine, event_id) if rows is None else rows
    allocated = allocated_by_kelurahan(engine, event_id)
    first: dict[str, HandoverRow] = {}
    for r in rows:
        if r.allocated:
            first.setdefault(r.household_id, r)
    collected: Counter[str] = Counter()
    proxies: Counter[str] = Counter()
    amounts: Counter[str] = Counter()
    for r in first.values():
        collected[r.kelurahan] += 1
        proxies[r.kelurahan] += int(r.is_proxy)
        amounts[r.kelurahan] += r.amount or 0
    names = sorted(set(allocated) | set(collected))
    return [
        KelurahanRecap(kelurahan=k, allocated=allocated.get(k, 0), collected=collected[k],
                       by_proxy=proxies[k], amount_collected=amounts[k])
        for k in names
    ]


def outside_rows(rows: list[HandoverRow]) -> list[HandoverRow]:
    """Hand-overs to households not allocated in the event (a supervisor's override), one per
    household: counted apart from the allocation everywhere."""
    first: dict[str, HandoverRow] = {}
    for r in rows:
        if not r.allocated:
            first.setdefault(r.household_id, r)
    return list(first.values())


def totals(rows: list[HandoverRow], *, allocated: int, remaining: int | None = None) -> Totals:
    first: dict[str, HandoverRow] = {}
    for r in rows:
        if r.allocated:
            first.setdefault(r.household_id, r)
    outside = outside_rows(rows)
    proxy = sum(1 for r in first.values() if r.is_proxy)
    return Totals(
        households=len(first), entries=len(rows), by_self=len(first) - proxy, by_proxy=proxy,
        amount=sum(r.amount or 0 for r in [*first.values(), *outside]), allocated=allocated,
        outside=len(outside), remaining=remaining,
    )


def duplicates(rows: list[HandoverRow]) -> dict[str, list[HandoverRow]]:
    """Households with more than one live hand-over: the conflicts a supervisor must review."""
    by_household: dict[str, list[HandoverRow]] = {}
    for r in rows:
        by_household.setdefault(r.household_id, []).append(r)
    return {h: rs for h, rs in by_household.items() if len(rs) > 1}


def per_hour(rows: list[HandoverRow]) -> list[tuple[int, int]]:
    """(WIB hour, hand-overs) for all 24 hours; the dashboard trims the empty edges."""
    counts = Counter(int(r.local_time[:2]) for r in rows)
    return [(h, counts.get(h, 0)) for h in range(24)]


def _officer_refs(engine: Engine, ids: list[str]) -> list[OfficerRef]:
    if not ids:
        return []
    with engine.connect() as conn:
        found = {
            r[0]: OfficerRef(r[0], r[1], r[2])
            for r in conn.execute(text("SELECT id, name, role FROM officers")).all()
            if r[0] in ids
        }
    return [found.get(i, OfficerRef(i, i, "")) for i in ids]


def _supervisors(engine: Engine, event_id: str, rows: list[HandoverRow]) -> list[OfficerRef]:
    """Who voided or overrode in this event; else every active supervisor of the site."""
    with engine.connect() as conn:
        voiders = [r[0] for r in conn.execute(
            text("SELECT DISTINCT officer_id FROM journal WHERE event_id = :e AND kind = 'void'"),
            {"e": event_id},
        ).all()]
        named = sorted({r.override_by for r in rows if r.override_by} | set(voiders))
        if named:
            return _officer_refs(engine, named)
        result = conn.execute(
            text("SELECT id, name, role, active FROM officers WHERE role = 'supervisor' "
                 "ORDER BY id")
        ).all()
    return [OfficerRef(r[0], r[1], r[2]) for r in result if r[3]]


def bast_data(
    engine: Engine, event_id: str, *, day: dt.date | None = None,
    supervisor_id: str | None = None,
) -> BastData:
    """Everything the Berita Acara Serah Terima prints, for one WIB day or the whole event."""
    event = get_event_summary(engine, event_id)
    rows = handovers(engine, event_id, day=day)
    whole = event_counts(engine, event_id)
    officer_ids = sorted({r.officer_id for r in rows})
    if supervisor_id:
        supervisors = _officer_refs(engine, [supervisor_id])
    else:
        supervisors = _supervisors(engine, event_id, rows)
    dates = sorted({local_date(r.created_at) for r in rows})
    if day is not None:
        period = (day, day)
    elif dates:
        period = (dates[0], dates[-1])
    else:
        period = (event.start_date, event.end_date)
    log.info("bast data: event %s, %d rows, day %s", event_id, len(rows), day)
    return BastData(
        event=event, day=day, rows=rows,
        totals=totals(rows, allocated=whole.allocated, remaining=whole.remaining),
        officers=_officer_refs(engine, officer_ids), supervisors=supervisors, period=period,
    )


@dataclass(frozen=True)
class DashboardData:
    """One refresh of the supervisor dashboard (computed off the GUI thread)."""

    event: EventSummary
    day: dt.date
    recap: list[KelurahanRecap]
    per_hour: list[tuple[int, int]]  # of `day`
    today: int  # hand-overs on `day`
    duplicates: dict[str, list[HandoverRow]]
    pending_sync: int | None  # None when this build has no sync part
    last_sync_at: str | None
    counts: EventCounts | None = None  # the numbers the desk's counter shows
    outside: list[HandoverRow] = field(default_factory=list)  # overrides from other sites


def _sync_state(db: Database) -> tuple[int | None, str | None]:
    try:
        from bekasi_field.services.sync_service import pending_count
    except ImportError:
        return None, db.get_meta("last_sync_at")
    return pending_count(db), db.get_meta("last_sync_at")


def dashboard_data(db: Database, event_id: str, *, day: dt.date | None = None) -> DashboardData:
    """Recap per kelurahan (whole event), hand-overs per hour of `day` (today, WIB), the
    households recorded more than once, and the sync queue."""
    day = day or local_date(dt.datetime.now(dt.UTC))
    rows = handovers(db.engine, event_id)
    todays = [r for r in rows if local_date(r.created_at) == day]
    pending, last = _sync_state(db)
    return DashboardData(
        event=get_event_summary(db.engine, event_id), day=day,
        recap=recap_by_kelurahan(db.engine, event_id, rows=rows), per_hour=per_hour(todays),
        today=len(todays), duplicates=duplicates(rows), pending_sync=pending, last_sync_at=last,
        counts=event_counts(db.engine, event_id, day=day), outside=outside_rows(rows),
    )


# --- the two end-of-day files, written the same way from the desk and from `report` ---------
@dataclass(frozen=True)
class RecapData:
    event: EventSummary
    handovers: list[HandoverRow]
    remaining: list[RemainingRow]
    recap: list[KelurahanRecap]


def _written(out: Path, write: Callable[[], object]) -> None:
    try:
        write()
    except OSError as exc:
        raise BekasiError(tr("report.cannot_write", path=out,
                             detail=exc.strerror or exc)) from exc


def export_bast(engine: Engine, event_id: str, out: Path, *, day: dt.date | None = None,
                supervisor_id: str | None = None) -> BastData:
    """Write the Berita Acara Serah Terima (PDF) of one WIB day or the whole event."""
    from bekasi_field.reports.bast_pdf import write_bast  # reportlab: only when printing

    data = bast_data(engine, event_id, day=day, supervisor_id=supervisor_id)
    _written(out, lambda: write_bast(data, out))
    return data


def export_recap(engine: Engine, event_id: str, out: Path) -> RecapData:
    """Write the recap workbook (XLSX): hand-overs, households still to collect, per kelurahan."""
    from bekasi_field.reports.xlsx_recap import write_recap

    rows = handovers(engine, event_id)
    data = RecapData(event=get_event_summary(engine, event_id), handovers=rows,
                     remaining=remaining(engine, event_id),
                     recap=recap_by_kelurahan(engine, event_id, rows=rows))
    _written(out, lambda: write_recap(event=data.event, handovers=data.handovers,
                                      remaining=data.remaining, recap=data.recap, out=out,
                                      outside=outside_rows(rows)))
    return data


def default_report_path(root: Path, *, kind: str, event_id: str,
                        day: dt.date | None = None) -> Path:
    """Where the desk suggests saving a report: <home>/laporan/BAST-<event>-<WIB day>.pdf."""
    day = day or local_date(dt.datetime.now(dt.UTC))
    name = (f"BAST-{event_id}-{day.isoformat()}.pdf" if kind == "bast"
            else f"Rekap-{event_id}-{day.isoformat()}.xlsx")
    return Path(root) / "laporan" / name
