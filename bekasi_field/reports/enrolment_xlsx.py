"""The enrolment workbook for a collective BPJS Ketenagakerjaan (BPU) registration.

Data in (reports.kind_model.EnrolmentData), file out. NIKs and phone numbers are text
cells (Excel would round a 16-digit number and drop a leading 0); dates are dates; the premium
is a number with a Rupiah format so the column can be summed.
"""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from bekasi_field.domain.enrolment_rules import PROGRAMMES
from bekasi_field.i18n import tr
from bekasi_field.reports.kind_model import EnrolmentData

RUPIAH_FORMAT = '"Rp"#,##0'
# (i18n key, width): the BPU registration's fields, in its order
COLUMNS: tuple[tuple[str, int], ...] = (
    ("enrol.col.no", 5), ("enrol.col.nik", 19), ("enrol.col.name", 26),
    ("enrol.col.birth_place", 14), ("enrol.col.birth_date", 12), ("enrol.col.sex", 6),
    ("enrol.col.address", 30), ("enrol.col.kelurahan", 14), ("enrol.col.kecamatan", 14),
    ("enrol.col.phone", 15), ("enrol.col.email", 22), ("enrol.col.occupation", 20),
    ("enrol.col.programmes", 11), ("enrol.col.premium", 12), ("enrol.col.cover_start", 12),
    ("enrol.col.cover_end", 12), ("enrol.col.heir_name", 24), ("enrol.col.heir_rel", 12),
    ("enrol.col.heir_nik", 19), ("enrol.col.officer", 10), ("enrol.col.override", 10),
)
_DATE_COLS = (5, 15, 16)
_TEXT_COLS = (2, 10, 19)


def write_enrolment_xlsx(data: EnrolmentData, out: Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = tr("enrol.sheet")
    ws.append([tr(k) for k, _ in COLUMNS])
    for col, (_, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=col)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="2F5597")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    for i, r in enumerate(data.rows, start=1):
        ws.append([i, r.nik, r.name, r.birth_place, r.birth_date, r.sex, r.domicile,
                   r.kelurahan, r.kecamatan, r.phone, r.email, r.occupation, PROGRAMMES,
                   r.premium, r.cover_start, r.cover_end, r.heir_name, r.heir_relationship,
                   r.heir_nik, r.officer_id, r.override_by or ""])
    last = len(data.rows) + 1
    for row in ws.iter_rows(min_row=2, max_row=last):
        for c in _DATE_COLS:
            row[c - 1].number_format = "DD-MM-YYYY"
        for c in _TEXT_COLS:
            row[c - 1].number_format = "@"
        row[13].number_format = RUPIAH_FORMAT
    if data.rows:
        ws.append([tr("report.total"), len(data.rows)] + [""] * 11 + [f"=SUM(N2:N{last})"])
        for cell in ws[last + 1]:
            cell.font = Font(bold=True)
        ws.cell(row=last + 1, column=14).number_format = RUPIAH_FORMAT
    ws.freeze_panes = "C2"
    if data.rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last}"
    wb.properties.title = tr("enrol.rep.title")
    wb.properties.creator = "bekasi-field"
    tmp = out.with_name(out.name + ".tmp")
    wb.save(tmp)
    os.replace(tmp, out)
    return out
