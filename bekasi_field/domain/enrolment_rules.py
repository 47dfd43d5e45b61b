"""Who may be enrolled in BPJS Ketenagakerjaan by the city: pure rules over named facts.

Age 15-60 on the event's start date, from the NIK's date part (day + 40 for women) or, when the
NIK's date is unreadable, the registry's birth date. A Kota Bekasi resident is one whose family
card (No. KK) was issued in region 3275: a NIK keeps the region of first registration for life,
the KK is re-issued on moving. Mobile numbers are Indonesian: 08... or +628... (or 628...).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bekasi_field.domain.identifiers import IdentifierError, digits_only, parse_nik

CITY_REGION = "3275"
AGE_MIN, AGE_MAX = 15, 60
PREMIUM = 201_000  # Rupiah a year per worker, JKK + JKM
PROGRAMMES = "JKK + JKM"

# refusal reasons (the `reason` codes of `enrol --json`)
AGE_OUT_OF_RANGE = "AGE_OUT_OF_RANGE"
ALREADY_ENROLLED = "ALREADY_ENROLLED"
NOT_RESIDENT = "NOT_RESIDENT"
NOT_SELECTED = "NOT_SELECTED"
NO_CONSENT = "NO_CONSENT"
BAD_PHONE = "BAD_PHONE"
BAD_EMAIL = "BAD_EMAIL"
BAD_OCCUPATION = "BAD_OCCUPATION"
MISSING_HEIR = "MISSING_HEIR"
MISSING_DOMICILE = "MISSING_DOMICILE"
UNKNOWN_PERSON = "UNKNOWN"
BAD_NIK = "BAD_NIK"
NOT_ENROLMENT_EVENT = "NOT_ENROLMENT_EVENT"
EVENT_CLOSED = "EVENT_CLOSED"


def age_on(born: dt.date, day: dt.date) -> int:
    """Completed years on `day` (someone born 29 Feb turns a year older on 1 Mar)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def birth_date(nik: str, registry_birth: dt.date | None, *, on: dt.date) -> dt.date | None:
    """The NIK's date part when it reads, else the registry's birth date."""
    try:
        return parse_nik(nik, today=on).birth_date
    except IdentifierError:
        return registry_birth


def age_in_range(born: dt.date | None, on: dt.date, *, low: int = AGE_MIN,
                 high: int = AGE_MAX) -> bool:
    return born is not None and low <= age_on(born, on) <= high


def is_resident(no_kk: str | None, nik: str) -> bool:
    """Region 3275 on the family card; the NIK's region only when there is no KK."""
    kk = digits_only(no_kk or "")
    if len(kk) == 16:
        return kk.startswith(CITY_REGION)
    return nik.startswith(CITY_REGION)


_PHONE = re.compile(r"^(?:\+?62|0)(8\d{7,11})$")


def normalize_phone(text: str) -> str | None:
    """'0812-3456-7890' or '+62 812 3456 7890' -> '+6281234567890'; None when not a mobile."""
    raw = re.sub(r"[\s().\-]", "", text or "")
    m = _PHONE.match(raw)
    return f"+62{m.group(1)}" if m else None


def local_phone(e164: str) -> str:
    """'+6281234567890' -> '081234567890', as people write it on forms."""
    return "0" + e164[3:] if e164.startswith("+62") else e164


def mask_phone(e164: str | None) -> str:
    """0812•••••890: enough to confirm with the worker, not enough to call."""
    if not e164:
        return ""
    local = local_phone(e164)
    return local[:4] + "\u2022" * max(0, len(local) - 7) + local[-3:]


_EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,}$")


def email_ok(text: str) -> bool:
    return bool(_EMAIL.match(text.strip()))


@dataclass(frozen=True)
class Cover:
    """The period a premium pays for: a year from the event's start unless stated."""

    start: dt.date
    end: dt.date

    def overlaps(self, other: Cover) -> bool:
        return self.start <= other.end and other.start <= self.end


def default_cover(start: dt.date) -> Cover:
    try:
        end = start.replace(year=start.year + 1) - dt.timedelta(days=1)
    except ValueError:  # 29 Feb
        end = start.replace(year=start.year + 1, day=28)
    return Cover(start, end)
