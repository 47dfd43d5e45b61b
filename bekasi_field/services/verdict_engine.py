"""Code + event -> Verdict, in well under a millisecond: raw sqlite3, cached statements.

Decision order for a household: already collected (journal of every device, void-aware) >
suspended > entitled here (served kelurahan? else WRONG_SITE) > entitled at another open site of
the same programme (WRONG_SITE) > NOT_ENTITLED. A signed slip is checked first (format, key,
signature, key window, deny list, expiry). A validly signed slip of ANOTHER event is not
MALFORMED: the slip authenticates the household, which is then judged for this event like a
plain code (so usually NOT_ENTITLED or WRONG_SITE), with an identity check asked for.
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
from bekasi_field.domain.identifiers import digits_only, luhn_ok, mask
from bekasi_field.domain.site_formats import date_time, site_today
from bekasi_field.domain.verdicts import Verdict, VerdictCode
from bekasi_field.i18n import tr
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
SQL_BY_NIK = "SELECT household_id FROM members WHERE nik = ?"
SQL_BY_KK = "SELECT id FROM households WHERE no_kk = ? LIMIT 1"
SQL_BY_KKS = "SELECT id FROM households WHERE kks_card = ? LIMIT 1"
SQL_ENTITLEMENT = ("SELECT item, amount, slip_serial FROM entitlements "
                   "WHERE event_id = ? AND household_id = ?")
# Collected in this event, or in an event of the same programme whose dates overlap it (a
# household overridden at one site must not collect again at its home site, nor the reverse).
SQL_COLLECTED = (
    "SELECT j.uuid, j.created_at, j.site, j.device_id, j.officer_id, j.is_proxy, j.proxy_name, "
    "j.received_at, j.event_id FROM journal j JOIN events e ON e.id = j.event_id "
    "WHERE j.household_id = ? AND j.kind = 'handover' AND (j.event_id = ? OR (e.programme = ? "
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
            return self._verdict(VerdictCode.MALFORMED, event_id, None, "unknown",
                                 tr("verdict.msg.malformed"))

    # ------------------------------------------------------------------ internals
    def _verdict(self, code: VerdictCode, event_id: str, household_id: str | None, kind: str,
                 message: str, *, check_id: bool = False, **details: Any) -> Verdict:
        return Verdict(code=code, event_id=event_id, household_id=household_id, message=message,
                       code_kind=kind, needs_identity_check=check_id, details=details)

    def _check(self, conn: sqlite3.Connection, code: str, event_id: str) -> Verdict:
        text = code if isinstance(code, str) else ""
        text = text.strip()[:_MAX_CODE_CHARS]
        event = conn.execute(SQL_EVENT, (event_id,)).fetchone()
        if event is None:
            return self._verdict(VerdictCode.UNKNOWN, event_id, None, "unknown",
                                 tr("verdict.msg.unknown_event", event=event_id),
                                 problem="unknown_event")
        if slip_codec.is_slip_text(text):
            return self._check_slip(conn, text, event)
        household_id, kind = self._identify(conn, text)
        if household_id is None:
            return self._verdict(VerdictCode.UNKNOWN, event_id, None, "unknown",
                                 tr("verdict.msg.unknown"))
        verdict = self._judge(conn, event, household_id, kind, check_id=True)
        if kind == "nik":  # the person holding this KTP, who may not be the designated recipient
            nik = digits_only(text)
            row = conn.execute("SELECT name FROM members WHERE nik = ?", (nik,)).fetchone()
            verdict.details.update(scanned_name=row[0] if row else None,
                                   scanned_nik_masked=mask(nik))
        return verdict

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

    def _check_slip(self, conn: sqlite3.Connection, text: str,
                    event: tuple[Any, ...]) -> Verdict:
        event_id = event[0]
        decoded = slip_codec.decode_slip(text)
        if not decoded.ok:
            return self._verdict(VerdictCode.MALFORMED, event_id, None, "slip",
                                 tr("verdict.msg.malformed"))
        p = decoded.payload
        assert p is not None
        key = conn.execute(SQL_KEY, (p.key_id,)).fetchone()
        bad_sig = tr("verdict.msg.invalid_signature")
        if key is None or key[3]:
            return self._verdict(VerdictCode.INVALID_SIGNATURE, event_id, None, "slip", bad_sig,
                                 key_id=p.key_id, problem="unknown_key" if key is None
                                 else "revoked_key")
        try:
            public = bytes.fromhex(key[0])
        except ValueError:
            public = b""
        if not _signature_ok(text, decoded, public):
            return self._verdict(VerdictCode.INVALID_SIGNATURE, event_id, None, "slip", bad_sig,
                                 key_id=p.key_id, problem="bad_signature")
        today = self._today()
        if today < _date(key[1]):
            return self._verdict(VerdictCode.INVALID_SIGNATURE, event_id, None, "slip", bad_sig,
                                 key_id=p.key_id, problem="key_not_yet_valid")
        if today > _date(key[2]) or today > p.expires:
            expires = min(p.expires, _date(key[2]))
            return self._verdict(VerdictCode.EXPIRED, event_id, p.household_id, "slip",
                                 tr("verdict.msg.expired", expires=expires.strftime("%d-%m-%Y")),
                                 expires=expires.isoformat(), slip_serial=p.serial)
        if conn.execute(SQL_REVOKED, (p.serial,)).fetchone():
            return self._verdict(VerdictCode.REVOKED, event_id, p.household_id, "slip",
                                 tr("verdict.msg.revoked", serial=p.serial),
                                 slip_serial=p.serial)
        if conn.execute("SELECT 1 FROM households WHERE id = ?", (p.household_id,)).fetchone() \
                is None:
            return self._verdict(VerdictCode.UNKNOWN, event_id, p.household_id, "slip",
                                 tr("verdict.msg.unknown"), slip_serial=p.serial)
        other_event = p.event_id != event_id
        if not other_event:
            ent = conn.execute(SQL_ENTITLEMENT, (event_id, p.household_id)).fetchone()
            if ent is not None and ent[2] != p.serial:  # a re-issued slip replaced this one
                return self._verdict(VerdictCode.REVOKED, event_id, p.household_id, "slip",
                                     tr("verdict.msg.revoked", serial=p.serial),
                                     slip_serial=p.serial, problem="superseded")
        verdict = self._judge(conn, event, p.household_id, "slip", check_id=other_event)
        verdict.details["slip_serial"] = p.serial
        if other_event:
            verdict.details["slip_event"] = p.event_id
        return verdict

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
            served = frozenset(" ".join(str(n).split()).casefold() for n in names)
            cached = (raw, served | {" ".join(str(event[3]).split()).casefold()})
            self._served_cache[event[0]] = cached
        return cached[1]

    def _judge(self, conn: sqlite3.Connection, event: tuple[Any, ...], household_id: str,
               kind: str,
               *, check_id: bool) -> Verdict:
        event_id, event_name, programme, site = event[0], event[1], event[2], event[3]
        hh = conn.execute(SQL_HOUSEHOLD, (household_id,)).fetchone()
        if hh is None:
            return self._verdict(VerdictCode.UNKNOWN, event_id, None, kind,
                                 tr("verdict.msg.unknown"), check_id=check_id)
        _, address, rt, rw, kelurahan, kecamatan, status, nik, member_name = hh
        person = (nik, member_name) if nik else None
        name = person[1] if person else household_id
        details: dict[str, Any] = {
            "recipient_name": person[1] if person else None,
            "nik_masked": mask(person[0]) if person else "",
            "address": address, "rt": rt, "rw": rw, "kelurahan": kelurahan,
            "kecamatan": kecamatan, "status": status, "event_name": event_name,
        }
        ent = conn.execute(SQL_ENTITLEMENT, (event_id, household_id)).fetchone()
        if ent is not None:
            details.update(item=ent[0], amount=ent[1], slip_serial=ent[2])
        else:
            details.update(item=event[7], amount=event[8])

        def verdict(code: VerdictCode, message: str) -> Verdict:
            return self._verdict(code, event_id, household_id, kind, message,
                                 check_id=check_id, **details)

        got = conn.execute(SQL_COLLECTED, (household_id, event_id, programme, event[6], event[5],
                                           event_id)).fetchone()
        if got is not None:
            uuid, created_at, at_site, device, officer, is_proxy, proxy_name, received, in_event \
                = got
            who = (tr("verdict.msg.who_proxy", proxy=proxy_name or "?") if is_proxy
                   else tr("verdict.msg.who_self"))
            when = local_time(created_at)
            details.update(collected_uuid=uuid, collected_at=created_at, collected_at_local=when,
                           collected_site=at_site, collected_device=device,
                           collected_officer=officer, collected_by_proxy=bool(is_proxy),
                           collected_proxy_name=proxy_name,
                           collected_elsewhere=received is not None,
                           collected_event=in_event)
            return verdict(VerdictCode.ALREADY_COLLECTED, tr(
                "verdict.msg.already_collected", when=when, site=at_site, device=device,
                officer=officer, who=who))
        if programme == "PKH":
            row = conn.execute(SQL_GRADUATED, (household_id,)).fetchone() \
                or conn.execute(SQL_GRADUATED_MARK, (household_id,)).fetchone()
            if row and row[0]:
                day = _local_day(str(row[0]))
                details.update(pkh_status="graduated", graduated_on=day.isoformat())
                return verdict(VerdictCode.SUSPENDED, tr(
                    "verdict.msg.graduated", name=name, date=day.strftime("%d-%m-%Y")))
        if status != "active":
            status_text = tr(f"verdict.status.{status}") if status in (
                "suspended", "graduated", "deceased") else status
            return verdict(VerdictCode.SUSPENDED,
                           tr("verdict.msg.suspended", name=name, status=status_text))
        if ent is not None:
            if kelurahan.casefold().strip() and " ".join(kelurahan.split()).casefold() \
                    not in self._served(event):
                details["other_site"] = kelurahan
                return verdict(VerdictCode.WRONG_SITE, tr(
                    "verdict.msg.wrong_site_served", name=name, kelurahan=kelurahan))
            key = "verdict.msg.eligible_check" if check_id else "verdict.msg.eligible"
            return verdict(VerdictCode.ELIGIBLE, tr(key, name=name, item=details["item"]))
        other = conn.execute(SQL_OTHER_SITE, (household_id, event_id, programme, site)).fetchone()
        if other is not None:
            details.update(other_event=other[0], other_site=other[1])
            return verdict(VerdictCode.WRONG_SITE, tr(
                "verdict.msg.wrong_site_other", name=name, other_site=other[1]))
        return verdict(VerdictCode.NOT_ENTITLED,
                       tr("verdict.msg.not_entitled", name=name, event=event_name))
