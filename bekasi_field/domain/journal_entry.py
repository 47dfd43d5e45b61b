"""The journal entry's fields, declared once.

Everything that names an entry's fields derives from ENTRY_FIELDS: the hashed fields and the
canonical bytes (domain.journal_chain), the desk's `journal` table (store/models.py), the hub's
`hub_journal` table (hub/models.py), the sync protocol's EntryIn (sync/protocol.py), the column
lists of the SQL that reads and writes entries (services/journal.py, sync/device_journal.py,
hub/crud.py) and the defaults a new entry starts from (`new_entry`).
tests/domain/test_journal_entry.py checks that the desk's and the hub's columns and the protocol
agree with this list, and that an entry hashed by the first release keeps its hash.

Adding a field is a change here and nowhere else in the code:
  1. Append an EntryField to ENTRY_FIELDS (order is free: the hash sorts its keys). Give it a
     default (entries written before the field existed have it) and `added_later=True` when it
     is hashed: the hash then leaves it out while it holds its default, so every entry already
     written keeps its hash, and a new entry that sets it is sealed with it.
     A field that travels and is stored but is not hashed (a signature over `hash`, say) gets
     `hashed=False`.
  2. Add a device migration step (store/migrations.py) with the ALTER TABLE journal ADD COLUMN
     the derived desk model now expects (tests/store/test_db.py fails until you do). The hub's
     table comes from create_all; an existing hub database needs the same ALTER on hub_journal.
  3. Set the value where entries are made (services/journal.py record_handover / void_entry):
     `new_entry` fills every field you do not give with its default.
A device that does not know a field drops it (EntryIn ignores extra keys), so an entry that
sets a field an older hub does not know would arrive "edited": such a field needs the hub
upgraded first (or PROTOCOL_VERSION raised).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Scalar = str | int | bool | None


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()  # no default: every entry carries its own value


@dataclass(frozen=True)
class EntryField:
    """One field of a journal entry, as the hash, both tables and the protocol see it."""

    name: str
    type: type[str | int | bool]
    default: Scalar = REQUIRED
    nullable: bool = False
    hashed: bool = True
    added_later: bool = False  # hashed only when it differs from its default (old hashes hold)
    long_text: bool = False  # a JSON document: TEXT where the database tells VARCHAR from TEXT
    limits: Mapping[str, int] = field(default_factory=dict)  # protocol checks: min_length, ge ...

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


# A sequence fits the hub's INTEGER columns (PostgreSQL's are 32-bit); past it is refused (422).
MAX_SEQ = 2**31 - 1
_ID = {"min_length": 1, "max_length": 64}
_SHA256 = {"min_length": 64, "max_length": 64}

ENTRY_FIELDS: tuple[EntryField, ...] = (
    EntryField("uuid", str, limits=_ID),
    EntryField("device_id", str, limits=_ID),
    EntryField("seq", int, limits={"ge": 1, "le": MAX_SEQ}),
    EntryField("kind", str),  # handover | void | enrolment | graduation
    EntryField("event_id", str),
    EntryField("household_id", str),
    EntryField("officer_id", str),
    EntryField("site", str),  # site kelurahan of the device that recorded it
    EntryField("recipient_nik", str, None, nullable=True),
    EntryField("recipient_name", str, None, nullable=True),
    EntryField("is_proxy", bool, False),
    EntryField("proxy_name", str, None, nullable=True),
    EntryField("proxy_nik", str, None, nullable=True),
    EntryField("proxy_relationship", str, None, nullable=True),
    EntryField("proxy_letter_seen", bool, False),  # surat kuasa
    # canonical JSON: member checked, KTP/KK seen, checked_by
    EntryField("identity", str, "{}", long_text=True),
    # canonical JSON: {"photo": sha256, "signature": sha256}
    EntryField("evidence", str, "{}", long_text=True),
    EntryField("code_kind", str, ""),  # slip | nik | kk | kks | household | search
    EntryField("scanned_code", str, ""),
    EntryField("verdict", str, ""),  # the verdict that allowed it (ELIGIBLE, WRONG_SITE+override)
    EntryField("override_by", str, None, nullable=True),
    EntryField("voids_uuid", str, None, nullable=True),
    EntryField("reason", str, None, nullable=True),
    EntryField("created_at", str),  # ISO 8601 UTC with milliseconds
    # canonical JSON of what an enrolment or graduation records beyond the common fields
    # (occupation, mobile, heir, consent; a graduation's note): personal data, never logged
    EntryField("details", str, "{}", added_later=True, long_text=True),
    EntryField("prev_hash", str, limits=_SHA256),  # the device's previous hash, GENESIS for seq 1
    EntryField("hash", str, hashed=False, limits=_SHA256),  # SHA-256 of the hashed fields
    # The device's Ed25519 signature over `hash` (domain.entry_signature); made after the hash,
    # so not hashed. Desk schema v4.
    EntryField("signature", str, None, nullable=True, hashed=False,
               limits={"max_length": 128}),
)

FIELDS_BY_NAME: dict[str, EntryField] = {f.name: f for f in ENTRY_FIELDS}
# Every field an entry carries between devices and the hub, in table order.
ENTRY_COLUMNS: tuple[str, ...] = tuple(f.name for f in ENTRY_FIELDS)
HASHED_FIELDS: tuple[str, ...] = tuple(f.name for f in ENTRY_FIELDS if f.hashed)
BOOL_FIELDS: tuple[str, ...] = tuple(f.name for f in ENTRY_FIELDS if f.type is bool)
# Hashed only when set (see the module docstring): name -> the default that leaves it out.
LATE_HASHED: dict[str, Scalar] = {f.name: f.default for f in ENTRY_FIELDS
                                  if f.hashed and f.added_later}


def new_entry(**values: Any) -> dict[str, Any]:
    """An entry with every field: the values given, the defaults for the rest.

    Required fields not given (seq, prev_hash and hash are the journal's to fill) stay absent;
    an unknown name is a programming error.
    """
    unknown = set(values) - FIELDS_BY_NAME.keys()
    if unknown:
        raise TypeError(f"not journal entry fields: {sorted(unknown)}")
    out: dict[str, Any] = {}
    for f in ENTRY_FIELDS:
        if f.name in values:
            out[f.name] = values[f.name]
        elif not f.required:
            out[f.name] = f.default
    return out
