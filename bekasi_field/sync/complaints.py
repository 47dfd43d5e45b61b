"""The device side of the complaint push: read own complaints after the acknowledged mark,
send them in sequence order, move the mark only after the hub's answer.

Runs inside `sync` right after the journal push (services/sync_service.py), so one run brings
both to the hub. Nothing is sent when nothing is pending: a desk syncing every few seconds pays
no extra request.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from bekasi_field.store.db import Database, set_meta
from bekasi_field.sync.client import HubClient
from bekasi_field.sync.complaint_protocol import ComplaintPushResponse

log = logging.getLogger(__name__)

MARK_KEY = "sync_complaints_acked"
BATCH = 200
COLUMNS: tuple[str, ...] = (
    "uuid", "number", "device_id", "seq", "created_at", "officer_id", "site", "event_id",
    "verdict", "household_id", "nik", "name", "address", "rt", "rw", "kelurahan", "phone",
    "category", "note", "signature",
)


@dataclass
class ComplaintSync:
    pushed: int = 0
    acked_seq: int = 0
    refused: int = 0
    problems: list[str] = field(default_factory=list)


def acked(db: Database) -> int:
    return int(db.get_meta(MARK_KEY, "0") or 0)


def own_after(conn: sqlite3.Connection, *, device_id: str, after: int,
              limit: int) -> list[dict[str, Any]]:
    cur = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM complaints WHERE device_id = ? "
                       "AND seq > ? ORDER BY seq LIMIT ?", (device_id, after, limit))
    return [dict(zip(COLUMNS, r, strict=True)) for r in cur.fetchall()]


def pending(db: Database) -> int:
    conn = db.raw()
    try:
        return int(conn.execute("SELECT count(*) FROM complaints WHERE device_id = ? AND seq > ?",
                                (db.device_id, acked(db))).fetchone()[0])
    finally:
        conn.close()


def _set_mark(db: Database, value: int) -> None:
    with db.transaction() as conn:
        set_meta(conn, MARK_KEY, str(value))


def push_complaints(db: Database, client: HubClient, *, max_rounds: int = 50) -> ComplaintSync:
    """Push every pending complaint; HubUnreachable / HubRejected propagate with nothing lost."""
    out = ComplaintSync(acked_seq=acked(db))
    device = db.device_id
    mark = out.acked_seq
    conn = db.raw()
    try:
        for _ in range(max_rounds):  # bounded: a hub that never moves cannot keep us here
            batch = own_after(conn, device_id=device, after=mark, limit=BATCH)
            if not batch:
                break
            answer = ComplaintPushResponse.model_validate(client.push_complaints(batch))
            out.pushed += sum(1 for r in answer.results if r.status == "stored")
            bad = [r for r in answer.results if r.status == "refused"]
            if answer.acked_seq != mark:
                # Forward after an answer; back when the hub lacks earlier ones (restored from
                # an older backup), so they are sent again on the next round.
                mark = answer.acked_seq
                _set_mark(db, mark)
            if bad:
                out.refused += len(bad)
                out.problems.append(answer.problem or "refused")
                log.warning("hub refused %d complaints: %s", len(bad), answer.problem)
                break
            if answer.acked_seq < batch[0]["seq"] - 1 or answer.acked_seq >= batch[-1]["seq"]:
                continue
            break  # stored but not contiguous: wait for the next sync
    finally:
        conn.close()
    out.acked_seq = mark
    return out
