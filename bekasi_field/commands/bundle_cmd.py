"""`bekasi-field bundle export|import FILE` on a desk: the sync payloads on a USB stick for
sites with no connection at all (the hub's side is hub_bundle_cmd.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TypeAlias

from bekasi_field.commands.common import add_verb, emit, open_site
from bekasi_field.i18n import tr
from bekasi_field.services import sync_service

Sub: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def register(sub: Sub, common: argparse.ArgumentParser) -> None:
    p = add_verb(sub, "bundle", common, "sync by file (USB stick) when there is no connection")
    verbs = p.add_subparsers(dest="bundle_verb", required=True)
    exp = add_verb(verbs, "export", common, "write this desk's journal and evidence for the hub")
    exp.add_argument("file", type=Path)
    exp.set_defaults(handler=_export)
    imp = add_verb(verbs, "import", common, "apply a snapshot bundle made by `hub bundle export`")
    imp.add_argument("file", type=Path)
    imp.set_defaults(handler=_import)


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
