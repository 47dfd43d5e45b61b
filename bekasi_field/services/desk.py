"""Queries the desk screen needs: counts for the event, today's hand-overs page by page, the
households still to collect, a household's members, device settings. SQL only, no Qt.

Every function opens its own short-lived connection so the GUI's worker can call it freely.
Nothing here loads the whole snapshot: counts go through indexes, lists come a page at a time.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from bekasi_field.domain.identifiers import digits_only, mask
from bekasi_field.domain.names import normalize_name
from bekasi_field.domain.site_formats import SITE_TZ, site_day_bounds
from bekasi_field.services import counts
from bekasi_field.store.db import Database, set_meta

log = logging.getLogger(__name__)

PAGE_SIZE = 200

# A hand-over counts unless a later void entry names it.
_NOT_VOIDED = (
    "NOT EXISTS (SELECT 1 FROM journal v WHERE v.kind = 'void' AND v.voids_uuid = j.uuid)"
)


@dataclass(frozen=True)
class DeskCounts:
    """The counter at the desk: services.counts' numbers (the dashboard's and the reports')."""

    entitled: int
    collected: int
    today: int
    outside: int = 0  # other sites' households handed over with a supervisor's override

    @property
    def remaining(self) -> int:
        return max(0, self.entitled - self.collected)


@dataclass(frozen=True)
class HandoverRow:
    uuid: str
    seq: int
    device_id: str
    created_at: str
    household_id: str
    recipient_name: str
    nik_masked: str
    officer_id: str
    is_proxy: bool
    proxy_name: str
    voided: bool
    from_other_device: bool
    number: int = 0  # its place in the day's list, oldest 1 (journal seqs skip: voids, devices)
    void_reason: str = ""
    voided_by: str = ""
    override_by: str = ""  # the supervisor who let a WRONG_SITE through
    override_reason: str = ""
    officer_name: str = ""  # from this desk's officers list; "" for an officer it does not know
    voided_by_name: str = ""  # the same, for the supervisor who voided it
    override_by_name: str = ""  # the same, for the supervisor who approved the override

    @property
    def officer_shown(self) -> str:
        """"Siti Aminah (PTG01)", the way SUDAH DIAMBIL names the officer; the id alone when
        this desk does not know the name."""
        return named_officer(self.officer_name, self.officer_id)

    @property
    def voided_by_shown(self) -> str:
        return named_officer(self.voided_by_name, self.voided_by)

    @property
    def override_by_shown(self) -> str:
        return named_officer(self.override_by_name, self.override_by)


def named_officer(name: str, officer_id: str) -> str:
    """"Siti Aminah (PTG01)"; the id alone when the name is unknown (or is the id)."""
    return f"{name} ({officer_id})" if name not in ("", officer_id) else officer_id


@dataclass(frozen=True)
class RemainingRow:
    household_id: str
    name: str
    nik_masked: str
    rt: str
    rw: str
    kelurahan: str
    slip_serial: str


@dataclass(frozen=True)
class MemberRow:
    nik: str
    name: str
    relationship: str
    is_recipient: bool

    @property
    def nik_masked(self) -> str:
        return mask(self.nik)


@contextmanager
def _conn(db: Database) -> Iterator[sqlite3.Connection]:
    conn = db.raw()
    try:
        yield conn
    finally:
        conn.close()


def local_day_bounds(day: dt.date | None = None) -> tuple[str, str]:
    """The UTC ISO range [start, end) of a site (WIB) calendar day, in the journal's format."""
    return site_day_bounds(day)


def event_counts(db: Database, event_id: str, *, day: dt.date | None = None) -> DeskCounts:
    c = counts.event_counts(db.engine, event_id, day=day)
    return DeskCounts(entitled=c.allocated, collected=c.collected, today=c.today,
                      outside=c.outside)


def handovers_count(db: Database, event_id: str, *, day: dt.date | None = None) -> int:
    """Hand-overs of the day (voided ones included: the list shows them struck out)."""
    start, end = local_day_bounds(day)
    with _conn(db) as conn:
        return int(conn.execute(
            "SELECT count(*) FROM journal j WHERE j.event_id = ? AND j.kind = 'handover' "
            "AND j.created_at >= ? AND j.created_at < ?",
            (event_id, start, end),
        ).fetchone()[0])


# One hand-over row with its void (the first one naming it: reason, by whom) and its override.
_ROW_SQL = (
    "SELECT j.uuid, j.seq, j.device_id, j.created_at, j.household_id, "
    "coalesce(j.recipient_name, ''), j.recipient_nik, j.officer_id, j.is_proxy, "
    "coalesce(j.proxy_name, ''), v.uuid IS NOT NULL, coalesce(v.reason, ''), "
    "coalesce(v.officer_id, ''), coalesce(j.override_by, ''), "
    "CASE WHEN j.override_by IS NULL THEN '' ELSE coalesce(j.reason, '') END, "
    "coalesce(o.name, ''), coalesce(ov.name, ''), coalesce(oo.name, '') "
    "FROM journal j LEFT JOIN journal v ON v.uuid = (SELECT w.uuid FROM journal w "
    "WHERE w.kind = 'void' AND w.voids_uuid = j.uuid ORDER BY w.created_at LIMIT 1) "
    "LEFT JOIN officers o ON o.id = j.officer_id "
    "LEFT JOIN officers ov ON ov.id = v.officer_id "
    "LEFT JOIN officers oo ON oo.id = j.override_by "
)


def _row(r: tuple[object, ...], self_id: str, number: int = 0) -> HandoverRow:
    return HandoverRow(
        uuid=str(r[0]), seq=int(str(r[1])), device_id=str(r[2]), created_at=str(r[3]),
        household_id=str(r[4]), recipient_name=str(r[5]),
        nik_masked=mask(str(r[6])) if r[6] else "", officer_id=str(r[7]),
        is_proxy=bool(r[8]), proxy_name=str(r[9]), voided=bool(r[10]),
        from_other_device=r[2] != self_id, void_reason=str(r[11]), voided_by=str(r[12]),
        override_by=str(r[13]), override_reason=str(r[14]), number=number,
        officer_name=str(r[15]), voided_by_name=str(r[16]), override_by_name=str(r[17]),
    )


def handovers_page(
    db: Database, event_id: str, *, offset: int = 0, limit: int = PAGE_SIZE,
    day: dt.date | None = None,
) -> list[HandoverRow]:
    """One page of the day's hand-overs, newest first, numbered oldest = 1 (the journal's seqs
    skip: voids and other devices' entries take numbers too)."""
    start, end = local_day_bounds(day)
    day_sql = "WHERE j.event_id = ? AND j.kind = 'handover' AND j.created_at >= ? " \
              "AND j.created_at < ? "
    with _conn(db) as conn:
        total = int(conn.execute("SELECT count(*) FROM journal j " + day_sql,
                                 (event_id, start, end)).fetchone()[0])
        rows = conn.execute(
            _ROW_SQL + day_sql
            + "ORDER BY j.created_at DESC, j.device_id DESC, j.seq DESC LIMIT ? OFFSET ?",
            (event_id, start, end, limit, offset),
        ).fetchall()
    return [_row(r, db.device_id, total - offset - i) for i, r in enumerate(rows)]


def remaining_page(
    db: Database, event_id: str, *, query: str = "", offset: int = 0, limit: int = PAGE_SIZE,
) -> list[RemainingRow]:
    """Households entitled in the event with no (unvoided) hand-over yet, filtered by `query`:
    digits match the NIK, No. KK, household id or slip serial by prefix; text matches the
    recipient's normalised name."""
    where = ""
    params: list[object] = [event_id]
    q = query.strip()
    digits = digits_only(q)
    if digits.isdigit():
        where = (" AND (m.nik LIKE ? OR h.no_kk LIKE ? OR h.id LIKE ? OR e.slip_serial LIKE ?)")
        like = digits + "%"
        params += [like, like, like, like]
    elif q:
        where = " AND m.name_norm LIKE ?"
        params.append("%" + normalize_name(q) + "%")
    params += [limit, offset]
    sql = (
        "SELECT h.id, coalesce(m.name, ''), coalesce(m.nik, ''), h.rt, h.rw, h.kelurahan, "
        "e.slip_serial FROM entitlements e "
        "JOIN households h ON h.id = e.household_id "
        "LEFT JOIN members m ON m.household_id = h.id AND m.is_recipient = 1 "
        "WHERE e.event_id = ? AND NOT EXISTS (SELECT 1 FROM journal j "
        "WHERE j.event_id = e.event_id AND j.household_id = e.household_id "
        f"AND j.kind = 'handover' AND {_NOT_VOIDED})"
        # Allocation order rides the (event_id) index: no sort of the whole event per page.
        f"{where} ORDER BY e.id LIMIT ? OFFSET ?"
    )
    with _conn(db) as conn:
        rows = conn.execute(sql, params).fetchall()
    return [
        RemainingRow(household_id=r[0], name=r[1], nik_masked=mask(r[2]) if r[2] else "",
                     rt=r[3], rw=r[4], kelurahan=r[5], slip_serial=r[6])
        for r in rows
    ]


def household_members(db: Database, household_id: str) -> list[MemberRow]:
    """Members of a household, the designated recipient first."""
    with _conn(db) as conn:
        rows = conn.execute(
            "SELECT nik, name, relationship, is_recipient FROM members WHERE household_id = ? "
            "ORDER BY is_recipient DESC, birth_date",
            (household_id,),
        ).fetchall()
    return [MemberRow(nik=r[0], name=r[1], relationship=r[2], is_recipient=bool(r[3]))
            for r in rows]


def handover_entry(db: Database, entry_uuid: str) -> HandoverRow | None:
    """One hand-over by its uuid (for the void dialog)."""
    with _conn(db) as conn:
        r = conn.execute(_ROW_SQL + "WHERE j.uuid = ? AND j.kind = 'handover'",
                         (entry_uuid,)).fetchone()
    return None if r is None else _row(r, db.device_id)


def last_handover_today(db: Database, *, day: dt.date | None = None) -> str | None:
    """The uuid of the last hand-over this desk recorded on the site's day and still standing
    (not voided), whatever window recorded it: a reprint after the desk was restarted."""
    start, end = local_day_bounds(day)
    with _conn(db) as conn:
        r = conn.execute(
            "SELECT j.uuid FROM journal j WHERE j.kind = 'handover' AND j.device_id = ? "
            "AND j.created_at >= ? AND j.created_at < ? AND " + _NOT_VOIDED
            + " ORDER BY j.seq DESC LIMIT 1",
            (db.device_id, start, end)).fetchone()
    return None if r is None else str(r[0])


def has_officers(db: Database) -> bool:
    with _conn(db) as conn:
        return conn.execute("SELECT 1 FROM officers WHERE active = 1 LIMIT 1").fetchone() is not None


def get_setting(db: Database, key: str, default: str | None = None) -> str | None:
    """A device setting kept in the meta table under `desk.<key>`."""
    return db.get_meta(f"desk.{key}", default)


def set_setting(db: Database, key: str, value: str) -> None:
    with db.transaction() as conn:
        set_meta(conn, f"desk.{key}", value)


def set_site_name(db: Database, name: str) -> None:
    with db.transaction() as conn:
        set_meta(conn, "site_kelurahan", name)


def site_name(db: Database) -> str:
    return db.get_meta("site_kelurahan", "") or ""


def desk_name(db: Database) -> str:
    """This desk's name ("Meja 2"): its devices row, which receipts and lists print too."""
    conn = db.raw()
    try:
        row = conn.execute("SELECT name FROM devices WHERE is_self = 1").fetchone()
    finally:
        conn.close()
    return str(row[0] or "") if row else ""


def set_desk_name(db: Database, name: str) -> None:
    with db.transaction() as conn:
        conn.execute("UPDATE devices SET name = ? WHERE is_self = 1", (name.strip()[:40],))


@dataclass(frozen=True)
class HistoryItem:
    at: str  # HH:MM:SS in the site's time (WIB)
    code: str  # verdict code name
    label: str  # household id or masked code, never a full NIK


class VerdictHistory:
    """The last few verdicts shown at this desk (memory only: `check` records nothing)."""

    def __init__(self, size: int = 8) -> None:
        self._items: deque[HistoryItem] = deque(maxlen=size)

    def add(self, *, code: str, label: str, at: dt.datetime | None = None) -> HistoryItem:
        when = at.astimezone(SITE_TZ) if at is not None else dt.datetime.now(SITE_TZ)
        item = HistoryItem(at=when.strftime("%H:%M:%S"), code=code,
                           label=label)
        self._items.appendleft(item)
        return item

    def items(self) -> list[HistoryItem]:
        return list(self._items)
