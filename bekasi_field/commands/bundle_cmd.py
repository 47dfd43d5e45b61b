"""`bekasi-field bundle export|import FILE` on a desk, and `hub bundle import|export` on the hub:
the sync payloads on a USB stick for sites with no connection at all."""

from __future__ import annotations

import argparse
from pathlib import Path

from bekasi_field.commands.common import add_verb, emit, open_site
from bekasi_field.i18n import tr
from bekasi_field.services import sync_service

Sub = "argparse._SubParsersAction[argparse.ArgumentParser]"


def register(sub: Sub, common: argparse.ArgumentParser) -> None:
    p = add_verb(sub, "bundle", common, "sync by file (USB stick) when there is no connection")
    verbs = p.add_subparsers(dest="bundle_verb", required=True)
    exp = add_verb(verbs, "export", common, "write this desk's journal and evidence for the hub")
    exp.add_argument("file", type=Path)
    exp.set_defaults(handler=_export)
    imp = add_verb(verbs, "import", common, "apply a snapshot bundle made by `hub bundle export`")
    imp.add_argument("file", type=Path)
    imp.set_defaults(handler=_import)


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


def _export(args: argparse.Namespace) -> int:
    with open_site(args) as site:
        out = sync_service.export_bundle(site=site, path=args.file)
    emit(args, out, tr("sync.bundle_exported", path=args.file, entries=out["entries"],
                       evidence=out["evidence"]))
    return 0


def _import(args: argparse.Namespace) -> int:
    with open_site(args) as site:
        out = sync_service.import_bundle(site=site, path=args.file)
    emit(args, out, tr("sync.bundle_imported", version=out["snapshot_version"],
                       pulled=out["pulled"]))
    return 0


def _hub_import(args: argparse.Namespace) -> int:
    from bekasi_field.commands.hub_cmd import open_hub
    from bekasi_field.hub.bundles import import_journal_bundle
    store = open_hub(args)
    try:
        out = import_journal_bundle(store, args.file)
    finally:
        store.dispose()
    emit(args, out, tr("hub.bundle_imported", device=out["device_id"], stored=out["stored"],
                       duplicates=out["duplicates"], conflicts=out["conflicts"]))
    bad = out["quarantined"] + out["refused"]
    if bad:
        import sys
        sys.stderr.write(tr("hub.bundle_quarantined", count=bad, problem=out["problem"]) + "\n")
        return 3
    return 0


def _hub_export(args: argparse.Namespace) -> int:
    from bekasi_field.commands.hub_cmd import open_hub
    from bekasi_field.hub.bundles import export_snapshot_bundle
    store = open_hub(args)
    try:
        out = export_snapshot_bundle(store, args.file, device_id=args.device, since=args.since)
    finally:
        store.dispose()
    emit(args, out, tr("hub.bundle_exported", device=args.device, path=args.file,
                       version=out["snapshot_version"]))
    return 0
