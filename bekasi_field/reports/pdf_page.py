"""The page set-up the document PDFs share (BAST, daftar nominatif, summaries).

Helvetica text styles, the table colours, a canvas that prints "Halaman X dari N" beside a
footer line, and an atomic build: the PDF is written beside its final name, then moved, so a
half-written file never replaces a good one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate

from bekasi_field.i18n import tr

HEADER_BG = colors.HexColor("#DDE4EE")
GRID = colors.HexColor("#7A869A")
_FOOTER_GREY = colors.HexColor("#444444")


def para(value: object, style: ParagraphStyle) -> Paragraph:
    """Text as a Paragraph, escaped (names may hold "&" or "<")."""
    return Paragraph(escape(str(value)), style)


def bold(name: str, parent: ParagraphStyle, size: float, leading: float,
         **more: Any) -> ParagraphStyle:
    return ParagraphStyle(name, parent=parent, fontName="Helvetica-Bold", fontSize=size,
                          leading=leading, **more)


def text_styles(*, body: tuple[float, float], cell: tuple[float, float]
                ) -> dict[str, ParagraphStyle]:
    """body, cell, head (bold cell), center, kop, title, h2: (size, leading) in points for body
    text and table cells; a document changes or adds the others it needs."""
    base = getSampleStyleSheet()
    body_style = ParagraphStyle("body", parent=base["Normal"], fontName="Helvetica",
                                fontSize=body[0], leading=body[1])
    return {
        "body": body_style,
        "cell": ParagraphStyle("cell", parent=body_style, fontSize=cell[0], leading=cell[1]),
        "head": bold("head", body_style, *cell),
        "center": ParagraphStyle("center", parent=body_style, alignment=TA_CENTER),
        "kop": bold("kop", body_style, 11, 14, alignment=TA_CENTER),
        "title": bold("title", body_style, 14, 18, alignment=TA_CENTER, spaceBefore=4),
        "h2": bold("h2", body_style, 10.5, 14, spaceBefore=8, spaceAfter=3),
    }


@dataclass(frozen=True)
class PageSetup:
    """Paper and margins; the footer line sits `footer_y` above the sheet's bottom edge."""

    size: tuple[float, float]
    side: float  # the left and the right margin
    top: float
    bottom: float
    footer_y: float
    footer_grey: bool = True

    @property
    def frame_width(self) -> float:
        return self.size[0] - 2 * self.side


def numbered_canvas(footer_left: str, page: PageSetup) -> type[rl_canvas.Canvas]:
    """A canvas that knows the page count at save time, for "Halaman X dari N"."""

    class NumberedCanvas(rl_canvas.Canvas):
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
                if page.footer_grey:
                    self.setFillColor(_FOOTER_GREY)
                self.drawString(page.side, page.footer_y, footer_left)
                self.drawRightString(page.size[0] - page.side, page.footer_y,
                                     tr("report.page", page=self._pageNumber, pages=total))
                super().showPage()
            super().save()

    return NumberedCanvas


def build_pdf(out: Path, story: list[Any], *, page: PageSetup, footer: str, title: str,
              subject: str | None = None) -> Path:
    """Lay `story` out on numbered pages into `out`, atomically."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    meta = {"title": title, "author": "bekasi-field"}
    if subject is not None:
        meta["subject"] = subject
    doc = SimpleDocTemplate(str(tmp), pagesize=page.size, leftMargin=page.side,
                            rightMargin=page.side, topMargin=page.top,
                            bottomMargin=page.bottom, **meta)
    try:
        doc.build(story, canvasmaker=numbered_canvas(footer, page))
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out

