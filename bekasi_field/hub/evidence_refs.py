"""Which devices' stored entries name which evidence files (hub_evidence_refs).

Filled as entries are stored (crud._insert_entries), so the upload check is one indexed
look-up instead of a search through every entry's evidence text; a hub of an earlier release
gets the table filled once from its journal on open.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, select

from bekasi_field.hub.models import HubEvidenceRef, HubJournal, HubMeta

log = logging.getLogger(__name__)

_BUILT = "evidence_refs_built"


def hashes_of(evidence: str | None) -> list[str]:
    """The evidence hashes an entry names (its `evidence` field: {"photo": sha, ...})."""
    try:
        ev = json.loads(evidence or "{}")
    except ValueError:
        return []
    if not isinstance(ev, dict):
        return []
    return sorted({v for v in ev.values() if isinstance(v, str) and len(v) == 64})


def record(conn: Connection, rows: Iterable[dict[str, Any]]) -> None:
    """Remember (hash, device) for every evidence file these stored entries name."""
    pairs = {(sha, str(r["device_id"])) for r in rows for sha in hashes_of(r.get("evidence"))}
    if not pairs:
        return
    t = HubEvidenceRef.__table__
    have = set()
    shas = sorted({sha for sha, _ in pairs})
    for i in range(0, len(shas), 500):
        have |= {(s, d) for s, d in conn.execute(
            select(t.c.sha256, t.c.device_id).where(t.c.sha256.in_(shas[i:i + 500])))}
    new = sorted(pairs - have)
    if new:
        conn.execute(t.insert(), [{"sha256": s, "device_id": d} for s, d in new])


def named(blobs: dict[str, bytes], entries: Iterable[Any]) -> dict[str, bytes]:
    """Of a bundle's files, those its own entries name (the rest is not kept, as for uploads);
    `entries` are EntryIn models."""
    names = {h for e in entries for h in hashes_of(e.model_dump()["evidence"])}
    return {sha: data for sha, data in blobs.items() if sha in names}


def devices_naming(conn: Connection, sha256: str) -> list[str]:
    t = HubEvidenceRef.__table__
    return sorted(conn.execute(select(t.c.device_id).where(t.c.sha256 == sha256)).scalars())


def build_once(conn: Connection) -> None:
    """A hub database of an earlier release: fill the table from the stored journal once."""
    m, j = HubMeta.__table__, HubJournal.__table__
    if conn.execute(select(m.c.value).where(m.c.key == _BUILT)).first() is not None:
        return
    after, total = 0, 0
    while True:
        rows = [dict(r) for r in conn.execute(
            select(j.c.hub_seq, j.c.device_id, j.c.evidence)
            .where(j.c.hub_seq > after, j.c.evidence != "{}")
            .order_by(j.c.hub_seq).limit(5000)).mappings()]
        if not rows:
            break
        record(conn, rows)
        after, total = int(rows[-1]["hub_seq"]), total + len(rows)
    conn.execute(m.insert().values(key=_BUILT, value="1"))
    if total:
        log.info("evidence references built from %d stored entries", total)
