"""The hub's snapshot-signing key: never in a database table.

It lives in a key file named by the hub id, `hub-<hub_id>.signing-key`, mode 0600:
  - SQLite hub: beside the database, sealed (AES-GCM) under the hub's data key, the same key
    that encrypts the database (store/datakey.py);
  - PostgreSQL hub: in the hub's key directory (BEKASI_HUB_KEY_DIR, else HOME/hub-keys), as a
    PKCS#8 PEM readable by the hub's account only. The database server's at-rest encryption
    protects the tables; this key stays off them, so a database dump cannot sign snapshots.
The public half is kept in `hub_meta` ("signing_public"), so a missing or foreign key file is
refused with a clear message instead of the hub silently changing its identity. A hub of an
earlier release kept the private key in `hub_meta` ("signing_key"): it is moved to the file
and deleted from the table on first open.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection

from bekasi_field.domain.errors import BekasiError
from bekasi_field.fileio import fsync_dir
from bekasi_field.i18n import tr
from bekasi_field.store import sealed

log = logging.getLogger(__name__)

_PEM = (serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
_NAME = "hub-signing-key"


def key_path(key_dir: Path, hub_id: str) -> Path:
    return Path(key_dir) / f"hub-{hub_id}.signing-key"


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def _encode(key: Ed25519PrivateKey, seal_key: bytes | None) -> bytes:
    pem = key.private_bytes(*_PEM)
    return sealed.seal(seal_key, pem, name=_NAME) if seal_key is not None else pem


def _decode(blob: bytes, seal_key: bytes | None, path: Path) -> Ed25519PrivateKey:
    try:
        pem = sealed.unseal(seal_key, blob, name=_NAME) if seal_key is not None else blob
        key = serialization.load_pem_private_key(pem, password=None)
    except (sealed.SealBroken, ValueError, TypeError) as exc:
        raise BekasiError(tr("hub.signing_key_bad", path=path)) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise BekasiError(tr("hub.signing_key_bad", path=path))
    return key


def public_hex(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes(serialization.Encoding.Raw,
                                         serialization.PublicFormat.Raw).hex()


def ensure_signing_key(conn: Connection, *, hub_id: str, key_dir: Path,
                       seal_key: bytes | None,
                       meta_get: Callable[[Connection, str], str | None],
                       meta_set: Callable[[Connection, str, str], None],
                       meta_delete: Callable[[Connection, str], None]) -> Ed25519PrivateKey:
    """The hub's key, made (or moved out of `hub_meta`) on first open, inside `conn`'s
    transaction."""
    path = key_path(key_dir, hub_id)
    old = meta_get(conn, "signing_key")
    if old:  # an earlier release's hub: move the key out of the table
        from bekasi_field.sync.signing import load_private_hex
        key = load_private_hex(old)
        _write_private(path, _encode(key, seal_key))
        meta_set(conn, "signing_public", public_hex(key))
        meta_delete(conn, "signing_key")
        log.info("hub signing key moved out of hub_meta into %s", path.name)
        return key
    expected = meta_get(conn, "signing_public")
    if path.exists():
        key = _decode(path.read_bytes(), seal_key, path)
        if expected and public_hex(key) != expected:
            raise BekasiError(tr("hub.signing_key_foreign", path=path))
        if not expected:
            meta_set(conn, "signing_public", public_hex(key))
        return key
    if expected:
        raise BekasiError(tr("hub.signing_key_missing", path=path))
    key = Ed25519PrivateKey.generate()
    _write_private(path, _encode(key, seal_key))
    meta_set(conn, "signing_public", public_hex(key))
    log.info("new hub signing key in %s", path.name)
    return key
