"""The journal's hash chain: which fields are hashed, how, and how a chain is checked.

Every entry's `hash` is SHA-256 over the canonical JSON of HASHED_FIELDS (sorted keys, no spaces,
UTF-8; the fields are declared in domain.journal_entry, and one added later is left out while it
holds its default), which include `prev_hash` (the previous entry's hash of the same device, GENESIS for seq 1)
and `seq`. So an edit changes a hash, a deletion leaves a gap, a reorder breaks `prev_hash`.
The device and the hub both use this module; it is the contract between them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bekasi_field.domain.journal_entry import HASHED_FIELDS, LATE_HASHED

__all__ = ["GENESIS", "HASHED_FIELDS", "ChainProblem", "canonical_bytes", "canonical_json",
           "check_chain", "entry_hash"]

GENESIS = "0" * 64
_ALWAYS = tuple(n for n in HASHED_FIELDS if n not in LATE_HASHED)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_bytes(entry: Mapping[str, Any]) -> bytes:
    payload = {}
    for name in _ALWAYS:
        v = entry[name]
        if isinstance(v, bool):
            v = int(v)  # SQLite and PostgreSQL hand booleans back differently
        payload[name] = v
    for name, default in LATE_HASHED.items():
        v = entry.get(name, default)
        if v == default:
            continue  # unset: the entry hashes as it did before the field existed
        payload[name] = int(v) if isinstance(v, bool) else v
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
    entries: Iterable[Mapping[str, Any]], *, start_seq: int = 1, start_prev: str = GENESIS,
    redacted: Mapping[str, str] | None = None,
) -> ChainProblem | None:
    """First problem in one device's entries (given in seq order), or None when intact.

    `start_seq`/`start_prev` let a receiver check a batch that continues a chain it already has.
    `redacted` (uuid -> hash of the entry as redacted) is a desk's retention purge: those
    entries keep `hash` for the links, and their remaining fields are checked against it.
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
        expected = redacted.get(str(uuid), e["hash"]) if redacted else e["hash"]
        if entry_hash(e) != expected:
            return ChainProblem(device, seq, uuid, "edited")
        expected_seq, expected_prev = seq + 1, e["hash"]
    return None
