"""The city hub's side of relaying: a site hub enrolled with a relay code pushes the entries of
its desks, unchanged; each is stored as from its original device, chain-checked per device and
idempotent like a desk's own push, so conflicts at the city equal the site's.

Who may: only a device enrolled with a code made by `hub enrol-code --relay` (HubRelayGrant).
A relayed device gets a hub_devices row it cannot log in with (no token hashes to it).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Connection, select

from bekasi_field.hub import crud
from bekasi_field.hub.models import HubDevice, HubEnrolCode, HubRelayGrant
from bekasi_field.sync.protocol import EntryIn, EntryResult

log = logging.getLogger(__name__)

RELAYED_TOKEN_PREFIX = "relayed:"  # never a sha256 hex digest, so never matches a bearer token


def grant_relay(conn: Connection, *, code: str) -> None:
    """Mark an enrolment code (just made) as one for a relaying site hub."""
    conn.execute(HubRelayGrant.__table__.insert().values(
        code_hash=crud._code_hash(code), created_at=crud.utc_now()))


def may_relay(conn: Connection, device_id: str) -> bool:
    g, c = HubRelayGrant.__table__, HubEnrolCode.__table__
    return conn.execute(select(g.c.code_hash).join(c, c.c.code_hash == g.c.code_hash)
                        .where(c.c.device_id == device_id).limit(1)).first() is not None


def _ensure_device(conn: Connection, *, device_id: str, relay: dict[str, Any],
                   public_key: str | None) -> None:
    """A relayed desk is known here by the key the site hub vouches for, bound on first
    sight: a key already known is never replaced (its entries then fail the signature check
    and are quarantined, as from a desk itself)."""
    d = HubDevice.__table__
    have = conn.execute(select(d.c.id, d.c.public_key).where(d.c.id == device_id)).first()
    if have is None:
        conn.execute(d.insert().values(
            id=device_id, name=f"via {relay['id']}", site_kelurahan=relay["site_kelurahan"],
            token_hash=RELAYED_TOKEN_PREFIX + device_id, revoked=False,
            enrolled_at=crud.utc_now(), public_key=public_key))
    elif have.public_key is None and public_key:
        crud.register_device_key(conn, device_id=device_id, public_key=public_key)


def ingest_relayed(conn: Connection, *, relay: dict[str, Any], entries: list[EntryIn],
                   device_keys: dict[str, str] | None = None) -> dict[str, Any]:
    """Store one relayed batch (several devices); returns per-device acked seqs and results."""
    if not may_relay(conn, relay["id"]):
        raise crud.HubRefusal(403, "hub.not_a_relay", device=relay["id"])
    by_device: dict[str, list[EntryIn]] = {}
    for e in entries:
        device_id = str(e.model_dump(include={"device_id"})["device_id"])
        if device_id == relay["id"]:
            raise crud.HubRefusal(403, "hub.not_a_relay", device=relay["id"])
        by_device.setdefault(device_id, []).append(e)
    acked: dict[str, int] = {}
    results: list[EntryResult] = []
    conflicts = 0
    problems: list[str] = []
    for device_id, batch in sorted(by_device.items()):
        _ensure_device(conn, device_id=device_id, relay=relay,
                       public_key=(device_keys or {}).get(device_id))
        out = crud.ingest(conn, device_id=device_id, entries=batch)
        acked[device_id] = out.acked_seq
        results += out.results
        conflicts += out.new_conflicts
        if out.problem:
            problems.append(f"{device_id}:{out.problem}")
    log.info("relay %s: %d entries of %d devices", relay["id"], len(entries), len(by_device))
    return {"acked": acked, "results": results, "new_conflicts": conflicts,
            "problems": problems}
