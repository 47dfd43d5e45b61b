"""The site's clock and Indonesian formats: Rp250.000, 23 November 2026, 14.05 WIB.

The one `utc_now` (what the journal stores) and the one way to show a stored time: always in
the site's time zone, Asia/Jakarta (WIB), whatever zone the laptop's clock is set to. WIB is
UTC+7 with no daylight saving since 1964, so a fixed offset is exact and needs no tz database
(Windows has none without the tzdata package). Official documents (BAST, recap) are always in
Indonesian formats, whatever the UI language.
"""

from __future__ import annotations

import datetime as dt

WIB = dt.timezone(dt.timedelta(hours=7), "WIB")
SITE_TZ = WIB  # Asia/Jakarta: every desk of Kota Bekasi


def utc_now() -> str:
    """Now, as the journal stores times: ISO 8601 UTC with milliseconds and a Z."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def site_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).astimezone(SITE_TZ)


def site_today() -> dt.date:
    return site_now().date()

MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)
DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def thousands(value: int) -> str:
    """1234567 -> '1.234.567' (Indonesian thousands separator is the dot)."""
    sign = "-" if value < 0 else ""
    return sign + f"{abs(int(value)):,}".replace(",", ".")


def format_rupiah(value: int | None, *, empty: str = "-") -> str:
    """250000 -> 'Rp250.000'; None -> `empty`. Whole Rupiah only: aid amounts have no sen."""
    if value is None:
        return empty
    value = int(value)
    if value < 0:
        return "-Rp" + thousands(-value)
    return "Rp" + thousands(value)


def format_date_id(day: dt.date, *, weekday: bool = False) -> str:
    """date(2026, 11, 23) -> '23 November 2026' (or 'Senin, 23 November 2026')."""
    text = f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"
    return f"{DAYS_ID[day.weekday()]}, {text}" if weekday else text


def parse_utc(iso: str) -> dt.datetime:
    """An ISO 8601 time as stored in the journal ('...Z' or '+00:00'), timezone-aware."""
    value = dt.datetime.fromisoformat(iso)  # 3.11 reads the trailing Z
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def to_wib(iso_or_dt: str | dt.datetime) -> dt.datetime:
    value = parse_utc(iso_or_dt) if isinstance(iso_or_dt, str) else iso_or_dt
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(WIB)


def format_time_id(iso_or_dt: str | dt.datetime, *, suffix: bool = False) -> str:
    """'2026-11-23T07:05:00Z' -> '14.05' (Indonesian writes times with a dot), '14.05 WIB'."""
    local = to_wib(iso_or_dt)
    text = f"{local.hour:02d}.{local.minute:02d}"
    return f"{text} WIB" if suffix else text


def local_date(iso_or_dt: str | dt.datetime) -> dt.date:
    """The WIB calendar date of a stored UTC time (a hand-over at 23.30 UTC is the next day)."""
    return to_wib(iso_or_dt).date()


def clock_time(iso_or_dt: str | dt.datetime) -> str:
    """'2026-11-23T07:05:09Z' -> '14:05:09' (WIB), for the desk's lists; bad input as it is."""
    try:
        return to_wib(iso_or_dt).strftime("%H:%M:%S")
    except (TypeError, ValueError):
        return str(iso_or_dt)


def date_time(iso_or_dt: str | dt.datetime) -> str:
    """'2026-11-23T02:15:00Z' -> '23-11-2026 09:15' (WIB); bad input as it is."""
    try:
        return to_wib(iso_or_dt).strftime("%d-%m-%Y %H:%M")
    except (TypeError, ValueError):
        return str(iso_or_dt)


def site_day_bounds(day: dt.date | None = None) -> tuple[str, str]:
    """The UTC ISO range [start, end) of a WIB calendar day, in the journal's format."""
    day = day or site_today()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=SITE_TZ).astimezone(dt.UTC)
    end = start + dt.timedelta(days=1)

    def fmt(t: dt.datetime) -> str:
        return t.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    return fmt(start), fmt(end)
