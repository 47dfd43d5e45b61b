"""`bekasi-field report danom ...` (and `report receipt ...`): the paper a site still needs."""

from __future__ import annotations

import argparse
from pathlib import Path

from bekasi_field.commands.common import add_verb, emit, open_site
from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr


def register_paper(verbs: argparse._SubParsersAction[argparse.ArgumentParser],
                   common: argparse.ArgumentParser) -> None:
    d = add_verb(verbs, "danom", common, "daftar nominatif: the households of an event per "
                 "kelurahan and RT/RW with a signature column (PDF, A4 landscape)")
    d.add_argument("--event", required=True)
    d.add_argument("--kelurahan", help="only this kelurahan")
    mode = d.add_mutually_exclusive_group()
    mode.add_argument("--blank", action="store_true",
                      help="the list for the day itself (no status columns)")
    mode.add_argument("--marked", action="store_true",
                      help="with collected / not yet / voided, time and desk (default once "
                           "the event has hand-overs)")
    d.add_argument("--out", required=True, help="the PDF file to write")
    d.set_defaults(handler=_danom)


def _writable(path: str) -> Path:
    out = Path(path).expanduser()
    if out.is_dir():
        raise BekasiError(tr("report.cannot_write", path=out, detail="is a directory"))
    return out


def _danom(args: argparse.Namespace) -> int:
    from bekasi_field.reports.danom_pdf import write_danom
    from bekasi_field.services.danom import danom_data
    out = _writable(args.out)
    marked = True if args.marked else False if args.blank else None
    with open_site(args, create=False) as site:
        data = danom_data(site.db.engine, args.event, kelurahan=args.kelurahan, marked=marked)
    if args.kelurahan and not data.rows:
        raise BekasiError(tr("danom.unknown_kelurahan", kelurahan=args.kelurahan,
                             event=args.event))
    try:
        write_danom(data, out)
    except OSError as exc:
        raise BekasiError(tr("report.cannot_write", path=out, detail=exc.strerror)) from exc
    emit(args, {"out": str(out), "event_id": args.event, "marked": data.marked,
                "rows": [r.as_json() for r in data.rows],
                "kelurahan": [{"kelurahan": g.kelurahan, "households": len(g.rows),
                               "collected": g.count("collected"), "pending": g.count("pending"),
                               "voided": g.count("voided")} for g in data.groups]},
         tr("danom.done", path=out, rows=len(data.rows), groups=len(data.groups)))
    return 0


def register_receipt(verbs: argparse._SubParsersAction[argparse.ArgumentParser],
                     common: argparse.ArgumentParser) -> None:
    r = add_verb(verbs, "receipt", common, "the receipt (bukti penerimaan) of a hand-over: "
                 "an A6 PDF or a thermal printer (ESC/POS)")
    r.add_argument("entry_uuid", help="the hand-over's entry uuid (or its BKT- short code)")
    r.add_argument("--out", help="the A6 PDF file to write")
    r.add_argument("--printer", help="a printer set up with 'printer add' (default: the "
                   "desk's default printer)")
    r.set_defaults(handler=_receipt)


def _receipt(args: argparse.Namespace) -> int:
    from bekasi_field.services import receipt_printer, receipts
    with open_site(args, create=False) as site:
        uuid = args.entry_uuid
        if uuid.upper().startswith("BKT"):
            uuid = receipts.find_by_short_code(site.db, uuid) or uuid
        data = receipts.receipt_data(site.db, uuid)
        printer = None if args.out else receipt_printer.get_printer(site.db, args.printer)
        if not args.out and printer is None:
            raise BekasiError(tr("receipt.need_target"))
    doc = {"entry_uuid": data.entry_uuid, "short_code": data.short_code, "qr": data.qr_text}
    if args.out:
        from bekasi_field.reports.receipt_pdf import write_receipt_pdf
        out = _writable(args.out)
        try:
            write_receipt_pdf(data, out)
        except OSError as exc:
            raise BekasiError(tr("report.cannot_write", path=out, detail=exc.strerror)) from exc
        emit(args, {**doc, "out": str(out)},
             tr("receipt.pdf_done", path=out, code=data.short_code))
        return 0
    assert printer is not None
    from bekasi_field.reports.receipt_escpos import receipt_escpos
    receipt_printer.send(printer, receipt_escpos(data, width_mm=printer.width_mm,
                                                 native_qr=printer.native_qr))
    emit(args, {**doc, "printer": printer.name},
         tr("receipt.printed", printer=printer.name, code=data.short_code))
    return 0
