"""Name search for the desk: ranked candidates (rapidfuzz) among the households an event concerns.

Candidates are the members of households entitled in the event or living in a kelurahan it
serves, compared on domain.names.normalize_name (titles, Muhammad/Mohamad, spacing). The list is
loaded once per event and reloaded when the entitlement or member counts change.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from bekasi_field.domain.identifiers import mask
from bekasi_field.domain.names import normalize_name

log = logging.getLogger(__name__)

MIN_SCORE = 60.0

# With each member: how they relate to the household, and who its designated recipient is (the
# desk says "Kepala Keluarga of Fitri Maryam's household", not just "Fitri Maryam berhak").
_SQL_CANDIDATES = (
    "SELECT m.household_id, m.nik, m.name, m.name_norm, h.kelurahan, h.rt, h.rw, "
    "coalesce(m.relationship, ''), m.is_recipient, coalesce((SELECT r.name FROM members r "
    "WHERE r.household_id = m.household_id ORDER BY r.is_recipient DESC, r.nik LIMIT 1), '') "
    "FROM members m JOIN households h ON h.id = m.household_id "
    "WHERE m.household_id IN (SELECT household_id FROM entitlements WHERE event_id = ?) "
    "OR h.kelurahan IN (SELECT value FROM json_each(?))")
# Cheap to ask on every search (indexed count, rowid max, one meta row). Names edited in place by
# a roster re-import keep their rowid: those are picked up by the age limit below.
_SQL_STAMP = ("SELECT (SELECT count(*) FROM entitlements WHERE event_id = ?), "
              "(SELECT max(rowid) FROM members), "
              "(SELECT value FROM meta WHERE key = 'snapshot_version')")
MAX_AGE_S = 300.0


@dataclass(frozen=True)
class NameCandidate:
    household_id: str
    nik: str
    name: str
    score: float
    kelurahan: str
    rt: str
    rw: str
    relationship: str = ""  # to the head of the household (Kepala Keluarga, Istri, Anak...)
    is_recipient: bool = True  # the household's designated recipient (pengurus)
    recipient_name: str = ""
    status: str = ""  # the verdict code for the event (the desk fills it in)

    @property
    def nik_masked(self) -> str:
        return mask(self.nik)


class NameSearch:
    def __init__(self, connect: Callable[[], sqlite3.Connection]) -> None:
        self._connect = connect
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[tuple[Any, ...], list[tuple[Any, ...]], list[str],
                                     float]] = {}

    def _rows(self, conn: sqlite3.Connection,
              event_id: str) -> tuple[list[tuple[Any, ...]], list[str]]:
        stamp = tuple(conn.execute(_SQL_STAMP, (event_id,)).fetchone())
        with self._lock:
            cached = self._cache.get(event_id)
            if cached and cached[0] == stamp and time.monotonic() - cached[3] < MAX_AGE_S:
                return cached[1], cached[2]
        row = conn.execute("SELECT served_kelurahan FROM events WHERE id = ?",
                           (event_id,)).fetchone()
        served = row[0] if row else "[]"
        try:
            json.loads(served)
        except ValueError:
            served = json.dumps([served])
        rows = conn.execute(_SQL_CANDIDATES, (event_id, served)).fetchall()
        names = [r[3] or normalize_name(r[2]) for r in rows]
        with self._lock:
            self._cache[event_id] = (stamp, rows, names, time.monotonic())
        log.info("name search: %d candidates loaded for event %s", len(rows), event_id)
        return rows, names

    def search(self, query: str, *, event_id: str, limit: int = 10) -> list[NameCandidate]:
        wanted = normalize_name(query or "")
        if len(wanted) < 2:
            return []
        rows, names = self._rows(self._connect(), event_id)
        hits = process.extract(wanted, names, scorer=fuzz.WRatio, limit=max(limit * 3, limit),
                               score_cutoff=MIN_SCORE)
        # Exact token order counts a little more than a partial match of a long name.
        ranked = sorted(hits, key=lambda h: (-(h[1] + fuzz.ratio(wanted, names[h[2]]) / 10),
                                             rows[h[2]][2]))
        out = []
        for _, score, i in ranked[:limit]:
            hh, nik, name, _norm, kel, rt, rw, relation, recipient, recipient_name = rows[i]
            out.append(NameCandidate(household_id=hh, nik=nik, name=name, score=round(score, 1),
                                     kelurahan=kel, rt=rt, rw=rw, relationship=relation,
                                     is_recipient=bool(recipient),
                                     recipient_name=recipient_name))
        return out
