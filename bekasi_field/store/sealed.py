"""AES-256-GCM for files and small secrets at rest: MAGIC, a 12-byte random nonce, then the
ciphertext with its tag. The associated data binds a blob to its name (an evidence file's
plaintext SHA-256, a secret's name), so a blob moved to another name does not open.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"BKE1"
NONCE = 12


class SealBroken(Exception):
    """Wrong key, wrong name, or altered bytes."""


def seal(key: bytes, plaintext: bytes, *, name: str) -> bytes:
    nonce = os.urandom(NONCE)
    return MAGIC + nonce + AESGCM(key).encrypt(nonce, plaintext, name.encode())


def is_sealed(blob: bytes) -> bool:
    return blob[:len(MAGIC)] == MAGIC


def unseal(key: bytes, blob: bytes, *, name: str) -> bytes:
    if not is_sealed(blob):
        raise SealBroken("not a sealed blob")
    nonce = blob[len(MAGIC):len(MAGIC) + NONCE]
    try:
        return AESGCM(key).decrypt(nonce, blob[len(MAGIC) + NONCE:], name.encode())
    except InvalidTag as exc:
        raise SealBroken("the seal does not open") from exc
