"""Ed25519 signatures for snapshots and bundles, and the hashes of device credentials."""

from __future__ import annotations

import hashlib
import hmac

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def private_hex(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    ).hex()


def load_private_hex(value: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(value))


def public_hex(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    ).hex()


def sign(key: Ed25519PrivateKey, data: bytes) -> str:
    return key.sign(data).hex()


def verify(public_key_hex: str, data: bytes, signature_hex: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex)).verify(
            bytes.fromhex(signature_hex), data
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def fingerprint(public_key_hex: str) -> str:
    """A short form of a public key to compare by eye (hub screen vs desk screen)."""
    digest = hashlib.sha256(bytes.fromhex(public_key_hex)).hexdigest()[:16].upper()
    return "-".join(digest[i:i + 4] for i in range(0, 16, 4))


def token_hash(token: str) -> str:
    """What the hub keeps of a device token (a random 256-bit secret needs no slow hash)."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def device_mac(token: str, data: bytes) -> str:
    """A device's seal on its bundles: HMAC keyed by its credential hash, which the hub holds."""
    return hmac.new(bytes.fromhex(token_hash(token)), data, hashlib.sha256).hexdigest()


def device_mac_ok(stored_token_hash: str, data: bytes, mac: str) -> bool:
    expected = hmac.new(bytes.fromhex(stored_token_hash), data, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, mac)
