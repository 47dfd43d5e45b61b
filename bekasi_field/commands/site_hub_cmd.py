"""The site-network options of `bekasi-field hub`: --announce (mDNS on the LAN), --upstream URL
--enrol CODE (relay to the city hub); and `bekasi-field discover` (hubs found on the LAN)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bekasi_field.commands.common import add_verb, emit
from bekasi_field.hub.core.config import HubSettings
from bekasi_field.hub.store import HubStore
from bekasi_field.i18n import tr


def add_site_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--announce", action="store_true",
                   help="announce this hub on the LAN (zeroconf) so desks find it")
    p.add_argument("--name", default="", help="the name desks see, e.g. 'Kota Baru'")
    p.add_argument("--upstream", metavar="URL", help="city hub to relay this site's entries to")
    p.add_argument("--enrol", metavar="CODE", help="relay code from the city hub "
                   "(`hub enrol-code --relay`), needed once")
    p.add_argument("--relay-interval", type=float, default=10.0, metavar="S",
                   help="seconds between relay rounds (default 10)")


def serve_site(args: argparse.Namespace, settings: HubSettings, store: HubStore, *,
               home: Path | None = None) -> bool:
    """Serve with the site extras when any was asked for; False when none was."""
    if not (args.announce or args.upstream):
        return False
    from bekasi_field.hub.site_hub import hub_fingerprint, serve_with_extras
    sys.stderr.write(tr("hub.key_fingerprint", fingerprint=hub_fingerprint(store)) + "\n")
    serve_with_extras(settings, store, announce=args.announce, name=args.name,
                      upstream=args.upstream, enrol=args.enrol,
                      relay_interval=args.relay_interval, home=home)
    return True


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = add_verb(sub, "discover", common, "list the hubs announcing themselves on this LAN, "
                 "with their key fingerprints")
    p.add_argument("--seconds", type=float, default=2.0, help="how long to listen (default 2)")
    p.add_argument("--interface", default=None, help="listen on this address only")
    p.set_defaults(handler=_discover)


def _discover(args: argparse.Namespace) -> int:
    from bekasi_field.sync.discovery import browse
    hubs = browse(seconds=max(0.2, min(args.seconds, 30.0)), interface=args.interface)
    rows = [{"name": h.name, "url": h.url, "hub_id": h.hub_id, "fingerprint": h.fingerprint}
            for h in hubs]
    emit(args, {"hubs": rows}, "\n".join(tr("discover.line", **r) for r in rows)
         or tr("discover.none"))
    return 0
