"""A complaint (pengaduan) or DTSEN update proposal (usulan): its fields, number and signature.

One definition shared by the desk table, the sync protocol and the hub table: SIGNED_FIELDS are
what the recording device signs (canonical JSON, like the journal's hash), so the hub can tell a
complaint changed on the way or on a copied database from one the desk wrote. The number given
to the person (ADU-XXXX-XXXX) is derived from the uuid, so every desk and the hub compute the
same one without asking anybody.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

from bekasi_field.domain.journal_chain import canonical_json

# Verdicts that turn someone away and so offer a complaint.
TURNED_AWAY: frozenset[str] = frozenset({"UNKNOWN", "NOT_ENTITLED", "WRONG_SITE", "SUSPENDED"})

CATEGORIES: tuple[str, ...] = ("not_listed", "wrong_data", "moved", "says_eligible", "other")
# The follow-up at the hub (Dinas Sosial / kelurahan): new -> in_progress -> proposed (sent to
# DTSEN as an update proposal) -> resolved, or rejected.
STATUSES: tuple[str, ...] = ("new", "in_progress", "proposed", "resolved", "rejected")

SIGNED_FIELDS: tuple[str, ...] = (
    "uuid",
    "number",
    "device_id",
    "seq",
    "created_at",
    "officer_id",
    "site",
    "event_id",
    "verdict",
    "household_id",
    "nik",
    "name",
    "address",
    "rt",
    "rw",
    "kelurahan",
    "phone",
    "category",
    "note",
)
TEXT_LIMITS: dict[str, int] = {"name": 120, "address": 200, "note": 1000, "phone": 20,
                               "rt": 3, "rw": 3, "kelurahan": 80}

_NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone
_PHONE = re.compile(r"^(?:\+?62|0)8\d{7,11}$")


def complaint_number(uuid: str) -> str:
    """ADU-XXXX-XXXX: 40 bits of the uuid's SHA-256 in an alphabet without look-alikes."""
    bits = int.from_bytes(hashlib.sha256(uuid.encode("ascii")).digest()[:5], "big")
    chars = [_NUMBER_ALPHABET[(bits >> (5 * i)) & 31] for i in range(7, -1, -1)]
    return f"ADU-{''.join(chars[:4])}-{''.join(chars[4:])}"


def looks_like_number(text: str) -> bool:
    return bool(re.fullmatch(r"ADU-[A-Z2-9]{4}-[A-Z2-9]{4}", text.strip().upper()))


def normalise_phone(text: str | None) -> str:
    """'0812-3456 7890' -> '081234567890'; '' when empty; ValueError when not a mobile number."""
    if not text or not text.strip():
        return ""
    value = re.sub(r"[\s.\-()]", "", text.strip())
    if not _PHONE.match(value):
        raise ValueError(text)
    if value.startswith("+62"):
        value = "0" + value[3:]
    elif value.startswith("62"):
        value = "0" + value[2:]
    return value


def signed_bytes(record: Mapping[str, Any]) -> bytes:
    """What the device signs: the canonical JSON of SIGNED_FIELDS (missing ones as null)."""
    return canonical_json({f: record.get(f) for f in SIGNED_FIELDS}).encode("utf-8")
