"""Base45 (RFC 9285): bytes as QR alphanumeric characters, so a slip QR stays in the dense mode.

`b45decode` raises ValueError on anything that is not valid Base45; callers that must never raise
(the slip codec) catch it.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_VALUES = bytes(ALPHABET.index(chr(b)) if chr(b) in ALPHABET else 0xFF for b in range(256))


def b45encode(data: bytes) -> str:
    out: list[str] = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        n, c = divmod(n, 45)
        e, d = divmod(n, 45)
        out += (ALPHABET[c], ALPHABET[d], ALPHABET[e])
    if len(data) % 2:
        d, c = divmod(data[-1], 45)
        out += (ALPHABET[c], ALPHABET[d])
    return "".join(out)


def b45decode(text: str) -> bytes:
    if len(text) % 3 == 1:
        raise ValueError("base45: length leaves a single character")
    try:
        raw = text.encode("ascii")
    except UnicodeEncodeError as exc:
        raise ValueError("base45: character outside the alphabet") from exc
    values = raw.translate(_VALUES)  # one C pass: each character to its value, others to 0xFF
    if b"\xff" in values:
        raise ValueError("base45: character outside the alphabet")
    full = len(values) - len(values) % 3
    out = bytearray()
    for i in range(0, full, 3):
        n = values[i] + values[i + 1] * 45 + values[i + 2] * 2025
        if n > 0xFFFF:
            raise ValueError("base45: triple out of range")
        out += n.to_bytes(2, "big")
    if full < len(values):
        n = values[full] + values[full + 1] * 45
        if n > 0xFF:
            raise ValueError("base45: pair out of range")
        out.append(n)
    return bytes(out)
