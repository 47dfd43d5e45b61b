"""Live claims at the hub: one desk at a time may hand a household (or a person) over.

Helpers never commit (HubStore.write() owns the transaction and serialises writers on SQLite and
PostgreSQL alike; the unique (event_id, subject) key is the backstop). A subject is taken when
the hub holds a hand-over for it that no void cancelled, or while another desk's claim is held,
unexpired, and not yet followed by that desk's stored entry.
"""

from __future__ import annotations

import logging
import time
import uuid as uuidlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, exists, select
from sqlalchemy.orm import aliased

from bekasi_field.hub.crud import utc_now
from bekasi_field.hub.models import HubClaim, HubJournal
from bekasi_field.sync.live_protocol import ClaimState

log = logging.getLogger(__name__)

# Kinds of entries that use up a subject (enrolment events add their own kind here).
COLLECTING_KINDS: tuple[str, ...] = ("handover", "enrolment")


def subject_key(household_id: str, person_nik: str | None) -> str:
    return f"nik:{person_nik}" if person_nik else f"hh:{household_id}"


@dataclass(frozen=True)
class ClaimOutcome:
    granted: bool
    state: ClaimState  # as seen before this claim
    claim_id: str | None
    holder: dict[str, Any] | None
    expires_in: float | None = None


def _stored_entry(conn: Connection, *, event_id: str, household_id: str,
                  person_nik: str | None) -> dict[str, Any] | None:
    """The earliest stored, not voided, collecting entry for the subject."""
    j = HubJournal.__table__
    v = aliased(j)
    who = j.c.recipient_nik == person_nik if person_nik else j.c.household_id == household_id
    voided = exists().where(and_(v.c.event_id == j.c.event_id, v.c.kind == "void",
                                 v.c.voids_uuid == j.c.uuid))
    row = conn.execute(
        select(j.c.uuid, j.c.device_id, j.c.officer_id, j.c.site, j.c.created_at, j.c.is_proxy,
               j.c.proxy_name)
        .where(j.c.event_id == event_id, who, j.c.kind.in_(COLLECTING_KINDS), ~voided)
        .order_by(j.c.hub_seq).limit(1)
    ).mappings().first()
    if row is None:
        return None
    return {"device_id": row["device_id"], "officer_id": row["officer_id"], "site": row["site"],
            "at": row["created_at"], "entry_uuid": row["uuid"], "is_proxy": bool(row["is_proxy"]),
            "proxy_name": row["proxy_name"]}


def _followed_by_entry(conn: Connection, claim: Any) -> bool:
    """The holder's own entry for this subject reached the hub after the claim (the claim is
    spent: the journal speaks from now on, voids included)."""
    j = HubJournal.__table__
    subject = str(claim.subject)  # a person's claim is spent by an entry for that person only
    who = (j.c.recipient_nik == subject[4:] if subject.startswith("nik:")
           else j.c.household_id == claim.household_id)
    return conn.execute(
        select(j.c.uuid).where(j.c.event_id == claim.event_id, j.c.device_id == claim.device_id,
                               who, j.c.received_at >= claim.created_at).limit(1)
    ).first() is not None


def _live_claim(conn: Connection, *, event_id: str, subject: str, now: float) -> Any:
    c = HubClaim.__table__
    row = conn.execute(select(c).where(c.c.event_id == event_id, c.c.subject == subject)).first()
    if row is None or row.status != "held" or row.expires_at <= now:
        return row, False
    return row, not _followed_by_entry(conn, row)


def _claim_holder(row: Any) -> dict[str, Any]:
    return {"device_id": row.device_id, "officer_id": row.officer_id, "site": row.site,
            "at": row.created_at, "entry_uuid": None}


def state(conn: Connection, *, event_id: str, household_id: str,
          person_nik: str | None = None, device_id: str | None = None,
          now: float | None = None) -> tuple[ClaimState, dict[str, Any] | None]:
    """(free | claimed | collected, holder) as another desk (not `device_id`) would see it."""
    stored = _stored_entry(conn, event_id=event_id, household_id=household_id,
                           person_nik=person_nik)
    if stored is not None:
        return "collected", stored
    row, live = _live_claim(conn, event_id=event_id, subject=subject_key(household_id, person_nik),
                            now=time.time() if now is None else now)
    if live and row.device_id != device_id:
        return "claimed", _claim_holder(row)
    return "free", None


def claim(conn: Connection, *, device: dict[str, Any], event_id: str, household_id: str,
          person_nik: str | None, officer_id: str, ttl_s: float,
          now: float | None = None) -> ClaimOutcome:
    """Grant the subject to this device, or say who has it. Call inside HubStore.write()."""
    now = time.time() if now is None else now
    subject = subject_key(household_id, person_nik)
    stored = _stored_entry(conn, event_id=event_id, household_id=household_id,
                           person_nik=person_nik)
    if stored is not None:
        return ClaimOutcome(False, "collected", None, stored)
    row, live = _live_claim(conn, event_id=event_id, subject=subject, now=now)
    if live and row.device_id != device["id"]:
        return ClaimOutcome(False, "claimed", None, _claim_holder(row))
    c = HubClaim.__table__
    values = {"id": str(uuidlib.uuid4()), "household_id": household_id,
              "device_id": device["id"], "officer_id": officer_id,
              "site": device.get("site_kelurahan") or "", "status": "held",
              "created_at": utc_now(), "expires_at": now + ttl_s}
    if row is None:
        conn.execute(c.insert().values(event_id=event_id, subject=subject, **values))
    else:  # expired, released, spent, or this device's own earlier claim: taken over
        if row.device_id != device["id"] and row.status == "held" and row.expires_at <= now:
            log.info("claim of device %s on event %s expired unused", row.device_id, event_id)
        conn.execute(c.update().where(c.c.event_id == event_id, c.c.subject == subject)
                     .values(**values))
    return ClaimOutcome(True, "free", values["id"], None, ttl_s)


def release(conn: Connection, *, device_id: str, claim_id: str) -> bool:
    """The holder gives a claim back (its hand-over did not go through). Only the holder may."""
    c = HubClaim.__table__
    return conn.execute(c.update().where(c.c.id == claim_id, c.c.device_id == device_id,
                                         c.c.status == "held")
                        .values(status="released")).rowcount > 0
