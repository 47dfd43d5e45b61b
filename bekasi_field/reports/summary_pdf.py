"""A one-document summary PDF: letterhead, title, key figures, a few tables, page i/N.

Data in (SummaryDoc), file out. The enrolment and graduation reports use it; their content
(which figures, which tables) is decided by their services, not here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Spacer, Table, TableStyle

from bekasi_field import __version__
from bekasi_field.i18n import tr
from bekasi_field.reports.pdf_page import GRID, HEADER_BG, PageSetup, bold, build_pdf, text_styles
from bekasi_field.reports.pdf_page import para as _p
from bekasi_field.reports.rupiah import format_date_id, to_wib

PAGE = PageSetup(size=A4, side=15 * mm, top=15 * mm, bottom=18 * mm, footer_y=10 * mm,
                 footer_grey=False)


@dataclass(frozen=True)
class SummaryTable:
    heading: str
    headers: Sequence[str]
    rows: Sequence[Sequence[object]]
    widths: Sequence[float] = ()  # in mm; equal shares when empty
    total: Sequence[object] | None = None  # a bold last row


@dataclass(frozen=True)
class SummaryDoc:
    title: str
    subtitle: str
    figures: Sequence[tuple[str, str]]  # label, value
    tables: Sequence[SummaryTable] = field(default_factory=tuple)
    note: str = ""


def _styles() -> dict[str, ParagraphStyle]:
    st = text_styles(body=(9.5, 12.5), cell=(8.5, 10.5))
    st["h2"] = bold("h2", st["body"], 10.5, 14, spaceBefore=10, spaceAfter=4)
    return st


def _table(t: SummaryTable, st: dict[str, ParagraphStyle], width: float) -> LongTable:
    rows: list[list[Any]] = [[_p(h, st["head"]) for h in t.headers]]
    rows += [[_p(v, st["cell"]) for v in r] for r in t.rows]
    if t.total is not None:
        rows.append([_p(v, st["head"]) for v in t.total])
    n = len(t.headers)
    widths = [w * mm for w in t.widths] if t.widths else [width / n] * n
    table = LongTable(rows, colWidths=widths, repeatRows=1)
    style = [("GRID", (0, 0), (-1, -1), 0.4, GRID), ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
             ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if t.total is not None:
        style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F2F4F8")))
    table.setStyle(TableStyle(style))
    return table


def write_summary(doc: SummaryDoc, out: Path, *, printed_at: dt.datetime | None = None) -> Path:
    """Write the PDF next to its final name first, then move it: no half file on a crash."""
    st = _styles()
    printed = to_wib(printed_at or dt.datetime.now(dt.UTC))
    width = PAGE.frame_width
    story: list[Any] = [_p(tr("report.bast.kop1"), st["kop"]),
                        _p(tr("kind.kop_dinsos"), st["kop"]), Spacer(1, 4 * mm),
                        _p(doc.title, st["title"]), _p(doc.subtitle, st["center"]),
                        Spacer(1, 5 * mm)]
    figures = Table([[_p(k, st["body"]), _p(v, st["head"])] for k, v in doc.figures],
                    colWidths=[width * 0.55, width * 0.45])
    figures.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, GRID),
                                 ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#F2F4F8"))]))
    story.append(figures)
    for t in doc.tables:
        story += [_p(t.heading, st["h2"]), _table(t, st, width)]
    if doc.note:
        story += [Spacer(1, 4 * mm), _p(doc.note, st["cell"])]
    footer = tr("kind.printed", when=f"{format_date_id(printed.date())} "
                f"{printed:%H.%M} WIB", version=__version__)
    return build_pdf(out, story, page=PAGE, footer=footer, title=doc.title)
