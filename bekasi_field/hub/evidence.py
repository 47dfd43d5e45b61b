"""Evidence uploads (`PUT /evidence/{sha256}`): who may store which file, how much, read how.

- Only a file some stored entry names may be stored: the uploading device's own entry, or,
  for a relaying site hub, an entry it relayed. A desk therefore pushes its entries first and
  their evidence after (services/sync_service.py); a file nothing names is refused with 403.
- A file is at most MAX_EVIDENCE_BYTES, enforced while the body is read: the hub never holds
  more than that of one upload, and answers 413 as soon as the limit passes.
- Whether the hub holds a file (`POST /evidence/missing`) is answered only for files such an
  entry names (`missing`); of any other file the hub says nothing, so a desk cannot learn which
  files other desks sent.
- Each device has a quota (BEKASI_HUB_EVIDENCE_QUOTA_MB, default 2048 MB) over the files its
  entries name; past it the hub answers 413 with the numbers.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import Connection, select

from bekasi_field.hub import evidence_refs
from bekasi_field.hub.crud import HubRefusal, utc_now
from bekasi_field.hub.models import HubDevice, HubEvidence, HubEvidenceRef, HubEvidenceUsage

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
QUOTA_ENV = "BEKASI_HUB_EVIDENCE_QUOTA_MB"
DEFAULT_QUOTA_MB = 2048
_MB = 1024 * 1024


def quota_from_env() -> int:
    """The per-device quota in bytes (BEKASI_HUB_EVIDENCE_QUOTA_MB)."""
    raw = os.environ.get(QUOTA_ENV, "").strip()
    try:
        mb = float(raw) if raw else DEFAULT_QUOTA_MB
    except ValueError:
        mb = DEFAULT_QUOTA_MB
    return max(0, int(mb * _MB))


class TooLarge(Exception):
    """The body passed MAX_EVIDENCE_BYTES while being read."""


async def read_limited(chunks: AsyncIterator[bytes], *, limit: int) -> bytes:
    """The whole body, refused (TooLarge) the moment it passes `limit`."""
    data = bytearray()
    async for chunk in chunks:
        data += chunk
        if len(data) > limit:
            raise TooLarge
    return bytes(data)


def _usage(conn: Connection, device_id: str) -> int:
    u = HubEvidenceUsage.__table__
    return int(conn.execute(select(u.c.bytes).where(u.c.device_id == device_id))
               .scalar_one_or_none() or 0)


def _carries(conn: Connection, device: dict[str, Any]) -> bool:
    from bekasi_field.hub.relay_ingest import may_relay
    return may_relay(conn, device["id"])


def _owner(conn: Connection, *, device: dict[str, Any], sha256: str) -> str:
    """The device whose entry names the file and whose quota it counts against: the asking
    device, or for a relaying site hub a device of its site (one it carries)."""
    naming = evidence_refs.devices_naming(conn, sha256)
    if device["id"] in naming:
        return str(device["id"])
    if naming and _carries(conn, device):
        d = HubDevice.__table__
        carried = sorted(conn.execute(select(d.c.id).where(
            d.c.id.in_(naming), d.c.site_kelurahan == device["site_kelurahan"])).scalars())
        if carried:
            return str(carried[0])
    raise HubRefusal(403, "hub.evidence_unreferenced", sha=sha256[:12])


def _answerable(conn: Connection, *, device: dict[str, Any], hashes: list[str]) -> set[str]:
    """Of `hashes`, those a stored entry of the device (or of a device it carries) names."""
    r, d = HubEvidenceRef.__table__, HubDevice.__table__
    whose = r.c.device_id == device["id"]
    if _carries(conn, device):
        whose = whose | (d.c.site_kelurahan == device["site_kelurahan"])
    out: set[str] = set()
    for i in range(0, len(hashes), 500):
        out |= set(conn.execute(
            select(r.c.sha256).join(d, d.c.id == r.c.device_id)
            .where(r.c.sha256.in_(hashes[i:i + 500]), whose)).scalars())
    return out


def missing(conn: Connection, *, device: dict[str, Any], hashes: list[str]) -> list[str]:
    """Which of the files its entries name the hub lacks. A file no entry of the device names
    is never listed, held or not: its upload would be refused (403), and its existence is
    another desk's business."""
    want = _answerable(conn, device=device, hashes=sorted({h for h in hashes if len(h) == 64}))
    e = HubEvidence.__table__
    ordered = sorted(want)
    have: set[str] = set()
    for i in range(0, len(ordered), 500):
        have |= set(conn.execute(select(e.c.sha256).where(
            e.c.sha256.in_(ordered[i:i + 500]))).scalars())
    return [h for h in ordered if h not in have]


def _check_quota(conn: Connection, *, owner: str, size: int, quota: int) -> None:
    used = _usage(conn, owner)
    if used + size > quota:
        raise HubRefusal(413, "hub.evidence_quota", used=round(used / _MB, 1),
                         quota=round(quota / _MB, 1))


def _stored(conn: Connection, sha256: str) -> bool:
    e = HubEvidence.__table__
    return conn.execute(select(e.c.sha256).where(e.c.sha256 == sha256)).first() is not None


def admit(conn: Connection, *, device: dict[str, Any], sha256: str, size: int | None,
          quota: int) -> str | None:
    """Before the body is read: the owner, or None when the hub holds the file already.
    Raises HubRefusal (403 nothing names it, 413 over the quota by the declared size)."""
    owner = _owner(conn, device=device, sha256=sha256)
    if _stored(conn, sha256):
        return None
    _check_quota(conn, owner=owner, size=size or 0, quota=quota)
    return owner


def store_upload(conn: Connection, *, owner: str, sha256: str, data: bytes,
                 quota: int) -> bool:
    """Store the file, counted against the owner's quota; False when bytes and name differ."""
    if hashlib.sha256(data).hexdigest() != sha256:
        return False
    if _stored(conn, sha256):
        return True
    _check_quota(conn, owner=owner, size=len(data), quota=quota)
    conn.execute(HubEvidence.__table__.insert().values(
        sha256=sha256, size=len(data), data=data, received_at=utc_now()))
    u = HubEvidenceUsage.__table__
    used = _usage(conn, owner)
    if conn.execute(select(u.c.device_id).where(u.c.device_id == owner)).first() is None:
        conn.execute(u.insert().values(device_id=owner, bytes=len(data)))
    else:
        conn.execute(u.update().where(u.c.device_id == owner).values(bytes=used + len(data)))
    return True
