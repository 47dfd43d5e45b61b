"""`bekasi-field sync --hub URL [--enrol CODE]`: push the journal, pull the registry and others'
hand-overs."""

from __future__ import annotations

import argparse
import sys

from bekasi_field.commands.common import add_verb, emit, open_site, wants_json
from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr
from bekasi_field.progress import TerminalProgress
from bekasi_field.services import sync_service
from bekasi_field.sync import tls_pin
from bekasi_field.sync.signing import fingerprint


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = add_verb(sub, "sync", common, "sync with the hub (enrol once with --enrol CODE)")
    p.add_argument("--hub", help="hub URL, e.g. http://10.0.0.5:8470 (remembered after enrolment)")
    p.add_argument("--enrol", metavar="CODE", help="one-time enrolment code from `hub enrol-code`")
    p.add_argument("--fingerprint", metavar="FP", default=None,
                   help="with --enrol: the hub certificate fingerprint shown at the hub; "
                        "enrolment is refused when the hub presents another certificate")
    p.add_argument("--timeout", type=float, default=15.0, help="seconds per request")
    p.add_argument("--attempts", type=int, default=4, help="tries per request before giving up")
    p.add_argument("--watch", action="store_true",
                   help="keep pushing and pulling every --interval seconds until stopped")
    p.add_argument("--interval", type=float, default=None, metavar="S",
                   help="seconds between rounds with --watch (default: the desk's setting, 5)")
    p.add_argument("--rounds", type=int, default=None, metavar="N",
                   help="with --watch: stop after N rounds")
    p.set_defaults(handler=_sync)


def _sync(args: argparse.Namespace) -> int:
    if args.watch:
        from bekasi_field.commands.sync_watch import watch
        return watch(args)
    with open_site(args) as site:
        newly = bool(args.enrol) and not sync_service.is_enrolled(site.db)
        try:
            result = sync_service.sync_now(
                site=site, hub_url=args.hub, enrol_code=args.enrol,
                fingerprint=args.fingerprint, progress=TerminalProgress("sync"),
                timeout=args.timeout, attempts=args.attempts,
            )
        except sync_service.JournalBroken as broken:
            # Refused before anything went out: the JSON says so and names the entry.
            refused = sync_service.SyncResult(problems=[broken.problem_text()]).as_dict()
            refused.update(first_bad=broken.as_dict(), refused_sync=True,
                           pending=sync_service.pending_count(site.db),
                           device_id=site.device_id)
            if wants_json(args):
                emit(args, refused, "")
            sys.stderr.write(broken.message + "\n")
            return BekasiError.exit_code
        data = result.as_dict()
        data["pending"] = sync_service.pending_count(site.db)
        data["device_id"] = site.device_id
        key = site.db.get_meta("hub_public_key")
        data["hub_key_fingerprint"] = fingerprint(key) if key else None
        cert = site.db.get_meta("hub_tls_cert")
        data["hub_tls_fingerprint"] = tls_pin.short(tls_pin.fingerprint(cert)) if cert else None
    text = tr("sync.done", pushed=result.pushed, acked_seq=result.acked_seq,
              pulled=result.pulled, conflicts=result.conflicts)
    shown = data["hub_tls_fingerprint"] or data["hub_key_fingerprint"]
    if newly and shown:
        text = tr("sync.enrolled", fingerprint=shown) + "\n" + text
    emit(args, data, text)
    if result.refused:
        # The JSON above still tells scripts what went through; the exit code flags the rest.
        sys.stderr.write(tr("sync.refused", count=result.refused,
                            problem=", ".join(result.problems)) + "\n")
        return BekasiError.exit_code
    return 0
