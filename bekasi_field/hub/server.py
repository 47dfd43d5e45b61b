"""Running the hub under uvicorn."""

from __future__ import annotations

import logging
from pathlib import Path

import uvicorn

from bekasi_field.hub.app import create_app
from bekasi_field.hub.core.config import HubSettings
from bekasi_field.hub.snapshots import restamp
from bekasi_field.hub.store import HubStore

log = logging.getLogger(__name__)


def open_store(db: str, *, passphrase: str | None = None) -> HubStore:
    """Open (creating if needed) the hub database and stamp any registry change made outside."""
    store = HubStore.open(db, passphrase=passphrase)
    with store.write() as conn:
        restamp(store, conn)
    return store


def serve(settings: HubSettings, store: HubStore | None = None, *,
          home: Path | None = None) -> None:
    store = store or open_store(settings.db)
    log.info("hub serving on %s:%d", settings.host, settings.port)
    try:
        uvicorn.run(create_app(store, home=home), host=settings.host, port=settings.port,
                    log_level="warning", access_log=False)
    finally:
        store.dispose()
