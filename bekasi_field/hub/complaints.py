"""Hub operations on complaints / DTSEN update proposals, on an open connection.

Like hub/crud.py, helpers are keyword-only and never commit: the caller owns the transaction
(HubStore.write()). A pushed complaint is stored once per uuid, exactly as the desk signed it;
the hub only moves its follow-up status. Listings mask the NIK unless the caller asks for the
full value (the DTSEN proposal export, whose point is the full number).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Connection, func, select

from bekasi_field.domain import complaint_record as cr
from bekasi_field.domain.identifiers import mask
from bekasi_field.hub.crud import HubRefusal, utc_now
from bekasi_field.hub.models import HubComplaint
from bekasi_field.sync.complaint_protocol import ComplaintIn, ComplaintResult, ComplaintStatus
from bekasi_field.sync.signing import verify

log = logging.getLogger(__name__)

_T = HubComplaint.__table__
_STORED = (*cr.SIGNED_FIELDS, "signature")


def complaints_head(conn: Connection, *, device_id: str) -> int:
    """The highest sequence up to which every complaint of the device is held."""
    seqs = conn.execute(select(_T.c.seq).where(_T.c.device_id == device_id)
                        .order_by(_T.c.seq)).scalars().all()
    head = 0
    for s in seqs:
        if s != head + 1:
            break
        head = s
    return head


def _problem(row: dict[str, Any], *, device_id: str, public_key: str | None) -> str | None:
    if row["device_id"] != device_id:
        return "wrong_device"
    if row["number"] != cr.complaint_number(row["uuid"]):
        return "bad_number"
    if row["category"] not in cr.CATEGORIES:
        return "bad_category"
    if public_key and not verify(public_key, cr.signed_bytes(row), row["signature"] or ""):
        return "bad_signature"
    return None


def ingest_complaints(conn: Connection, *, device_id: str, complaints: list[ComplaintIn],
                      public_key: str | None) -> tuple[int, list[ComplaintResult], str | None]:
    """Store a pushed batch: (acked_seq, a result per complaint, the first problem or None).

    `public_key` is the device's Ed25519 key as the hub registered it; with it every signature
    must verify, without it (a device enrolled before device keys) the complaint is kept with
    signature_ok NULL so a reviewer can see it was not verified.
    """
    if any(c.device_id != device_id for c in complaints):
        raise HubRefusal(403, "hub.not_your_journal", device=device_id)
    rows = sorted((c.model_dump() for c in complaints), key=lambda r: r["seq"])
    have = {r["uuid"]: r for r in conn.execute(
        select(*(_T.c[f] for f in _STORED)).where(_T.c.uuid.in_([r["uuid"] for r in rows]))
    ).mappings()} if rows else {}
    taken = {int(s): u for s, u in conn.execute(
        select(_T.c.seq, _T.c.uuid).where(_T.c.device_id == device_id,
                                          _T.c.seq.in_([r["seq"] for r in rows])))} if rows else {}
    results: list[ComplaintResult] = []
    status: ComplaintStatus
    problem: str | None = None
    now = utc_now()
    for r in rows:
        old = have.get(r["uuid"])
        if old is not None:
            same = all(old[f] == r[f] for f in _STORED)
            status = "duplicate" if same else "refused"
            problem = problem or (None if same else "changed")
        elif r["seq"] in taken:
            status, problem = "refused", problem or "duplicate_seq"
        elif (bad := _problem(r, device_id=device_id, public_key=public_key)) is not None:
            status, problem = "refused", problem or bad
        else:
            conn.execute(_T.insert().values(
                **{f: r[f] for f in _STORED}, signature_ok=True if public_key else None,
                received_at=now, status="new", status_note="", status_by="", status_at=now))
            taken[r["seq"]] = r["uuid"]
            status = "stored"
        if status == "refused":
            log.warning("complaint seq %d of device %s refused: %s", r["seq"], device_id, problem)
        results.append(ComplaintResult(uuid=r["uuid"], seq=r["seq"], status=status))
    return complaints_head(conn, device_id=device_id), results, problem


def _out(r: Any, *, full_nik: bool) -> dict[str, Any]:
    doc = {k: r[k] for k in (
        "id", "number", "uuid", "device_id", "seq", "created_at", "officer_id", "site",
        "event_id", "verdict", "household_id", "name", "address", "rt", "rw", "kelurahan",
        "phone", "category", "note", "signature_ok", "received_at", "status", "status_note",
        "status_by", "status_at")}
    doc["nik_masked"] = mask(r["nik"])
    if full_nik:
        doc["nik"] = r["nik"]
    return doc


def list_complaints(conn: Connection, *, status: str | None = None,
                    kelurahan: str | None = None, site: str | None = None,
                    open_only: bool = False, full_nik: bool = False,
                    limit: int | None = None) -> list[dict[str, Any]]:
    """Complaints oldest first; `open_only`: not yet resolved or rejected."""
    q = select(_T).order_by(_T.c.created_at, _T.c.id)
    if status:
        q = q.where(_T.c.status == status)
    if open_only:
        q = q.where(_T.c.status.not_in(("resolved", "rejected")))
    if kelurahan:
        q = q.where(func.lower(_T.c.kelurahan) == kelurahan.strip().lower())
    if site:
        q = q.where(func.lower(_T.c.site) == site.strip().lower())
    if limit:
        q = q.limit(limit)
    return [_out(r, full_nik=full_nik) for r in conn.execute(q).mappings()]


def get_complaint(conn: Connection, *, complaint_id: str,
                  full_nik: bool = False) -> dict[str, Any] | None:
    """By number (ADU-XXXX-XXXX, any case) or uuid."""
    key = complaint_id.strip()
    r = conn.execute(select(_T).where((_T.c.number == key.upper()) | (_T.c.uuid == key))
                     ).mappings().first()
    return None if r is None else _out(r, full_nik=full_nik)


def set_complaint_status(conn: Connection, *, complaint_id: str, status: str, by: str,
                         note: str = "") -> dict[str, Any]:
    """Move the follow-up (who did it and why are kept); HubRefusal 404 / 422."""
    if status not in cr.STATUSES:
        raise HubRefusal(422, "hub.complaint_bad_status", status=status,
                         allowed=", ".join(cr.STATUSES))
    found = get_complaint(conn, complaint_id=complaint_id)
    if found is None:
        raise HubRefusal(404, "hub.unknown_complaint", id=complaint_id)
    conn.execute(_T.update().where(_T.c.id == found["id"]).values(
        status=status, status_note=note.strip()[:1000], status_by=by, status_at=utc_now()))
    log.info("complaint %s: status %s by %s", found["number"], status, by)
    updated = get_complaint(conn, complaint_id=found["uuid"])
    assert updated is not None
    return updated


def complaint_counts(conn: Connection) -> dict[str, int]:
    """Complaints per follow-up status (every status present, zero when none)."""
    counts: dict[str, int] = dict(conn.execute(select(_T.c.status, func.count()).group_by(_T.c.status)).all())
    return {s: int(counts.get(s, 0)) for s in cr.STATUSES}
