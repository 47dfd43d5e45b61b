"""`bekasi-field report bast|xlsx`: the hand-over certificate and the end-of-day recap workbook."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from bekasi_field.commands.common import add_verb, emit, open_site
from bekasi_field.domain.errors import BekasiError, UsageError
from bekasi_field.i18n import tr
from bekasi_field.services import reports


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = add_verb(sub, "report", common, "print the BAST (PDF) or the recap workbook (XLSX)")
    verbs = p.add_subparsers(dest="report_verb", required=True)
    bast = add_verb(verbs, "bast", common, "Berita Acara Serah Terima of an event (PDF)")
    bast.add_argument("--event", required=True)
    bast.add_argument("--date", help="one day (YYYY-MM-DD, WIB); default: the whole event")
    bast.add_argument("--supervisor", help="officer id of the signing supervisor")
    bast.add_argument("--out", required=True, help="the PDF file to write")
    bast.set_defaults(handler=_bast)
    xlsx = add_verb(verbs, "xlsx", common, "hand-overs, households still to collect and a "
                    "recap by kelurahan (XLSX)")
    xlsx.add_argument("--event", required=True)
    xlsx.add_argument("--out", required=True, help="the XLSX file to write")
    xlsx.set_defaults(handler=_xlsx)
    from bekasi_field.commands.report_paper_cmd import register_paper, register_receipt
    register_paper(verbs, common)
    from bekasi_field.commands.kind_report_cmd import register_reports
    register_reports(verbs, common)
    register_receipt(verbs, common)


def _day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(tr("report.bad_date", value=value)) from exc


def _writable(path: str) -> Path:
    out = Path(path).expanduser()
    if out.is_dir():
        raise BekasiError(tr("report.cannot_write", path=out, detail="is a directory"))
    return out


def _bast(args: argparse.Namespace) -> int:
    day, out = _day(args.date), _writable(args.out)
    with open_site(args, create=False) as site:
        data = reports.export_bast(site.db.engine, args.event, out, day=day,
                                   supervisor_id=args.supervisor)
    t = data.totals
    emit(
        args,
        {"out": str(out), "event_id": args.event, "date": args.date,
         "rows": [r.as_json() for r in data.rows],
         "totals": {"households": t.households, "entries": t.entries, "by_self": t.by_self,
                    "by_proxy": t.by_proxy, "amount": t.amount, "allocated": t.allocated,
                    "duplicates": t.duplicates}},
        tr("report.bast_done", path=out, rows=len(data.rows), households=t.households),
    )
    return 0


def _xlsx(args: argparse.Namespace) -> int:
    out = _writable(args.out)
    with open_site(args, create=False) as site:
        data = reports.export_recap(site.db.engine, args.event, out)
    rows, left, recap = data.handovers, data.remaining, data.recap
    emit(
        args,
        {"out": str(out), "event_id": args.event, "rows": [r.as_json() for r in rows],
         "remaining": len(left),
         "recap": [{"kelurahan": k.kelurahan, "allocated": k.allocated,
                    "collected": k.collected, "by_proxy": k.by_proxy,
                    "remaining": k.remaining, "amount": k.amount_collected} for k in recap]},
        tr("report.xlsx_done", path=out, rows=len(rows), remaining=len(left)),
    )
    return 0
