"""Distribution events and their entitlements (one per active, enrolled household served).

Written with SQLAlchemy Core on a plain Engine: the device (SQLite) and the hub (SQLite or
PostgreSQL) create events with the same function.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, bindparam, insert, select, text

from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr
from bekasi_field.store.db import utc_now
from bekasi_field.store.models import Entitlement, Event
from bekasi_field.store.roster_wilayah import wilayah

log = logging.getLogger(__name__)

PROGRAMMES = ("KKS", "BLT", "BPNT", "PKH", "BPJSTK")
KINDS = ("handover", "enrolment", "graduation")
# The one programme each non-hand-over kind belongs to.
KIND_PROGRAMME = {"enrolment": "BPJSTK", "graduation": "PKH"}


@dataclass(frozen=True)
class ProgrammeDefault:
    item: str
    amount: int | None


# What each household receives unless the event says otherwise (issue 2 item 5).
DEFAULTS: dict[str, ProgrammeDefault] = {
    "KKS": ProgrammeDefault("Kartu KKS", None),
    "BLT": ProgrammeDefault("BLT tunai", 250_000),
    "BPNT": ProgrammeDefault("Beras 10 kg", None),
    "PKH": ProgrammeDefault("Bantuan PKH", None),
    "BPJSTK": ProgrammeDefault("Iuran BPJS Ketenagakerjaan 1 tahun (JKK + JKM)", 201_000),
}

_EVENTS = Event.__table__  # type: ignore[attr-defined]
_ENTITLEMENTS = Entitlement.__table__  # type: ignore[attr-defined]
# Crockford base32 without I, L, O, U: serials are read aloud and typed at the desk.
_SERIAL_ALPHABET = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789ABCDEFGHJKMNPQRSTVWXYZ")
SERIAL_LENGTH = 12


@dataclass(frozen=True)
class EventInfo:
    id: str
    name: str
    programme: str
    site_kelurahan: str
    served_kelurahan: list[str]
    start_date: dt.date
    end_date: dt.date
    item: str
    amount: int | None
    require_photo: bool
    require_signature: bool
    allow_proxy: bool
    status: str
    entitlements: int = 0
    kind: str = "handover"
    params: dict[str, object] = field(default_factory=dict)

    @property
    def id_check(self) -> bool:
        """A signed slip is handed over only after the officer matched the KTP/KK (one key).
        On unless the event was created without it (`--no-id-check`): params["id_check"]."""
        return self.params.get("id_check") is not False

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id, "event_id": self.id, "name": self.name, "programme": self.programme,
            "site_kelurahan": self.site_kelurahan, "served_kelurahan": self.served_kelurahan,
            "start_date": self.start_date.isoformat(), "end_date": self.end_date.isoformat(),
            "item": self.item, "amount": self.amount, "require_photo": self.require_photo,
            "require_signature": self.require_signature, "allow_proxy": self.allow_proxy,
            "status": self.status, "entitlements": self.entitlements, "kind": self.kind,
            "params": self.params, "id_check": self.id_check,
        }


@dataclass(frozen=True)
class EventCreated:
    event_id: str
    entitlements: int
    selection: Any = None  # services.selection.SelectionResult of an enrolment event


def slip_serial(salt: bytes, event_id: str, household_id: str) -> str:
    digest = hashlib.blake2b(f"{event_id}\x1f{household_id}".encode(), key=salt[:64],
                             digest_size=10).digest()
    return base64.b32encode(digest).decode()[:SERIAL_LENGTH].translate(_SERIAL_ALPHABET)


def canonical_kelurahan(name: str) -> str:
    """The canonical spelling, or BekasiError naming the close matches."""
    w = wilayah()
    found = w.canonical_kelurahan(name)
    if found is None:
        close = w.close_kelurahan(name) or w.kelurahan
        raise BekasiError(tr("event.unknown_kelurahan", name=name.strip(), close=", ".join(close)))
    return found


def _as_date(value: dt.date | str, what: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):  # ISO, or as people write it here
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise BekasiError(tr("event.bad_date", what=what, value=value))


def _slug(name: str) -> str:
    return "".join(ch for ch in name.upper() if ch.isalnum())


def create_event(
    engine: Engine,
    *,
    programme: str,
    site_kelurahan: str,
    served_kelurahan: list[str],
    start_date: dt.date | str,
    end_date: dt.date | str,
    item: str | None = None,
    amount: int | None = None,
    name: str | None = None,
    require_photo: bool = False,
    require_signature: bool = False,
    allow_proxy: bool = True,
    event_id: str | None = None,
    serial_salt: bytes | None = None,
    kind: str = "handover",
    params: dict[str, object] | None = None,
    id_check: bool = True,
) -> EventCreated:
    """Create an event and allocate its entitlements in one transaction.

    An enrolment event allocates to persons by services.selection (params: quota, priority,
    occupations, cover, budget); a graduation event to the programme's households (params:
    target), like a hand-over.
    """
    prog = programme.strip().upper().replace(" ", "").replace("-", "")
    if prog not in PROGRAMMES:
        raise BekasiError(tr("event.unknown_programme", name=programme, known=", ".join(PROGRAMMES)))
    kind = (kind or "handover").strip().lower()
    if kind not in KINDS:
        raise BekasiError(tr("event.unknown_kind", kind=kind, known=", ".join(KINDS)))
    if kind in KIND_PROGRAMME and KIND_PROGRAMME[kind] != prog:
        raise BekasiError(tr("event.kind_programme", kind=kind, programme=KIND_PROGRAMME[kind]))
    site = canonical_kelurahan(site_kelurahan)
    served: list[str] = []
    for kel in served_kelurahan or [site]:
        if kel.strip():
            canon = canonical_kelurahan(kel)
            if canon not in served:
                served.append(canon)
    start, end = _as_date(start_date, "start"), _as_date(end_date, "end")
    if end < start:
        raise BekasiError(tr("event.end_before_start", start=start, end=end))
    if amount is not None and amount < 0:
        raise BekasiError(tr("event.bad_amount", amount=amount))
    default = DEFAULTS[prog]
    item = (item or "").strip() or default.item
    if amount is None and item == default.item:
        amount = default.amount
    if kind == "graduation" and item == default.item:
        item, amount = "Graduasi PKH", None
    prefix = {"handover": "Penyaluran", "enrolment": "Pendaftaran",
              "graduation": "Graduasi"}[kind]
    name = (name or "").strip() or f"{prefix} {prog} {site} {start:%d/%m/%Y}"
    if kind == "enrolment":
        from bekasi_field.services.selection import enrolment_params
        params = enrolment_params(params or {}, start=start, premium=amount)
    if not id_check:  # stored with the event (and so in the hub's snapshot): off is the exception
        params = {**(params or {}), "id_check": False}
    stored_params = json.dumps(params or {}, sort_keys=True, separators=(",", ":"),
                               ensure_ascii=False)
    salt = serial_salt if serial_salt is not None else secrets.token_bytes(16)

    with engine.begin() as conn:
        existing = set(conn.execute(select(_EVENTS.c.id)).scalars())
        if event_id:
            event_id = event_id.strip()
            if event_id in existing:
                raise BekasiError(tr("event.exists", event_id=event_id))
        else:
            base = f"{prog}-{_slug(site)}-{start:%Y%m%d}"
            event_id, n = base, 1
            while event_id in existing:
                n += 1
                event_id = f"{base}-{n}"
        conn.execute(insert(_EVENTS), [{
            "id": event_id, "name": name, "programme": prog, "site_kelurahan": site,
            "served_kelurahan": json.dumps(served, ensure_ascii=False), "start_date": start,
            "end_date": end, "item": item, "amount": amount, "require_photo": require_photo,
            "require_signature": require_signature, "allow_proxy": allow_proxy,
            "status": "open", "created_at": utc_now(), "version": 0, "kind": kind,
            "params": stored_params,
        }])
        if kind == "enrolment":
            from bekasi_field.services.selection import allocate_persons
            chosen = allocate_persons(conn, event_id=event_id, programme=prog, served=served,
                                      start=start, item=item, amount=amount,
                                      params=params or {})
            log.info("enrolment event %s created: %d persons selected", event_id,
                     chosen.counts["selected"])
            return EventCreated(event_id=event_id, entitlements=chosen.counts["selected"],
                                selection=chosen)
        # programs is a sorted comma list ("BPNT,KKS,PKH"): match whole names, not substrings.
        query = text(
            "SELECT id FROM households WHERE status = 'active' AND kelurahan IN :served "
            "AND (',' || programs || ',') LIKE :pattern ORDER BY id"
        ).bindparams(bindparam("served", expanding=True))
        ids = list(conn.execute(query, {"served": served, "pattern": f"%,{prog},%"}).scalars())
        rows = []
        seen: set[str] = set()
        for hid in ids:
            serial = slip_serial(salt, event_id, hid)
            n = 0
            while serial in seen:  # a collision inside one event: derive again, deterministically
                n += 1
                serial = slip_serial(salt, event_id, f"{hid}#{n}")
            seen.add(serial)
            rows.append({"event_id": event_id, "household_id": hid, "item": item,
                         "amount": amount, "slip_serial": serial, "version": 0})
        for i in range(0, len(rows), 20_000):
            conn.execute(insert(_ENTITLEMENTS), rows[i:i + 20_000])
    log.info("event %s created: %d entitlements", event_id, len(rows))
    return EventCreated(event_id=event_id, entitlements=len(rows))


def _info(row: object, count: int) -> EventInfo:
    r = row._mapping  # type: ignore[attr-defined]
    return EventInfo(
        id=r["id"], name=r["name"], programme=r["programme"], site_kelurahan=r["site_kelurahan"],
        served_kelurahan=list(json.loads(r["served_kelurahan"] or "[]")),
        start_date=_as_date(r["start_date"], "start"), end_date=_as_date(r["end_date"], "end"),
        item=r["item"], amount=r["amount"], require_photo=bool(r["require_photo"]),
        require_signature=bool(r["require_signature"]), allow_proxy=bool(r["allow_proxy"]),
        status=r["status"], entitlements=count, kind=r["kind"] or "handover",
        params=dict(json.loads(r["params"] or "{}")),
    )


def _counts(conn: object) -> dict[str, int]:
    out: dict[str, int] = {}
    for table in ("entitlements", "person_entitlements"):
        rows = conn.execute(text(  # type: ignore[attr-defined]
            f"SELECT event_id, count(*) FROM {table} GROUP BY event_id"))
        for r in rows:
            out[r[0]] = out.get(r[0], 0) + int(r[1])
    return out


def list_events(engine: Engine) -> list[EventInfo]:
    with engine.connect() as conn:
        counts = _counts(conn)
        rows = conn.execute(select(_EVENTS).order_by(_EVENTS.c.start_date, _EVENTS.c.id)).all()
    return [_info(r, counts.get(r.id, 0)) for r in rows]


def get_event(engine: Engine, event_id: str) -> EventInfo:
    with engine.connect() as conn:
        row = conn.execute(select(_EVENTS).where(_EVENTS.c.id == event_id)).first()
        if row is None:
            known = list(conn.execute(select(_EVENTS.c.id).order_by(_EVENTS.c.id)).scalars())
            raise BekasiError(tr("event.unknown", event_id=event_id,
                                 known=", ".join(known) or "-"))
        count = sum(int(conn.execute(
            text(f"SELECT count(*) FROM {t} WHERE event_id = :e"), {"e": event_id}
        ).scalar_one()) for t in ("entitlements", "person_entitlements"))
    return _info(row, int(count))
