"""`hub bundle export-relay|import-relay|import-upstream FILE`: the site -> city relay by USB
stick (and the city's snapshot back into the site hub)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bekasi_field.commands.common import emit
from bekasi_field.i18n import tr

if TYPE_CHECKING:
    from bekasi_field.hub.store import HubStore


def register_relay_bundles(verbs: Any, common: argparse.ArgumentParser,
                           db: argparse.ArgumentParser) -> None:
    for name, help_text, handler in (
            ("export-relay", "site hub: this site's entries and evidence for the city hub",
             _export),
            ("import-relay", "city hub: store a site hub's relay bundle (idempotent)", _import),
            ("import-upstream", "site hub: the city hub's snapshot bundle for this site hub",
             _upstream)):
        p = verbs.add_parser(name, parents=[common, db], help=help_text, description=help_text)
        p.add_argument("file", type=Path)
        p.set_defaults(handler=handler)


def _with_store(args: argparse.Namespace,
                job: Callable[[HubStore, Path], dict[str, Any]]) -> dict[str, Any]:
    from bekasi_field.commands.hub_common import opened_hub
    with opened_hub(args) as store:
        return job(store, args.file)


def _export(args: argparse.Namespace) -> int:
    from bekasi_field.hub.relay_bundle import export_relay_bundle
    out = _with_store(args, export_relay_bundle)
    emit(args, out, tr("relay.bundle_written", path=out["path"], entries=out["entries"],
                       evidence=out["evidence"]))
    return 0


def _import(args: argparse.Namespace) -> int:
    from bekasi_field.hub.relay_bundle import import_relay_bundle
    out = _with_store(args, import_relay_bundle)
    emit(args, out, tr("relay.bundle_stored", stored=out["stored"],
                       duplicates=out["duplicates"], conflicts=out["conflicts"]))
    return 0


def _upstream(args: argparse.Namespace) -> int:
    from bekasi_field.hub.relay_bundle import import_upstream_snapshot
    out = _with_store(args, import_upstream_snapshot)
    emit(args, out, tr("sync.bundle_imported", version=out["snapshot_version"],
                       pulled=out["pulled"]))
    return 0
