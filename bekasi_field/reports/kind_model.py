"""The data of the event kinds' reports (enrolment, graduation): what the writers take in.

Filled by services/enrolment_report.py and services/graduation_report.py; written by
reports/enrolment_xlsx.py, reports/graduation_xlsx.py and reports/summary_pdf.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class EnrolledRow:
    nik: str
    name: str
    birth_place: str
    birth_date: dt.date | None
    sex: str
    domicile: str
    kelurahan: str
    kecamatan: str
    phone: str
    email: str
    occupation: str
    premium: int
    cover_start: dt.date
    cover_end: dt.date
    heir_name: str
    heir_relationship: str
    heir_nik: str
    officer_id: str
    enrolled_at: str
    override_by: str | None
    selected: bool


@dataclass(frozen=True)
class EnrolmentData:
    event: Any  # services.events.EventInfo
    rows: list[EnrolledRow]
    selected: int
    quota: int | None
    budget: int | None
    premium: int

    @property
    def premium_total(self) -> int:
        return self.premium * len(self.rows)


@dataclass(frozen=True)
class GraduationRow:
    household_id: str
    recipient_name: str
    nik_masked: str
    kelurahan: str
    kecamatan: str
    reason: str
    reason_label: str
    note: str
    officer_id: str
    officer_name: str
    created_at: str
    event_id: str


@dataclass(frozen=True)
class Progress:
    name: str
    target: float
    done: int

    @property
    def percent(self) -> float | None:
        return 100 * self.done / self.target if self.target else None


@dataclass(frozen=True)
class GraduationData:
    rows: list[GraduationRow]
    target: int | None
    by_kelurahan: list[Progress]
    by_pendamping: list[Progress]
    event_ids: list[str]
