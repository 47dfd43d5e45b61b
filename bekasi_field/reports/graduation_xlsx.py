"""The graduation workbook: the list with reasons, progress per kelurahan and per pendamping.

Data in (reports.kind_model.GraduationData), file out. NIKs masked: the list is for
tracking a target, not for registering anyone.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bekasi_field.i18n import tr
from bekasi_field.reports.kind_model import GraduationData, Progress
from bekasi_field.reports.rupiah import local_date


def _head(ws: Worksheet, headers: Sequence[tuple[str, int]]) -> None:
    ws.append([tr(k) for k, _ in headers])
    for col, (_, width) in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="2F5597")
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"


def _progress(ws: Worksheet, first: str, rows: Sequence[Progress]) -> None:
    _head(ws, [(first, 28), ("grad.col.target", 10), ("grad.col.done", 10),
               ("grad.col.percent", 10)])
    for i, p in enumerate(rows, start=2):
        ws.append([p.name, round(p.target, 1), p.done, f"=IF(B{i}=0,\"\",C{i}/B{i})"])
        ws.cell(row=i, column=4).number_format = "0.0%"


def write_graduation_xlsx(data: GraduationData, out: Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = tr("grad.sheet.list")
    _head(ws, [("enrol.col.no", 5), ("grad.col.household", 14), ("enrol.col.name", 26),
               ("enrol.col.nik", 19), ("enrol.col.kelurahan", 14), ("enrol.col.kecamatan", 14),
               ("grad.col.reason", 22), ("grad.col.note", 30), ("grad.col.date", 12),
               ("grad.col.pendamping", 24), ("grad.col.event", 22)])
    for i, r in enumerate(data.rows, start=1):
        ws.append([i, r.household_id, r.recipient_name, r.nik_masked, r.kelurahan, r.kecamatan,
                   r.reason_label, r.note, local_date(r.created_at),
                   f"{r.officer_name} ({r.officer_id})", r.event_id])
        ws.cell(row=i + 1, column=9).number_format = "DD-MM-YYYY"
    _progress(wb.create_sheet(tr("grad.sheet.kelurahan")), "enrol.col.kelurahan",
              data.by_kelurahan)
    _progress(wb.create_sheet(tr("grad.sheet.pendamping")), "grad.col.pendamping",
              data.by_pendamping)
    wb.properties.title = tr("grad.rep.title")
    wb.properties.creator = "bekasi-field"
    tmp = out.with_name(out.name + ".tmp")
    wb.save(tmp)
    os.replace(tmp, out)
    return out
