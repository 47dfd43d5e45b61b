"""Invitation slips on A4: 8 a page (2 x 4) with cut marks, QR drawn as vector squares.

Data in (SlipCard, texts already in the user's language), PDF out. The QR is 36 mm wide (modules)
with its 4-module quiet zone kept clear, so a webcam reads it from an arm's length.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

log = logging.getLogger(__name__)

COLS, ROWS = 2, 4
MARGIN = 8 * mm
QR_SIZE = 36 * mm  # the modules only (>= 35 mm); the quiet zone comes on top
QUIET_MODULES = 4
FONT, BOLD = "Helvetica", "Helvetica-Bold"


@dataclass(frozen=True)
class SlipLine:
    label: str
    value: str
    inline: bool = False  # label and value on one line (short values)
    max_lines: int = 2
    bold: bool = False


@dataclass(frozen=True)
class SlipCard:
    qr_text: str
    title: str
    side: Sequence[SlipLine]  # beside the QR; the first is the recipient's name (bold)
    band: Sequence[SlipLine]  # full width under the QR's quiet zone
    footer: str


def qr_matrix(text: str) -> np.ndarray:
    """Modules (True = dark) of a QR at error correction M, without the quiet zone.

    zxing-cpp's writer is ~30x faster than the pure-Python qrcode package (which stays as the
    fall-back), and a thousand-slip event is printed in seconds instead of minutes.
    """
    try:
        import zxingcpp

        barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
        return np.asarray(barcode.to_image(scale=1, add_quiet_zones=False)) < 128
    except (ImportError, AttributeError, TypeError, ValueError):
        log.debug("zxing-cpp writer not available; drawing the QR with qrcode")
    return qrcode_matrix(text)


def qrcode_matrix(text: str) -> np.ndarray:
    """The same QR from the pure-Python qrcode package (alphanumeric mode, level M)."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    qr.add_data(text, optimize=0)
    qr.make(fit=True)
    return np.asarray(qr.get_matrix(), dtype=bool)


def draw_qr(c: Canvas, matrix: np.ndarray, x: float, y: float, size: float) -> None:
    """The QR with its lower-left corner of the modules at (x, y), as vector squares.

    Drawn in module units under one transform and written as literal PDF operators: each dark
    run of a row is one integer `re`, so a slip costs a few hundred short operators and none of
    reportlab's per-number float formatting (the bulk of the time for a large event).
    """
    n = len(matrix)
    edges = np.diff(np.pad(matrix.astype(np.int8), ((0, 0), (1, 1))), axis=1)
    starts, ends = np.argwhere(edges == 1), np.argwhere(edges == -1)  # both row-major
    # Each run reaches 5% of a module into the row below: rasterisers anti-alias the shared edge
    # of two abutting rectangles into a pale hairline, and a QR must print without seams.
    ops = [f"{c0} {n - 1 - r - 0.05:.2f} {c1 - c0} 1.05 re"
           for (r, c0), (_, c1) in zip(starts.tolist(), ends.tolist(), strict=True)]
    m = size / n
    c.saveState()
    c.setFillGray(0)
    c.addLiteral(f"{m:.5f} 0 0 {m:.5f} {x:.3f} {y:.3f} cm\n" + "\n".join(ops) + "\nf")
    c.restoreState()


def _cut_marks(c: Canvas, width: float, height: float) -> None:
    cell_w, cell_h = (width - 2 * MARGIN) / COLS, (height - 2 * MARGIN) / ROWS
    c.setLineWidth(0.3)
    c.setStrokeGray(0.4)
    tick = 4 * mm
    xs = [MARGIN + i * cell_w for i in range(COLS + 1)]
    ys = [MARGIN + j * cell_h for j in range(ROWS + 1)]
    for x in xs:  # short ticks in the page margin, where the cutter aligns the ruler
        c.line(x, height - MARGIN + 1 * mm, x, height - MARGIN + 1 * mm + tick)
        c.line(x, MARGIN - 1 * mm, x, MARGIN - 1 * mm - tick)
    for y in ys:
        c.line(MARGIN - 1 * mm, y, MARGIN - 1 * mm - tick, y)
        c.line(width - MARGIN + 1 * mm, y, width - MARGIN + 1 * mm + tick, y)
    c.setDash(2, 2)  # dashed cut lines between slips, inside the sheet
    for x in xs[1:-1]:
        c.line(x, MARGIN, x, height - MARGIN)
    for y in ys[1:-1]:
        c.line(MARGIN, y, width - MARGIN, y)
    c.setDash()


def _labelled(c: Canvas, x: float, ty: float, label: str, value: str, width: float, *,
              font: str = FONT, size: float = 8.5, max_lines: int = 3, inline: bool = False
              ) -> float:
    """Draw a small grey label and its value; returns the next baseline."""
    c.setFont(FONT, 6)
    c.setFillGray(0.35)
    c.drawString(x, ty, label.upper())
    if inline:
        offset = c.stringWidth(label.upper(), FONT, 6) + 2 * mm
        x, width = x + offset, width - offset
    else:
        ty -= size + 0.5
    c.setFillGray(0)
    c.setFont(font, size)
    for part in simpleSplit(value, font, size, width)[:max_lines]:
        c.drawString(x, ty, part)
        ty -= size + 1.2
    return ty - 2


def _draw_card(c: Canvas, card: SlipCard, x: float, y: float, w: float, h: float) -> None:
    pad = 4 * mm
    matrix = qr_matrix(card.qr_text)
    quiet = QR_SIZE / len(matrix) * QUIET_MODULES
    title_base = y + h - pad - 9
    c.setFillGray(0)
    c.setFont(BOLD, 10.5)
    c.drawString(x + pad, title_base, card.title)
    qr_x = x + w - pad - QR_SIZE
    qr_y = title_base - 3 - quiet - QR_SIZE
    draw_qr(c, matrix, qr_x, qr_y, QR_SIZE)
    side_w = qr_x - quiet - (x + pad)
    ty = title_base - 14
    for i, line in enumerate(card.side):
        bold = i == 0
        ty = _labelled(c, x + pad, ty, line.label, line.value, side_w,
                       font=BOLD if bold else FONT, size=10 if bold else 8.5,
                       max_lines=line.max_lines, inline=line.inline)
    # The band starts below the QR's quiet zone (or below the side text if that ran longer).
    ty = min(ty, qr_y - quiet - 7)
    for line in card.band:
        ty = _labelled(c, x + pad, ty, line.label, line.value, w - 2 * pad,
                       font=BOLD if line.bold else FONT, max_lines=line.max_lines,
                       inline=line.inline) + 1
    c.setFont("Helvetica-Oblique", 7)
    c.drawString(x + pad, y + pad, card.footer)


def render_slips_pdf(cards: Sequence[SlipCard], out: Path, *, title: str = "") -> int:
    """Write the slips to `out` (A4, 8 a page); returns the number of slips."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    width, height = A4
    c = Canvas(str(out), pagesize=A4, pageCompression=1)
    c.setTitle(title or "Undangan")
    c.setAuthor("bekasi-field")
    cell_w, cell_h = (width - 2 * MARGIN) / COLS, (height - 2 * MARGIN) / ROWS
    per_page = COLS * ROWS
    pages = max(1, -(-len(cards) // per_page))
    for page, start in enumerate(range(0, max(len(cards), 1), per_page), start=1):
        _cut_marks(c, width, height)
        c.setFont(FONT, 6.5)
        c.setFillGray(0.35)  # which sheet of how many, for whoever sorts the cut slips
        c.drawString(MARGIN + 6 * mm, 3 * mm, f"{title}  \u2013  {page}/{pages}".strip())
        c.setFillGray(0)
        for i, card in enumerate(cards[start:start + per_page]):
            col, row = i % COLS, i // COLS
            _draw_card(c, card, MARGIN + col * cell_w, height - MARGIN - (row + 1) * cell_h,
                       cell_w, cell_h)
        c.showPage()
    c.save()
    log.info("slips PDF written: %d slips", len(cards))
    return len(cards)
