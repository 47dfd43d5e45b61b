"""Code + event -> Verdict, in well under a millisecond: raw sqlite3, cached statements.

The engine gathers the facts about a code (domain.verdict_rule.CheckFacts) with its SQL and the
slip's signature check; domain.verdict_rule.decide() turns them into the verdict, in the order
its docstring gives.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
import threading
from collections.abc import Callable
from typing import Any

from bekasi_field.domain import slip_codec
from bekasi_field.domain.identifiers import digits_only, luhn_ok, mask, number_problem
from bekasi_field.domain.site_formats import date_time, site_today
from bekasi_field.domain.verdict_rule import (
    CheckFacts,
    CollectedFacts,
    EntitlementFacts,
    EventFacts,
    HouseholdCase,
    HouseholdFacts,
    KeyFacts,
    OtherSiteFacts,
    ScannedPerson,
    SlipFacts,
    decide,
    fold_place,
)
from bekasi_field.domain.verdicts import Text, Verdict, VerdictCode
from bekasi_field.services.name_search import NameCandidate, NameSearch
from bekasi_field.store import opener
from bekasi_field.store.db import Database

log = logging.getLogger(__name__)

_MAX_CODE_CHARS = 4000

SQL_EVENT = ("SELECT id, name, programme, site_kelurahan, served_kelurahan, start_date, end_date, "
             "item, amount, status, allow_proxy, require_photo, require_signature "
             "FROM events WHERE id = ?")
# The household and its designated recipient (pengurus, else the first member) in one query.
SQL_HOUSEHOLD = ("SELECT h.id, h.address, h.rt, h.rw, h.kelurahan, h.kecamatan, h.status, m.nik, "
                 "m.name FROM households h LEFT JOIN members m ON m.nik = (SELECT nik FROM "
                 "members WHERE household_id = h.id ORDER BY is_recipient DESC, nik LIMIT 1) "
                 "WHERE h.id = ?")
# Where a slip's event is held, when it is an open event of the programme asked about.
SQL_EVENT_SITE = ("SELECT site_kelurahan FROM events WHERE id = ? AND programme = ? "
                  "AND status = 'open'")
SQL_BY_NIK = "SELECT household_id FROM members WHERE nik = ?"
SQL_BY_KK = "SELECT id FROM households WHERE no_kk = ? LIMIT 1"
SQL_BY_KKS = "SELECT id FROM households WHERE kks_card = ? LIMIT 1"
SQL_ENTITLEMENT = ("SELECT item, amount, slip_serial FROM entitlements "
                   "WHERE event_id = ? AND household_id = ?")
# Collected in this event, or in an event of the same programme whose dates overlap it (a
# household overridden at one site must not collect again at its home site, nor the reverse).
SQL_COLLECTED = (
    "SELECT j.uuid, j.created_at, j.site, j.device_id, j.officer_id, j.is_proxy, j.proxy_name, "
    "j.received_at, j.event_id, d.name, d.is_self, o.name FROM journal j "
    "JOIN events e ON e.id = j.event_id LEFT JOIN devices d ON d.id = j.device_id "
    "LEFT JOIN officers o ON o.id = j.officer_id WHERE j.household_id = ? AND j.kind = 'handover' AND (j.event_id = ? OR (e.programme = ? "
    "AND e.start_date <= ? AND e.end_date >= ?)) AND NOT EXISTS (SELECT 1 FROM journal v "
    "WHERE v.event_id = j.event_id AND v.household_id = j.household_id AND v.kind = 'void' "
    "AND v.voids_uuid = j.uuid) ORDER BY j.event_id <> ?, j.created_at LIMIT 1")
SQL_OTHER_SITE = (
    "SELECT e.id, e.site_kelurahan FROM entitlements t JOIN events e ON e.id = t.event_id "
    "WHERE t.household_id = ? AND e.id <> ? AND e.programme = ? AND e.status = 'open' "
    "AND e.site_kelurahan <> ? ORDER BY e.start_date LIMIT 1")
# PKH graduation: a live graduation entry (any device), else the hub's mark on the household.
SQL_GRADUATED = (
    "SELECT j.created_at FROM journal j WHERE j.household_id = ? AND j.kind = 'graduation' "
    "AND NOT EXISTS (SELECT 1 FROM journal v WHERE v.kind = 'void' AND v.voids_uuid = j.uuid) "
    "ORDER BY j.created_at LIMIT 1")
SQL_GRADUATED_MARK = "SELECT pkh_graduated_on FROM households WHERE id = ?"
SQL_KEY = "SELECT public_key, valid_from, valid_to, revoked FROM issuer_keys WHERE key_id = ?"
SQL_REVOKED = "SELECT reason FROM revoked_slips WHERE slip_serial = ?"


_VERIFIED_MAX = 4096
_verified: dict[tuple[str, bytes], bool] = {}
_verified_lock = threading.Lock()


def _signature_ok(text: str, decoded: slip_codec.DecodedSlip, public: bytes) -> bool:
    """Ed25519 verify, remembered per (slip text, key): a slip is checked again at every
    consistent read of the scan loop and inside the hand-over transaction."""
    key = (text, public)
    hit = _verified.get(key)
    if hit is None:
        hit = slip_codec.verify_signature(decoded, public)
        with _verified_lock:
            if len(_verified) >= _VERIFIED_MAX:
                _verified.clear()
            _verified[key] = hit
    return hit


def local_time(iso_utc: str) -> str:
    """'2026-11-23T02:15:00.000Z' -> '23-11-2026 09:15' in the site's time (WIB)."""
    return date_time(iso_utc)


def _local_day(iso: str) -> dt.date:
    """The desk's local date of an ISO UTC time (a bare date stays as it is)."""
    try:
        when = dt.datetime.fromisoformat(iso)
    except ValueError:
        return _date(iso)
    return when.astimezone().date() if when.tzinfo else when.date()


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


class VerdictEngine:
    """One per database; safe to share between threads (one connection per thread)."""

    def __init__(self, db: Database, *, today: Callable[[], dt.date] | None = None) -> None:
        self.db = db
        self._today = today or site_today
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []  # every thread's, so close() closes them all
        self._lock = threading.Lock()
        self._served_cache: dict[str, tuple[str, frozenset[str]]] = {}
        self._names = NameSearch(self._conn)

    def connection(self) -> sqlite3.Connection:
        """This thread's autocommit connection (the journal writes through it too)."""
        return self._conn()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self.db.raw()
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        """Close every thread's connection (each thread opens a new one if used again)."""
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()
        self._local = threading.local()

    # ------------------------------------------------------------------ public
    def check(self, code: str, *, event_id: str) -> Verdict:
        """The verdict for `code` in `event_id`; never raises for any input string."""
        return self.check_in(self._conn(), code, event_id=event_id)

    def search_names(self, query: str, *, event_id: str, limit: int = 10) -> list[NameCandidate]:
        return self._names.search(query, event_id=event_id, limit=limit)

    def check_in(self, conn: sqlite3.Connection, code: str, *, event_id: str) -> Verdict:
        """Like check() on a given connection (the journal re-checks inside its transaction)."""
        try:
            return self._check(conn, code, event_id)
        except (sqlite3.Error, opener.Error):
            raise  # a database fault is not a verdict; the caller shows it
        except Exception:
            log.exception("verdict engine failed on a %d-character code", len(str(code)))
            return Verdict(code=VerdictCode.MALFORMED, event_id=event_id, household_id=None,
                           text=Text("verdict.msg.malformed"), code_kind="unknown")

    # ------------------------------------------------------------------ internals
    def _check(self, conn: sqlite3.Connection, code: str, event_id: str) -> Verdict:
        return decide(self._facts(conn, code, event_id))

    def _facts(self, conn: sqlite3.Connection, code: str, event_id: str) -> CheckFacts:
        """Everything the rule needs to know about `code`, gathered with this engine's SQL."""
        text = code if isinstance(code, str) else ""
        text = text.strip()[:_MAX_CODE_CHARS]
        today = self._today()
        row = conn.execute(SQL_EVENT, (event_id,)).fetchone()
        if row is None:
            return CheckFacts(event_id=event_id, event=None, today=today)
        event = self._event(row)
        if slip_codec.is_slip_text(text):
            slip, case = self._slip_facts(conn, text, event, row, today=today)
            return CheckFacts(event_id=event_id, event=event, today=today, slip=slip, case=case)
        household_id, kind = self._identify(conn, text)
        if household_id is None:
            return CheckFacts(event_id=event_id, event=event, today=today,
                              typed_problem=number_problem(text, today=today))
        scanned = None
        if kind == "nik":  # the person holding this KTP, who may not be the designated recipient
            nik = digits_only(text)
            person = conn.execute("SELECT name FROM members WHERE nik = ?", (nik,)).fetchone()
            scanned = ScannedPerson(name=person[0] if person else None, nik_masked=mask(nik))
        return CheckFacts(event_id=event_id, event=event, today=today,
                          case=self._case(conn, row, household_id, kind), scanned=scanned)

    def _identify(self, conn: sqlite3.Connection, text: str) -> tuple[str | None, str]:
        digits = digits_only(text)
        if len(digits) == 16 and digits.isascii() and digits.isdigit():
            row = conn.execute(SQL_BY_NIK, (digits,)).fetchone()
            if row:
                return row[0], "nik"
            row = conn.execute(SQL_BY_KK, (digits,)).fetchone()
            if row:
                return row[0], "kk"
            if luhn_ok(digits):
                row = conn.execute(SQL_BY_KKS, (digits,)).fetchone()
                if row:
                    return row[0], "kks"
            if conn.execute("SELECT 1 FROM households WHERE id = ?", (digits,)).fetchone():
                return digits, "household"
        if text and conn.execute("SELECT 1 FROM households WHERE id = ?", (text,)).fetchone():
            return text, "household"
        return None, "unknown"

    def _slip_facts(self, conn: sqlite3.Connection, text: str, event: EventFacts,
                    row: tuple[Any, ...], *, today: dt.date
                    ) -> tuple[SlipFacts, HouseholdCase | None]:
        decoded = slip_codec.decode_slip(text)
        if not decoded.ok:
            return SlipFacts(decoded=False, tampered=decoded.problem == "tampered"), None
        p = decoded.payload
        assert p is not None
        key_row = conn.execute(SQL_KEY, (p.key_id,)).fetchone()
        key = None if key_row is None else KeyFacts(
            revoked=bool(key_row[3]), valid_from=_date(key_row[1]), valid_to=_date(key_row[2]))
        signature_ok = False
        if key is not None and not key.revoked:  # a revoked key's slips are refused unread
            try:
                public = bytes.fromhex(key_row[0])
            except ValueError:
                public = b""
            signature_ok = _signature_ok(text, decoded, public)
        known = conn.execute("SELECT 1 FROM households WHERE id = ?",
                             (p.household_id,)).fetchone() is not None
        ent = conn.execute(SQL_ENTITLEMENT, (event.id, p.household_id)).fetchone()
        slip_site = conn.execute(SQL_EVENT_SITE, (p.event_id, event.programme)).fetchone() \
            if p.event_id != event.id else None
        slip = SlipFacts(
            decoded=True, key_id=p.key_id, serial=p.serial, household_id=p.household_id,
            event_id=p.event_id, expires=p.expires, key=key, signature_ok=signature_ok,
            serial_revoked=conn.execute(SQL_REVOKED, (p.serial,)).fetchone() is not None,
            household_known=known, superseded=ent is not None and ent[2] != p.serial,
            event_site=str(slip_site[0] or "") if slip_site else "")
        if known:
            case = self._case(conn, row, p.household_id, "slip", entitlement=ent)
        elif signature_ok and slip_site is not None:
            # Another site's household (not on this desk): only whether it was handed over
            # here already, say by a supervisor's override, which the journal still knows.
            case = HouseholdCase(household_id=p.household_id, code_kind="slip", household=None,
                                 entitlement=None,
                                 collected=self._collected(conn, row, p.household_id))
        else:
            case = None
        return slip, case

    def _event(self, row: tuple[Any, ...]) -> EventFacts:
        return EventFacts(id=row[0], name=row[1], programme=row[2], site_kelurahan=row[3],
                          served=self._served(row), item=row[7], amount=row[8])

    def _served(self, event: tuple[Any, ...]) -> frozenset[str]:
        raw = event[4] or "[]"
        cached = self._served_cache.get(event[0])
        if cached is None or cached[0] != raw:
            try:
                names = json.loads(raw)
            except ValueError:
                names = [raw]
            if isinstance(names, str):
                names = [names]
            served = frozenset(fold_place(str(n)) for n in names)
            cached = (raw, served | {fold_place(str(event[3]))})
            self._served_cache[event[0]] = cached
        return cached[1]

    _NO_ROW: Any = object()

    def _case(self, conn: sqlite3.Connection, event: tuple[Any, ...], household_id: str,
              kind: str, *, entitlement: Any = _NO_ROW) -> HouseholdCase:
        """The household's facts for this event (`entitlement`: its row, when already read)."""
        event_id, programme, site = event[0], event[2], event[3]
        hh = conn.execute(SQL_HOUSEHOLD, (household_id,)).fetchone()
        if hh is None:
            return HouseholdCase(household_id=household_id, code_kind=kind, household=None,
                                 entitlement=None, collected=None)
        ent = (conn.execute(SQL_ENTITLEMENT, (event_id, household_id)).fetchone()
               if entitlement is self._NO_ROW else entitlement)
        graduated = None
        if programme == "PKH":  # the rule asks only in PKH events
            mark = conn.execute(SQL_GRADUATED, (household_id,)).fetchone() \
                or conn.execute(SQL_GRADUATED_MARK, (household_id,)).fetchone()
            graduated = _local_day(str(mark[0])) if mark and mark[0] else None
        other = None
        if ent is None:  # the rule asks where else it is entitled only when not here
            found = conn.execute(SQL_OTHER_SITE, (household_id, event_id, programme,
                                                  site)).fetchone()
            other = None if found is None else OtherSiteFacts(found[0], found[1])
        return HouseholdCase(
            household_id=household_id, code_kind=kind,
            household=HouseholdFacts(id=hh[0], address=hh[1], rt=hh[2], rw=hh[3],
                                     kelurahan=hh[4], kecamatan=hh[5], status=hh[6],
                                     recipient_nik=hh[7], recipient_name=hh[8]),
            entitlement=None if ent is None else EntitlementFacts(ent[0], ent[1], ent[2]),
            collected=self._collected(conn, event, household_id),
            graduated_on=graduated, other_site=other)

    @staticmethod
    def _collected(conn: sqlite3.Connection, event: tuple[Any, ...],
                   household_id: str) -> CollectedFacts | None:
        event_id, programme = event[0], event[2]
        got = conn.execute(SQL_COLLECTED, (household_id, event_id, programme, event[6],
                                           event[5], event_id)).fetchone()
        return None if got is None else CollectedFacts(
            uuid=got[0], created_at=got[1], created_at_local=local_time(got[1]),
            site=got[2], device_id=got[3], officer_id=got[4], by_proxy=bool(got[5]),
            proxy_name=got[6], learned_elsewhere=got[7] is not None, event_id=got[8],
            desk_name=got[9] or "", own_desk=bool(got[10]), officer_name=got[11] or "")
