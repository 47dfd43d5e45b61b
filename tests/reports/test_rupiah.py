import datetime as dt

from bekasi_field.reports.rupiah import (
    format_date_id,
    format_rupiah,
    format_time_id,
    local_date,
    thousands,
)


def test_rupiah_uses_dots_and_no_space() -> None:
    assert format_rupiah(250_000) == "Rp250.000"
    assert format_rupiah(201_000) == "Rp201.000"
    assert format_rupiah(1_234_567_890) == "Rp1.234.567.890"
    assert format_rupiah(0) == "Rp0"
    assert format_rupiah(-5_000) == "-Rp5.000"
    assert format_rupiah(None) == "-"
    assert thousands(11_551) == "11.551"


def test_indonesian_dates_and_wib_times() -> None:
    assert format_date_id(dt.date(2026, 11, 23)) == "23 November 2026"
    assert format_date_id(dt.date(2026, 11, 23), weekday=True) == "Senin, 23 November 2026"
    assert format_date_id(dt.date(2026, 8, 17), weekday=True) == "Senin, 17 Agustus 2026"
    assert format_time_id("2026-11-23T07:05:00.000Z") == "14.05"
    assert format_time_id("2026-11-23T07:05:00+00:00", suffix=True) == "14.05 WIB"
    assert local_date("2026-11-23T16:59:59.999Z") == dt.date(2026, 11, 23)
    assert local_date("2026-11-23T17:00:00.000Z") == dt.date(2026, 11, 24)
