"""The live-claim messages under /api/v1/claims, shared by the hub and the desk.

A claim's subject is a household in an event, or a person (NIK) when the event covers people
(an enrolment event): `person_nik` set means the key is event + NIK.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

ClaimState = Literal["free", "claimed", "collected"]
DEFAULT_CLAIM_TTL_S = 120.0  # a desk killed between claim and commit blocks nobody for longer


class ClaimRequest(BaseModel):
    event_id: str = Field(min_length=1, max_length=128)
    household_id: str = Field(min_length=1, max_length=128)
    person_nik: str | None = Field(default=None, min_length=1, max_length=32)
    officer_id: str = Field(default="", max_length=64)
    ttl_s: float = Field(default=DEFAULT_CLAIM_TTL_S, ge=1, le=900)


class Holder(BaseModel):
    """Who has it: the desk, the officer and when (the hub's clock, ISO 8601 UTC)."""

    device_id: str
    officer_id: str
    site: str = ""
    at: str
    entry_uuid: str | None = None  # set when it is a stored hand-over, not just a claim
    is_proxy: bool = False
    proxy_name: str | None = None


class ClaimAnswer(BaseModel):
    claim: Literal["granted", "refused"]
    state: ClaimState  # what the hub saw before this claim
    claim_id: str | None = None
    expires_in: float | None = None
    holder: Holder | None = None


class StateAnswer(BaseModel):
    state: ClaimState
    holder: Holder | None = None
