"""The rows reports print: plain dataclasses filled by services/reports.py, read by the writers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bekasi_field.domain.identifiers import mask
from bekasi_field.reports.rupiah import format_time_id


@dataclass(frozen=True)
class EventSummary:
    id: str
    name: str
    programme: str
    site_kelurahan: str
    site_kecamatan: str
    served_kelurahan: list[str]
    start_date: dt.date
    end_date: dt.date
    item: str
    amount: int | None
    status: str


@dataclass(frozen=True)
class OfficerRef:
    id: str
    name: str
    role: str


@dataclass(frozen=True)
class HandoverRow:
    entry_uuid: str
    household_id: str
    created_at: str  # UTC ISO as stored
    recipient_name: str
    recipient_nik: str
    rt: str
    rw: str
    kelurahan: str
    is_proxy: bool
    proxy_name: str
    proxy_relationship: str
    officer_id: str
    officer_name: str
    item: str
    amount: int | None
    device_id: str
    verdict: str
    override_by: str
    override_name: str = ""  # the approving supervisor's name
    override_reason: str = ""  # why the supervisor let it through (WRONG_SITE)
    allocated: bool = True  # the household is allocated in the event (else: an override from
    # another site, counted apart; services/counts.py)

    @property
    def override_text(self) -> str:
        """'Nama (SPV01): reason' for an override, '' otherwise."""
        if not self.override_by:
            return ""
        who = f"{self.override_name or self.override_by} ({self.override_by})"
        return f"{who}: {self.override_reason}" if self.override_reason else who

    @property
    def local_time(self) -> str:
        return format_time_id(self.created_at)

    @property
    def nik_masked(self) -> str:
        return mask(self.recipient_nik)

    def as_json(self) -> dict[str, object]:
        """The row for `--json`: masked NIK only (scripts do not need the full number)."""
        return {
            "entry_uuid": self.entry_uuid, "household_id": self.household_id,
            "created_at": self.created_at, "time_wib": self.local_time,
            "recipient_name": self.recipient_name, "nik_masked": self.nik_masked,
            "rt": self.rt, "rw": self.rw, "kelurahan": self.kelurahan,
            "is_proxy": self.is_proxy, "proxy_name": self.proxy_name,
            "proxy_relationship": self.proxy_relationship, "officer_id": self.officer_id,
            "item": self.item, "amount": self.amount, "device_id": self.device_id,
        }


@dataclass(frozen=True)
class RemainingRow:
    household_id: str
    recipient_name: str
    recipient_nik: str
    address: str
    rt: str
    rw: str
    kelurahan: str
    status: str
    item: str
    amount: int | None
    slip_serial: str

    @property
    def nik_masked(self) -> str:
        return mask(self.recipient_nik)


@dataclass(frozen=True)
class KelurahanRecap:
    kelurahan: str
    allocated: int
    collected: int
    by_proxy: int
    amount_collected: int

    @property
    def remaining(self) -> int:
        return max(0, self.allocated - self.collected)


@dataclass(frozen=True)
class Totals:
    households: int  # distinct households served
    entries: int  # live hand-over entries (more than households when there are duplicates)
    by_self: int
    by_proxy: int
    amount: int  # Rupiah handed over, one allocation per household served
    allocated: int
    outside: int = 0  # households not allocated here, handed over with a supervisor's override
    remaining: int | None = None  # allocated households of the event still to collect

    @property
    def duplicates(self) -> int:
        return self.entries - self.households - self.outside


@dataclass(frozen=True)
class BastData:
    event: EventSummary
    day: dt.date | None
    rows: list[HandoverRow]
    totals: Totals
    officers: list[OfficerRef]
    supervisors: list[OfficerRef]
    period: tuple[dt.date, dt.date] = field(default=(dt.date.min, dt.date.min))
