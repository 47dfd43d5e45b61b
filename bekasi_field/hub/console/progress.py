"""The city overview's numbers: allocated / collected / by proxy / remaining per kecamatan and
kelurahan for each open event, and hand-overs per WIB hour today.

Counting a million households on every refresh would take seconds, so the numbers are kept in
memory and brought up to date from the journal's cursor (hub_seq): a refresh reads only the
entries that arrived since the last one and recounts only the households they touch. The
allocations and the list of open events are re-read when the snapshot version moves (every
registry change stamps a new one). Counting follows services/reports.py (the CLI's recap): a
household counts once, by its first live hand-over; a hand-over named by a void does not count.
A void held for review counts only once accepted: an acceptance moves the hub's release cursor
(meta void_release_seq, not the journal's), and the households it names are recounted then.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, text

from bekasi_field.hub import held_voids
from bekasi_field.hub.models import HubHeldVoid, HubJournal, HubRowStamp
from bekasi_field.hub.store import HubStore
from bekasi_field.reports.rupiah import local_date, to_wib

_CHUNK = 500
_FIRST_COUNT_CACHE_KIB = 256 * 1024


@dataclass
class Row:
    kecamatan: str
    kelurahan: str
    allocated: int = 0
    collected: int = 0
    by_proxy: int = 0

    @property
    def remaining(self) -> int:
        return max(self.allocated - self.collected, 0)

    @property
    def percent(self) -> float:
        return 100.0 * self.collected / self.allocated if self.allocated else 0.0


@dataclass
class EventProgress:
    id: str
    name: str
    programme: str
    site_kelurahan: str
    rows: list[Row]

    @property
    def total(self) -> Row:
        t = Row("", "")
        for r in self.rows:
            t.allocated += r.allocated
            t.collected += r.collected
            t.by_proxy += r.by_proxy
        return t


@dataclass
class _EventState:
    info: dict[str, Any]
    allocated: dict[tuple[str, str], int]  # (kecamatan, kelurahan) -> households
    place: dict[str, tuple[str, str]] = field(default_factory=dict)  # collected hh -> place
    first: dict[str, tuple[bool, str]] = field(default_factory=dict)  # hh -> (proxy, time)
    collected: Counter[tuple[str, str]] = field(default_factory=Counter)
    proxies: Counter[tuple[str, str]] = field(default_factory=Counter)
    hours: Counter[tuple[dt.date, int]] = field(default_factory=Counter)


class Overview:
    """One per hub process; `snapshot()` is safe to call from several request threads."""

    def __init__(self, store: HubStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._version: int | None = None
        self._cursor = 0
        self._released = 0  # the held voids' release cursor counted so far
        self._events: dict[str, _EventState] = {}

    def snapshot(self, *, sites: set[str] | None = None,
                 today: dt.date | None = None) -> tuple[list[EventProgress], list[int]]:
        """Open events (of `sites` when given, lower-case) and today's hand-overs per hour."""
        today = today or local_date(dt.datetime.now(dt.UTC))
        with self._lock:
            with self.store.read() as conn:
                self._refresh(conn)
            out, hours = [], [0] * 24
            for st in self._events.values():
                if sites is not None and st.info["site_kelurahan"].lower() not in sites:
                    continue
                places = sorted(set(st.allocated) | set(st.collected))
                out.append(EventProgress(
                    id=st.info["id"], name=st.info["name"], programme=st.info["programme"],
                    site_kelurahan=st.info["site_kelurahan"],
                    rows=[Row(k, kel, st.allocated.get((k, kel), 0), st.collected[(k, kel)],
                              st.proxies[(k, kel)]) for k, kel in places]))
                for (day, hour), n in st.hours.items():
                    if day == today:
                        hours[hour] += n
        return out, hours

    # -------------------------------------------------------------------------------------
    def _refresh(self, conn: Connection) -> None:
        if self._cursor == 0 and conn.dialect.name == "sqlite":
            # The first count reads every open event's hand-overs and their households at
            # random: a bigger page cache for this connection while it does (each page read
            # from an encrypted file is decrypted again once it falls out of the cache).
            before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
            conn.exec_driver_sql(f"PRAGMA cache_size = -{_FIRST_COUNT_CACHE_KIB}")
            try:
                self._refresh_now(conn)
            finally:
                conn.exec_driver_sql(f"PRAGMA cache_size = {int(before or -2000)}")
            return
        self._refresh_now(conn)

    def _refresh_now(self, conn: Connection) -> None:
        version = int(self.store.meta(conn, "snapshot_version") or 0)
        if self._version is None:
            self._load_events(conn)
        elif version != self._version:
            self._registry_changed(conn, since=self._version)
        self._version = version
        j, hv = HubJournal.__table__, HubHeldVoid.__table__
        last = int(conn.execute(select(func.max(j.c.hub_seq))).scalar_one_or_none() or 0)
        released = int(self.store.meta(conn, "void_release_seq") or 0)
        if last <= self._cursor and released <= self._released:
            return
        if self._cursor == 0:  # first count: every event in one pass each
            for st in self._events.values():
                self._recount(conn, st, [], full=True)
            self._cursor, self._released = last, released
            return
        touched: dict[str, set[str]] = {}
        pairs = list(conn.execute(select(j.c.event_id, j.c.household_id)
                                  .where(j.c.hub_seq > self._cursor, j.c.hub_seq <= last)))
        if released > self._released:  # held voids accepted since: their households too
            pairs += conn.execute(select(hv.c.event_id, hv.c.household_id).where(
                hv.c.released_seq > self._released, hv.c.released_seq <= released)).all()
        for event_id, household in pairs:
            if event_id in self._events:
                touched.setdefault(event_id, set()).add(household)
        for event_id, households in touched.items():
            self._recount(conn, self._events[event_id], sorted(households), full=False)
        self._cursor, self._released = max(last, self._cursor), released

    def _registry_changed(self, conn: Connection, *, since: int) -> None:
        """A new snapshot version: redo only what the changed tables can move."""
        st = HubRowStamp.__table__
        tables = set(conn.execute(select(st.c.tbl).where(st.c.version > since).distinct())
                     .scalars())
        if "households" in tables:  # a household may have moved kelurahan: count afresh
            self._load_events(conn)
            self._cursor = 0
        elif tables & {"events", "entitlements"}:
            kept = self._events
            self._load_events(conn)
            for event_id, st_new in self._events.items():
                old = kept.get(event_id)
                if old is None:
                    continue
                for name in ("place", "first", "collected", "proxies", "hours"):
                    setattr(st_new, name, getattr(old, name))
            fresh = [e for e in self._events if e not in kept]
            for event_id in fresh:  # an event opened since: count its hand-overs once
                self._recount(conn, self._events[event_id], [], full=True)
        # officers, issuer keys, revoked slips: nothing on the overview moves

    def _load_events(self, conn: Connection) -> None:
        events = conn.execute(text(
            "SELECT id, name, programme, site_kelurahan FROM events WHERE status = 'open' "
            "ORDER BY start_date, id")).mappings().all()
        alloc = conn.execute(text(
            "SELECT en.event_id, h.kecamatan, h.kelurahan, COUNT(*) AS n FROM entitlements en "
            "JOIN households h ON h.id = en.household_id JOIN events e ON e.id = en.event_id "
            "WHERE e.status = 'open' GROUP BY en.event_id, h.kecamatan, h.kelurahan")).all()
        by_event: dict[str, dict[tuple[str, str], int]] = {}
        for event_id, kec, kel, n in alloc:
            by_event.setdefault(event_id, {})[(kec or "", kel or "")] = int(n)
        self._events = {e["id"]: _EventState(info=dict(e), allocated=by_event.get(e["id"], {}))
                        for e in events}

    def _recount(self, conn: Connection, st: _EventState, households: list[str], *,
                 full: bool) -> None:
        """Recount these households of one event from their live hand-overs."""
        event_id = st.info["id"]
        chunks: list[list[str] | None]
        if full:  # first load: the whole event in one pass, not chunks of IN lists
            chunks = [None]
        else:
            chunks = [households[i:i + _CHUNK] for i in range(0, len(households), _CHUNK)]
        for chunk in chunks:
            where = "j.event_id = :e" + ("" if chunk is None else " AND j.household_id IN :hh")
            params: dict[str, Any] = {"e": event_id}
            if chunk is not None:
                params["hh"] = chunk
            sql = text(
                "SELECT j.household_id, j.uuid, j.kind, j.voids_uuid, j.is_proxy, j.created_at, "
                "h.kecamatan, h.kelurahan FROM hub_journal j "
                "LEFT JOIN households h ON h.id = j.household_id "
                f"WHERE {where} ORDER BY j.created_at, j.device_id, j.seq")
            if chunk is not None:
                sql = sql.bindparams(bindparam("hh", expanding=True))
            rows = conn.execute(sql, params).all()
            voids = [r for r in rows if r.kind == "void" and r.voids_uuid]
            on_hold = held_voids.unapplied(conn, [r.uuid for r in voids])
            voided = {r.voids_uuid for r in voids if r.uuid not in on_hold}
            first: dict[str, Any] = {}
            for r in rows:
                if r.kind == "handover" and r.uuid not in voided:
                    first.setdefault(r.household_id, r)
            for hh in (chunk if chunk is not None else {r.household_id for r in rows}):
                self._forget(st, hh)
                found = first.get(hh)
                if found is not None:
                    place = (found.kecamatan or "", found.kelurahan or "")
                    st.place[hh] = place
                    st.first[hh] = (bool(found.is_proxy), found.created_at)
                    st.collected[place] += 1
                    st.proxies[place] += int(bool(found.is_proxy))
                    st.hours[_hour_key(found.created_at)] += 1

    @staticmethod
    def _forget(st: _EventState, hh: str) -> None:
        place = st.place.pop(hh, None)
        if place is None:
            return
        proxy, at = st.first.pop(hh)
        st.collected[place] -= 1
        st.proxies[place] -= int(proxy)
        st.hours[_hour_key(at)] -= 1


def _hour_key(created_at: str) -> tuple[dt.date, int]:
    t = to_wib(created_at)
    return t.date(), t.hour


def event_served(raw: str) -> list[str]:
    try:
        return list(json.loads(raw or "[]"))
    except ValueError:
        return [s.strip() for s in raw.split(",") if s.strip()]
