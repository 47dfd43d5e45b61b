import datetime as dt

import cbor2
import pytest
import qrcode
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from hypothesis import given, settings
from hypothesis import strategies as st
from qrcode.util import MODE_ALPHA_NUM

from bekasi_field.domain.base45 import ALPHABET, b45decode, b45encode
from bekasi_field.domain.slip_codec import (
    ID_MAX_CHARS,
    ITEM_MAX_CHARS,
    SLIP_PREFIX,
    SlipPayload,
    decode_slip,
    encode_slip,
    is_slip_text,
    verify_signature,
)

KEY = Ed25519PrivateKey.generate()
PUBLIC = KEY.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
OTHER = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def payload(**changes: object) -> SlipPayload:
    base: dict[str, object] = {
        "key_id": "a1b2c3d4", "household_id": "32750200000002",
        "event_id": "KKS-KOTABARU-20261123", "item": "Kartu KKS", "amount": None,
        "expires": dt.date(2026, 11, 29), "serial": "RCFS1GZQ9RHX"}
    base.update(changes)
    return SlipPayload(**base)  # type: ignore[arg-type]


def slip(p: SlipPayload | None = None) -> str:
    return encode_slip(p or payload(), sign=KEY.sign)


def test_round_trip_and_signature() -> None:
    p = payload(amount=250_000, item="BLT tunai")
    decoded = decode_slip(slip(p))
    assert decoded.ok and decoded.payload == p
    assert verify_signature(decoded, PUBLIC)
    assert not verify_signature(decoded, OTHER)


def test_text_is_prefix_plus_qr_alphanumeric() -> None:
    text = slip()
    assert text.startswith(SLIP_PREFIX)
    assert set(text) <= set(ALPHABET)


def test_longest_slip_fits_a_version_10_qr_at_m_in_alphanumeric_mode() -> None:
    # The longest ids we print: 20-character household id, 40-character event id, 16-character
    # serial, with the longest default item (cut to ITEM_MAX_CHARS) and a large amount.
    longest = payload(key_id="f" * 8, household_id="9" * 20,
                      event_id="BPJSTK-JATIWARINGIN-20261123-" + "X" * 11,
                      item="Iuran BPJS Ketenagakerjaan 1 tahun (JKK + JKM)", amount=10**9,
                      serial="Z" * 16)
    text = slip(longest)
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(text, optimize=0)
    qr.make(fit=True)
    assert qr.version <= 10
    assert [d.mode for d in qr.data_list] == [MODE_ALPHA_NUM]
    assert decode_slip(text).payload.item == longest.item[:ITEM_MAX_CHARS]


def test_too_long_ids_are_refused_when_encoding() -> None:
    with pytest.raises(ValueError):
        slip(payload(event_id="E" * (ID_MAX_CHARS + 1)))
    with pytest.raises(ValueError):  # each fits alone, together they would need a bigger QR
        slip(payload(household_id="9" * 40, event_id="E" * 60, serial="Z" * 16))


def test_lower_case_and_surrounding_whitespace_from_a_keyboard_wedge_still_decode() -> None:
    text = slip()
    assert decode_slip(f"  {text.lower()}\r\n").payload == payload()


@pytest.mark.parametrize("text", ["", "3275012345678901", "hello", "BKF2:ABC", "BKF"])
def test_plain_text_is_not_a_slip(text: str) -> None:
    assert not is_slip_text(text)
    assert decode_slip(text).problem == "not_slip"


@pytest.mark.parametrize("text", ["BKF1:", "BKF1:!!!", "BKF1:BB8", "bkf1:zzzz",
                                  "BKF1:" + "A" * 5000])
def test_prefixed_junk_is_malformed(text: str) -> None:
    decoded = decode_slip(text)
    assert decoded.problem == "malformed" and not decoded.ok
    assert not verify_signature(decoded, PUBLIC)


def test_every_truncation_is_malformed() -> None:
    text = slip()
    for n in range(len(text) - 1, 0, -1):
        decoded = decode_slip(text[:n])
        assert not decoded.ok or not verify_signature(decoded, PUBLIC), n


def test_every_flipped_byte_fails() -> None:
    raw = b45decode(slip()[len(SLIP_PREFIX):])
    for i in range(len(raw)):
        for mask in (0x01, 0x80):
            forged = bytearray(raw)
            forged[i] ^= mask
            decoded = decode_slip(SLIP_PREFIX + b45encode(bytes(forged)))
            assert not (decoded.ok and verify_signature(decoded, PUBLIC)), (i, mask)


def test_every_replaced_character_fails() -> None:
    text = slip()
    for i in range(len(SLIP_PREFIX), len(text)):
        for ch in "0Z":
            if text[i] == ch:
                continue
            decoded = decode_slip(text[:i] + ch + text[i + 1:])
            assert not (decoded.ok and verify_signature(decoded, PUBLIC)), i


def test_non_canonical_or_foreign_cbor_is_malformed() -> None:
    good = b45decode(slip()[len(SLIP_PREFIX):])
    body, sig = cbor2.loads(good)
    cases = [
        good + b"\x00",  # trailing byte
        cbor2.dumps([body, sig, b""]),
        cbor2.dumps({"p": body, "s": sig}),
        cbor2.dumps([body, sig[:63]]),
        cbor2.dumps(cbor2.CBORTag(1, 0)),
    ]
    for raw in cases:
        assert decode_slip(SLIP_PREFIX + b45encode(raw)).problem == "malformed"


def test_an_edited_payload_in_a_whole_envelope_is_tampered_not_unreadable() -> None:
    good = b45decode(slip()[len(SLIP_PREFIX):])
    body, sig = cbor2.loads(good)
    cases = [
        cbor2.dumps([cbor2.dumps([2, *cbor2.loads(body)[1:]]), sig]),  # unknown version
        cbor2.dumps([cbor2.dumps(cbor2.loads(body)[:7]), sig]),
        cbor2.dumps([body[:-1] + b"\xff", sig]),  # an edited last byte
    ]
    for raw in cases:
        decoded = decode_slip(SLIP_PREFIX + b45encode(raw))
        assert decoded.problem == "tampered" and not decoded.ok


def test_signature_from_another_key_does_not_verify() -> None:
    other_key = Ed25519PrivateKey.generate()
    decoded = decode_slip(encode_slip(payload(), sign=other_key.sign))
    assert decoded.ok
    assert not verify_signature(decoded, PUBLIC)
    assert not verify_signature(decoded, b"short")


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=400))
def test_decode_never_raises_on_any_text(text: str) -> None:
    plain, prefixed = decode_slip(text), decode_slip(SLIP_PREFIX + text)
    for decoded in (plain, prefixed):
        assert decoded.ok == (decoded.problem is None)  # a reason whenever there is no payload
        assert not verify_signature(decoded, PUBLIC)  # junk never passes as a signed slip
    if not is_slip_text(text):
        assert plain.problem == "not_slip"
    assert prefixed.problem != "not_slip"  # it claims to be a slip: junk in it is reported


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=400))
def test_decode_never_raises_on_any_base45_bytes(raw: bytes) -> None:
    decoded = decode_slip(SLIP_PREFIX + b45encode(raw))
    assert decoded.ok == (decoded.problem is None) and decoded.problem != "not_slip"
    assert not verify_signature(decoded, PUBLIC)


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.binary(max_size=70)
                    | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=9), max_leaves=20))
def test_decode_never_raises_on_any_cbor_structure(value: object) -> None:
    decoded = decode_slip(SLIP_PREFIX + b45encode(cbor2.dumps(value)))
    assert not decoded.ok or verify_signature(decoded, PUBLIC) is False
