"""`bekasi-field scan FILE... --event E`: decode images or videos, a verdict per code found."""

from __future__ import annotations

import argparse
import logging

from bekasi_field.commands.common import add_verb, emit, open_site
from bekasi_field.domain.identifiers import digits_only, mask
from bekasi_field.domain.verdicts import Verdict
from bekasi_field.i18n import tr
from bekasi_field.scan.decoders import QR_AND_CARDS, QR_ONLY
from bekasi_field.scan.files import FileRead, expand, scan_files
from bekasi_field.services.events import get_event
from bekasi_field.services.verdict_engine import VerdictEngine

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = add_verb(sub, "scan", common, "decode QR slips (and card barcodes) in images, folders "
                 "of images or videos; the verdict for each code found, recording nothing")
    p.add_argument("files", nargs="+", metavar="FILE", help="image, folder of images or video")
    p.add_argument("--event", required=True, help="event id")
    p.add_argument("--cards", action="store_true",
                   help="also read Code 128 / EAN-13 barcodes (card numbers); slower")
    p.add_argument("--no-ktp", action="store_true",
                   help="do not read the NIK off KTP photos (codes only; faster)")
    p.set_defaults(handler=_scan)


def shown_text(text: str) -> str:
    """What the terminal shows of a code: a slip's start, a masked NIK / KK / card number."""
    digits = digits_only(text)
    if len(digits) == 16 and len(text.strip()) <= 20:
        return mask(digits)
    return text if len(text) <= 24 else text[:16] + "…"


def _scan(args: argparse.Namespace) -> int:
    expand(args.files)  # a missing file is an error before anything is decoded
    formats = QR_AND_CARDS if args.cards else QR_ONLY
    results: list[dict[str, object]] = []
    lines: list[str] = []
    with open_site(args, create=False) as site:
        get_event(site.db.engine, args.event)  # BekasiError for an unknown event
        engine = VerdictEngine(site.db)
        try:
            per_file: dict[str, int] = {}
            for read in scan_files(args.files, formats=formats, ktp=not args.no_ktp):
                verdict = engine.check(read.text, event_id=args.event)
                results.append(_result(read, verdict))
                per_file[read.file] = per_file.get(read.file, 0) + 1
                frame = "" if read.frame is None else tr("scan.frame", index=read.frame)
                who = (f"KPM {verdict.household_id}" if verdict.household_id
                       else shown_text(read.text))
                if read.kind == "ktp":
                    who = tr("ktp.read", nik=shown_text(read.text)) + f" · {who}"
                lines.append(tr("scan.result", file=read.file, frame=frame, text=who,
                                verdict=f"{verdict.style.headline} ({verdict.code.value})"))
        finally:
            engine.close()
    files = [str(p) for p in expand(args.files)]
    lines += [tr("scan.no_code", file=f) for f in files if f not in per_file]
    lines.append(tr("scan.summary", codes=len(results), files=len(files)))
    log.info("scan: %d code(s) in %d file(s)", len(results), len(files))
    emit(args, {"results": results, "files": len(files), "event_id": args.event},
         "\n".join(lines))
    return 0


def _result(read: FileRead, verdict: Verdict) -> dict[str, object]:
    return {
        "file": read.file,
        "text": read.text,
        "verdict": verdict.code.value,
        "household_id": verdict.household_id,
        "frame": read.frame,
        "message": verdict.message,
        "code_kind": verdict.code_kind,
        "kind": read.kind,
        "name": read.name,
    }
