"""Hand-over receipts (bukti penerimaan): `BKR1:` + Base45(CBOR [payload bytes, signature]).

The payload is a CBOR array [format, device id, entry uuid, seq, event id, household id, item,
amount, time (UTC, seconds), officer id, recipient name, masked NIK, proxy name or null, short
code]; the recording device's Ed25519 key signs the payload bytes exactly as carried, so any
desk that knows that device's public key verifies a receipt offline and refuses one altered by a
single byte. Only canonical CBOR is accepted. The short code (BKT-XXXX-XXXX) is the first 40 bits
of the journal entry's hash: read over the phone, it finds the entry at the hub or any synced desk.
`decode_receipt` and `verify_receipt` never raise, whatever the input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from bekasi_field.domain.base45 import b45decode, b45encode

RECEIPT_PREFIX = "BKR1:"
FORMAT_VERSION = 1
SIGNATURE_BYTES = 64
TEXT_MAX = {"item": 40, "name": 60, "proxy": 60}
ID_MAX_CHARS = 64
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_MAX_INPUT_CHARS = 2000


@dataclass(frozen=True)
class ReceiptPayload:
    device_id: str
    entry_uuid: str
    seq: int
    event_id: str
    household_id: str
    item: str
    amount: int | None
    created_at: dt.datetime  # UTC
    officer_id: str
    recipient_name: str
    nik_masked: str
    proxy_name: str | None
    short_code: str
    version: int = FORMAT_VERSION

    def to_cbor(self) -> bytes:
        return cbor2.dumps([
            self.version, self.device_id, self.entry_uuid, self.seq, self.event_id,
            self.household_id, self.item[:TEXT_MAX["item"]], self.amount,
            int(self.created_at.timestamp()), self.officer_id,
            self.recipient_name[:TEXT_MAX["name"]], self.nik_masked,
            self.proxy_name[:TEXT_MAX["proxy"]] if self.proxy_name else None, self.short_code,
        ])


@dataclass(frozen=True)
class DecodedReceipt:
    payload: ReceiptPayload | None
    signed_bytes: bytes = b""
    signature: bytes = b""
    problem: str | None = None  # None | "not_receipt" | "malformed"

    @property
    def ok(self) -> bool:
        return self.payload is not None


def short_code(entry_hash: str) -> str:
    """BKT-XXXX-XXXX from the first 40 bits (10 hex digits) of the entry's hash."""
    bits = int(entry_hash[:10], 16)
    chars = "".join(_ALPHABET[(bits >> (5 * i)) & 31] for i in range(7, -1, -1))
    return f"BKT-{chars[:4]}-{chars[4:]}"


def hash_prefix(code: str) -> str | None:
    """The 10 hex digits a short code stands for (None when it is not one)."""
    text = code.strip().upper().replace("-", "")
    text = text.removeprefix("BKT")
    if len(text) != 8 or any(c not in _ALPHABET for c in text):
        return None
    bits = 0
    for c in text:
        bits = bits << 5 | _ALPHABET.index(c)
    return f"{bits:010x}"


def is_receipt_text(text: str) -> bool:
    return isinstance(text, str) and text.strip()[:len(RECEIPT_PREFIX)].upper() == RECEIPT_PREFIX


def encode_receipt(payload: ReceiptPayload, *, sign: Callable[[bytes], bytes]) -> str:
    for name in ("device_id", "entry_uuid", "event_id", "household_id", "officer_id"):
        if not 0 < len(getattr(payload, name)) <= ID_MAX_CHARS:
            raise ValueError(f"receipt {name} must have 1..{ID_MAX_CHARS} characters")
    body = payload.to_cbor()
    return RECEIPT_PREFIX + b45encode(cbor2.dumps([body, sign(body)]))


def _canonical_loads(raw: bytes) -> object:
    value = cbor2.loads(raw)
    if cbor2.dumps(value) != raw:
        raise ValueError("non-canonical CBOR")
    return value


def _str(value: object, limit: int = ID_MAX_CHARS, *, empty: bool = False) -> bool:
    return type(value) is str and (empty or len(value) > 0) and len(value) <= limit


def _payload_from(body: bytes) -> ReceiptPayload | None:
    fields = _canonical_loads(body)
    if not isinstance(fields, list) or len(fields) != 14:
        return None
    (version, device_id, uuid, seq, event_id, household_id, item, amount, when, officer_id,
     name, nik_masked, proxy, code) = fields
    if type(version) is not int or version != FORMAT_VERSION:
        return None
    if not all(_str(v) for v in (device_id, uuid, event_id, household_id, officer_id)):
        return None
    if type(seq) is not int or seq < 1 or type(when) is not int or when < 0:
        return None
    if not (_str(item, TEXT_MAX["item"], empty=True) and _str(name, TEXT_MAX["name"], empty=True)
            and _str(nik_masked, 32, empty=True) and _str(code, 16)):
        return None
    if proxy is not None and not _str(proxy, TEXT_MAX["proxy"]):
        return None
    if amount is not None and (type(amount) is not int or not 0 <= amount < 10**12):
        return None
    try:
        created = dt.datetime.fromtimestamp(when, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return ReceiptPayload(device_id=device_id, entry_uuid=uuid, seq=seq, event_id=event_id,
                          household_id=household_id, item=item, amount=amount,
                          created_at=created, officer_id=officer_id, recipient_name=name,
                          nik_masked=nik_masked, proxy_name=proxy, short_code=code,
                          version=version)


def decode_receipt(text: str) -> DecodedReceipt:
    """Parse a scanned text; never raises. The signature is checked by verify_receipt."""
    try:
        if not is_receipt_text(text):
            return DecodedReceipt(None, problem="not_receipt")
        body45 = text.strip()[len(RECEIPT_PREFIX):].upper()
        if len(body45) > _MAX_INPUT_CHARS:
            return DecodedReceipt(None, problem="malformed")
        outer = _canonical_loads(b45decode(body45))
        if not isinstance(outer, list) or len(outer) != 2:
            return DecodedReceipt(None, problem="malformed")
        body, signature = outer
        if type(body) is not bytes or type(signature) is not bytes \
                or len(signature) != SIGNATURE_BYTES:
            return DecodedReceipt(None, problem="malformed")
        payload = _payload_from(body)
        if payload is None:
            return DecodedReceipt(None, problem="malformed")
        return DecodedReceipt(payload, signed_bytes=body, signature=signature)
    except Exception:  # noqa: BLE001 - any failure on untrusted input means malformed
        return DecodedReceipt(None, problem="malformed")


def verify_receipt(decoded: DecodedReceipt, public_key: bytes) -> bool:
    """True when the receipt's signature is valid under the raw Ed25519 `public_key`."""
    if not decoded.ok:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(decoded.signature,
                                                              decoded.signed_bytes)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
