"""`bekasi-field receipt verify TEXT|IMAGE|BKT-CODE`: check a hand-over receipt offline, on any
desk of the site (the recording desk's public key comes from the hub at sync)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bekasi_field.commands.common import add_verb, emit, open_site
from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    r = add_verb(sub, "receipt", common, "check a hand-over receipt's QR (offline)")
    rverbs = r.add_subparsers(dest="receipt_verb", required=True)
    v = add_verb(rverbs, "verify", common, "verify a receipt: the QR text, or an image of it")
    v.add_argument("code", help="BKR1:... text, a photo/scan of the receipt, or a BKT- code")
    v.set_defaults(handler=_verify)


def _verify(args: argparse.Namespace) -> int:
    from bekasi_field.services import receipts
    text = args.code
    path = Path(text)
    if not text.upper().startswith(("BKR1:", "BKT")) and path.is_file():
        text = _qr_in_image(path)
    with open_site(args, create=False) as site:
        if text.upper().startswith("BKT"):
            uuid = receipts.find_by_short_code(site.db, text)
            if uuid is None:
                raise BekasiError(tr("receipt.code_unknown", code=text))
            emit(args, {"short_code": text, "entry_uuid": uuid},
                 tr("receipt.by_code", code=text, uuid=uuid))
            return 0
        check = receipts.check_receipt(site.db, text)
    p = check.payload
    if not check.ok:
        message = tr(f"receipt.bad.{check.problem}", device=p.device_id if p else "-")
        emit(args, check.as_dict(), "")
        import sys
        sys.stderr.write(message + "\n")
        return 3
    assert p is not None
    from bekasi_field.reports.rupiah import format_date_id, format_time_id, local_date
    when = f"{format_date_id(local_date(p.created_at))} {format_time_id(p.created_at, suffix=True)}"
    lines = [tr("receipt.ok", name=p.recipient_name, item=p.item, household=p.household_id,
                when=when, device=p.device_id, code=p.short_code)]
    if check.voided:
        lines.append(tr("receipt.ok_voided"))
    elif not check.in_journal:
        lines.append(tr("receipt.not_synced", device=p.device_id))
    emit(args, check.as_dict(), "\n".join(lines))
    return 0


def _qr_in_image(path: Path) -> str:
    from bekasi_field.scan.files import scan_files
    for found in scan_files([path]):
        if found.text.upper().startswith("BKR1:"):
            return found.text
    raise BekasiError(tr("receipt.bad.malformed"))
