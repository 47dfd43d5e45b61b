"""The daftar nominatif as a PDF: data in (DanomData), file out.

A4 landscape. Each kelurahan starts on a new page and its name heads every one of its pages
(the table's first repeated row), so a page torn off the pile still says whose list it is.
Households come by RW and RT with a row naming each RT/RW. NIKs are masked; the slip serial and
the pengurus' name are what the officer matches against. The last column is left wide for the
signature or thumbprint (cap jempol). After the day the same list says collected (time, desk),
still to come, or voided.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import LongTable, PageBreak, Paragraph, Spacer, Table, TableStyle

from bekasi_field import __version__
from bekasi_field.i18n import tr
from bekasi_field.reports.danom_model import DanomData, DanomGroup, DanomRow
from bekasi_field.reports.pdf_page import GRID, HEADER_BG, PageSetup, bold, build_pdf, text_styles
from bekasi_field.reports.pdf_page import para as _p
from bekasi_field.reports.rupiah import format_date_id, format_rupiah, thousands

log = logging.getLogger(__name__)

PAGE = PageSetup(size=landscape(A4), side=12 * mm, top=10 * mm, bottom=13 * mm,
                 footer_y=7 * mm)
_GROUP_BG = colors.HexColor("#F1F3F6")
_STATUS_BG = {"collected": colors.HexColor("#DFF0E3"), "voided": colors.HexColor("#F9E0E0")}
# (catalogue key, width): 267 mm = the landscape frame (273 mm) less the table's padding
_BASE_COLS = (
    ("danom.col.no", 9 * mm), ("danom.col.household", 27 * mm), ("danom.col.name", 39 * mm),
    ("danom.col.nik", 29 * mm), ("danom.col.address", 34 * mm), ("danom.col.slip", 25 * mm),
    ("danom.col.item", 24 * mm),
)
# after the day: status, time and desk; before it the signature column takes their room
_MARKED_COLS = (*_BASE_COLS, ("danom.col.status", 19 * mm), ("danom.col.time", 11 * mm),
                ("danom.col.desk", 20 * mm), ("danom.col.sign", 30 * mm))
_BLANK_COLS = (*_BASE_COLS, ("danom.col.sign", 80 * mm))
_STATUS_COL = 7
SIGN_ROW_HEIGHT = 11 * mm  # room for a signature or a thumbprint


def _styles() -> dict[str, ParagraphStyle]:
    st = text_styles(body=(9, 11.5), cell=(8, 9.4))
    body = st["body"]
    st["group"] = bold("group", body, 8.5, 10)
    st["kel"] = bold("kel", body, 10.5, 13)
    st["title"] = bold("title", body, 13, 16, alignment=TA_CENTER)
    return st


def _cell(text: str, width: float, style: ParagraphStyle) -> str | Paragraph:
    """A plain string when it fits its column on one line, else a wrapping Paragraph: a
    Paragraph per cell made a 2,000-household list 2.3x slower than the BAST of the same rows."""
    if stringWidth(text, style.fontName, style.fontSize) <= width - 12:  # 6 pt padding a side
        return text
    return _p(text, style)


def _status_text(row: DanomRow) -> str:
    text = tr(f"danom.status.{row.status}")
    if row.status == "collected" and row.by_proxy:
        text += " " + tr("danom.by_proxy")
    if row.entries > 1:
        text += " " + tr("danom.double", n=row.entries)
    return text


def _group_table(group: DanomGroup, data: DanomData, st: dict[str, ParagraphStyle],
                 start: int) -> LongTable:
    counts = ""
    if data.marked:
        counts = " · " + tr("danom.group_counts", collected=group.count("collected"),
                            pending=group.count("pending"), voided=group.count("voided"))
    cols = _MARKED_COLS if data.marked else _BLANK_COLS
    head = tr("danom.kelurahan_head", kelurahan=group.kelurahan or "-",
              n=thousands(len(group.rows))) + counts
    rows: list[list[Any]] = [
        [_p(head, st["kel"])] + [""] * (len(cols) - 1),
        [_p(tr(k), st["head"]) for k, _ in cols],
    ]
    style: list[tuple[Any, ...]] = [
        ("SPAN", (0, 0), (-1, 0)),
        ("GRID", (0, 1), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 1), (-1, 1), HEADER_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("FONT", (0, 2), (-1, -1), "Helvetica", 8, 9.4),
    ]
    if data.marked:
        style.append(("FONTSIZE", (9, 2), (9, -1), 7))
    heights: list[float | None] = [None, None]
    w = [width for _, width in cols]
    last_rtrw: tuple[str, str] | None = None
    n = start
    for r in group.rows:
        if (r.rt, r.rw) != last_rtrw:
            last_rtrw = (r.rt, r.rw)
            i = len(rows)
            rows.append([_p(tr("danom.rtrw_head", rt=r.rt or "-", rw=r.rw or "-"), st["group"])]
                        + [""] * (len(cols) - 1))
            heights.append(None)
            style += [("SPAN", (0, i), (-1, i)), ("BACKGROUND", (0, i), (-1, i), _GROUP_BG)]
        n += 1
        i = len(rows)
        item = r.item + (f" {format_rupiah(r.amount)}" if r.amount else "")
        cells: list[Any] = [
            str(n), r.household_id, _cell(r.name or "-", w[2], st["cell"]), r.nik_masked or "-",
            _cell(r.address or "-", w[4], st["cell"]), r.slip_serial,
            _cell(item, w[6], st["cell"]),
        ]
        if data.marked:
            # ten characters of the device id tell a site's desks apart and fit the column
            cells += [_cell(_status_text(r), w[7], st["cell"]), r.local_time, r.desk[:10]]
        rows.append([*cells, ""])
        heights.append(SIGN_ROW_HEIGHT)
        if data.marked and r.status in _STATUS_BG:
            style.append(("BACKGROUND", (_STATUS_COL, i), (_STATUS_COL, i),
                          _STATUS_BG[r.status]))
    if not group.rows:
        rows.append([_p(tr("danom.no_rows"), st["cell"])] + [""] * (len(cols) - 1))
        heights.append(None)
        style.append(("SPAN", (0, 2), (-1, 2)))
    table = LongTable(rows, colWidths=[w for _, w in cols], rowHeights=heights, repeatRows=2,
                      hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return table


def _heading(data: DanomData, st: dict[str, ParagraphStyle]) -> list[Any]:
    ev = data.event
    when = format_date_id(ev.start_date) if ev.start_date == ev.end_date else tr(
        "report.bast.period", first=format_date_id(ev.start_date),
        last=format_date_id(ev.end_date))
    kind = tr("danom.after") if data.marked else tr("danom.before")
    info = Table([[
        _p(tr("danom.event", name=ev.name, id=ev.id), st["body"]),
        _p(tr("danom.place", site=ev.site_kelurahan, date=when), st["body"]),
        _p(kind, st["body"]),
    ]], colWidths=[105 * mm, 105 * mm, 57 * mm], hAlign="LEFT")
    info.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [_p(tr("danom.title"), st["title"]),
            _p(tr("danom.subtitle", programme=ev.programme, item=ev.item), st["center"]),
            Spacer(1, 2 * mm), info, Spacer(1, 2 * mm)]


def write_danom(data: DanomData, out: Path, *, printed_at: dt.datetime | None = None) -> Path:
    """Write the list to `out` atomically (a half-written PDF never replaces a good one)."""
    st = _styles()
    printed = (printed_at or dt.datetime.now()).strftime("%d-%m-%Y %H.%M")
    footer = tr("danom.footer", event=data.event.id, printed=printed, version=__version__)
    story: list[Any] = []
    groups = data.groups or [DanomGroup(kelurahan=data.kelurahan_filter or "", rows=[])]
    for i, group in enumerate(groups):
        if i:
            story.append(PageBreak())
        story += _heading(data, st)
        story.append(_group_table(group, data, st, start=0))
    out = build_pdf(out, story, page=PAGE, footer=footer, title=tr("danom.title"),
                    subject=f"{data.event.programme} {data.event.id}")
    log.info("danom written: event %s, %d households", data.event.id, len(data.rows))
    return out
