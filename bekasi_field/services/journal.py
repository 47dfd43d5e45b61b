"""The hand-over journal: append-only, hash-chained, durable before the screen says "Tersimpan".

record_handover re-checks the verdict inside BEGIN IMMEDIATE (two desks on one file cannot both
hand over), chains the entry to the device's previous one (domain.journal_chain), moves the
`journal_head` meta in the same transaction (so deleting the last row is detectable) and returns
only after COMMIT with synchronous=FULL. Evidence files are fsynced before the entry commits.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import uuid as uuidlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from bekasi_field.domain.entry_signature import SIGNATURE_FIELD, signature_problem
from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.identifiers import digits_only
from bekasi_field.domain.journal_chain import (
    GENESIS,
    ChainProblem,
    canonical_json,
    check_chain,
    entry_hash,
)
from bekasi_field.domain.journal_entry import ENTRY_COLUMNS, new_entry
from bekasi_field.domain.verdicts import Verdict
from bekasi_field.i18n import tr
from bekasi_field.services.device_key import device_key_in, existing_key
from bekasi_field.services.evidence import evidence_key, store_evidence
from bekasi_field.services.site import Site
from bekasi_field.services.verdict_engine import VerdictEngine
from bekasi_field.store import opener
from bekasi_field.store.db import Database, set_meta, utc_now

log = logging.getLogger(__name__)

HEAD_KEY = "journal_head"
SUPERVISOR_ROLES = ("supervisor", "admin")
VOIDABLE = ("handover", "enrolment", "graduation")  # entry kinds a supervisor may void
_COLUMNS = ENTRY_COLUMNS
_INSERT = (f"INSERT INTO journal ({', '.join(_COLUMNS)}) "
           f"VALUES ({', '.join('?' for _ in _COLUMNS)})")


@dataclass(frozen=True)
class ProxyInfo:
    name: str
    nik: str | None = None
    relationship: str = ""
    letter_seen: bool = False  # surat kuasa


@dataclass(frozen=True)
class IdentityCheck:
    member_nik: str | None = None
    ktp_seen: bool = False
    kk_seen: bool = False
    checked_by: str | None = None
    proxy_ktp_seen: bool = False  # a proxy pick-up: the proxy's own KTP was matched
    approved_by: str | None = None  # a proxy pick-up: the pendamping / supervisor who approved
    ktp_read: bool = False  # the KTP seen is the one whose NIK the camera read off the card

    @property
    def any_document(self) -> bool:
        return self.ktp_seen or self.kk_seen


@dataclass(frozen=True)
class RecordedEntry:
    uuid: str
    seq: int
    verdict: Verdict | None  # None for a void
    created_at: str
    kind: str = "handover"


class HandoverRefused(BekasiError):
    """The verdict does not allow a hand-over (or an override was not valid)."""

    def __init__(self, verdict: Verdict, message: str | None = None) -> None:
        super().__init__(message or tr("journal.refused", verdict=verdict.style.headline,
                                       message=verdict.message))
        self.verdict = verdict


@contextmanager
def _immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT on a kept connection (a new one per hand-over costs more than
    the statements); ROLLBACK on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _officer(conn: sqlite3.Connection, officer_id: str | None) -> tuple[str, bool] | None:
    """(role, active) of an officer, or None."""
    row = conn.execute("SELECT role, active FROM officers WHERE id = ?", (officer_id,)).fetchone()
    return (row[0], bool(row[1])) if row else None


def _require_officer(conn: sqlite3.Connection, officer_id: str) -> None:
    o = _officer(conn, officer_id)
    if o is None or not o[1]:
        raise BekasiError(tr("journal.unknown_officer", officer=officer_id))


def _require_supervisor(conn: sqlite3.Connection, officer_id: str) -> None:
    o = _officer(conn, officer_id)
    if o is None or not o[1] or o[0] not in SUPERVISOR_ROLES:
        raise BekasiError(tr("journal.not_supervisor", officer=officer_id))


def _require_approver(conn: sqlite3.Connection, officer_id: str) -> None:
    """A proxy pick-up is approved by a pendamping PKH or a supervisor."""
    o = _officer(conn, officer_id)
    if o is None or not o[1] or o[0] not in ("pendamping", *SUPERVISOR_ROLES):
        raise BekasiError(tr("desk.proxy.not_approver", officer=officer_id))


def _next_link(conn: sqlite3.Connection, device_id: str) -> tuple[int, str]:
    """(seq, prev_hash) for the device's next entry."""
    last = conn.execute(
        "SELECT seq, hash FROM journal WHERE device_id = ? ORDER BY seq DESC LIMIT 1",
        (device_id,)).fetchone()
    seq, prev = (int(last[0]), last[1]) if last else (0, GENESIS)
    head = conn.execute("SELECT value FROM meta WHERE key = ?", (HEAD_KEY,)).fetchone()
    if head:
        seq_text, _, head_hash = head[0].partition(":")
        head_seq = int(seq_text) if seq_text.isdigit() else -1
        if (head_seq, head_hash) != (seq, prev):
            # Rows went missing behind our back: continue after the head so the hole stays
            # visible to `journal verify` instead of being papered over by a reused seq.
            log.error("journal head %s does not match the last entry %d", seq_text[:12], seq)
            if head_seq > seq:
                seq, prev = head_seq, head_hash
    return seq + 1, prev


def _append(conn: sqlite3.Connection, entry: dict[str, Any]) -> dict[str, Any]:
    seq, prev = _next_link(conn, entry["device_id"])
    entry.update(seq=seq, prev_hash=prev)
    entry["hash"] = entry_hash(entry)
    entry[SIGNATURE_FIELD] = device_key_in(conn).sign_entry(entry["hash"])
    conn.execute(_INSERT, [entry[c] for c in _COLUMNS])
    set_meta(conn, HEAD_KEY, f"{seq}:{entry['hash']}")
    return entry


def _site_name(conn: sqlite3.Connection, event_id: str) -> str:
    row = conn.execute("SELECT value FROM meta WHERE key = 'site_kelurahan'").fetchone()
    if row and row[0]:
        return str(row[0])
    row = conn.execute("SELECT site_kelurahan FROM events WHERE id = ?", (event_id,)).fetchone()
    return str(row[0]) if row else ""


def _recipient(conn: sqlite3.Connection, household_id: str,
               member_nik: str | None) -> tuple[str | None, str | None]:
    """The member who received: the one whose KTP was checked, else the designated one."""
    if member_nik:
        row = conn.execute("SELECT nik, name FROM members WHERE nik = ? AND household_id = ?",
                           (member_nik, household_id)).fetchone()
        if row:
            return row[0], row[1]
    row = conn.execute("SELECT nik, name FROM members WHERE household_id = ? "
                       "ORDER BY is_recipient DESC, nik LIMIT 1", (household_id,)).fetchone()
    return (row[0], row[1]) if row else (None, None)


def _device_id(conn: sqlite3.Connection) -> str:
    return str(conn.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()[0])


def _rules_or_raise(conn: sqlite3.Connection, event_id: str, *, photo: object,
                    signature: object, proxy: ProxyInfo | None) -> None:
    """The event's own rules: open, photo / signature required, proxy allowed and complete."""
    row = conn.execute("SELECT require_photo, require_signature, allow_proxy, status, kind "
                       "FROM events WHERE id = ?", (event_id,)).fetchone()
    if row is None:
        return  # the verdict (UNKNOWN) has refused already
    if row[4] not in (None, "handover"):  # enrolments and graduations have their own entries
        raise BekasiError(tr("journal.not_handover_event", event=event_id, kind=row[4]))
    if row[3] != "open":  # a closed day's BAST is signed: nothing more goes into it
        raise BekasiError(tr("journal.event_closed", event=event_id))
    if row[0] and photo is None:
        raise BekasiError(tr("journal.photo_required"))
    if row[1] and signature is None:
        raise BekasiError(tr("journal.signature_required"))
    if proxy is not None and not row[2]:
        raise BekasiError(tr("journal.proxy_not_allowed"))
    if proxy is not None and not (proxy.name.strip() and proxy.relationship.strip()):
        raise BekasiError(tr("journal.proxy_incomplete"))


def record_handover(*, site: Site, event_id: str, code: str, officer_id: str,
                    proxy: ProxyInfo | None = None, identity: IdentityCheck | None = None,
                    photo: bytes | str | os.PathLike[str] | None = None,
                    signature: bytes | str | os.PathLike[str] | None = None,
                    override_by: str | None = None, override_reason: str | None = None,
                    engine: VerdictEngine | None = None) -> RecordedEntry:
    """Record one hand-over, durably; HandoverRefused when the verdict does not allow it.

    An override (a supervisor letting a WRONG_SITE through) keeps the supervisor's reason in
    the entry's `reason` field, beside `override_by`."""
    own_engine = engine is None
    engine = engine or VerdictEngine(site.db)
    try:
        if photo is not None or signature is not None:
            # A first look outside the lock, so a refusal stores no evidence.
            _allowed_or_raise(engine.check(code, event_id=event_id), override_by)
            _rules_or_raise(engine.connection(), event_id, photo=photo, signature=signature,
                            proxy=proxy)
        evidence: dict[str, str] = {}
        for part, data in (("photo", photo), ("signature", signature)):
            if data is not None:
                evidence[part] = store_evidence(site.layout.evidence_dir, data,
                                                key=evidence_key(site))
        with _immediate(engine.connection()) as conn:
            _require_officer(conn, officer_id)
            if override_by is not None:
                _require_supervisor(conn, override_by)
            if identity is not None and identity.approved_by:
                _require_approver(conn, identity.approved_by)
            verdict = engine.check_in(conn, code, event_id=event_id)
            _allowed_or_raise(verdict, override_by)
            _rules_or_raise(conn, event_id, photo=photo, signature=signature, proxy=proxy)
            assert verdict.household_id is not None
            member: str | None = identity.member_nik if identity and identity.member_nik \
                else None
            if member is None and verdict.code_kind == "nik":
                member = digits_only(code)  # the KTP scanned is the person at the desk
            nik, name = _recipient(conn, verdict.household_id, member)
            entry = _append(conn, new_entry(
                uuid=str(uuidlib.uuid4()), device_id=_device_id(conn), kind="handover",
                event_id=event_id, household_id=verdict.household_id,
                officer_id=officer_id, site=_site_name(conn, event_id),
                recipient_nik=nik, recipient_name=name, is_proxy=proxy is not None,
                proxy_name=proxy.name.strip() if proxy else None,
                proxy_nik=proxy.nik if proxy else None,
                proxy_relationship=proxy.relationship.strip() if proxy else None,
                proxy_letter_seen=bool(proxy and proxy.letter_seen),
                identity=canonical_json(_identity_doc(identity, verdict)),
                evidence=canonical_json(evidence), code_kind=verdict.code_kind,
                scanned_code=code.strip()[:512], verdict=verdict.code.value,
                override_by=override_by if not verdict.allows_handover else None,
                reason=(override_reason or "").strip() or None
                if override_by is not None and not verdict.allows_handover else None,
                created_at=utc_now(),
            ))
        log.info("hand-over recorded: seq %d, event %s, household %s, verdict %s",
                 entry["seq"], event_id, verdict.household_id, verdict.code.value)
        return RecordedEntry(entry["uuid"], entry["seq"], verdict, entry["created_at"])
    finally:
        if own_engine:
            engine.close()


def _identity_doc(identity: IdentityCheck | None, verdict: Verdict) -> dict[str, Any]:
    doc: dict[str, Any] = {"required": verdict.needs_identity_check}
    if identity is not None:
        doc.update(member_nik=identity.member_nik, ktp_seen=identity.ktp_seen,
                   kk_seen=identity.kk_seen, checked_by=identity.checked_by)
        # Written only when set, so entries without a proxy approval read as before.
        if identity.proxy_ktp_seen:
            doc["proxy_ktp_seen"] = True
        if identity.approved_by:
            doc["approved_by"] = identity.approved_by
        if identity.ktp_read and identity.ktp_seen:
            doc["ktp_read"] = True  # set only when true: entries made before keep their hash
    return doc


def _allowed_or_raise(verdict: Verdict, override_by: str | None) -> None:
    if verdict.allows_handover or (verdict.allows_override and override_by is not None):
        return
    raise HandoverRefused(verdict)


def void_entry(*, site: Site, entry_uuid: str, supervisor_id: str, reason: str) -> RecordedEntry:
    """A supervisor voids a hand-over: a new entry pointing at it, never an update."""
    if not reason or not reason.strip():
        raise BekasiError(tr("journal.reason_required"))
    with site.db.transaction() as conn:
        _require_supervisor(conn, supervisor_id)
        row = conn.execute("SELECT kind, event_id, household_id FROM journal WHERE uuid = ?",
                           (entry_uuid,)).fetchone()
        if row is None:
            raise BekasiError(tr("journal.no_entry", uuid=entry_uuid))
        if row[0] not in VOIDABLE:
            raise BekasiError(tr("journal.not_handover", uuid=entry_uuid))
        if conn.execute("SELECT 1 FROM journal WHERE event_id = ? AND household_id = ? AND "
                        "kind = 'void' AND voids_uuid = ?", (row[1], row[2], entry_uuid)
                        ).fetchone():
            raise BekasiError(tr("journal.already_void", uuid=entry_uuid))
        # Everything a void does not say (recipient, proxy, evidence...) keeps its default.
        entry = _append(conn, new_entry(
            uuid=str(uuidlib.uuid4()), device_id=_device_id(conn), kind="void",
            event_id=row[1], household_id=row[2], officer_id=supervisor_id,
            site=_site_name(conn, row[1]), voids_uuid=entry_uuid, reason=reason.strip(),
            created_at=utc_now(),
        ))
    log.info("hand-over voided: seq %d voids %s", entry["seq"], entry_uuid)
    return RecordedEntry(entry["uuid"], entry["seq"], None, entry["created_at"], kind="void")


@dataclass(frozen=True)
class JournalRow:
    uuid: str
    device_id: str
    seq: int
    kind: str
    event_id: str
    household_id: str
    officer_id: str
    site: str
    recipient_name: str | None
    is_proxy: bool
    proxy_name: str | None
    verdict: str
    override_by: str | None
    voids_uuid: str | None
    voided: bool
    created_at: str
    received: bool


def list_entries(db: Database, *, event_id: str | None = None, limit: int = 50) -> list[JournalRow]:
    """The newest entries first (every device), with whether each hand-over was voided."""
    sql = ("SELECT j.uuid, j.device_id, j.seq, j.kind, j.event_id, j.household_id, j.officer_id, "
           "j.site, j.recipient_name, j.is_proxy, j.proxy_name, j.verdict, j.override_by, "
           "j.voids_uuid, EXISTS (SELECT 1 FROM journal v WHERE v.event_id = j.event_id AND "
           "v.household_id = j.household_id AND v.kind = 'void' AND v.voids_uuid = j.uuid), "
           "j.created_at, j.received_at IS NOT NULL FROM journal j")
    params: tuple[str, ...] = ()
    if event_id:
        sql += " WHERE j.event_id = ?"
        params = (event_id,)
    sql += " ORDER BY j.created_at DESC, j.seq DESC LIMIT ?"
    conn = db.raw()
    try:
        rows = conn.execute(sql, (*params, max(1, limit))).fetchall()
    finally:
        conn.close()
    return [JournalRow(
        uuid=r[0], device_id=r[1], seq=r[2], kind=r[3], event_id=r[4], household_id=r[5],
        officer_id=r[6], site=r[7], recipient_name=r[8], is_proxy=bool(r[9]), proxy_name=r[10],
        verdict=r[11], override_by=r[12], voids_uuid=r[13], voided=bool(r[14]),
        created_at=r[15], received=bool(r[16])) for r in rows]


@dataclass(frozen=True)
class JournalCheck:
    ok: bool
    entries: int
    first_bad: ChainProblem | None

    def as_dict(self) -> dict[str, Any]:
        bad = self.first_bad
        return {"ok": self.ok, "entries": self.entries, "first_bad": None if bad is None else {
            "device_id": bad.device_id, "seq": bad.seq, "uuid": bad.uuid, "problem": bad.problem}}


def _foreign_problem(rows: list[dict[str, Any]],
                     redacted: dict[str, str] | None = None) -> ChainProblem | None:
    """Entries learned from another device may arrive as a partial range: check every hash, and
    the links wherever two sequence numbers are adjacent."""
    prev: dict[str, Any] | None = None
    for e in rows:
        if prev is not None and int(e["seq"]) == int(prev["seq"]):
            return ChainProblem(e["device_id"], int(e["seq"]), e["uuid"], "duplicate_seq")
        if prev is not None and int(e["seq"]) == int(prev["seq"]) + 1 \
                and e["prev_hash"] != prev["hash"]:
            return ChainProblem(e["device_id"], int(e["seq"]), e["uuid"], "broken_link")
        if entry_hash(e) != (redacted or {}).get(e["uuid"], e["hash"]):
            return ChainProblem(e["device_id"], int(e["seq"]), e["uuid"], "edited")
        prev = e
    return None


def verify_journal(db: Database, *, for_push: bool = False) -> JournalCheck:
    """Check every device's chain; this device's chain must also end at the `journal_head`.

    `for_push` is sync's check before it pushes (run on every round, so it must not cost one
    signature check per entry ever made): every hash, link and the head as always, and the
    signature of this device's newest entry. That is enough for what a push sends: the hash
    chain ties every entry's content to the newest hash, so a rewrite re-hashed to the head
    leaves the newest entry's signature wrong; the hub checks every pushed entry's own
    signature on arrival. Entries of other devices are not pushed from here (the hub checked
    their signatures); `journal verify` checks every signature."""
    conn = db.raw()
    try:
        conn.row_factory = opener.Row
        rows = [dict(r) for r in conn.execute(
            f"SELECT {', '.join(_COLUMNS)}, received_at FROM journal ORDER BY device_id, seq")]
        head = conn.execute("SELECT value FROM meta WHERE key = ?", (HEAD_KEY,)).fetchone()
        own = conn.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
        keys = dict(conn.execute("SELECT id, public_key FROM devices").fetchall())
        has_private = existing_key(conn) is not None
        from bekasi_field.services.purge import redactions
        redacted = redactions(conn)  # entries a retention purge redacted (services/purge.py)
    finally:
        conn.close()
    own_id = own[0] if own else ""
    by_device: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_device.setdefault(r["device_id"], []).append(r)
    mine = by_device.pop(own_id, [])
    problem = check_chain(mine, redacted=redacted)
    if problem is None:
        problem = _head_problem(own_id, mine, head[0] if head else None)
    if problem is None and (keys.get(own_id) or has_private):
        # A desk from before signing has no key yet (its entries are signed when the key is
        # made); once there is one, every own entry must carry its signature.
        problem = signature_problem(mine[-1:] if for_push else mine, keys.get(own_id))
    for device, entries in sorted(by_device.items()):
        if problem is not None:
            break
        problem = _foreign_problem(entries, redacted)
        if problem is None and keys.get(device) and not for_push:  # keys from the hub
            problem = signature_problem(entries, keys[device])
    if problem is not None:
        log.warning("journal verify: %s at device %s seq %d", problem.problem,
                    problem.device_id, problem.seq)
    return JournalCheck(ok=problem is None, entries=len(rows), first_bad=problem)


def _head_problem(device_id: str, mine: list[dict[str, Any]],
                  head: str | None) -> ChainProblem | None:
    last = (int(mine[-1]["seq"]), mine[-1]["hash"]) if mine else (0, GENESIS)
    if head is None:
        if mine:  # entries without a head: the meta row itself was removed
            return ChainProblem(device_id, last[0], mine[-1]["uuid"], "head_missing")
        return None
    seq_text, _, head_hash = head.partition(":")
    try:
        head_seq = int(seq_text)
    except ValueError:
        return ChainProblem(device_id, last[0], None, "head_mismatch")
    if head_seq > last[0]:
        return ChainProblem(device_id, last[0] + 1, None, "tail_missing")
    if (head_seq, head_hash) != last:
        uuid = mine[-1]["uuid"] if mine else None
        return ChainProblem(device_id, last[0], uuid, "head_mismatch")
    return None
