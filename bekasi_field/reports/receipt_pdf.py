"""A hand-over receipt (bukti penerimaan) as an A6 PDF, for a desk without a thermal printer:
data in (ReceiptData), file out. The QR is the same signed text the thermal receipt carries."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from bekasi_field.i18n import tr
from bekasi_field.reports.receipt_model import ReceiptData
from bekasi_field.reports.slips_pdf import draw_qr, qr_matrix

log = logging.getLogger(__name__)

_FONT, _BOLD = "Helvetica", "Helvetica-Bold"
_MARGIN = 7 * mm
QR_SIZE = 40 * mm


def _wrap(text: str, width: float, size: float) -> list[str]:
    words, lines, line = text.split(), [], ""
    for w in words:
        trial = f"{line} {w}".strip()
        if stringWidth(trial, _FONT, size) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = w
    return [*lines, line] if line else lines or [""]


def write_receipt_pdf(data: ReceiptData, out: Path) -> Path:
    """Write the A6 receipt to `out` atomically and return the path."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    w, h = A6
    c = Canvas(str(tmp), pagesize=A6)
    c.setTitle(tr("receipt.title"))
    c.setAuthor("bekasi-field")
    y = h - _MARGIN - 3 * mm
    c.setFont(_BOLD, 8)
    c.drawCentredString(w / 2, y, tr("receipt.kop"))
    y -= 6 * mm
    c.setFont(_BOLD, 12)
    c.drawCentredString(w / 2, y, tr("receipt.title"))
    y -= 4.5 * mm
    c.setFont(_FONT, 8)
    c.drawCentredString(w / 2, y, tr("receipt.site", site=data.site or "-"))
    y -= 3 * mm
    c.setLineWidth(0.4)
    c.line(_MARGIN, y, w - _MARGIN, y)
    y -= 4.5 * mm
    received = tr("receipt.proxy", name=data.proxy_name, relationship=data.proxy_relationship) \
        if data.is_proxy else tr("receipt.self")
    label_w = 21 * mm
    for label, value in (
        ("receipt.event", data.event_name), ("receipt.item", data.item_text),
        ("receipt.household", data.household_id), ("receipt.recipient", data.recipient_name),
        ("receipt.nik", data.nik_masked), ("receipt.received_by", received),
        ("receipt.when", data.when_text), ("receipt.desk", data.desk_text),
        ("receipt.officer", f"{data.officer_name} ({data.officer_id})"),
    ):
        c.setFont(_FONT, 7.5)
        c.setFillGray(0.35)
        c.drawString(_MARGIN, y, tr(label))
        c.setFillGray(0)
        c.setFont(_FONT, 8)
        for line in _wrap(value or "-", w - 2 * _MARGIN - label_w, 8):
            c.drawString(_MARGIN + label_w, y, line)
            y -= 3.8 * mm
        y -= 0.6 * mm
    c.line(_MARGIN, y + 1.5 * mm, w - _MARGIN, y + 1.5 * mm)
    y -= 3 * mm
    c.setFont(_BOLD, 10)
    c.drawCentredString(w / 2, y, tr("receipt.code", code=data.short_code))
    qr_y = max(_MARGIN + 6 * mm, y - 3 * mm - QR_SIZE)
    draw_qr(c, qr_matrix(data.qr_text), (w - QR_SIZE) / 2, qr_y, QR_SIZE)
    c.setFont(_FONT, 7)
    c.drawCentredString(w / 2, qr_y - 4 * mm, tr("receipt.keep"))
    c.showPage()
    c.save()
    os.replace(tmp, out)
    log.info("receipt PDF written")
    return out
