"""`bekasi-field printer ...`: the desk's receipt printers (58/80 mm ESC/POS): add, list,
remove, test. Settings only, no personal data."""

from __future__ import annotations

import argparse

from bekasi_field.commands.common import add_verb, emit, open_site
from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = add_verb(sub, "printer", common, "receipt printers (58/80 mm ESC/POS): add, list, "
                 "remove, test")
    verbs = p.add_subparsers(dest="printer_verb", required=True)
    add = add_verb(verbs, "add", common, "add or change a receipt printer")
    add.add_argument("name")
    where = add.add_mutually_exclusive_group(required=True)
    where.add_argument("--usb", metavar="VID:PID", help="e.g. 0416:5011")
    where.add_argument("--serial", metavar="PORT", help="e.g. COM3 or /dev/ttyUSB0")
    where.add_argument("--network", metavar="HOST[:PORT]", help="e.g. 192.168.1.50:9100")
    where.add_argument("--file", metavar="PATH", help="write the ESC/POS bytes to a file")
    add.add_argument("--width", type=int, choices=(58, 80), default=58, help="paper width (mm)")
    add.add_argument("--native-qr", action="store_true",
                     help="the printer prints QR codes itself (GS ( k); default: QR as image")
    add.add_argument("--baudrate", type=int, default=9600)
    add.add_argument("--default", action="store_true", help="make it the desk's default")
    add.set_defaults(handler=_add)
    ls = add_verb(verbs, "list", common, "the desk's receipt printers")
    ls.set_defaults(handler=_list)
    rm = add_verb(verbs, "remove", common, "remove a receipt printer")
    rm.add_argument("name")
    rm.set_defaults(handler=_remove)
    test = add_verb(verbs, "test", common, "print a short test ticket")
    test.add_argument("name", nargs="?")
    test.set_defaults(handler=_test)


def _add(args: argparse.Namespace) -> int:
    from bekasi_field.services.receipt_printer import PrinterConfig, save_printer
    kind = next(k for k in ("usb", "serial", "network", "file") if getattr(args, k) is not None)
    target = getattr(args, kind)
    config = PrinterConfig(name=args.name, kind=kind, target=target, width_mm=args.width,
                           native_qr=args.native_qr, baudrate=args.baudrate)
    with open_site(args, create=False) as site:
        save_printer(site.db, config, make_default=args.default)
    emit(args, {"printer": args.name, "kind": kind, "target": target, "width": args.width},
         tr("printer.saved", name=args.name, kind=kind, target=target, width=args.width))
    return 0


def _list(args: argparse.Namespace) -> int:
    from bekasi_field.services.receipt_printer import default_printer_name, list_printers
    with open_site(args, create=False) as site:
        printers, default = list_printers(site.db), default_printer_name(site.db)
    rows = [{"name": p.name, "kind": p.kind, "target": p.target, "width": p.width_mm,
             "native_qr": p.native_qr, "default": p.name == default} for p in printers]
    text = "\n".join(tr("printer.line", mark="*" if r["default"] else " ", name=r["name"],
                        kind=r["kind"], target=r["target"], width=r["width"],
                        qr=tr("printer.native_qr") if r["native_qr"] else "") for r in rows)
    emit(args, {"printers": rows, "default": default}, text or tr("printer.none"))
    return 0


def _remove(args: argparse.Namespace) -> int:
    from bekasi_field.services.receipt_printer import remove_printer
    with open_site(args, create=False) as site:
        if not remove_printer(site.db, args.name):
            raise BekasiError(tr("printer.unknown", name=args.name))
    emit(args, {"removed": args.name}, tr("printer.removed", name=args.name))
    return 0


def _test(args: argparse.Namespace) -> int:
    from bekasi_field.reports.receipt_escpos import test_ticket
    from bekasi_field.services.receipt_printer import get_printer, send
    with open_site(args, create=False) as site:
        printer = get_printer(site.db, args.name)
    if printer is None:
        raise BekasiError(tr("printer.none"))
    send(printer, test_ticket(width_mm=printer.width_mm, native_qr=printer.native_qr))
    emit(args, {"printer": printer.name}, tr("printer.test_done", name=printer.name))
    return 0
