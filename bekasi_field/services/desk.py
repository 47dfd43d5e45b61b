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
from bekasi_field.store.db import Database, set_meta

log = logging.getLogger(__name__)

PAGE_SIZE = 200

# A hand-over counts unless a later void entry names it.
_NOT_VOIDED = (
    "NOT EXISTS (SELECT 1 FROM journal v WHERE v.kind = 'void' AND v.voids_uuid = j.uuid)"
)


@dataclass(frozen=True)
class DeskCounts:
    entitled: int
    collected: int
    today: int

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
    start, end = local_day_bounds(day)
    with _conn(db) as conn:
        entitled = conn.execute(
            "SELECT count(*) FROM entitlements WHERE event_id = ?", (event_id,)
        ).fetchone()[0]
        collected = conn.execute(
            "SELECT count(DISTINCT j.household_id) FROM journal j "
            f"WHERE j.event_id = ? AND j.kind = 'handover' AND {_NOT_VOIDED}",
            (event_id,),
        ).fetchone()[0]
        today = conn.execute(
            "SELECT count(*) FROM journal j WHERE j.event_id = ? AND j.kind = 'handover' "
            f"AND j.created_at >= ? AND j.created_at < ? AND {_NOT_VOIDED}",
            (event_id, start, end),
        ).fetchone()[0]
    return DeskCounts(entitled=int(entitled), collected=int(collected), today=int(today))


def handovers_count(db: Database, event_id: str, *, day: dt.date | None = None) -> int:
    """Hand-overs of the day (voided ones included: the list shows them struck out)."""
    start, end = local_day_bounds(day)
    with _conn(db) as conn:
        return int(conn.execute(
            "SELECT count(*) FROM journal j WHERE j.event_id = ? AND j.kind = 'handover' "
            "AND j.created_at >= ? AND j.created_at < ?",
            (event_id, start, end),
        ).fetchone()[0])


def handovers_page(
    db: Database, event_id: str, *, offset: int = 0, limit: int = PAGE_SIZE,
    day: dt.date | None = None,
) -> list[HandoverRow]:
    """One page of the day's hand-overs, newest first."""
    start, end = local_day_bounds(day)
    self_id = db.device_id
    with _conn(db) as conn:
        rows = conn.execute(
            "SELECT j.uuid, j.seq, j.device_id, j.created_at, j.household_id, "
            "coalesce(j.recipient_name, ''), j.recipient_nik, j.officer_id, j.is_proxy, "
            "coalesce(j.proxy_name, ''), "
            "EXISTS (SELECT 1 FROM journal v WHERE v.kind = 'void' AND v.voids_uuid = j.uuid) "
            "FROM journal j WHERE j.event_id = ? AND j.kind = 'handover' "
            "AND j.created_at >= ? AND j.created_at < ? "
            "ORDER BY j.created_at DESC, j.seq DESC LIMIT ? OFFSET ?",
            (event_id, start, end, limit, offset),
        ).fetchall()
    return [
        HandoverRow(
            uuid=r[0], seq=int(r[1]), device_id=r[2], created_at=r[3], household_id=r[4],
            recipient_name=r[5], nik_masked=mask(r[6]) if r[6] else "", officer_id=r[7],
            is_proxy=bool(r[8]), proxy_name=r[9], voided=bool(r[10]),
            from_other_device=r[2] != self_id,
        )
        for r in rows
    ]


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
        r = conn.execute(
            "SELECT j.uuid, j.seq, j.device_id, j.created_at, j.household_id, "
            "coalesce(j.recipient_name, ''), j.recipient_nik, j.officer_id, j.is_proxy, "
            "coalesce(j.proxy_name, ''), "
            "EXISTS (SELECT 1 FROM journal v WHERE v.kind = 'void' AND v.voids_uuid = j.uuid) "
            "FROM journal j WHERE j.uuid = ? AND j.kind = 'handover'",
            (entry_uuid,),
        ).fetchone()
    if r is None:
        return None
    return HandoverRow(
        uuid=r[0], seq=int(r[1]), device_id=r[2], created_at=r[3], household_id=r[4],
        recipient_name=r[5], nik_masked=mask(r[6]) if r[6] else "", officer_id=r[7],
        is_proxy=bool(r[8]), proxy_name=r[9], voided=bool(r[10]),
        from_other_device=r[2] != db.device_id,
    )


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
