"""`bekasi-field slips EVENT --out FILE.pdf`: print signed QR invitation slips."""

from __future__ import annotations

import argparse
from pathlib import Path

from bekasi_field.commands.common import add_verb, emit, open_site
from bekasi_field.domain.errors import UsageError
from bekasi_field.i18n import tr
from bekasi_field.services import keys
from bekasi_field.services.slips import render_event_slips, revoke_slip


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = add_verb(sub, "slips", common, "print signed QR invitation slips for an event (A4 PDF)")
    p.add_argument("event", help="event id, or `revoke` SERIAL to put a lost slip on the "
                   "deny list")
    p.add_argument("serial", nargs="?", help=argparse.SUPPRESS)
    p.add_argument("--out", help="PDF file to write")
    p.add_argument("--reason", default="", help="why a slip is revoked (with `revoke`)")
    p.set_defaults(handler=_slips)


def _slips(args: argparse.Namespace) -> int:
    if args.event == "revoke":
        return _revoke(args)
    if not args.out or args.serial:
        raise UsageError(tr("slips.usage"))
    with open_site(args, create=False) as site:
        # A device key is made on first use; a hub-enrolled device uses the hub's key file.
        signer = keys.ensure_signer(site.db.engine, site.layout.keys_dir,
                                    seal_key=site.secrets_key)
        n = render_event_slips(engine=site.db.engine, event_id=args.event, out=Path(args.out),
                               signer=signer)
    emit(args, {"slips": n, "out": str(Path(args.out).resolve()), "key_id": signer.key_id},
         tr("slips.written", slips=n, out=args.out, key_id=signer.key_id))
    return 0


def _revoke(args: argparse.Namespace) -> int:
    if not args.serial or not args.reason.strip():
        raise UsageError(tr("slips.usage"))
    with open_site(args, create=False) as site:
        added = revoke_slip(site.db.engine, serial=args.serial, reason=args.reason)
    serial = args.serial.strip().upper()
    emit(args, {"slip_serial": serial, "revoked": True, "already": not added},
         tr("slips.revoked", serial=serial))
    return 0
