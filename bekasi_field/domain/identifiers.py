"""Indonesian identifiers: NIK, No. KK and KKS card numbers, validated and masked.

NIK / No. KK: 16 digits = province (2) + regency (2) + district (2) + date (6, DDMMYY) + serial (4).
In a NIK the day is + 40 for women; in a No. KK the date is the issue date. A KKS card number is
16 digits with a Luhn check digit.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr

# Province codes (kode provinsi, Kemendagri), including the Papua provinces created in 2022.
PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
        "31", "32", "33", "34", "35", "36",
        "51", "52", "53",
        "61", "62", "63", "64", "65",
        "71", "72", "73", "74", "75", "76",
        "81", "82",
        "91", "92", "93", "94", "95", "96",
    }
)

MASK_CHAR = "\u2022"
_SEPARATORS = re.compile(r"[\s.\-/]")


class IdentifierError(BekasiError):
    """An identifier that fails validation; `reason` is an i18n key."""

    def __init__(self, reason: str) -> None:
        super().__init__(tr(reason))
        self.reason = reason


def digits_only(text: str) -> str:
    """Strip the spaces, dots, dashes and slashes people type between digit groups."""
    return _SEPARATORS.sub("", text.strip())


def _check_region(value: str) -> None:
    if value[:2] not in PROVINCE_CODES or value[2:4] == "00" or value[4:6] == "00":
        raise IdentifierError("id.region")


def _date_from(day: int, month: int, yy: int) -> dt.date | None:
    for century in (2000, 1900):
        try:
            return dt.date(century + yy, month, day)
        except ValueError:
            continue
    return None


def _sixteen(text: str, length_key: str) -> str:
    value = digits_only(text)
    if len(value) != 16 or not value.isascii() or not value.isdigit():
        raise IdentifierError(length_key)
    return value


@dataclass(frozen=True)
class Nik:
    value: str
    birth_date: dt.date
    sex: str  # "L" or "P"

    @property
    def region(self) -> str:
        return self.value[:6]


def parse_nik(text: str, *, today: dt.date | None = None) -> Nik:
    value = _sixteen(text, "id.nik_length")
    _check_region(value)
    day, month, yy = int(value[6:8]), int(value[8:10]), int(value[10:12])
    sex = "L"
    if day > 40:
        day, sex = day - 40, "P"
    born = _date_from(day, month, yy)
    if born is None:
        raise IdentifierError("id.birth_date")
    # Two-digit years: a date after today belongs to the previous century.
    if born > (today or dt.date.today()):
        try:
            born = born.replace(year=born.year - 100)
        except ValueError:  # 29 Feb 2000 -> 1900 is no date; 2000 was the only choice
            pass
    if value[12:] == "0000":
        raise IdentifierError("id.serial")
    return Nik(value=value, birth_date=born, sex=sex)


def parse_kk(text: str) -> str:
    value = _sixteen(text, "id.kk_length")
    _check_region(value)
    if _date_from(int(value[6:8]), int(value[8:10]), int(value[10:12])) is None:
        raise IdentifierError("id.issue_date")
    if value[12:] == "0000":
        raise IdentifierError("id.serial")
    return value


def luhn_ok(value: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(value)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def luhn_check_digit(partial: str) -> str:
    """The digit that makes `partial` + digit pass the Luhn check."""
    for d in "0123456789":
        if luhn_ok(partial + d):
            return d
    raise AssertionError("unreachable")


def parse_kks(text: str) -> str:
    value = _sixteen(text, "id.kks_length")
    if not luhn_ok(value):
        raise IdentifierError("id.luhn")
    return value


def is_valid_nik(text: str) -> bool:
    try:
        parse_nik(text)
    except IdentifierError:
        return False
    return True


def is_valid_kk(text: str) -> bool:
    try:
        parse_kk(text)
    except IdentifierError:
        return False
    return True


def is_valid_kks(text: str) -> bool:
    try:
        parse_kks(text)
    except IdentifierError:
        return False
    return True


def number_problem(text: str, *, today: dt.date | None = None
                   ) -> tuple[str, dict[str, Any]] | None:
    """What is wrong with a typed number meant as a NIK: an i18n key and its values, for the
    officer to fix it while typing. None when the text is not a number at all, or a well-formed
    NIK, No. KK or KKS card number (a card number's Luhn digit counts only when its first two
    digits are no province code)."""
    value = digits_only(text)
    if not value or not value.isascii() or not value.isdigit():
        return None
    if len(value) != 16:
        return "desk.nik.length", {"n": len(value)}
    if is_valid_kk(value) or (luhn_ok(value) and value[:2] not in PROVINCE_CODES):
        return None
    try:
        parse_nik(value, today=today)
    except IdentifierError as exc:
        key = {"id.region": "desk.nik.region", "id.birth_date": "desk.nik.date"}.get(
            exc.reason, "desk.nik.serial")
        return key, {"region": value[:6],
                     "date": f"{value[6:8]}-{value[8:10]}-{value[10:12]}"}
    return None


def mask(value: str | None, *, keep_start: int = 4, keep_end: int = 4) -> str:
    """3275••••••••0012: enough to match a card at the desk, not enough to copy it."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return MASK_CHAR * len(value)
    hidden = len(value) - keep_start - keep_end
    return value[:keep_start] + MASK_CHAR * hidden + value[-keep_end:]
