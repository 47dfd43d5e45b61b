"""Issuer keys: Ed25519 pairs that sign invitation slips; public halves live in `issuer_keys`.

The private key is a file created with mode 0600 and never logged or printed: on a desk (and a
SQLite hub) `issuer-<id>.sealed`, the PKCS#8 PEM sealed with AES-GCM under the data key's
"secrets" key, so a copied home gives no signing key; where there is no data key (a PostgreSQL
hub) `issuer-<id>.pem`, readable by its owner only. The key id is the first 8 hex digits of
SHA-256 over the raw public key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Boolean, Date, Engine, bindparam, text

from bekasi_field.domain.errors import BekasiError
from bekasi_field.fileio import write_durably
from bekasi_field.i18n import tr
from bekasi_field.store import sealed

log = logging.getLogger(__name__)

DEFAULT_VALID_DAYS = 730
_RAW = serialization.Encoding.Raw, serialization.PublicFormat.Raw


@dataclass(frozen=True)
class IssuerKeyInfo:
    key_id: str
    public_hex: str
    private_path: Path | None
    valid_from: dt.date
    valid_to: dt.date
    revoked: bool = False


class SlipSigner:
    """Signs slip payloads; holds the private key in memory only."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key
        self.public_bytes = private_key.public_key().public_bytes(*_RAW)
        self.key_id = key_id_for(self.public_bytes)

    def sign(self, data: bytes) -> bytes:
        return self._key.sign(data)

    def __repr__(self) -> str:  # never show key material
        return f"SlipSigner(key_id={self.key_id!r})"


def key_id_for(public: bytes) -> str:
    return hashlib.sha256(public).hexdigest()[:8]


_SEALED_NAME = "issuer-key"


def generate_issuer_key(*, keys_dir: Path, valid_days: int = DEFAULT_VALID_DAYS,
                        valid_from: dt.date | None = None,
                        seal_key: bytes | None = None) -> IssuerKeyInfo:
    keys_dir = Path(keys_dir)
    keys_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(*_RAW)
    key_id = key_id_for(public)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    if seal_key is not None:
        path = keys_dir / f"issuer-{key_id}.sealed"
        write_durably(path, sealed.seal(seal_key, pem, name=_SEALED_NAME), prefix=".key-")
    else:
        path = keys_dir / f"issuer-{key_id}.pem"
        # O_EXCL + 0600 at creation: the key is never readable by others, not even for a moment.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
            fh.flush()
            os.fsync(fh.fileno())
    start = valid_from or dt.date.today()
    info = IssuerKeyInfo(key_id=key_id, public_hex=public.hex(), private_path=path,
                         valid_from=start, valid_to=start + dt.timedelta(days=valid_days))
    log.info("issuer key %s generated", key_id)
    return info


def load_signer(private_path: Path, *, seal_key: bytes | None = None) -> SlipSigner:
    try:
        data = Path(private_path).read_bytes()
        if sealed.is_sealed(data):
            if seal_key is None:
                raise ValueError("a sealed key needs the data key")
            data = sealed.unseal(seal_key, data, name=_SEALED_NAME)
        key = serialization.load_pem_private_key(data, password=None)
    except (OSError, ValueError, TypeError, sealed.SealBroken) as exc:
        raise BekasiError(tr("keys.bad_file", path=private_path)) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise BekasiError(tr("keys.bad_file", path=private_path))
    return SlipSigner(key)


def register_public_key(engine: Engine, info: IssuerKeyInfo) -> None:
    """Insert or update the public key in `issuer_keys` (SQLite or PostgreSQL)."""
    with engine.begin() as conn:
        exists = conn.execute(text("SELECT 1 FROM issuer_keys WHERE key_id = :k"),
                              {"k": info.key_id}).first()
        params = {"k": info.key_id, "p": info.public_hex, "f": info.valid_from,
                  "t": info.valid_to, "r": info.revoked}
        if exists:
            sql = text("UPDATE issuer_keys SET public_key = :p, valid_from = :f, valid_to = :t, "
                       "revoked = :r, version = version + 1 WHERE key_id = :k")
        else:
            sql = text("INSERT INTO issuer_keys (key_id, public_key, valid_from, valid_to, "
                       "revoked, version) VALUES (:k, :p, :f, :t, :r, 0)")
        # Typed parameters: SQLite stores ISO dates and 0/1, PostgreSQL gets date and boolean.
        conn.execute(sql.bindparams(bindparam("f", type_=Date), bindparam("t", type_=Date),
                                    bindparam("r", type_=Boolean)), params)


def list_issuer_keys(engine: Engine) -> list[IssuerKeyInfo]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT key_id, public_key, valid_from, valid_to, revoked "
                                 "FROM issuer_keys ORDER BY valid_from, key_id")).all()
    return [IssuerKeyInfo(key_id=r[0], public_hex=r[1], private_path=None,
                          valid_from=_as_date(r[2]), valid_to=_as_date(r[3]),
                          revoked=bool(r[4])) for r in rows]


def _as_date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def usable_signer(engine: Engine, keys_dir: Path, today: dt.date | None = None, *,
                  seal_key: bytes | None = None) -> SlipSigner | None:
    """A private key in `keys_dir` whose public key is registered, valid today and not revoked."""
    today = today or dt.date.today()
    known = {k.key_id: k for k in list_issuer_keys(engine)}
    usable = []
    for path in (*Path(keys_dir).glob("issuer-*.pem"), *Path(keys_dir).glob("issuer-*.sealed")):
        key = known.get(path.stem.removeprefix("issuer-"))
        if key and not key.revoked and key.valid_from <= today <= key.valid_to:
            usable.append((key.valid_from, key.key_id, path))
    if not usable:
        return None
    return load_signer(max(usable)[2], seal_key=seal_key)  # the newest key signs


def ensure_signer(engine: Engine, keys_dir: Path, *,
                  seal_key: bytes | None = None) -> SlipSigner:
    """The usable signer, creating and registering a device key on first use."""
    signer = usable_signer(engine, keys_dir, seal_key=seal_key)
    if signer is None:
        info = generate_issuer_key(keys_dir=keys_dir, seal_key=seal_key)
        register_public_key(engine, info)
        assert info.private_path is not None
        signer = load_signer(info.private_path, seal_key=seal_key)
    return signer


def seal_plain_keys(keys_dir: Path, *, seal_key: bytes) -> int:
    """Seal the plain PEM issuer keys an earlier release left (each replaced atomically)."""
    done = 0
    for path in Path(keys_dir).glob("issuer-*.pem"):
        pem = path.read_bytes()
        target = path.with_suffix(".sealed")
        write_durably(target, sealed.seal(seal_key, pem, name=_SEALED_NAME), prefix=".key-")
        path.unlink()
        done += 1
    if done:
        log.info("%d plain issuer keys sealed", done)
    return done


def revoke_key(engine: Engine, key_id: str) -> None:
    """Mark an issuer key revoked: every slip it signed then gives INVALID_SIGNATURE."""
    with engine.begin() as conn:
        done = conn.execute(
            text("UPDATE issuer_keys SET revoked = :r, version = version + 1 WHERE key_id = :k")
            .bindparams(bindparam("r", type_=Boolean)), {"r": True, "k": key_id.strip()})
        if done.rowcount == 0:
            raise BekasiError(tr("keys.unknown", key_id=key_id))
    log.info("issuer key %s revoked", key_id)
