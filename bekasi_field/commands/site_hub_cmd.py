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
    register_site_hub(sub, common)


def _discover(args: argparse.Namespace) -> int:
    from bekasi_field.sync.discovery import browse
    hubs = browse(seconds=max(0.2, min(args.seconds, 30.0)), interface=args.interface)
    rows = [{"name": h.name, "url": h.url, "hub_id": h.hub_id, "fingerprint": h.fingerprint}
            for h in hubs]
    emit(args, {"hubs": rows}, "\n".join(tr("discover.line", **r) for r in rows)
         or tr("discover.none"))
    return 0


def register_site_hub(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                      common: argparse.ArgumentParser) -> None:
    p = add_verb(sub, "site-hub", common, "start, show or stop this laptop's site hub (a "
                 "separate process that keeps running when the desk closes)")
    p.add_argument("action", choices=("start", "status", "stop"))
    p.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all)")
    p.add_argument("--port", type=int, default=8470)
    p.add_argument("--name", default="", help="the name desks see when they look for hubs")
    p.set_defaults(handler=_site_hub)


def _site_hub(args: argparse.Namespace) -> int:
    from bekasi_field.commands.common import open_site
    from bekasi_field.services import site_hub
    with open_site(args) as site:
        if args.action == "stop":
            stopped = site_hub.stop(site)
            emit(args, {"stopped": stopped},
                 tr("sitehub.stopped") if stopped else tr("sitehub.not_running"))
            return 0
        if args.action == "status":
            info = site_hub.running(site)
        else:
            info = site_hub.start(site, host=args.host, port=args.port, name=args.name)
    if info is None:
        emit(args, {"running": False}, tr("sitehub.not_running"))
        return 0
    doc = {"running": True, "url": info.url, "lan_url": info.lan_url, "pid": info.pid,
           "fingerprint": info.fingerprint, "enrolled": info.enrolled,
           "next_code": info.next_code, "seeded": info.seeded}
    text = tr("sitehub.running", url=info.lan_url, fingerprint=info.fingerprint, pid=info.pid)
    if info.next_code:
        text += "\n" + tr("sitehub.next_code", code=info.next_code)
    emit(args, doc, text)
    return 0
