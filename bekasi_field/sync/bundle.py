"""USB bundles: the sync payloads as one file, sealed and checksummed.

Layout: the line `BKFB1`, one line of header JSON, then the gzip-compressed payload JSON.
The header names the kind ("journal": device -> hub, "snapshot": hub -> device), the payload's
SHA-256 and size, and a seal over the header fields and the payload: an HMAC with the device
credential for journals, the hub's Ed25519 signature for snapshots. A truncated or altered file
fails the size, hash or seal check before anything is applied.

Both kinds carry personal data (NIKs, names, photos), so the payload is encrypted for its
receiver: AES-256-GCM under a key derived from the device's credential hash, which exactly the
two ends hold (the desk its token, the hub the token's hash). The seal covers the ciphertext, so
a bundle is checked before it is decrypted. A bundle of an earlier release (no "encryption" in
its header) is still read.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bekasi_field.domain.errors import BekasiError
from bekasi_field.fileio import write_durably
from bekasi_field.i18n import tr

MAGIC = b"BKFB1\n"
MAX_HEADER = 64 * 1024


class BundleRefused(BekasiError):
    """A bundle that fails a check; nothing from it was applied."""


@dataclass(frozen=True)
class Bundle:
    header: dict[str, Any]
    payload: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.header.get("kind"))


def bundle_key(token_hash_hex: str) -> bytes:
    """The payload key of one device's bundles (both directions), from its credential hash."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"bekasi-field/bundle").derive(bytes.fromhex(token_hash_hex))


def _sealed_bytes(header: dict[str, Any], payload: bytes) -> bytes:
    fields = {k: v for k, v in header.items() if k != "seal"}
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode() + b"\n" + payload


def write_bundle(path: Path, *, kind: str, header: dict[str, Any], payload: dict[str, Any],
                 seal: Callable[[bytes], str], encrypt_key: bytes) -> int:
    """Write atomically (temp file, fsync, rename); returns the file size."""
    raw = gzip.compress(json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
                        .encode("utf-8"), compresslevel=6, mtime=0)
    nonce = os.urandom(12)
    raw = AESGCM(encrypt_key).encrypt(nonce, raw, MAGIC)
    head = {**header, "kind": kind, "format": 1, "payload_sha256": hashlib.sha256(raw).hexdigest(),
            "payload_size": len(raw), "encryption": "aes-256-gcm", "nonce": nonce.hex()}
    head["seal"] = seal(_sealed_bytes(head, raw))
    data = MAGIC + json.dumps(head, sort_keys=True).encode() + b"\n" + raw
    write_durably(Path(path), data, prefix=".bundle-")
    return len(data)


def read_bundle(path: Path, *, kind: str,
                check_seal: Callable[[dict[str, Any], bytes, str], bool],
                decrypt_key: Callable[[dict[str, Any]], bytes]) -> Bundle:
    """Read and check a bundle: structure, size, hash, the seal (via `check_seal`), then
    decrypt with `decrypt_key(header)` (called only after the seal held)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BundleRefused(tr("sync.bundle_missing", path=path)) from exc
    bad = BundleRefused(tr("sync.bundle_bad", path=path))
    if not data.startswith(MAGIC):
        raise bad
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER)
    if end < 0:
        raise bad
    try:
        header = json.loads(data[len(MAGIC):end])
    except ValueError as exc:
        raise bad from exc
    raw = data[end + 1:]
    if not isinstance(header, dict) or header.get("format") != 1:
        raise bad
    if header.get("payload_size") != len(raw) or \
            header.get("payload_sha256") != hashlib.sha256(raw).hexdigest():
        raise bad
    if header.get("kind") != kind:
        raise BundleRefused(tr("sync.bundle_wrong_kind", path=path, kind=header.get("kind")))
    if not check_seal(header, _sealed_bytes(header, raw), str(header.get("seal", ""))):
        raise bad
    if "encryption" in header:
        try:
            if header["encryption"] != "aes-256-gcm":
                raise ValueError(header["encryption"])
            raw = AESGCM(decrypt_key(header)).decrypt(bytes.fromhex(str(header["nonce"])), raw,
                                                      MAGIC)
        except (InvalidTag, ValueError, KeyError, TypeError) as exc:
            raise bad from exc
    try:
        payload = json.loads(gzip.decompress(raw))
    except (OSError, ValueError, EOFError) as exc:
        raise bad from exc
    if not isinstance(payload, dict):
        raise bad
    return Bundle(header=header, payload=payload)
