"""The desk's paper jobs, run on the window's workers: print a receipt or a complaint slip on
the desk's receipt printer, write the daftar nominatif. The GUI reaches the report writers
only through here (the gui layer imports services, domain, i18n and paths)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from bekasi_field.i18n import tr

if TYPE_CHECKING:
    from bekasi_field.services.complaints import RecordedComplaint


def write_event_danom(site: Any, event_id: str, out: Path) -> str:
    """Write the event's daftar nominatif to `out`; the message for the status bar."""
    from bekasi_field.reports.danom_pdf import write_danom
    from bekasi_field.services.danom import danom_data
    data = danom_data(site.db.engine, event_id)
    write_danom(data, out)
    return tr("danom.done", path=out, rows=len(data.rows), groups=len(data.groups))


def print_receipt(site: Any, entry_uuid: str, *, only_if_printer: bool) -> str | None:
    """On the printer worker: render and send one receipt; None when the desk has no printer
    and this was the automatic print after a hand-over."""
    from bekasi_field.domain.errors import BekasiError
    from bekasi_field.reports.receipt_escpos import receipt_escpos
    from bekasi_field.services import receipt_printer, receipts
    printer = receipt_printer.get_printer(site.db)
    if printer is None:
        if only_if_printer:
            return None
        raise BekasiError(tr("receipt.gui.no_printer"))
    data = receipts.receipt_data(site.db, entry_uuid)
    receipt_printer.send(printer, receipt_escpos(data, width_mm=printer.width_mm,
                                                 native_qr=printer.native_qr))
    return tr("receipt.printed", printer=printer.name, code=data.short_code)


def reprint_last_receipt(site: Any) -> str | None:
    """Ctrl+P: the receipt of the last hand-over this desk recorded today (from the journal, so
    a restarted desk reprints it too)."""
    from bekasi_field.domain.errors import BekasiError
    from bekasi_field.services.desk import last_handover_today
    entry_uuid = last_handover_today(site.db)
    if entry_uuid is None:
        raise BekasiError(tr("receipt.gui.none"))
    return print_receipt(site, entry_uuid, only_if_printer=False)


def print_complaint_slip(site: Any, done: RecordedComplaint) -> str | None:
    from bekasi_field.reports.receipt_escpos import complaint_escpos
    from bekasi_field.reports.receipt_model import ComplaintSlip
    from bekasi_field.services import complaints, receipt_printer
    printer = receipt_printer.get_printer(site.db)
    if printer is None:
        return None
    row = complaints.complaint_row(site, done.uuid)
    slip = ComplaintSlip(number=done.number, name=done.name, nik_masked=done.nik_masked,
                         category_text=tr(f"complaint.cat.{row['category']}"),
                         created_at=done.created_at, site=row["site"],
                         officer_id=row["officer_id"])
    receipt_printer.send(printer, complaint_escpos(slip, width_mm=printer.width_mm))
    return tr("receipt.complaint_printed", printer=printer.name, number=done.number)
