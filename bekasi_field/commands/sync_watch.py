"""`bekasi-field sync --watch [--interval S]`: a round every S seconds, one line per round
(JSON with --json), until Ctrl+C or --rounds; a hub that is down only lengthens the wait."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bekasi_field.commands.common import open_site, wants_json
from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr
from bekasi_field.services import sync_service
from bekasi_field.services.auto_sync import AutoSync, RoundReport


def watch(args: argparse.Namespace) -> int:
    if args.rounds is not None and args.rounds < 1:
        raise BekasiError(tr("watch.bad_rounds"))
    if args.interval is not None and args.interval <= 0:
        raise BekasiError(tr("watch.bad_interval"))
    with open_site(args) as site:
        url = args.hub
        if args.enrol and not sync_service.is_enrolled(site.db):
            if not url:
                raise BekasiError(tr("sync.no_hub"))
            sync_service.enrol(site=site, hub_url=url, code=args.enrol, timeout=args.timeout)

        def sync(**kw: Any) -> sync_service.SyncResult:
            return sync_service.sync_now(hub_url=url, **kw)

        loop = AutoSync(site, interval=args.interval, timeout=args.timeout, sync=sync)

        def show(report: RoundReport) -> None:
            if wants_json(args):
                sys.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False) + "\n")
            elif report.online:
                sys.stdout.write(tr("watch.round", round=report.round, pushed=report.pushed,
                                    pulled=report.pulled, conflicts=report.conflicts,
                                    pending=report.pending) + "\n")
            else:
                sys.stdout.write(tr("watch.round_offline", round=report.round,
                                    pending=report.pending, next=f"{report.next_in_s:g}")
                                 + "\n")
            sys.stdout.flush()

        sys.stderr.write(tr("watch.started", interval=f"{loop.interval:g}") + "\n")
        try:
            loop.run(on_round=show, rounds=args.rounds)
        except KeyboardInterrupt:
            sys.stderr.write(tr("watch.stopped") + "\n")
    return 0
