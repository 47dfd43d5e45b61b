"""The text of an enrolment QR code: the hub's address and a one-time code, so a desk's webcam
can fill both fields of its first-run page in one read."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

SCHEME = "bekasi-field"


def enrol_qr_text(*, hub_url: str, code: str, fingerprint: str | None = None) -> str:
    """`fingerprint`: the hub's TLS certificate fingerprint, which the desk then requires."""
    text = f"{SCHEME}://enrol?hub={quote(hub_url, safe=':/')}&code={quote(code)}"
    return text + (f"&fp={quote(fingerprint)}" if fingerprint else "")


def parse_enrol_qr(text: str) -> tuple[str, str] | None:
    """(hub URL, code) from a scanned enrolment QR, None when the text is not one."""
    parts = urlsplit(text.strip())
    if parts.scheme != SCHEME or parts.netloc != "enrol":
        return None
    query = parse_qs(parts.query)
    hub, code = query.get("hub", [""])[0], query.get("code", [""])[0]
    if not hub.startswith(("http://", "https://")) or not code:
        return None
    return hub, code


def enrol_qr_fingerprint(text: str) -> str | None:
    """The certificate fingerprint an enrolment QR carries (None: none, or not such a QR)."""
    if parse_enrol_qr(text) is None:
        return None
    return parse_qs(urlsplit(text.strip()).query).get("fp", [None])[0] or None
