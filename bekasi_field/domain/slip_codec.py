"""Signed invitation slips: `BKF1:` + Base45(CBOR [payload bytes, Ed25519 signature]).

The payload is a CBOR array [format, key id, household id, event id, item, amount, expiry
(YYYYMMDD), slip serial]; the signature covers the payload bytes exactly as carried. Only the
canonical CBOR encoding is accepted, so every changed byte is either malformed or a bad
signature. `decode_slip` and `verify_signature` never raise, whatever the input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from bekasi_field.domain.base45 import b45decode, b45encode

SLIP_PREFIX = "BKF1:"
FORMAT_VERSION = 1
SIGNATURE_BYTES = 64
ITEM_MAX_CHARS = 32  # the slip carries a short label; the full item is in the snapshot
ID_MAX_CHARS = 64
# A version 10 QR at error correction M holds 311 alphanumeric characters.
MAX_SLIP_CHARS = 311
_MAX_INPUT_CHARS = 2000  # longer text is not a slip; never hand it to the CBOR decoder


@dataclass(frozen=True)
class SlipPayload:
    key_id: str
    household_id: str
    event_id: str
    item: str
    amount: int | None
    expires: dt.date
    serial: str
    version: int = FORMAT_VERSION

    def to_cbor(self) -> bytes:
        expires = self.expires.year * 10000 + self.expires.month * 100 + self.expires.day
        return cbor2.dumps([self.version, self.key_id, self.household_id, self.event_id,
                            self.item[:ITEM_MAX_CHARS], self.amount, expires, self.serial])


@dataclass(frozen=True)
class DecodedSlip:
    """The outcome of decoding: `payload` is None when the text is not a well-formed slip."""

    payload: SlipPayload | None
    signed_bytes: bytes = b""
    signature: bytes = b""
    # None | "not_slip" | "malformed" (unreadable, incomplete) | "tampered" (the signed
    # envelope read whole, but what it carries is not a slip we signed: edited or forged)
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.payload is not None


def is_slip_text(text: str) -> bool:
    """Whether `text` claims to be a slip (then junk in it is MALFORMED, not UNKNOWN)."""
    return text.strip()[: len(SLIP_PREFIX)].upper() == SLIP_PREFIX


def encode_slip(payload: SlipPayload, *, sign: Callable[[bytes], bytes]) -> str:
    for name in ("key_id", "household_id", "event_id", "serial"):
        if not 0 < len(getattr(payload, name)) <= ID_MAX_CHARS:
            raise ValueError(f"slip {name} must have 1..{ID_MAX_CHARS} characters")
    body = payload.to_cbor()
    signature = sign(body)
    text = SLIP_PREFIX + b45encode(cbor2.dumps([body, signature]))
    if len(text) > MAX_SLIP_CHARS:
        raise ValueError(f"slip is {len(text)} characters; a version 10 QR holds {MAX_SLIP_CHARS}")
    return text


def _malformed() -> DecodedSlip:
    return DecodedSlip(None, problem="malformed")


def _canonical_loads(raw: bytes) -> object:
    value = cbor2.loads(raw)
    if cbor2.dumps(value) != raw:  # trailing bytes, odd lengths, tags: not ours
        raise ValueError("non-canonical CBOR")
    return value


def _payload_from(body: bytes) -> SlipPayload | None:
    fields = _canonical_loads(body)
    if not isinstance(fields, list) or len(fields) != 8:
        return None
    version, key_id, household_id, event_id, item, amount, expires, serial = fields
    if type(version) is not int or version != FORMAT_VERSION:
        return None
    for s in (key_id, household_id, event_id, serial):
        if type(s) is not str or not 0 < len(s) <= ID_MAX_CHARS:
            return None
    if type(item) is not str or len(item) > ITEM_MAX_CHARS:
        return None
    if amount is not None and (type(amount) is not int or not 0 <= amount < 10**12):
        return None
    if type(expires) is not int:
        return None
    try:
        when = dt.date(expires // 10000, expires // 100 % 100, expires % 100)
    except (ValueError, OverflowError):
        return None
    return SlipPayload(key_id=key_id, household_id=household_id, event_id=event_id, item=item,
                       amount=amount, expires=when, serial=serial, version=version)


def decode_slip(text: str) -> DecodedSlip:
    """Parse a scanned text; never raises. Signature not checked here (see verify_signature)."""
    try:
        if not isinstance(text, str) or not is_slip_text(text):
            return DecodedSlip(None, problem="not_slip")
        body45 = text.strip()[len(SLIP_PREFIX):].upper()
        if len(body45) > _MAX_INPUT_CHARS:
            return _malformed()
        outer = _canonical_loads(b45decode(body45))
        if not isinstance(outer, list) or len(outer) != 2:
            return _malformed()
        body, signature = outer
        if type(body) is not bytes or type(signature) is not bytes:
            return _malformed()
        if len(signature) != SIGNATURE_BYTES:
            return _malformed()
        # The envelope [payload, 64-byte signature] read whole: a camera or scanner does not
        # produce that by accident. A payload that fails now was edited, not misread.
        try:
            payload = _payload_from(body)
        except Exception:  # noqa: BLE001 - undecodable payload bytes inside a whole envelope
            payload = None
        if payload is None:
            return DecodedSlip(None, problem="tampered")
        return DecodedSlip(payload, signed_bytes=body, signature=signature)
    except Exception:  # noqa: BLE001 - any decoder failure on untrusted input means malformed
        return _malformed()


def verify_signature(decoded: DecodedSlip, public_key: bytes) -> bool:
    """True when the slip's signature is valid under the raw Ed25519 `public_key`."""
    if not decoded.ok:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(
            decoded.signature, decoded.signed_bytes
        )
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
