"""The bundle file: sealed, checksummed; truncation, edits and the wrong kind are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bekasi_field.sync.bundle import BundleRefused, bundle_key, read_bundle, write_bundle
from bekasi_field.sync.signing import (
    device_mac,
    device_mac_ok,
    public_hex,
    sign,
    token_hash,
    verify,
)

KEY = Ed25519PrivateKey.generate()
PUB = public_hex(KEY)
BUNDLE_KEY = bundle_key(token_hash("device-d1-token"))


def _key(_h: dict) -> bytes:
    return BUNDLE_KEY


def _check(_h: dict, data: bytes, seal: str) -> bool:
    return verify(PUB, data, seal)


def _write(path: Path) -> Path:
    write_bundle(path, kind="snapshot", header={"device_id": "d1"},
                 payload={"device_id": "d1", "rows": list(range(1000))},
                 seal=lambda data: sign(KEY, data), encrypt_key=BUNDLE_KEY)
    return path


def test_round_trip(tmp_path: Path) -> None:
    b = read_bundle(_write(tmp_path / "b.bkf"), kind="snapshot", check_seal=_check, decrypt_key=_key)
    assert b.kind == "snapshot" and b.payload["rows"][-1] == 999
    assert b.header["device_id"] == "d1"


@pytest.mark.parametrize("damage", ["truncate", "flip_payload", "flip_header", "append",
                                    "empty", "not_a_bundle"])
def test_damaged_bundles_are_refused(tmp_path: Path, damage: str) -> None:
    path = _write(tmp_path / "b.bkf")
    data = bytearray(path.read_bytes())
    header_end = data.index(b"\n", 6)
    if damage == "truncate":
        data = data[:-1]
    elif damage == "flip_payload":
        data[-3] ^= 0x40
    elif damage == "flip_header":
        data[header_end - 40] ^= 0x01
    elif damage == "append":
        data += b"x"
    elif damage == "empty":
        data = bytearray()
    else:
        data = bytearray(b"PK\x03\x04 a zip file")
    path.write_bytes(bytes(data))
    with pytest.raises(BundleRefused):
        read_bundle(path, kind="snapshot", check_seal=_check, decrypt_key=_key)


def test_a_resealed_header_still_needs_the_key(tmp_path: Path) -> None:
    other = Ed25519PrivateKey.generate()
    path = tmp_path / "forged.bkf"
    write_bundle(path, kind="snapshot", header={"device_id": "d1"}, payload={"x": 1},
                 seal=lambda data: sign(other, data), encrypt_key=BUNDLE_KEY)
    with pytest.raises(BundleRefused):
        read_bundle(path, kind="snapshot", check_seal=_check, decrypt_key=_key)


def test_wrong_kind_and_missing_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "b.bkf")
    with pytest.raises(BundleRefused, match="bukan untuk"):
        read_bundle(path, kind="journal", check_seal=_check, decrypt_key=_key)
    with pytest.raises(BundleRefused, match="tidak ditemukan"):
        read_bundle(tmp_path / "nope.bkf", kind="journal", check_seal=_check, decrypt_key=_key)


def test_device_seal_is_checked_with_the_stored_credential_hash() -> None:
    mac = device_mac("secret-token", b"data")
    assert device_mac_ok(token_hash("secret-token"), b"data", mac)
    assert not device_mac_ok(token_hash("other-token"), b"data", mac)
    assert not device_mac_ok(token_hash("secret-token"), b"datA", mac)


def test_the_payload_is_encrypted_for_its_receiver_alone(tmp_path: Path) -> None:
    path = tmp_path / "people.bkf"
    write_bundle(path, kind="snapshot", header={"device_id": "d1"},
                 payload={"members": [{"nik": "3275014101800001", "name": "Siti Rahmawati"}]},
                 seal=lambda data: sign(KEY, data), encrypt_key=BUNDLE_KEY)
    import gzip
    raw = path.read_bytes()
    assert b"3275014101800001" not in raw and b"Siti" not in raw
    body = raw[raw.index(b"\n", 6) + 1:]
    with pytest.raises(OSError):
        gzip.decompress(body)  # not even a gzip stream without the key
    assert read_bundle(path, kind="snapshot", check_seal=_check,
                       decrypt_key=_key).payload["members"][0]["name"] == "Siti Rahmawati"
    other = bundle_key(token_hash("another-device-token"))
    with pytest.raises(BundleRefused):  # another device's credential does not open it
        read_bundle(path, kind="snapshot", check_seal=_check, decrypt_key=lambda _h: other)
