"""The device's own Ed25519 key: it signs every journal entry this desk writes.

Made once per device (at enrolment, or at the first entry when the desk works before it is
enrolled); its public half is registered at the hub at enrolment and kept in the `devices` row
of this device, so `journal verify` can check signatures without touching the private key.

Usage:
    key = device_key(db)                # get (or make) this device's key
    sig = key.sign(data)                # hex Ed25519 signature
    key.sign_entry(entry_hash)          # the signature a journal entry carries
    verify(public_hex, data, sig)       # anyone's check

Where the private key lives is decided by exactly two functions, load_private_key() and
save_private_key(): the `meta` table of the device database, which is encrypted at rest
(SQLCipher under the site's data key, store/opener.py), so a copied home without the data key
(key store or recovery passphrase) gives no signing key, like the hub token beside it.
"""

from __future__ import annotations

import logging
import sqlite3

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bekasi_field.domain.entry_signature import signing_bytes
from bekasi_field.store.db import Database
from bekasi_field.sync.signing import verify as _verify

log = logging.getLogger(__name__)

_META_KEY = "device_signing_key"
_RAW_PUBLIC = serialization.Encoding.Raw, serialization.PublicFormat.Raw


class DeviceKey:
    """This device's signing key, held in memory only while used."""

    def __init__(self, device_id: str, private: Ed25519PrivateKey) -> None:
        self.device_id = device_id
        self._key = private
        self.public_hex = private.public_key().public_bytes(*_RAW_PUBLIC).hex()

    def sign(self, data: bytes) -> str:
        """Hex Ed25519 signature over `data` (receipts, bundles, ...)."""
        return self._key.sign(data).hex()

    def sign_entry(self, entry_hash: str) -> str:
        """The signature a journal entry with this hash carries."""
        return self.sign(signing_bytes(entry_hash))

    def __repr__(self) -> str:  # never show key material
        return f"DeviceKey(device_id={self.device_id!r}, public={self.public_hex[:12]}…)"


def verify(public_hex: str, data: bytes, signature_hex: str) -> bool:
    """Check a signature made by DeviceKey.sign with the key whose public half is given."""
    return _verify(public_hex, data, signature_hex)


# storage: the only two functions that know where the private key is kept --------------------
def load_private_key(conn: sqlite3.Connection) -> bytes | None:
    """The raw 32-byte private key of this device, or None when it has none yet."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (_META_KEY,)).fetchone()
    return bytes.fromhex(row[0]) if row and row[0] else None


def save_private_key(conn: sqlite3.Connection, raw: bytes) -> None:
    """Keep the raw private key (inside the caller's write transaction)."""
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (_META_KEY, raw.hex()))


# ---------------------------------------------------------------------------------------------
def _own_id(conn: sqlite3.Connection) -> str:
    return str(conn.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()[0])


def existing_key(conn: sqlite3.Connection) -> DeviceKey | None:
    raw = load_private_key(conn)
    if raw is None:
        return None
    return DeviceKey(_own_id(conn), Ed25519PrivateKey.from_private_bytes(raw))


def device_key_in(conn: sqlite3.Connection) -> DeviceKey:
    """This device's key, made now if it has none; `conn` must be in a write transaction."""
    key = existing_key(conn)
    if key is not None:
        return key
    private = Ed25519PrivateKey.generate()
    save_private_key(conn, private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
        serialization.NoEncryption()))
    key = DeviceKey(_own_id(conn), private)
    conn.execute("UPDATE devices SET public_key = ? WHERE id = ?", (key.public_hex, key.device_id))
    # Entries written before the device had a key (a database from before signing existed)
    # are signed once, now; from here on every entry is signed as it is written.
    rows = conn.execute("SELECT uuid, hash FROM journal WHERE device_id = ? AND "
                        "(signature IS NULL OR signature = '')", (key.device_id,)).fetchall()
    conn.executemany("UPDATE journal SET signature = ? WHERE uuid = ?",
                     [(key.sign_entry(h), u) for u, h in rows])
    log.info("device signing key made (%d earlier entries signed)", len(rows))
    return key


def device_key(db: Database) -> DeviceKey:
    """This device's key (made on first use)."""
    conn = db.raw()
    try:
        key = existing_key(conn)
    finally:
        conn.close()
    if key is not None:
        return key
    with db.transaction() as tx:
        return device_key_in(tx)


def public_key_of(db: Database, device_id: str | None = None) -> str | None:
    """The registered public key (hex) of a device this desk knows (itself by default)."""
    conn = db.raw()
    try:
        row = conn.execute("SELECT public_key FROM devices WHERE id = ?",
                           (device_id or _own_id(conn),)).fetchone()
    finally:
        conn.close()
    return row[0] if row and row[0] else None
