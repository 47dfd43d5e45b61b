"""`bekasi-field hub bundle import|export FILE`: the hub's side of the USB-stick sync (the
desk's side is bundle_cmd.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TypeAlias

from bekasi_field.commands.common import emit
from bekasi_field.commands.hub_common import opened_hub
from bekasi_field.i18n import tr

Sub: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def register_hub_bundle(jobs: Sub, common: argparse.ArgumentParser,
                        db: argparse.ArgumentParser) -> None:
    p = jobs.add_parser("bundle", parents=[common, db], help="USB bundles on the hub")
    verbs = p.add_subparsers(dest="hub_bundle_verb", required=True)
    imp = verbs.add_parser("import", parents=[common, db],
                           help="store a desk's journal bundle (idempotent)")
    imp.add_argument("file", type=Path)
    imp.set_defaults(handler=_hub_import)
    exp = verbs.add_parser("export", parents=[common, db],
                           help="a signed snapshot bundle for one enrolled device")
    exp.add_argument("file", type=Path)
    exp.add_argument("--device", required=True, help="the device id (shown by `sync` / status)")
    exp.add_argument("--since", type=int, default=0,
                     help="the device's snapshot version for a delta (default: full)")
    exp.set_defaults(handler=_hub_export)
    from bekasi_field.commands.relay_bundle_cmd import register_relay_bundles
    register_relay_bundles(verbs, common, db)


def _hub_import(args: argparse.Namespace) -> int:
    from bekasi_field.hub.bundles import import_journal_bundle
    with opened_hub(args) as store:
        out = import_journal_bundle(store, args.file)
    emit(args, out, tr("hub.bundle_imported", device=out["device_id"], stored=out["stored"],
                       duplicates=out["duplicates"], conflicts=out["conflicts"]))
    bad = out["quarantined"] + out["refused"]
    if bad:
        import sys
        sys.stderr.write(tr("hub.bundle_quarantined", count=bad, problem=out["problem"]) + "\n")
        return 3
    return 0


def _hub_export(args: argparse.Namespace) -> int:
    from bekasi_field.hub.bundles import export_snapshot_bundle
    with opened_hub(args) as store:
        out = export_snapshot_bundle(store, args.file, device_id=args.device, since=args.since)
    emit(args, out, tr("hub.bundle_exported", device=args.device, path=args.file,
                       version=out["snapshot_version"]))
    return 0
