"""The rows of the daftar nominatif (list of households to serve): plain dataclasses filled by
services/danom.py and read by reports/danom_pdf.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from bekasi_field.domain.identifiers import mask
from bekasi_field.reports.model import EventSummary
from bekasi_field.reports.rupiah import format_time_id

STATUSES = ("collected", "pending", "voided")


@dataclass(frozen=True)
class DanomRow:
    household_id: str
    name: str  # the designated recipient (pengurus)
    nik: str
    address: str
    rt: str
    rw: str
    kelurahan: str
    slip_serial: str
    item: str
    amount: int | None
    status: str = "pending"  # collected | pending | voided
    at: str = ""  # UTC ISO of the hand-over (collected) or of the void (voided)
    desk: str = ""  # the device that recorded it: its name, else its id
    by_proxy: bool = False
    entries: int = 0  # live hand-overs (2+ = a double collection to review)

    @property
    def nik_masked(self) -> str:
        return mask(self.nik)

    @property
    def local_time(self) -> str:
        return format_time_id(self.at) if self.at else ""

    def as_json(self) -> dict[str, object]:
        """For `--json`: the masked NIK only."""
        return {"household_id": self.household_id, "name": self.name,
                "nik_masked": self.nik_masked, "rt": self.rt, "rw": self.rw,
                "kelurahan": self.kelurahan, "slip_serial": self.slip_serial,
                "item": self.item, "status": self.status, "at": self.at or None,
                "desk": self.desk or None, "by_proxy": self.by_proxy}


@dataclass(frozen=True)
class DanomGroup:
    """One kelurahan's households, ordered by RW, RT, household id."""

    kelurahan: str
    rows: list[DanomRow]

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)


@dataclass(frozen=True)
class DanomData:
    event: EventSummary
    groups: list[DanomGroup]
    marked: bool  # after the day: statuses printed; before: blank columns for the day
    entries: int = 0  # journal entries of the event this desk knows
    kelurahan_filter: str | None = None
    desks: list[str] = field(default_factory=list)

    @property
    def rows(self) -> list[DanomRow]:
        return [r for g in self.groups for r in g.rows]
