"""Running the hub under uvicorn."""

from __future__ import annotations

import logging
from pathlib import Path

import uvicorn

from bekasi_field.hub.app import create_app
from bekasi_field.hub.core.config import HubSettings
from bekasi_field.hub.snapshots import restamp
from bekasi_field.hub.store import HubStore
from bekasi_field.hub.tls import FINGERPRINT_META, TlsFiles, ensure_certificate, given_files

log = logging.getLogger(__name__)


def open_store(db: str, *, passphrase: str | None = None) -> HubStore:
    """Open (creating if needed) the hub database and stamp any registry change made outside."""
    store = HubStore.open(db, passphrase=passphrase)
    with store.write() as conn:
        restamp(store, conn)
    return store


def tls_files(settings: HubSettings, store: HubStore) -> TlsFiles | None:
    """The certificate this hub serves (given, else its own, made on first run), recorded in
    hub_meta so `hub enrol-code` shows its fingerprint; None for plain HTTP on loopback."""
    if not settings.serves_tls:
        return None
    if settings.cert:
        files = given_files(settings.cert, settings.key or settings.cert)
    else:
        files = ensure_certificate(store.key_dir, store.hub_id())
    with store.write() as conn:
        store.set_meta(conn, FINGERPRINT_META, files.fingerprint())
    return files


def serve(settings: HubSettings, store: HubStore | None = None, *,
          home: Path | None = None) -> None:
    store = store or open_store(settings.db)
    files = tls_files(settings, store)
    log.info("hub serving on %s", settings.url())
    try:
        app = create_app(store, home=home)
        _warm_console(app)
        uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning",
                    access_log=False, ssl_certfile=str(files.cert) if files else None,
                    ssl_keyfile=str(files.key) if files else None)
    finally:
        store.dispose()


def _warm_console(app: object) -> None:
    """Count the console's overview once while the hub starts, on a thread of its own: on a
    city's journal the first count takes a while (see the README's console benchmark), and the
    first person to open the console should not be the one who waits for it."""
    import threading
    overview = getattr(getattr(app, "state", None), "console_overview", None)
    if overview is None:
        return

    def warm() -> None:
        try:
            overview.snapshot()
        except Exception:  # the page counts again on its first request
            log.exception("console overview: the first count failed")

    threading.Thread(target=warm, name="console-warm-up", daemon=True).start()
