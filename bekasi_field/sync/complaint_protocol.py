"""The complaint push under /api/v1/complaints, shared by the hub and the device client.

A complaint travels with every signed field (domain.complaint_record.SIGNED_FIELDS) and its
signature; the hub stores it once per uuid (a replay is a `duplicate`) and answers, like the
journal push, the highest contiguous complaint sequence it holds for the device.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bekasi_field.domain.journal_entry import MAX_SEQ

ComplaintStatus = Literal["stored", "duplicate", "refused"]


class ComplaintIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    uuid: str = Field(min_length=1, max_length=64)
    number: str = Field(min_length=1, max_length=20)
    device_id: str = Field(min_length=1, max_length=64)
    seq: int = Field(ge=1, le=MAX_SEQ)
    created_at: str = Field(max_length=40)
    officer_id: str = Field(max_length=64)
    site: str = Field(default="", max_length=80)
    event_id: str = Field(default="", max_length=64)
    verdict: str = Field(default="", max_length=32)
    household_id: str | None = Field(default=None, max_length=64)
    nik: str = Field(min_length=16, max_length=16)
    name: str = Field(min_length=1, max_length=120)
    address: str = Field(default="", max_length=200)
    rt: str = Field(default="", max_length=3)
    rw: str = Field(default="", max_length=3)
    kelurahan: str = Field(default="", max_length=80)
    phone: str = Field(default="", max_length=20)
    category: str = Field(max_length=32)
    note: str = Field(default="", max_length=1000)
    signature: str = Field(default="", max_length=128)


class ComplaintPush(BaseModel):
    complaints: list[ComplaintIn] = Field(max_length=1000)


class ComplaintResult(BaseModel):
    uuid: str
    seq: int
    status: ComplaintStatus


class ComplaintPushResponse(BaseModel):
    acked_seq: int
    results: list[ComplaintResult]
    problem: str | None = None
