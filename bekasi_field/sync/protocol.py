"""The HTTP+JSON sync protocol under /api/v1, shared by the hub and the device client.

Journal entries travel with every field of domain.journal_entry (the hashed ones plus their
hash), so the hub can check the chain exactly as the device wrote it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from bekasi_field.domain.journal_entry import ENTRY_FIELDS

API_PREFIX = "/api/v1"
PROTOCOL_VERSION = 1
SIGNATURE_HEADER = "X-Bekasi-Signature"
MAX_CURSOR = 2**31 - 1  # a cursor or version fits the hub's INTEGER columns (PostgreSQL: 32-bit)

EntryStatus = Literal["stored", "duplicate", "quarantined", "refused"]


def _entry_fields() -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for f in ENTRY_FIELDS:
        kind = (f.type | None) if f.nullable else f.type
        default = ... if f.required else f.default
        limits: dict[str, Any] = dict(f.limits)
        fields[f.name] = (kind, Field(default, **limits))
    return fields


if TYPE_CHECKING:
    _EntryFields = BaseModel
else:  # every field of domain.journal_entry, with its default and its limits
    _EntryFields = create_model("_EntryFields", __module__=__name__, **_entry_fields())


class EntryIn(_EntryFields):  # one journal entry on the wire
    model_config = ConfigDict(extra="ignore")


class EnrolRequest(BaseModel):
    code: str = Field(min_length=4, max_length=64)
    device_id: str = Field(min_length=1, max_length=64)
    name: str = ""
    public_key: str = Field(min_length=64, max_length=64)  # the device's Ed25519 key, hex


class EnrolResponse(BaseModel):
    device_id: str
    token: str
    site_kelurahan: str
    hub_id: str
    hub_public_key: str


class PushRequest(BaseModel):
    entries: list[EntryIn] = Field(max_length=5000)


class EntryResult(BaseModel):
    uuid: str
    seq: int
    status: EntryStatus


class PushResponse(BaseModel):
    acked_seq: int  # the highest contiguous sequence the hub holds for this device
    results: list[EntryResult]
    new_conflicts: int
    problem: str | None = None


class JournalPage(BaseModel):
    entries: list[EntryIn]
    next_cursor: int
    more: bool
    device_keys: dict[str, str] = {}  # public keys of the devices in `entries`/`released`
    # Voids held at the hub and since accepted by a supervisor there, after `released_after`.
    released: list[EntryIn] = []
    next_released: int = 0


class DeviceKeyRequest(BaseModel):
    public_key: str = Field(min_length=64, max_length=64)


class DeviceNameRequest(BaseModel):
    """The desk's own name ("Meja 2"), which the other desks of its site show."""

    name: str = Field(max_length=40)


class EvidenceQuery(BaseModel):
    hashes: list[str] = Field(max_length=10000)


class EvidenceMissing(BaseModel):
    missing: list[str]


class StatusResponse(BaseModel):
    device_id: str
    site_kelurahan: str
    acked_seq: int
    snapshot_version: int
    open_conflicts: int
    hub_id: str
    device_key_registered: bool = True
    # the digest of what this device's site may pull (hub/scope.py): a change means a full
    # snapshot even when no registry row changed (an officer assigned, an event's served list)
    snapshot_scope: str | None = None


class ConflictOut(BaseModel):
    id: int
    event_id: str
    household_id: str
    entries: list[str]
    devices: list[str]
    status: str
    detected_at: str
