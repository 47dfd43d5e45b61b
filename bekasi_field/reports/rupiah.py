"""Indonesian formats for printouts; they live in domain.site_formats (the GUI and the
services use them too). Kept under this name for the report writers' imports."""

from bekasi_field.domain.site_formats import (
    DAYS_ID,
    MONTHS_ID,
    WIB,
    format_date_id,
    format_rupiah,
    format_time_id,
    local_date,
    parse_utc,
    thousands,
    to_wib,
)

__all__ = ["DAYS_ID", "MONTHS_ID", "WIB", "format_date_id", "format_rupiah", "format_time_id",
           "local_date", "parse_utc", "thousands", "to_wib"]
