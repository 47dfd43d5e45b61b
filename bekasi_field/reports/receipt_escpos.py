"""Receipts and complaint slips as ESC/POS bytes for 58 / 80 mm thermal printers.

Rendered into python-escpos' Dummy printer (data in, bytes out); services/receipt_printer.py
sends the bytes to the USB, serial, network or file printer chosen in the settings. The QR is a
raster image by default (GS v 0: every ESC/POS printer prints it) or the printer's own QR command
(GS ( k) when the settings say the printer has one. Text is plain ASCII: cheap printers' code
pages differ, so the NIK mask is '*' here.
"""

from __future__ import annotations

import logging
import textwrap

from bekasi_field.i18n import tr
from bekasi_field.reports.escpos_support import escpos_printer
from bekasi_field.reports.receipt_model import ComplaintSlip, ReceiptData
from bekasi_field.reports.rupiah import format_date_id, format_time_id, local_date

log = logging.getLogger(__name__)

# Font A is 12 dots wide: 384 dots (58 mm) = 32 characters, 576 dots (80 mm) = 48.
WIDTHS = {58: (384, 32), 80: (576, 48)}
_MASK = "\u2022"


def _ascii(text: str) -> str:
    return text.replace(_MASK, "*").encode("ascii", "replace").decode("ascii")


class _Ticket:
    """A few layout helpers over a Dummy printer of the given paper width."""

    def __init__(self, width_mm: int, *, native_qr: bool) -> None:
        if width_mm not in WIDTHS:
            raise ValueError(f"paper width must be 58 or 80 mm, not {width_mm}")
        self.pixels, self.chars = WIDTHS[width_mm]
        self.native_qr = native_qr
        self.p = escpos_printer().Dummy(profile="default")
        media = self.p.profile.profile_data["media"]
        media["width"] = {"mm": width_mm, "pixels": self.pixels}
        media["dpi"] = 203
        self.p.hw("INIT")

    def title(self, text: str) -> None:
        self.p.set(align="center", bold=True, double_height=True, double_width=False)
        self.p.textln(_ascii(text))
        self.p.set(align="left", bold=False, normal_textsize=True)

    def center(self, text: str, *, bold: bool = False) -> None:
        self.p.set(align="center", bold=bold)
        for line in textwrap.wrap(_ascii(text), self.chars) or [""]:
            self.p.textln(line)
        self.p.set(align="left", bold=False)

    def rule(self) -> None:
        self.p.textln("-" * self.chars)

    def field(self, label: str, value: str) -> None:
        """'Label    : value' with the value wrapped under itself."""
        width = 10 if self.chars <= 32 else 13
        head = f"{_ascii(label)[:width]:<{width}}: "
        lines = textwrap.wrap(_ascii(value) or "-", self.chars - len(head)) or ["-"]
        self.p.textln(head + lines[0])
        for line in lines[1:]:
            self.p.textln(" " * len(head) + line)

    def qr(self, text: str) -> None:
        # 4 dots a module on 58 mm keeps a version-14 receipt QR inside 384 dots.
        from escpos.constants import QR_ECLEVEL_M
        size = 4 if self.pixels <= 384 else 6
        if self.native_qr:  # the printer draws it; alignment centres it
            self.p.set(align="center")
            self.p.qr(text, native=True, size=size, ec=QR_ECLEVEL_M)
            self.p.set(align="left")
        else:
            self.p.qr(text, native=False, size=size, ec=QR_ECLEVEL_M, center=True)

    def finish(self) -> bytes:
        self.p.ln(2)
        self.p.cut()
        return bytes(self.p.output)


def receipt_escpos(data: ReceiptData, *, width_mm: int = 58, native_qr: bool = False) -> bytes:
    """The bukti penerimaan of one hand-over as ESC/POS bytes."""
    t = _Ticket(width_mm, native_qr=native_qr)
    t.center(tr("receipt.kop"), bold=True)
    t.title(tr("receipt.title"))
    t.center(tr("receipt.site", site=data.site or "-"))
    t.rule()
    t.field(tr("receipt.event"), data.event_name)
    t.field(tr("receipt.item"), data.item_text)
    t.field(tr("receipt.household"), data.household_id)
    t.field(tr("receipt.recipient"), data.recipient_name)
    t.field(tr("receipt.nik"), data.nik_masked)
    received = tr("receipt.proxy", name=data.proxy_name, relationship=data.proxy_relationship) \
        if data.is_proxy else tr("receipt.self")
    t.field(tr("receipt.received_by"), received)
    t.field(tr("receipt.when"), data.when_text)
    t.field(tr("receipt.desk"), data.desk_text)
    t.field(tr("receipt.officer"), f"{data.officer_name} ({data.officer_id})")
    t.rule()
    t.center(tr("receipt.code", code=data.short_code), bold=True)
    t.qr(data.qr_text)
    t.center(tr("receipt.keep"))
    log.info("receipt rendered for ESC/POS (%d mm)", width_mm)
    return t.finish()


def complaint_escpos(slip: ComplaintSlip, *, width_mm: int = 58) -> bytes:
    """The complaint number for the person turned away (no QR: the number is what counts)."""
    t = _Ticket(width_mm, native_qr=False)
    t.center(tr("receipt.kop"), bold=True)
    t.title(tr("receipt.complaint_title"))
    t.center(tr("receipt.site", site=slip.site or "-"))
    t.rule()
    t.center(tr("receipt.complaint_number"))
    t.title(slip.number)
    t.rule()
    t.field(tr("receipt.name"), slip.name)
    t.field(tr("receipt.nik"), slip.nik_masked)
    t.field(tr("receipt.category"), slip.category_text)
    t.field(tr("receipt.when"), f"{format_date_id(local_date(slip.created_at))}, "
                                f"{format_time_id(slip.created_at, suffix=True)}")
    t.field(tr("receipt.officer"), slip.officer_id)
    t.rule()
    t.center(tr("receipt.complaint_keep"))
    return t.finish()


def test_ticket(*, width_mm: int = 58, native_qr: bool = False) -> bytes:
    """A short ticket to check the printer: width ruler, text and a QR."""
    t = _Ticket(width_mm, native_qr=native_qr)
    t.title(tr("printer.test_title"))
    t.p.textln("".join(str(i % 10) for i in range(1, t.chars + 1)))
    t.rule()
    t.qr("BKR1:TEST")
    return t.finish()
