"""A site hub relays its desks' entries to this (city) hub. Who may: a device enrolled with a
relay code; every other device gets 403."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from bekasi_field.hub.api.deps import DeviceDep, StoreDep
from bekasi_field.hub.relay_ingest import ingest_relayed
from bekasi_field.sync.protocol import EntryIn, EntryResult

router = APIRouter(prefix="/relay", tags=["relay"])


class RelayRequest(BaseModel):
    entries: list[EntryIn] = Field(max_length=5000)
    # The desks' Ed25519 public keys (hex), as the site hub registered them.
    device_keys: dict[str, str] = Field(default_factory=dict, max_length=1000)


class RelayResponse(BaseModel):
    acked: dict[str, int]  # device id -> highest contiguous seq the hub now holds
    results: list[EntryResult]
    new_conflicts: int
    problems: list[str]


@router.post("/journal", response_model=RelayResponse)
def relay_journal(body: RelayRequest, device: DeviceDep, store: StoreDep) -> RelayResponse:
    with store.write() as conn:
        return RelayResponse(**ingest_relayed(conn, relay=device, entries=body.entries,
                                              device_keys=body.device_keys))
