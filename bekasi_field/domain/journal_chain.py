"""The journal's hash chain: which fields are hashed, how, and how a chain is checked.

Every entry's `hash` is SHA-256 over the canonical JSON of HASHED_FIELDS (sorted keys, no spaces,
UTF-8), which include `prev_hash` (the previous entry's hash of the same device, GENESIS for seq 1)
and `seq`. So an edit changes a hash, a deletion leaves a gap, a reorder breaks `prev_hash`.
The device and the hub both use this module; it is the contract between them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64

HASHED_FIELDS: tuple[str, ...] = (
    "uuid",
    "device_id",
    "seq",
    "kind",
    "event_id",
    "household_id",
    "officer_id",
    "site",
    "recipient_nik",
    "recipient_name",
    "is_proxy",
    "proxy_name",
    "proxy_nik",
    "proxy_relationship",
    "proxy_letter_seen",
    "identity",
    "evidence",
    "code_kind",
    "scanned_code",
    "verdict",
    "override_by",
    "voids_uuid",
    "reason",
    "created_at",
    "prev_hash",
)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_bytes(entry: Mapping[str, Any]) -> bytes:
    payload = {}
    for name in HASHED_FIELDS:
        v = entry[name]
        if isinstance(v, bool):
            v = int(v)  # SQLite and PostgreSQL hand booleans back differently
        payload[name] = v
    return canonical_json(payload).encode("utf-8")


def entry_hash(entry: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(entry)).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    device_id: str
    seq: int
    uuid: str | None
    problem: str  # "edited", "gap", "broken_link", "duplicate_seq", "tail_missing"


def check_chain(
    entries: Iterable[Mapping[str, Any]], *, start_seq: int = 1, start_prev: str = GENESIS
) -> ChainProblem | None:
    """First problem in one device's entries (given in seq order), or None when intact.

    `start_seq`/`start_prev` let a receiver check a batch that continues a chain it already has.
    """
    expected_seq, expected_prev = start_seq, start_prev
    for e in entries:
        seq, uuid, device = int(e["seq"]), e.get("uuid"), str(e["device_id"])
        if seq < expected_seq:
            return ChainProblem(device, seq, uuid, "duplicate_seq")
        if seq > expected_seq:
            return ChainProblem(device, expected_seq, uuid, "gap")
        if e["prev_hash"] != expected_prev:
            return ChainProblem(device, seq, uuid, "broken_link")
        if entry_hash(e) != e["hash"]:
            return ChainProblem(device, seq, uuid, "edited")
        expected_seq, expected_prev = seq + 1, e["hash"]
    return None
