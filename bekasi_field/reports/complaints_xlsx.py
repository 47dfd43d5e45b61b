"""The kelurahan's DTSEN update proposals (usulan) from complaints, as a workbook.

Data in (rows from hub/complaints.list_complaints with full_nik=True), file out. The NIK is in
full and stored as text (no 3.27502E+15): matching the person in DTSEN is the point of this
sheet. One sheet of proposals, one with the count per category and status.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from bekasi_field.domain.complaint_record import CATEGORIES, STATUSES
from bekasi_field.i18n import tr
from bekasi_field.reports.rupiah import format_time_id, local_date

log = logging.getLogger(__name__)

_HEAD_FONT = Font(bold=True, color="FFFFFF")
_HEAD_FILL = PatternFill("solid", fgColor="2F5597")
# (catalogue key, width, row -> value)
_COLUMNS: tuple[tuple[str, int, Any], ...] = (
    ("usulan.col.number", 16, lambda r: r["number"]),
    ("usulan.col.date", 11, lambda r: local_date(r["created_at"])),
    ("usulan.col.time", 7, lambda r: format_time_id(r["created_at"])),
    ("usulan.col.nik", 19, lambda r: r["nik"]),
    ("usulan.col.name", 26, lambda r: r["name"]),
    ("usulan.col.address", 30, lambda r: r["address"]),
    ("usulan.col.rt", 5, lambda r: r["rt"]),
    ("usulan.col.rw", 5, lambda r: r["rw"]),
    ("usulan.col.kelurahan", 14, lambda r: r["kelurahan"]),
    ("usulan.col.phone", 15, lambda r: r["phone"]),
    ("usulan.col.category", 16, lambda r: tr(f"complaint.cat.{r['category']}")),
    ("usulan.col.note", 40, lambda r: r["note"]),
    ("usulan.col.verdict", 15, lambda r: r["verdict"]),
    ("usulan.col.household", 16, lambda r: r["household_id"] or ""),
    ("usulan.col.site", 14, lambda r: r["site"]),
    ("usulan.col.officer", 10, lambda r: r["officer_id"]),
    ("usulan.col.status", 16, lambda r: tr(f"complaint.status.{r['status']}")),
    ("usulan.col.status_note", 30, lambda r: r["status_note"]),
)
TEXT_COLUMNS = ("usulan.col.nik", "usulan.col.rt", "usulan.col.rw", "usulan.col.phone")


def _header(ws: Any, headers: Sequence[tuple[str, int]]) -> None:
    ws.append([tr(k) for k, _ in headers])
    for col, (_, width) in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col)
        cell.font, cell.fill = _HEAD_FONT, _HEAD_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 30


def write_proposals(*, rows: Sequence[Mapping[str, Any]], kelurahan: str, out: Path,
                    printed_at: dt.datetime | None = None) -> Path:
    """Write the proposals workbook to `out` (atomically) and return the path."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = tr("usulan.sheet.proposals")
    headers = [("usulan.col.no", 5)] + [(k, w) for k, w, _ in _COLUMNS]
    _header(ws, headers)
    text_cols = [i for i, (k, _) in enumerate(headers, start=1) if k in TEXT_COLUMNS]
    for i, r in enumerate(rows, start=1):
        ws.append([i] + [get(r) for _, _, get in _COLUMNS])
        for col in text_cols:
            ws.cell(row=i + 1, column=col).number_format = "@"
        ws.cell(row=i + 1, column=3).number_format = "DD-MM-YYYY"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    recap = wb.create_sheet(tr("usulan.sheet.recap"))
    _header(recap, [("usulan.col.category", 18)] + [(f"complaint.status.{s}", 14)
                                                    for s in STATUSES] + [("usulan.total", 10)])
    counts = Counter((r["category"], r["status"]) for r in rows)
    for cat in CATEGORIES:
        line = [counts[(cat, s)] for s in STATUSES]
        recap.append([tr(f"complaint.cat.{cat}"), *line, sum(line)])
    when = printed_at or dt.datetime.now(dt.UTC)
    wb.properties.title = tr("usulan.title", kelurahan=kelurahan or "-")
    wb.properties.creator = "bekasi-field"
    wb.properties.subject = f"DTSEN usulan {kelurahan} {when.date().isoformat()}"
    tmp = out.with_name(out.name + ".tmp")
    wb.save(tmp)
    os.replace(tmp, out)
    log.info("proposals written: %d complaints", len(rows))
    return out
