"""The hub's TLS certificate: made on first run (self-signed, ECDSA P-256) or given as files.

A made certificate and its key live beside the hub's other keys (store.key_dir: next to a
SQLite hub file, else BEKASI_HUB_KEY_DIR), named by the hub id, both 0600. Desks pin the
certificate at enrolment (sync/tls_pin.py); its fingerprint is what the hub shows (`hub`,
`hub enrol-code`, the LAN announcement, the console). Which hubs serve TLS: every hub
listening on a non-loopback address; on loopback (one machine, tests) plain HTTP unless
`--tls` or files are given.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import socket
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bekasi_field.domain.errors import BekasiError
from bekasi_field.hub.signing_keys import _write_private
from bekasi_field.i18n import tr
from bekasi_field.sync import tls_pin

log = logging.getLogger(__name__)

FINGERPRINT_META = "tls_fingerprint"  # hub_meta: the certificate the hub last served


@dataclass(frozen=True)
class TlsFiles:
    cert: Path
    key: Path

    def pem(self) -> str:
        return self.cert.read_text(encoding="ascii")

    def fingerprint(self) -> str:
        return tls_pin.fingerprint(self.pem())


def made_paths(key_dir: Path, hub_id: str) -> TlsFiles:
    return TlsFiles(Path(key_dir) / f"hub-{hub_id}.tls-cert.pem",
                    Path(key_dir) / f"hub-{hub_id}.tls-key.pem")


def serves_tls(host: str, *, forced: bool, given: bool) -> bool:
    """Anything a LAN can reach is TLS; loopback is plain unless asked (see the module)."""
    return forced or given or not tls_pin.host_is_loopback(host)


def given_files(cert: str | Path, key: str | Path) -> TlsFiles:
    files = TlsFiles(Path(cert).expanduser().resolve(), Path(key).expanduser().resolve())
    for path in (files.cert, files.key):
        if not path.is_file():
            raise BekasiError(tr("hub.tls_file_missing", path=path))
    try:
        files.fingerprint()
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise BekasiError(tr("hub.tls_file_bad", path=files.cert)) from exc
    return files


def ensure_certificate(key_dir: Path, hub_id: str) -> TlsFiles:
    """The hub's own certificate, made on first call and kept (a desk pins it)."""
    files = made_paths(key_dir, hub_id)
    if files.cert.exists() and files.key.exists():
        return files
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"bekasi-field hub {hub_id}")])
    now = dt.datetime.now(dt.UTC)
    names: list[x509.GeneralName] = [x509.DNSName("localhost"),
                                     x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    try:
        names.append(x509.DNSName(socket.gethostname()))
    except (OSError, ValueError):
        pass
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365 * 20))
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .sign(key, hashes.SHA256()))
    _write_private(files.key, key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    _write_private(files.cert, cert.public_bytes(serialization.Encoding.PEM))
    log.info("new hub TLS certificate in %s", files.cert.name)
    return files
