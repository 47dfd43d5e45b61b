"""The Berita Acara Serah Terima (BAST) as a PDF: data in (BastData), file out.

A4 portrait; the recipients table repeats its header on every page; every page says
"Halaman X dari N". NIKs are masked: the BAST goes to Dinas Sosial on paper and does not need
the full number to be checked against the journal.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, LongTable, Paragraph, Spacer, Table, TableStyle

from bekasi_field import __version__
from bekasi_field.domain.site_formats import site_now
from bekasi_field.i18n import tr
from bekasi_field.reports.model import BastData, HandoverRow, OfficerRef
from bekasi_field.reports.pdf_page import (
    GRID,
    HEADER_BG,
    PageSetup,
    build_pdf,
    text_styles,
)
from bekasi_field.reports.pdf_page import para as _p
from bekasi_field.reports.rupiah import format_date_id, format_rupiah, thousands

log = logging.getLogger(__name__)

PAGE = PageSetup(size=A4, side=15 * mm, top=15 * mm, bottom=18 * mm, footer_y=9 * mm)


def _styles() -> dict[str, ParagraphStyle]:
    return text_styles(body=(9.5, 12.5), cell=(8, 9.6))


def _period_text(data: BastData) -> str:
    first, last = data.period
    if first == last:
        return format_date_id(first, weekday=True)
    return tr("report.bast.period", first=format_date_id(first), last=format_date_id(last))


def _people(refs: list[OfficerRef]) -> str:
    return ", ".join(f"{o.name} ({o.id})" for o in refs) or "-"


def _site_text(data: BastData) -> str:
    ev = data.event
    if ev.site_kecamatan:
        return tr("report.bast.site_kec", kelurahan=ev.site_kelurahan, kecamatan=ev.site_kecamatan)
    return tr("report.bast.site", kelurahan=ev.site_kelurahan)


def _received_by(row: HandoverRow) -> str:
    if not row.is_proxy:
        text = tr("report.bast.self")
    else:
        rel = f" ({row.proxy_relationship})" if row.proxy_relationship else ""
        text = tr("report.bast.proxy", name=row.proxy_name or "-", relationship=rel)
    if row.override_by:  # the supervisor's approval, on the row it allowed
        text += " · " + tr("report.bast.override_mark", approval=row.override_text)
    return text


def _overrides(data: BastData, st: dict[str, ParagraphStyle]) -> list[Any]:
    """Hand-overs a supervisor allowed (WRONG_SITE): who approved and why, by row number."""
    lines = [tr("report.bast.override_line", no=i, name=r.recipient_name or "-",
                kelurahan=r.kelurahan or "-", approval=r.override_text)
             for i, r in enumerate(data.rows, start=1) if r.override_by]
    if not lines:
        return []
    return [_p(tr("report.bast.overrides", n=len(lines)), st["h2"]),
            *[_p(line, st["body"]) for line in lines]]


def _info_table(data: BastData, st: dict[str, ParagraphStyle]) -> Table:
    ev, t = data.event, data.totals
    served = ", ".join(ev.served_kelurahan) or ev.site_kelurahan
    lines = [
        ("report.bast.event", f"{ev.name} ({ev.id})"),
        ("report.bast.programme", f"{ev.programme}: {ev.item}"),
        ("report.bast.place", _site_text(data)),
        ("report.bast.served", served),
        ("report.bast.date", _period_text(data)),
        ("report.bast.officers", _people(data.officers)),
        ("report.bast.supervisor", _people(data.supervisors)),
    ]
    totals = [
        ("report.bast.allocated", thousands(t.allocated)),
        ("report.bast.served_hh", thousands(t.households)),
        ("report.bast.by_self", thousands(t.by_self)),
        ("report.bast.by_proxy", thousands(t.by_proxy)),
        *([("report.bast.remaining", thousands(t.remaining))] if t.remaining is not None
          else []),
        *([("report.bast.outside", thousands(t.outside))] if t.outside else []),
        ("report.bast.value_each", format_rupiah(ev.amount)),
        ("report.bast.value_total", format_rupiah(t.amount) if ev.amount is not None
         or t.amount else "-"),
    ]
    rows = [[_p(tr(k), st["body"]), _p(":", st["body"]), _p(v, st["body"])] for k, v in lines]
    rows.append([_p(tr("report.bast.totals"), st["h2"]), "", ""])
    rows += [[_p(tr(k), st["body"]), _p(":", st["body"]), _p(v, st["body"])] for k, v in totals]
    table = Table(rows, colWidths=[50 * mm, 4 * mm, 120 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("SPAN", (0, len(lines)), (-1, len(lines))),
    ]))
    return table


_COLS = [  # (catalogue key, width)
    ("report.col.no", 9 * mm),
    ("report.col.name", 42 * mm),
    ("report.col.nik", 30 * mm),
    ("report.col.rtrw", 15 * mm),
    ("report.col.kelurahan", 24 * mm),
    ("report.col.time", 12 * mm),
    ("report.col.received_by", 42 * mm),
]


def _recipients_table(rows: list[HandoverRow], st: dict[str, ParagraphStyle]) -> LongTable:
    data: list[list[Any]] = [[_p(tr(k), st["head"]) for k, _ in _COLS]]
    # Fixed-width values as plain strings, wrapping ones as Paragraphs: a Paragraph per cell
    # made a 511-row BAST (Kota Baru's day) twice as slow.
    for i, r in enumerate(rows, start=1):
        data.append([
            str(i),
            _p(r.recipient_name or "-", st["cell"]),
            r.nik_masked or "-",
            f"{r.rt or '-'}/{r.rw or '-'}",
            _p(r.kelurahan or "-", st["cell"]),
            r.local_time,
            _p(_received_by(r), st["cell"]),
        ])
    if not rows:
        data.append([_p(tr("report.bast.no_rows"), st["cell"])] + [""] * (len(_COLS) - 1))
    # 174 mm: the A4 frame (180 mm between margins) less its 6 pt padding on each side
    table = LongTable(data, colWidths=[w for _, w in _COLS], repeatRows=1, hAlign="LEFT")
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("FONT", (0, 1), (-1, -1), "Helvetica", 8, 9.6),
    ]
    if not rows:
        style.append(("SPAN", (0, 1), (-1, 1)))
    style += [("BACKGROUND", (0, i), (-1, i), colors.HexColor("#F5F7FA"))
              for i in range(2, len(data), 2)]
    table.setStyle(TableStyle(style))
    return table


def _signatures(data: BastData, st: dict[str, ParagraphStyle]) -> KeepTogether:
    officer = data.officers[0].name if len(data.officers) == 1 else ""
    supervisor = data.supervisors[0].name if len(data.supervisors) == 1 else ""
    place = tr("report.bast.sign_place", kelurahan=data.event.site_kelurahan,
               date=format_date_id(data.period[1]))
    blank = "." * 38

    def block(role_key: str, name: str, extra: str = "\u00a0") -> list[Paragraph]:
        # a no-break space keeps the empty first line's height, so the name lines align
        return [
            _p(extra, st["center"]),
            _p(tr(role_key), st["center"]),
            Spacer(1, 20 * mm),
            _p(f"( {name or blank} )", st["center"]),
        ]

    cols = [
        block("report.sign.officer", officer),
        block("report.sign.supervisor", supervisor),
        block("report.sign.lurah", "", tr("report.sign.knowing")),
    ]
    grid = Table([cols], colWidths=[58 * mm] * 3, hAlign="LEFT")
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([
        Spacer(1, 4 * mm),
        _p(tr("report.bast.closing"), st["body"]),
        Spacer(1, 4 * mm),
        Table([["", _p(place, st["center"])]], colWidths=[116 * mm, 58 * mm], hAlign="LEFT"),
        Spacer(1, 2 * mm),
        grid,
    ])


def write_bast(data: BastData, out: Path, *, printed_at: dt.datetime | None = None) -> Path:
    """Write the BAST for `data` to `out` (atomically: a half-written PDF never replaces one)."""
    st = _styles()
    ev = data.event
    printed = (printed_at or site_now()).strftime("%d-%m-%Y %H.%M")
    footer = tr("report.footer", event=ev.id, printed=printed, version=__version__)
    story: list[Any] = [
        _p(tr("report.bast.kop1"), st["kop"]),
        _p(_site_text(data).upper(), st["kop"]),
        Spacer(1, 3 * mm),
        _p(tr("report.bast.title"), st["title"]),
        _p(tr("report.bast.number"), st["center"]),
        Spacer(1, 5 * mm),
        _p(tr("report.bast.opening", date=_period_text(data), place=_site_text(data),
              item=ev.item, programme=ev.programme), st["body"]),
        Spacer(1, 3 * mm),
        _info_table(data, st),
    ]
    if data.totals.duplicates:
        story.append(_p(tr("report.bast.duplicates", n=data.totals.duplicates), st["body"]))
    story += [
        _p(tr("report.bast.list", n=thousands(len(data.rows))), st["h2"]),
        _recipients_table(data.rows, st),
        *_overrides(data, st),
        _signatures(data, st),
    ]
    out = build_pdf(out, story, page=PAGE, footer=footer, title=tr("report.bast.title"),
                    subject=f"{ev.programme} {ev.id}")
    log.info("bast written: event %s, %d rows", ev.id, len(data.rows))
    return out
