"""The data key: one random 256-bit key per desk home (or hub database) that every other key
comes from (the database's SQLCipher key, the evidence key, sealed secrets).

It is kept wrapped twice, beside the data in a small JSON key file (mode 0600):
  (a) by the OS key store through `keyring` (Windows Credential Manager, macOS Keychain,
      Secret Service): the key store holds the data key itself under the file's key id, so a
      normal start needs no passphrase and runs no KDF;
  (b) by the site's recovery passphrase (argon2id, then AES-GCM), which the supervisor sets at
      first run. A machine without a key store, or a copied home on another account, opens
      only with it (`BEKASI_FIELD_PASSPHRASE` for scripts); once opened it is put in that
      account's key store.
The KDF runs once per process: unwrapped keys are cached here by key file.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bekasi_field.domain.errors import BekasiError
from bekasi_field.fileio import fsync_dir, write_durably
from bekasi_field.i18n import tr

log = logging.getLogger(__name__)

SERVICE = "bekasi-field"
PASSPHRASE_ENV = "BEKASI_FIELD_PASSPHRASE"
MIN_PASSPHRASE = 10
# argon2id cost: ~0.3-0.6 s on a 2-core laptop, once per start on a machine without a key store.
ARGON2 = {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 2}
_CHECK = b"bekasi-field data key check"

_cache: dict[Path, DataKey] = {}
_cache_lock = threading.Lock()


class PassphraseNeeded(BekasiError):
    """The data key is not in this account's key store: the recovery passphrase opens it."""

    def __init__(self, message: str, *, first_run: bool) -> None:
        super().__init__(message)
        self.first_run = first_run


class WrongPassphrase(BekasiError):
    pass


@dataclass(frozen=True)
class DataKey:
    key_id: str
    key: bytes = field(repr=False)

    def subkey(self, purpose: str) -> bytes:
        """An independent 256-bit key for one purpose ("sqlcipher", "evidence", "secrets")."""
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                    info=f"bekasi-field/{purpose}".encode()).derive(self.key)

    def check_value(self) -> str:
        return hmac.new(self.key, _CHECK, hashlib.sha256).hexdigest()[:32]


# --- the OS key store ---------------------------------------------------------------------
def _account(key_id: str) -> str:
    return f"data-key-{key_id}"


def warm_keystore() -> threading.Thread:
    """Import keyring and find the platform's key store on a daemon thread (a few hundred ms
    of imports and entry-point scanning), so the desk's opening worker finds it ready."""
    def warm() -> None:
        try:
            import keyring
            keyring.get_keyring()
        except Exception:  # noqa: BLE001, S110 - the opening itself reports a missing store
            pass

    thread = threading.Thread(target=warm, name="keystore-warm", daemon=True)
    thread.start()
    return thread


def _keystore_get(key_id: str) -> bytes | None:
    try:
        import keyring
        value = keyring.get_password(SERVICE, _account(key_id))
    except Exception as exc:  # noqa: BLE001 - no key store, locked, DBus down: ask instead
        log.info("key store not usable (%s)", type(exc).__name__)
        return None
    return base64.b64decode(value) if value else None


def _keystore_put(data_key: DataKey) -> bool:
    try:
        import keyring
        from keyring.backends import fail
        if isinstance(keyring.get_keyring(), fail.Keyring):
            return False
        keyring.set_password(SERVICE, _account(data_key.key_id),
                             base64.b64encode(data_key.key).decode())
    except Exception as exc:  # noqa: BLE001 - the passphrase still opens it
        log.info("key store refused the data key (%s)", type(exc).__name__)
        return False
    return True


# --- the passphrase wrap --------------------------------------------------------------------
def _derive(passphrase: str, salt: bytes, params: dict[str, int]) -> bytes:
    return hash_secret_raw(passphrase.encode("utf-8"), salt, hash_len=32, type=Type.ID,
                           **params)


def _wrap(data_key: DataKey, passphrase: str) -> dict[str, Any]:
    salt, nonce = os.urandom(16), os.urandom(12)
    kek = _derive(passphrase, salt, ARGON2)
    wrapped = AESGCM(kek).encrypt(nonce, data_key.key, data_key.key_id.encode())
    b64 = base64.b64encode
    return {"kdf": "argon2id", **ARGON2, "salt": b64(salt).decode(),
            "nonce": b64(nonce).decode(), "wrapped": b64(wrapped).decode()}


def _unwrap(key_id: str, wrap: dict[str, Any], passphrase: str) -> bytes:
    b64d = base64.b64decode
    params = {k: int(wrap[k]) for k in ARGON2}
    kek = _derive(passphrase, b64d(wrap["salt"]), params)
    try:
        return AESGCM(kek).decrypt(b64d(wrap["nonce"]), b64d(wrap["wrapped"]), key_id.encode())
    except InvalidTag:
        raise WrongPassphrase(tr("datakey.wrong_passphrase")) from None


# --- the key file ---------------------------------------------------------------------------
def _read(key_file: Path) -> dict[str, Any] | None:
    try:
        return json.loads(key_file.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise BekasiError(tr("datakey.bad_file", path=key_file)) from exc


def _write(key_file: Path, doc: dict[str, Any]) -> None:
    write_durably(key_file, json.dumps(doc, indent=1).encode("utf-8"), prefix=".key-")


def _write_new(key_file: Path, doc: dict[str, Any]) -> bool:
    """Create the key file only if there is none (False: another process made one first, and
    its key, not ours, is the one the database will be encrypted with)."""
    key_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = key_file.with_name(f".key-new-{secrets.token_hex(4)}")
    try:
        write_durably(tmp, json.dumps(doc, indent=1).encode("utf-8"), prefix=".key-")
        try:
            os.link(tmp, key_file)  # atomic and exclusive, unlike a rename
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links: the old way
            if key_file.exists():
                return False
            os.replace(tmp, key_file)
        fsync_dir(key_file.parent)
        return True
    finally:
        tmp.unlink(missing_ok=True)


def has_passphrase(key_file: Path) -> bool:
    doc = _read(key_file)
    return bool(doc and doc.get("passphrase"))


def exists(key_file: Path) -> bool:
    return key_file.exists()


def open_data_key(key_file: Path, *, passphrase: str | None = None,
                  create: bool = True) -> DataKey:
    """The data key of `key_file`, made on first use. Raises PassphraseNeeded when neither the
    key store nor a passphrase (argument or BEKASI_FIELD_PASSPHRASE) can open it."""
    key_file = Path(key_file).resolve()
    with _cache_lock:
        if key_file in _cache:
            return _cache[key_file]
    passphrase = passphrase if passphrase is not None else os.environ.get(PASSPHRASE_ENV)
    doc = _read(key_file)
    if doc is None:
        if not create:
            raise BekasiError(tr("datakey.missing", path=key_file))
        data_key = _create(key_file, passphrase)
    else:
        data_key = _open_existing(key_file, doc, passphrase)
    with _cache_lock:
        _cache[key_file] = data_key
    return data_key


def _create(key_file: Path, passphrase: str | None) -> DataKey:
    data_key = DataKey(key_id=secrets.token_hex(8), key=secrets.token_bytes(32))
    stored = _keystore_put(data_key)
    if not stored and not passphrase:
        raise PassphraseNeeded(tr("datakey.first_run_needs_passphrase"), first_run=True)
    doc: dict[str, Any] = {"format": 1, "key_id": data_key.key_id,
                           "check": data_key.check_value(), "passphrase": None}
    if passphrase:
        _check_strength(passphrase)
        doc["passphrase"] = _wrap(data_key, passphrase)
    if not _write_new(key_file, doc):  # lost a race with another first start: use theirs
        other = _read(key_file)
        assert other is not None
        return _open_existing(key_file, other, passphrase)
    log.info("data key %s created (key store: %s, passphrase: %s)", data_key.key_id,
             "yes" if stored else "no", "yes" if passphrase else "not yet")
    return data_key


def _open_existing(key_file: Path, doc: dict[str, Any], passphrase: str | None) -> DataKey:
    key_id = str(doc["key_id"])
    raw = _keystore_get(key_id)
    if raw is not None:
        data_key = DataKey(key_id=key_id, key=raw)
        if hmac.compare_digest(data_key.check_value(), str(doc["check"])):
            return data_key
        log.warning("key store entry for %s does not match its key file; ignored", key_id)
    wrap = doc.get("passphrase")
    if not passphrase:
        raise PassphraseNeeded(tr("datakey.needs_passphrase" if wrap else
                                  "datakey.unrecoverable"), first_run=False)
    if not wrap:
        raise PassphraseNeeded(tr("datakey.unrecoverable"), first_run=False)
    data_key = DataKey(key_id=key_id, key=_unwrap(key_id, wrap, passphrase))
    if _keystore_put(data_key):
        log.info("data key %s put in this account's key store", key_id)
    return data_key


def _check_strength(passphrase: str) -> None:
    if len(passphrase.strip()) < MIN_PASSPHRASE:
        raise BekasiError(tr("datakey.passphrase_short", n=MIN_PASSPHRASE))


def set_passphrase(key_file: Path, data_key: DataKey, passphrase: str) -> None:
    """Set or change the recovery passphrase (the caller already holds the data key)."""
    _check_strength(passphrase)
    doc = _read(Path(key_file))
    if doc is None or doc.get("key_id") != data_key.key_id:
        raise BekasiError(tr("datakey.bad_file", path=key_file))
    doc["passphrase"] = _wrap(data_key, passphrase)
    _write(Path(key_file), doc)
    log.info("recovery passphrase set for data key %s", data_key.key_id)


def ephemeral() -> DataKey:
    """A random key kept nowhere: for a throw-away site (the self-test)."""
    return DataKey(key_id="ephemeral", key=secrets.token_bytes(32))


def forget_cached() -> None:
    """Drop the unwrapped keys of this process (tests: "another account")."""
    with _cache_lock:
        _cache.clear()
