"""The extras of a hub serving one site: its mDNS announcement on the office LAN and the relay
thread to the city hub, started beside uvicorn and stopped with it."""

from __future__ import annotations

import logging
from contextlib import ExitStack
from pathlib import Path

from bekasi_field.hub.core.config import HubSettings
from bekasi_field.hub.store import HubStore

log = logging.getLogger(__name__)


def hub_fingerprint(store: HubStore) -> str:
    """What desks compare and pin: the SHA-256 of the hub's TLS certificate (the one it last
    served, else its own, made now), in the short form people read."""
    from bekasi_field.hub.tls import FINGERPRINT_META, ensure_certificate
    from bekasi_field.sync.tls_pin import short
    with store.read() as conn:
        served = store.meta(conn, FINGERPRINT_META)
    return short(served or ensure_certificate(store.key_dir, store.hub_id()).fingerprint())


def serve_with_extras(settings: HubSettings, store: HubStore, *, announce: bool = False,
                      name: str = "", upstream: str | None = None,
                      enrol: str | None = None, relay_interval: float = 10.0,
                      home: Path | None = None) -> None:
    """Run the hub until it is stopped, announcing itself and relaying when asked."""
    from bekasi_field.hub import relay
    from bekasi_field.hub.server import serve, tls_files

    if upstream:
        with store.read() as conn:
            known = store.meta(conn, "upstream_url")
        if enrol and known != upstream.rstrip("/"):
            relay.enrol_upstream(store, url=upstream, code=enrol)
        elif known is None:
            from bekasi_field.domain.errors import BekasiError
            from bekasi_field.i18n import tr
            raise BekasiError(tr("relay.not_enrolled"))
    with ExitStack() as extras:
        tls_files(settings, store)  # first: the announcement carries the served certificate's
        if announce:
            from bekasi_field.sync.discovery import Announcer
            ann = Announcer(host=settings.host, port=settings.port, hub_id=store.hub_id(),
                            fingerprint=hub_fingerprint(store), name=name,
                            scheme="https" if settings.serves_tls else "http")
            extras.callback(ann.close)
        if upstream:
            thread = relay.RelayThread(store, interval=relay_interval).start()
            extras.callback(thread.close)
        serve(settings, store, home=home)
