"""What a device signs for each journal entry, and how anyone checks it (desk and hub alike).

The signature is Ed25519 over a fixed prefix plus the entry's hash. The hash already covers
every hashed field (prev_hash and seq included), so a signed hash pins the whole entry and its
place in the chain; re-hashing a rewritten entry is no longer enough, the key is needed too.
The signature is not itself a hashed field (it is made after the hash).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from bekasi_field.domain.journal_chain import ChainProblem

SIGNATURE_FIELD = "signature"
_PREFIX = b"bekasi-field journal entry v1\x00"


def signing_bytes(entry_hash: str) -> bytes:
    """The bytes a device signs for an entry with this hash (hex SHA-256)."""
    return _PREFIX + entry_hash.encode("ascii")


@lru_cache(maxsize=256)
def _public_key(public_key_hex: str) -> Ed25519PublicKey | None:
    """A device's key, loaded once (a hub checks thousands of entries per device)."""
    try:
        return Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
    except ValueError:
        return None


def _verified(entry: Mapping[str, Any], key: Ed25519PublicKey | None) -> bool:
    sig, digest = entry.get(SIGNATURE_FIELD), entry.get("hash")
    if not sig or not digest or key is None:
        return False
    try:
        key.verify(bytes.fromhex(str(sig)), signing_bytes(str(digest)))
    except (InvalidSignature, ValueError, UnicodeEncodeError):
        return False
    return True


def signature_ok(entry: Mapping[str, Any], public_key_hex: str | None) -> bool:
    """True when the entry's signature is the device's (public key, hex) over its hash."""
    return _verified(entry, _public_key(public_key_hex) if public_key_hex else None)


def signature_problem(entries: Iterable[Mapping[str, Any]],
                      public_key_hex: str | None) -> ChainProblem | None:
    """The first entry (in the order given) whose signature is missing or not the device's;
    the key is loaded once for all of them."""
    key = _public_key(public_key_hex) if public_key_hex else None
    for e in entries:
        if not _verified(e, key):
            problem = "unsigned" if not e.get(SIGNATURE_FIELD) else "bad_signature"
            return ChainProblem(str(e["device_id"]), int(e["seq"]), e.get("uuid"), problem)
    return None
