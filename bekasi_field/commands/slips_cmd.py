"""`bekasi-field slips EVENT --out FILE.pdf`: print signed QR invitation slips."""

from __future__ import annotations

import argparse
from pathlib import Path

from bekasi_field.commands.common import add_verb, emit, open_site
from bekasi_field.i18n import tr
from bekasi_field.services import keys
from bekasi_field.services.slips import render_event_slips


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = add_verb(sub, "slips", common, "print signed QR invitation slips for an event (A4 PDF)")
    p.add_argument("event")
    p.add_argument("--out", required=True, help="PDF file to write")
    p.set_defaults(handler=_slips)


def _slips(args: argparse.Namespace) -> int:
    with open_site(args, create=False) as site:
        # A device key is made on first use; a hub-enrolled device uses the hub's key file.
        signer = keys.ensure_signer(site.db.engine, site.layout.keys_dir)
        n = render_event_slips(engine=site.db.engine, event_id=args.event, out=Path(args.out),
                               signer=signer)
    emit(args, {"slips": n, "out": str(Path(args.out).resolve()), "key_id": signer.key_id},
         tr("slips.written", slips=n, out=args.out, key_id=signer.key_id))
    return 0
