"""Conflict decisions made in the console, written as journal entries of the hub itself.

The hub keeps its own gapless, hash-chained journal under the device id `hub-<hub id>`; a
decision is a `void` entry of the hand-over that should not count, with the reviewer's reason.
It is stored beside the desks' entries, so every desk pulls it like any other entry and its own
`journal verify` checks it; the conflict check then sees one live hand-over and resolves it.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from typing import Any

from sqlalchemy import Connection, select

from bekasi_field.domain.entry_signature import SIGNATURE_FIELD, signing_bytes
from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.journal_chain import entry_hash
from bekasi_field.domain.journal_entry import new_entry
from bekasi_field.hub import crud
from bekasi_field.hub.models import HubConflict, HubJournal
from bekasi_field.hub.store import HubStore
from bekasi_field.i18n import tr
from bekasi_field.sync.signing import public_hex


def hub_device_id(store: HubStore) -> str:
    return f"{crud.HUB_DEVICE_PREFIX}{store.hub_id()}"


def append_hub_entry(conn: Connection, *, store: HubStore,
                     fields: dict[str, Any]) -> dict[str, Any]:
    """Append one entry to the hub's own chain (call inside store.write())."""
    device = hub_device_id(store)
    seq, prev = crud.device_head(conn, device)
    entry = new_entry(uuid=str(uuidlib.uuid4()), device_id=device, seq=seq + 1,
                      created_at=crud.utc_now(), prev_hash=prev, **fields)
    entry["hash"] = entry_hash(entry)
    # Signed like a desk's entry, with the hub's key; desks get the public half with the
    # journal page (crud.device_keys) and check it in `journal verify`.
    key = store.signing_key()
    entry[SIGNATURE_FIELD] = key.sign(signing_bytes(entry["hash"])).hex()
    public = public_hex(key)
    if store.meta(conn, crud.HUB_ENTRY_KEY) != public:
        store.set_meta(conn, crud.HUB_ENTRY_KEY, public)
    crud._insert_entries(conn, [entry], received_at=entry["created_at"])
    return entry


def conflict_entries(conn: Connection,
                     conflict_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The conflict row and its live hand-overs, as stored."""
    c, j = HubConflict.__table__, HubJournal.__table__
    row = conn.execute(select(c).where(c.c.id == conflict_id)).mappings().first()
    if row is None:
        raise BekasiError(tr("hub.unknown_conflict", id=conflict_id))
    uuids = json.loads(row["entries"])
    entries = [dict(r) for r in conn.execute(
        select(j).where(j.c.uuid.in_(uuids)).order_by(j.c.created_at)).mappings()]
    return dict(row), entries


def decide_conflict(conn: Connection, *, store: HubStore, conflict_id: int, action: str,
                    entry_uuid: str, reason: str, reviewer: str) -> list[dict[str, Any]]:
    """`keep` entry_uuid (void every other live hand-over) or `void` entry_uuid alone.

    Returns the void entries written. The reason is required: it is printed on the desks.
    """
    reason = " ".join(reason.split())
    if len(reason) < 5:
        raise BekasiError(tr("console.reason_needed"))
    conflict, entries = conflict_entries(conn, conflict_id)
    uuids = [e["uuid"] for e in entries]
    if conflict["status"] != "open" or len(entries) < 2:
        raise BekasiError(tr("console.conflict_closed", id=conflict_id))
    if entry_uuid not in uuids:
        raise BekasiError(tr("console.not_in_conflict"))
    if action == "keep":
        targets = [e for e in entries if e["uuid"] != entry_uuid]
    elif action == "void":
        targets = [e for e in entries if e["uuid"] == entry_uuid]
    else:
        raise BekasiError(tr("console.bad_decision"))
    written = []
    for target in targets:
        written.append(append_hub_entry(conn, store=store, fields={
            "kind": "void", "event_id": target["event_id"],
            "household_id": target["household_id"], "officer_id": reviewer,
            "site": target["site"], "voids_uuid": target["uuid"], "reason": reason,
            "code_kind": "console", "verdict": "CONFLICT_REVIEW",
        }))
    crud.update_conflicts(conn, pairs={(conflict["event_id"], conflict["household_id"])})
    return written
