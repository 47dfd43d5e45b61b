"""Hub operations on an open connection. Helpers never commit: the caller owns the transaction
(HubStore.write()), so an entry, its conflict row and the device's last_seen commit together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, func, select
from sqlmodel import SQLModel

from bekasi_field.domain import site_formats
from bekasi_field.domain.entry_signature import signature_problem
from bekasi_field.domain.journal_chain import GENESIS, check_chain
from bekasi_field.domain.journal_entry import ENTRY_COLUMNS
from bekasi_field.hub import authority, evidence_refs, held_voids
from bekasi_field.hub.models import (
    HubConflict,
    HubDevice,
    HubEnrolCode,
    HubEvidence,
    HubJournal,
    HubMeta,
    HubQuarantine,
)
from bekasi_field.hub.scope import SiteScope
from bekasi_field.sync.protocol import EntryIn, EntryResult, EntryStatus
from bekasi_field.sync.signing import token_hash

log = logging.getLogger(__name__)

# The one clock (domain.site_formats), named here too for this module's importers.
utc_now = site_formats.utc_now

HUB_DEVICE_PREFIX = "hub-"  # the device id of the hub's own journal: hub-<hub id>
HUB_ENTRY_KEY = "hub_entry_public_key"  # hub_meta key: the public half signing those entries
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


class HubRefusal(Exception):
    """A request the hub refuses: status 401/403/404/409/413 with an i18n key."""

    close_connection = False  # an upload refused before its body was read: do not read it

    # status and key positional-only: a message may well have a {status} of its own
    def __init__(self, status: int, key: str, /, **values: Any) -> None:
        super().__init__(key)
        self.status, self.key, self.values = status, key, values


# enrolment ----------------------------------------------------------------------------------
def _code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().replace("-", "").encode()).hexdigest()


def create_enrol_code(conn: Connection, *, site_kelurahan: str, valid_hours: float = 24) -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    now = dt.datetime.now(dt.UTC)
    conn.execute(HubEnrolCode.__table__.insert().values(
        code_hash=_code_hash(raw), site_kelurahan=site_kelurahan, created_at=utc_now(),
        expires_at=(now + dt.timedelta(hours=valid_hours)).isoformat(),
    ))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def enrol_device(conn: Connection, *, code: str, device_id: str, name: str,
                 public_key: str | None = None) -> tuple[str, str]:
    """Exchange a one-time code for a token; returns (token, site_kelurahan)."""
    t = HubEnrolCode.__table__
    row = conn.execute(select(t).where(t.c.code_hash == _code_hash(code))).mappings().first()
    if row is None or row["used_at"] is not None:
        raise HubRefusal(401, "hub.enrol_code_invalid")
    if dt.datetime.fromisoformat(row["expires_at"]) < dt.datetime.now(dt.UTC):
        raise HubRefusal(401, "hub.enrol_code_expired")
    d = HubDevice.__table__
    # "hub-..." names the hub's own journal (console decisions): no device may take it.
    if device_id.startswith(HUB_DEVICE_PREFIX) or conn.execute(
            select(d.c.id).where(d.c.id == device_id)).first():
        raise HubRefusal(409, "hub.device_exists", device=device_id)
    token = secrets.token_urlsafe(32)
    conn.execute(t.update().where(t.c.code_hash == row["code_hash"])
                 .values(used_at=utc_now(), device_id=device_id))
    conn.execute(d.insert().values(
        id=device_id, name=name, site_kelurahan=row["site_kelurahan"],
        token_hash=token_hash(token), revoked=False, enrolled_at=utc_now(),
        public_key=public_key,
    ))
    log.info("device %s enrolled", device_id)
    return token, row["site_kelurahan"]


def authenticate(conn: Connection, token: str | None) -> dict[str, Any]:
    if not token:
        raise HubRefusal(401, "hub.auth_missing")
    d = HubDevice.__table__
    row = conn.execute(select(d).where(d.c.token_hash == token_hash(token))).mappings().first()
    if row is None:
        raise HubRefusal(401, "hub.auth_wrong")
    if row["revoked"]:
        raise HubRefusal(403, "hub.device_revoked", device=row["id"])
    return dict(row)


def register_device_key(conn: Connection, *, device_id: str, public_key: str) -> None:
    """A device enrolled before entries were signed registers its key, once: a key already
    registered is never replaced by a device (a stolen token must not re-key the journal)."""
    d = HubDevice.__table__
    have = conn.execute(select(d.c.public_key).where(d.c.id == device_id)).scalar_one_or_none()
    if have == public_key:
        return
    if have:
        raise HubRefusal(409, "hub.device_key_exists", device=device_id)
    conn.execute(d.update().where(d.c.id == device_id).values(public_key=public_key))
    log.info("device %s registered its signing key", device_id)


def device_keys(conn: Connection, device_ids: set[str]) -> dict[str, str]:
    d = HubDevice.__table__
    if not device_ids:
        return {}
    keys = {i: k for i, k in conn.execute(select(d.c.id, d.c.public_key).where(
        d.c.id.in_(sorted(device_ids)))).all() if k}
    if any(i.startswith(HUB_DEVICE_PREFIX) for i in device_ids):
        keys.update(_hub_entry_key(conn, device_ids))
    return keys


def _hub_entry_key(conn: Connection, device_ids: set[str]) -> dict[str, str]:
    """The key of the hub's own journal entries (console decisions), kept in hub_meta."""
    m = HubMeta.__table__
    meta = dict(conn.execute(select(m.c.key, m.c.value).where(
        m.c.key.in_(("hub_id", HUB_ENTRY_KEY)))).all())
    own = f"{HUB_DEVICE_PREFIX}{meta.get('hub_id')}"
    return {own: meta[HUB_ENTRY_KEY]} if own in device_ids and meta.get(HUB_ENTRY_KEY) else {}


def list_devices(conn: Connection) -> list[dict[str, Any]]:
    d, j = HubDevice.__table__, HubJournal.__table__
    heads: dict[str, int] = dict(conn.execute(select(j.c.device_id, func.max(j.c.seq)).group_by(j.c.device_id))
                 .all())
    return [{"id": r["id"], "site_kelurahan": r["site_kelurahan"], "revoked": bool(r["revoked"]),
             "enrolled_at": r["enrolled_at"], "last_seen": r["last_seen"],
             "acked_seq": int(heads.get(r["id"]) or 0)}
            for r in conn.execute(select(d).order_by(d.c.enrolled_at)).mappings()]


def revoke_device(conn: Connection, device_id: str) -> bool:
    d = HubDevice.__table__
    return conn.execute(d.update().where(d.c.id == device_id).values(revoked=True)).rowcount > 0


# journal ------------------------------------------------------------------------------------
def device_head(conn: Connection, device_id: str) -> tuple[int, str]:
    j = HubJournal.__table__
    row = conn.execute(
        select(j.c.seq, j.c.hash).where(j.c.device_id == device_id)
        .order_by(j.c.seq.desc()).limit(1)
    ).first()
    return (int(row[0]), row[1]) if row else (0, GENESIS)


@dataclass
class IngestResult:
    acked_seq: int
    results: list[EntryResult]
    new_conflicts: int
    problem: str | None


def _quarantine(conn: Connection, *, device_id: str, problem: str, seq: int | None,
                uuid: str | None, entries: list[dict[str, Any]]) -> None:
    conn.execute(HubQuarantine.__table__.insert().values(
        device_id=device_id, problem=problem, seq=seq, uuid=uuid, received_at=utc_now(),
        payload=json.dumps(entries, ensure_ascii=False, sort_keys=True),
    ))
    log.warning("quarantined %d entries of device %s: %s at seq %s",
                len(entries), device_id, problem, seq)


def ingest(conn: Connection, *, device_id: str, entries: list[EntryIn]) -> IngestResult:
    """Store one pushed batch: idempotent replays, chain-checked tail, conflicts recorded."""
    j = HubJournal.__table__
    rows = sorted((e.model_dump() for e in entries), key=lambda r: r["seq"])
    foreign = [r for r in rows if r["device_id"] != device_id]
    if foreign:
        raise HubRefusal(403, "hub.not_your_journal", device=device_id)
    head_seq, head_hash = device_head(conn, device_id)
    results: dict[str, EntryStatus] = {}
    replay = [r for r in rows if r["seq"] <= head_seq]
    tail = [r for r in rows if r["seq"] > head_seq]
    problem: str | None = None
    if replay:
        have = {
            int(s): (u, h) for s, u, h in conn.execute(
                select(j.c.seq, j.c.uuid, j.c.hash).where(
                    j.c.device_id == device_id, j.c.seq.in_([r["seq"] for r in replay])))
        }
        for r in replay:
            if have.get(r["seq"]) == (r["uuid"], r["hash"]):
                results[r["uuid"]] = "duplicate"
            else:  # same place in the chain, other content: never overwritten
                results[r["uuid"]] = "refused"
                problem = problem or "uuid_mismatch"
                _quarantine(conn, device_id=device_id, problem="uuid_mismatch", seq=r["seq"],
                            uuid=r["uuid"], entries=[r])
    new_conflicts = 0
    if tail:
        bad = check_chain(tail, start_seq=head_seq + 1, start_prev=head_hash)
        known: set[str] = set()
        uuids = [r["uuid"] for r in tail]
        if bad is None:
            # The chain is intact: now the key. A re-hashed rewrite passes the chain check
            # but cannot carry the device's signature.
            bad = signature_problem(tail, device_keys(conn, {device_id}).get(device_id))
        if bad is None:  # signed by the device: does the registry allow it?
            bad = authority.registry_problem(conn, device=_device_row(conn, device_id),
                                             rows=tail)
        if bad is None and len(set(uuids)) != len(uuids):
            known = {u for u in uuids if uuids.count(u) > 1}  # one uuid twice in the batch
        elif bad is None:
            known = set(conn.execute(select(j.c.uuid).where(j.c.uuid.in_(uuids))).scalars())
        if bad is not None or known:
            kind = bad.problem if bad is not None else "uuid_mismatch"
            problem = problem or kind
            _quarantine(conn, device_id=device_id, problem=kind,
                        seq=bad.seq if bad else None, uuid=bad.uuid if bad else None,
                        entries=tail)
            for r in tail:
                results[r["uuid"]] = "quarantined"
        else:
            reasons = authority.voids_to_hold(conn, rows=tail)
            _insert_entries(conn, tail, received_at=utc_now())
            held_voids.hold(conn, entries=tail, reasons=reasons,
                            sites=_event_sites(conn, {r["event_id"] for r in tail}))
            for r in tail:
                results[r["uuid"]] = "stored"
            new_conflicts = update_conflicts(
                conn, pairs={(r["event_id"], r["household_id"]) for r in tail})
    d = HubDevice.__table__
    conn.execute(d.update().where(d.c.id == device_id).values(last_seen=utc_now()))
    acked, _ = device_head(conn, device_id)
    return IngestResult(
        acked_seq=acked,
        results=[EntryResult(uuid=r["uuid"], seq=r["seq"], status=results[r["uuid"]])
                 for r in rows],
        new_conflicts=new_conflicts, problem=problem,
    )


def _device_row(conn: Connection, device_id: str) -> dict[str, Any]:
    d = HubDevice.__table__
    row = conn.execute(select(d).where(d.c.id == device_id)).mappings().first()
    return dict(row) if row else {}


def _event_sites(conn: Connection, event_ids: set[str]) -> dict[str, str]:
    ev = SQLModel.metadata.tables["events"]
    return dict(conn.execute(select(ev.c.id, ev.c.site_kelurahan)
                             .where(ev.c.id.in_(sorted(event_ids)))).all())


def _insert_entries(conn: Connection, rows: list[dict[str, Any]], *, received_at: str) -> None:
    """The hot path of a push: a plain driver executemany (SQLAlchemy's per-row parameter
    processing cost more than the insert itself)."""
    cols = (*ENTRY_COLUMNS, "received_at")
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {HubJournal.__tablename__} ({', '.join(cols)}) "
           f"VALUES ({', '.join([mark] * len(cols))})")
    conn.exec_driver_sql(sql, [tuple(r.get(c) for c in ENTRY_COLUMNS) + (received_at,)
                               for r in rows])
    evidence_refs.record(conn, rows)  # what these entries name may now be uploaded


COUNTED_KINDS = ("handover", "enrolment", "graduation")


def doubles(rows: list) -> list:  # type: ignore[type-arg]
    """The live entries of one (event, household) that make a conflict: hand-overs (or
    graduations) of the household more than once, and enrolments of one person more than once
    (two workers of one household are two people, not a conflict)."""
    by_key: dict[tuple[str, str | None], list] = {}  # type: ignore[type-arg]
    for r in rows:
        key = (r.kind, r.recipient_nik if r.kind == "enrolment" else None)
        by_key.setdefault(key, []).append(r)
    return [r for group in by_key.values() if len(group) >= 2 for r in group]


def update_conflicts(conn: Connection, *, pairs: set[tuple[str, str]]) -> int:
    """Record (or resolve) conflicts for these (event, household) pairs; returns new ones."""
    if not pairs:
        return 0
    j, c = HubJournal.__table__, HubConflict.__table__
    by_event: dict[str, list[str]] = {}
    for event_id, household_id in pairs:
        by_event.setdefault(event_id, []).append(household_id)
    rows: list[Row[*tuple[Any, ...]]] = []
    existing: dict[tuple[str, str], Row[*tuple[Any, ...]]] = {}
    # One event at a time with a plain IN list: both tables' (event_id, household_id)
    # indexes serve it on SQLite and PostgreSQL alike.
    suspects: set[tuple[str, str]] = set()
    for event_id, households in sorted(by_event.items()):
        households.sort()
        for i in range(0, len(households), 500):
            chunk = households[i:i + 500]
            # Most hand-overs are a household's first in the event: one aggregate finds the
            # few pairs with more than one entry (hand-overs or voids) worth a closer look.
            multi = conn.execute(
                select(j.c.household_id)
                .where(j.c.event_id == event_id, j.c.household_id.in_(chunk))
                .group_by(j.c.household_id).having(func.count() > 1)
            ).scalars().all()
            if not multi:
                continue
            suspects |= {(event_id, h) for h in multi}
            rows += conn.execute(
                select(j.c.event_id, j.c.household_id, j.c.uuid, j.c.kind, j.c.voids_uuid,
                       j.c.device_id, j.c.hub_seq, j.c.recipient_nik)
                .where(j.c.event_id == event_id, j.c.household_id.in_(multi))
                .order_by(j.c.hub_seq)
            ).all()
            for r in conn.execute(select(c).where(c.c.event_id == event_id,
                                                  c.c.household_id.in_(multi))):
                existing[(r.event_id, r.household_id)] = r
    pair_list = sorted(suspects)
    # A held void changes nothing until a supervisor at the hub accepts it.
    on_hold = held_voids.unapplied(conn, [r.uuid for r in rows if r.kind == "void"])
    voided = {r.voids_uuid for r in rows
              if r.kind == "void" and r.voids_uuid and r.uuid not in on_hold}
    live: dict[tuple[str, str], list[Row[*tuple[Any, ...]]]] = {}
    for r in rows:
        if r.kind in COUNTED_KINDS and r.uuid not in voided:
            live.setdefault((r.event_id, r.household_id), []).append(r)
    new = 0
    now = utc_now()
    for pair in pair_list:
        handovers = doubles(live.get(pair, []))
        entries = json.dumps([r.uuid for r in handovers])
        devices = json.dumps(sorted({r.device_id for r in handovers}))
        old = existing.get(pair)
        if len(handovers) >= 2:
            if old is None:
                conn.execute(c.insert().values(
                    event_id=pair[0], household_id=pair[1], entries=entries, devices=devices,
                    status="open", detected_at=now, updated_at=now))
                new += 1
                log.warning("conflict: household %s collected %d times in event %s",
                            pair[1], len(handovers), pair[0])
            elif old.entries != entries:  # news since it was looked at: back on the list
                conn.execute(c.update().where(c.c.id == old.id).values(
                    entries=entries, devices=devices, status="open", updated_at=now))
        elif old is not None and old.status == "open":
            conn.execute(c.update().where(c.c.id == old.id).values(
                entries=entries, devices=devices, status="resolved", updated_at=now))
    return new


def review_conflict(conn: Connection, *, conflict_id: int) -> bool:
    """A supervisor has looked at it (e.g. a BAST correction was made): off the open list."""
    c = HubConflict.__table__
    return conn.execute(c.update().where(c.c.id == conflict_id)
                        .values(status="reviewed", updated_at=utc_now())).rowcount > 0


def list_conflicts(conn: Connection, *, status: str | None = "open",
                   device_id: str | None = None) -> list[dict[str, Any]]:
    c = HubConflict.__table__
    q = select(c).order_by(c.c.id)
    if status:
        q = q.where(c.c.status == status)
    out = []
    for r in conn.execute(q).mappings():
        devices = json.loads(r["devices"])
        if device_id and device_id not in devices:
            continue
        out.append({"id": r["id"], "event_id": r["event_id"], "household_id": r["household_id"],
                    "entries": json.loads(r["entries"]), "devices": devices,
                    "status": r["status"], "detected_at": r["detected_at"]})
    return out


def list_quarantine(conn: Connection) -> list[dict[str, Any]]:
    q = HubQuarantine.__table__
    return [{"id": r["id"], "device_id": r["device_id"], "problem": r["problem"],
             "seq": r["seq"], "uuid": r["uuid"], "received_at": r["received_at"],
             "entries": len(json.loads(r["payload"]))}
            for r in conn.execute(select(q).order_by(q.c.id)).mappings()]


def journal_page(conn: Connection, *, exclude_device: str | None, after: int,
                 limit: int, scope: SiteScope | None = None
                 ) -> tuple[list[dict[str, Any]], int, bool]:
    """Stored entries of other devices after the cursor (hub_seq), oldest first; with `scope`
    only those of a device's site's households and events (hub/scope.py)."""
    j = HubJournal.__table__
    # The upper bound is read first so the cursor never skips a batch committed meanwhile.
    last = int(conn.execute(select(func.max(j.c.hub_seq))).scalar_one_or_none() or 0)
    q = (select(j).where(j.c.hub_seq > after, j.c.hub_seq <= last)
         .order_by(j.c.hub_seq).limit(limit + 1))
    if exclude_device:
        q = q.where(j.c.device_id != exclude_device)
    # Held voids go out only once accepted, through held_voids.released_page.
    q = q.where(j.c.uuid.not_in(held_voids.held_uuids_query()))
    if scope is not None:
        q = q.where(scope.journal_filter(j))
    rows = [dict(r) for r in conn.execute(q).mappings()]
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = rows[-1]["hub_seq"] if more else max(last, after)
    return [{k: r[k] for k in ENTRY_COLUMNS} for r in rows], int(cursor), more


# evidence -----------------------------------------------------------------------------------
def store_evidence(conn: Connection, *, sha256: str, data: bytes) -> bool:
    """Store a blob named by its hash; False when the bytes do not match the name."""
    if hashlib.sha256(data).hexdigest() != sha256:
        return False
    e = HubEvidence.__table__
    if conn.execute(select(e.c.sha256).where(e.c.sha256 == sha256)).first() is None:
        conn.execute(e.insert().values(sha256=sha256, size=len(data), data=data,
                                       received_at=utc_now()))
    return True
