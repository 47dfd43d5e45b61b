"""The end-of-day recap workbook: hand-overs, households still to collect, recap by kelurahan.

Data in (rows from services/reports.py), file out. Amounts are numbers with an Indonesian
"Rp#.##0" display format, so the sheet can still be summed; NIKs are masked, as in the BAST.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bekasi_field.i18n import tr
from bekasi_field.reports.model import EventSummary, HandoverRow, KelurahanRecap, RemainingRow
from bekasi_field.reports.rupiah import format_date_id, local_date, to_wib

log = logging.getLogger(__name__)

RUPIAH_FORMAT = '"Rp"#,##0'  # Excel shows , or . by the reader's locale; Indonesian Excel: dots
_HEAD_FONT = Font(bold=True, color="FFFFFF")
_HEAD_FILL = PatternFill("solid", fgColor="2F5597")
_TOTAL_FONT = Font(bold=True)
_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(bottom=_THIN)


def _sheet(ws: Worksheet, headers: Sequence[tuple[str, int]], rows: Sequence[Sequence[object]],
           *, money_cols: Sequence[int] = ()) -> None:
    """Header row styled and frozen, widths set, autofilter on, money columns formatted."""
    ws.append([tr(key) for key, _ in headers])
    for col, (_, width) in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col)
        cell.font, cell.fill = _HEAD_FONT, _HEAD_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    for row in rows:
        ws.append(list(row))
    for col in money_cols:
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = RUPIAH_FORMAT
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 30
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"


def _handover_sheet(ws: Worksheet, rows: Sequence[HandoverRow]) -> None:
    headers = [
        ("report.col.no", 5), ("report.col.date", 12), ("report.col.time", 7),
        ("report.col.household", 12), ("report.col.name", 28), ("report.col.nik", 19),
        ("report.col.rtrw", 9), ("report.col.kelurahan", 14), ("report.col.item", 16),
        ("report.col.amount", 13), ("report.col.received_by", 11),
        ("report.col.proxy_name", 22), ("report.col.proxy_rel", 14),
        ("report.col.officer", 20), ("report.col.device", 14),
        ("report.col.override", 34),
    ]
    data = [
        [i, local_date(r.created_at), r.local_time, r.household_id, r.recipient_name,
         r.nik_masked, f"{r.rt}/{r.rw}", r.kelurahan, r.item, r.amount,
         tr("report.kind.proxy") if r.is_proxy else tr("report.bast.self"),
         r.proxy_name, r.proxy_relationship, f"{r.officer_name} ({r.officer_id})", r.device_id,
         r.override_text]
        for i, r in enumerate(rows, start=1)
    ]
    _sheet(ws, headers, data, money_cols=[10])
    for (cell,) in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        cell.number_format = "DD-MM-YYYY"


def _remaining_sheet(ws: Worksheet, rows: Sequence[RemainingRow]) -> None:
    headers = [
        ("report.col.no", 5), ("report.col.household", 12), ("report.col.name", 28),
        ("report.col.nik", 19), ("report.col.address", 28), ("report.col.rtrw", 9),
        ("report.col.kelurahan", 14), ("report.col.status", 10), ("report.col.item", 16),
        ("report.col.amount", 13), ("report.col.slip", 14),
    ]
    data = [
        [i, r.household_id, r.recipient_name, r.nik_masked, r.address, f"{r.rt}/{r.rw}",
         r.kelurahan, r.status, r.item, r.amount, r.slip_serial]
        for i, r in enumerate(rows, start=1)
    ]
    _sheet(ws, headers, data, money_cols=[10])


def _recap_sheet(ws: Worksheet, recap: Sequence[KelurahanRecap],
                 outside: Sequence[HandoverRow] = ()) -> None:
    headers = [
        ("report.col.kelurahan", 18), ("report.col.allocated", 13), ("report.col.collected", 14),
        ("report.col.by_proxy", 12), ("report.col.remaining", 15), ("report.col.percent", 11),
        ("report.col.total_value", 22),
    ]
    data: list[list[object]] = [
        [k.kelurahan, k.allocated, k.collected, k.by_proxy, k.remaining,
         (k.collected / k.allocated) if k.allocated else None, k.amount_collected]
        for k in recap
    ]
    _sheet(ws, headers, data, money_cols=[7])
    if recap:
        # Formulas, so a total stays right when someone edits a row in Excel.
        last = len(data) + 1
        total_row = [tr("report.total")] + [
            f"=SUM({c}2:{c}{last})" for c in "BCDE"
        ] + [f"=IF(B{last + 1}=0,\"\",C{last + 1}/B{last + 1})", f"=SUM(G2:G{last})"]
        ws.append(total_row)
        for cell in ws[last + 1]:
            cell.font, cell.border = _TOTAL_FONT, Border(top=_THIN)
        ws.cell(row=last + 1, column=7).number_format = RUPIAH_FORMAT
    if outside:
        # Below the total, which they are not part of: other sites' households a supervisor
        # let through (services/counts.py counts them apart).
        ws.append([])
        ws.append([tr("report.recap.outside"), None, len(outside)])
        ws.cell(row=ws.max_row, column=1).font = _TOTAL_FONT
        for r in outside:
            ws.append([f"  {r.kelurahan}", None, 1, None, None, None, None,
                       f"{r.recipient_name}: {r.override_text}"])
    for (cell,) in ws.iter_rows(min_row=2, min_col=6, max_col=6):
        cell.number_format = "0.0%"


def write_recap(*, event: EventSummary, handovers: Sequence[HandoverRow],
                remaining: Sequence[RemainingRow], recap: Sequence[KelurahanRecap],
                out: Path, printed_at: dt.datetime | None = None,
                outside: Sequence[HandoverRow] = ()) -> Path:
    """Write the three-sheet workbook to `out` (atomically) and return the path."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = tr("report.sheet.handovers")
    _handover_sheet(ws, handovers)
    _remaining_sheet(wb.create_sheet(tr("report.sheet.remaining")), remaining)
    _recap_sheet(wb.create_sheet(tr("report.sheet.recap")), recap, outside)
    printed = to_wib(printed_at or dt.datetime.now(dt.UTC))
    wb.properties.title = tr("report.xlsx.title", event=event.id, name=event.name)
    wb.properties.creator = "bekasi-field"
    wb.properties.subject = f"{event.programme} {event.site_kelurahan} {format_date_id(printed.date())}"
    tmp = out.with_name(out.name + ".tmp")
    wb.save(tmp)
    os.replace(tmp, out)
    log.info("xlsx written: event %s, %d hand-overs, %d remaining", event.id, len(handovers),
             len(remaining))
    return out
