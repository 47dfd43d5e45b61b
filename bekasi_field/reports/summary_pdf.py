"""A one-document summary PDF: letterhead, title, key figures, a few tables, page i/N.

Data in (SummaryDoc), file out. The enrolment and graduation reports use it; their content
(which figures, which tables) is decided by their services, not here.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from bekasi_field import __version__
from bekasi_field.i18n import tr
from bekasi_field.reports.rupiah import format_date_id, to_wib

_HEADER_BG = colors.HexColor("#DDE4EE")
_GRID = colors.HexColor("#7A869A")


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
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["Normal"], fontName="Helvetica", fontSize=9.5,
                          leading=12.5)
    return {
        "body": body,
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5),
        "head": ParagraphStyle("head", parent=body, fontName="Helvetica-Bold", fontSize=8.5,
                               leading=10.5),
        "kop": ParagraphStyle("kop", parent=body, fontName="Helvetica-Bold", fontSize=11,
                              leading=14, alignment=TA_CENTER),
        "title": ParagraphStyle("title", parent=body, fontName="Helvetica-Bold", fontSize=14,
                                leading=18, alignment=TA_CENTER, spaceBefore=4),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER),
        "h2": ParagraphStyle("h2", parent=body, fontName="Helvetica-Bold", fontSize=10.5,
                             leading=14, spaceBefore=10, spaceAfter=4),
    }


def _p(value: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(value)), style)


def _table(t: SummaryTable, st: dict[str, ParagraphStyle], width: float) -> LongTable:
    rows: list[list[Any]] = [[_p(h, st["head"]) for h in t.headers]]
    rows += [[_p(v, st["cell"]) for v in r] for r in t.rows]
    if t.total is not None:
        rows.append([_p(v, st["head"]) for v in t.total])
    n = len(t.headers)
    widths = [w * mm for w in t.widths] if t.widths else [width / n] * n
    table = LongTable(rows, colWidths=widths, repeatRows=1)
    style = [("GRID", (0, 0), (-1, -1), 0.4, _GRID), ("BACKGROUND", (0, 0), (-1, 0), _HEADER_BG),
             ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if t.total is not None:
        style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F2F4F8")))
    table.setStyle(TableStyle(style))
    return table


def _numbered(footer: str) -> type[rl_canvas.Canvas]:
    class Numbered(rl_canvas.Canvas):  # type: ignore[misc]  # reportlab is untyped
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont("Helvetica", 7.5)
                self.drawString(15 * mm, 10 * mm, footer)
                self.drawRightString(195 * mm, 10 * mm, tr(
                    "report.page", page=self._pageNumber, pages=total))
                super().showPage()
            super().save()

    return Numbered


def write_summary(doc: SummaryDoc, out: Path, *, printed_at: dt.datetime | None = None) -> Path:
    """Write the PDF next to its final name first, then move it: no half file on a crash."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    st = _styles()
    printed = to_wib(printed_at or dt.datetime.now(dt.UTC))
    tmp = out.with_name(out.name + ".part")
    page = SimpleDocTemplate(str(tmp), pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                             topMargin=15 * mm, bottomMargin=18 * mm, title=doc.title,
                             author="bekasi-field")
    width = A4[0] - 30 * mm
    story: list[Any] = [_p(tr("report.bast.kop1"), st["kop"]),
                        _p(tr("kind.kop_dinsos"), st["kop"]), Spacer(1, 4 * mm),
                        _p(doc.title, st["title"]), _p(doc.subtitle, st["center"]),
                        Spacer(1, 5 * mm)]
    figures = Table([[_p(k, st["body"]), _p(v, st["head"])] for k, v in doc.figures],
                    colWidths=[width * 0.55, width * 0.45])
    figures.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, _GRID),
                                 ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#F2F4F8"))]))
    story.append(figures)
    for t in doc.tables:
        story += [_p(t.heading, st["h2"]), _table(t, st, width)]
    if doc.note:
        story += [Spacer(1, 4 * mm), _p(doc.note, st["cell"])]
    footer = tr("kind.printed", when=f"{format_date_id(printed.date())} "
                f"{printed:%H.%M} WIB", version=__version__)
    try:
        page.build(story, canvasmaker=_numbered(footer))
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
