"""The desk's trust in its hub's TLS certificate: pinned at enrolment, required ever after.

At enrolment the desk reads the certificate the hub presents, checks its SHA-256 fingerprint
against the one the officer compared (the hub's screen, `hub enrol-code`, the LAN finder), and
keeps the certificate (in the encrypted desk database). Every later connection trusts that one
certificate alone, so a machine presenting another is refused during the TLS handshake, before
the desk's token or any entry is sent. Plain HTTP is accepted for a loopback address only (a
hub on the same laptop, and tests): anything that crosses a network is TLS.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import ssl
from urllib.parse import urlsplit

from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr


def fingerprint(cert_pem: str) -> str:
    """SHA-256 of the certificate (DER), hex: what is pinned and compared."""
    der = ssl.PEM_cert_to_DER_cert(cert_pem)
    return hashlib.sha256(der).hexdigest()


def short(fingerprint_hex: str) -> str:
    """The form people compare by eye: the first 64 bits in four groups (ABCD-EF01-...)."""
    head = fingerprint_hex[:16].upper()
    return "-".join(head[i:i + 4] for i in range(0, 16, 4))


def matches(given: str, fingerprint_hex: str) -> bool:
    """A fingerprint as typed (short or full, any case, with - or : or spaces) against one."""
    typed = re.sub(r"[^0-9a-f]", "", given.lower())
    return len(typed) >= 16 and fingerprint_hex.startswith(typed)


def host_is_loopback(host: str) -> bool:
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_loopback(url: str) -> bool:
    return host_is_loopback(urlsplit(url).hostname or "")


def require_secure(url: str) -> None:
    """Plain HTTP only to this machine: elsewhere a LAN neighbour could read and answer it."""
    scheme = urlsplit(url).scheme.lower()
    if scheme == "https" or (scheme == "http" and is_loopback(url)):
        return
    raise BekasiError(tr("sync.plain_http_refused", url=url))


def fetch_certificate(url: str, *, timeout: float = 5.0) -> str:
    """The certificate a hub presents (not trusted yet: compared with a fingerprint next)."""
    parts = urlsplit(url)
    try:
        return ssl.get_server_certificate((parts.hostname or "", parts.port or 443),
                                          timeout=timeout)
    except (OSError, ValueError) as exc:
        from bekasi_field.sync.client import HubUnreachable
        raise HubUnreachable(tr("sync.hub_unreachable", url=url,
                                detail=type(exc).__name__)) from exc


def context_for(cert_pem: str) -> ssl.SSLContext:
    """A client context that trusts the pinned certificate and nothing else (its name is not
    checked: the desk reaches the hub by whatever address the LAN gives it)."""
    ctx = ssl.create_default_context(cadata=cert_pem)
    ctx.check_hostname = False
    ctx.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN  # a given (CA-issued) leaf pins too
    return ctx


def is_pin_failure(exc: BaseException) -> bool:
    """Did this connection fail because the hub showed another certificate?"""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, ssl.SSLCertVerificationError):
            return True
        if isinstance(cur, ssl.SSLError) and "CERTIFICATE_VERIFY_FAILED" in str(cur):
            return True
        cur = cur.__cause__ or cur.__context__
    return "CERTIFICATE_VERIFY_FAILED" in str(exc)


def refused(url: str, pinned_pem: str) -> BekasiError:
    """The clear message for a hub that shows another certificate than the pinned one."""
    try:
        seen = short(fingerprint(fetch_certificate(url)))
    except BekasiError:
        seen = "?"
    return BekasiError(tr("sync.hub_cert_mismatch", url=url, seen=seen,
                          pinned=short(fingerprint(pinned_pem))))
