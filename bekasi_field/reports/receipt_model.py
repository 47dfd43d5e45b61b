"""What a hand-over receipt (bukti penerimaan) prints: filled by services/receipts.py, read by
the ESC/POS and A6 PDF writers."""

from __future__ import annotations

from dataclasses import dataclass

from bekasi_field.reports.rupiah import format_date_id, format_rupiah, format_time_id, local_date


@dataclass(frozen=True)
class ReceiptData:
    entry_uuid: str
    short_code: str  # BKT-XXXX-XXXX
    qr_text: str  # BKR1:... signed by the recording device
    event_id: str
    event_name: str
    programme: str
    item: str
    amount: int | None
    household_id: str
    recipient_name: str
    nik_masked: str
    is_proxy: bool
    proxy_name: str
    proxy_relationship: str
    created_at: str  # UTC ISO
    device_id: str
    desk_name: str
    officer_id: str
    officer_name: str
    site: str

    @property
    def when_text(self) -> str:
        """'23 November 2026, 08.05 WIB' (official paper is in Indonesian formats)."""
        return f"{format_date_id(local_date(self.created_at))}, " \
               f"{format_time_id(self.created_at, suffix=True)}"

    @property
    def item_text(self) -> str:
        return self.item + (f" {format_rupiah(self.amount)}" if self.amount else "")

    @property
    def desk_text(self) -> str:
        return f"{self.desk_name} ({self.device_id})" if self.desk_name else self.device_id


@dataclass(frozen=True)
class ComplaintSlip:
    """The paper a person turned away takes home: the complaint number to follow it up."""

    number: str
    name: str
    nik_masked: str
    category_text: str
    created_at: str
    site: str
    officer_id: str
