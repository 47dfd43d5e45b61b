"""What a device signs for each journal entry, and how anyone checks it (desk and hub alike).

The signature is Ed25519 over a fixed prefix plus the entry's hash. The hash already covers
every hashed field (prev_hash and seq included), so a signed hash pins the whole entry and its
place in the chain; re-hashing a rewritten entry is no longer enough, the key is needed too.
The signature is not itself a hashed field (it is made after the hash).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from bekasi_field.domain.journal_chain import ChainProblem

SIGNATURE_FIELD = "signature"
_PREFIX = b"bekasi-field journal entry v1\x00"


def signing_bytes(entry_hash: str) -> bytes:
    """The bytes a device signs for an entry with this hash (hex SHA-256)."""
    return _PREFIX + entry_hash.encode("ascii")


def signature_ok(entry: Mapping[str, Any], public_key_hex: str | None) -> bool:
    """True when the entry's signature is the device's (public key, hex) over its hash."""
    sig, digest = entry.get(SIGNATURE_FIELD), entry.get("hash")
    if not sig or not digest or not public_key_hex:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex)).verify(
            bytes.fromhex(str(sig)), signing_bytes(str(digest)))
    except (InvalidSignature, ValueError, UnicodeEncodeError):
        return False
    return True


def signature_problem(entries: Iterable[Mapping[str, Any]],
                      public_key_hex: str | None) -> ChainProblem | None:
    """The first entry (in the order given) whose signature is missing or not the device's."""
    for e in entries:
        if not signature_ok(e, public_key_hex):
            problem = "unsigned" if not e.get(SIGNATURE_FIELD) else "bad_signature"
            return ChainProblem(str(e["device_id"]), int(e["seq"]), e.get("uuid"), problem)
    return None
