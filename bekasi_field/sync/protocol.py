"""The HTTP+JSON sync protocol under /api/v1, shared by the hub and the device client.

Journal entries travel with every hashed field (domain.journal_chain.HASHED_FIELDS) plus their
hash, so the hub can check the chain exactly as the device wrote it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

API_PREFIX = "/api/v1"
PROTOCOL_VERSION = 1
SIGNATURE_HEADER = "X-Bekasi-Signature"

EntryStatus = Literal["stored", "duplicate", "quarantined", "refused"]


class EntryIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    uuid: str = Field(min_length=1, max_length=64)
    device_id: str = Field(min_length=1, max_length=64)
    seq: int = Field(ge=1)
    kind: str
    event_id: str
    household_id: str
    officer_id: str
    site: str
    recipient_nik: str | None = None
    recipient_name: str | None = None
    is_proxy: bool = False
    proxy_name: str | None = None
    proxy_nik: str | None = None
    proxy_relationship: str | None = None
    proxy_letter_seen: bool = False
    identity: str = "{}"
    evidence: str = "{}"
    code_kind: str = ""
    scanned_code: str = ""
    verdict: str = ""
    override_by: str | None = None
    voids_uuid: str | None = None
    reason: str | None = None
    created_at: str
    prev_hash: str = Field(min_length=64, max_length=64)
    hash: str = Field(min_length=64, max_length=64)


class EnrolRequest(BaseModel):
    code: str = Field(min_length=4, max_length=64)
    device_id: str = Field(min_length=1, max_length=64)
    name: str = ""


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


class ConflictOut(BaseModel):
    id: int
    event_id: str
    household_id: str
    entries: list[str]
    devices: list[str]
    status: str
    detected_at: str
