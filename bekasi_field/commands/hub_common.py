"""What every `hub ...` job module needs: the hub's home, its database URL and an open store.

Its own module so the job modules (hub_cmd, hub_bundle_cmd, hub_complaints_cmd) import it
instead of each other.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.exc import OperationalError

from bekasi_field.domain.errors import BekasiError
from bekasi_field.hub.core.config import HubSettings
from bekasi_field.hub.store import HubStore
from bekasi_field.i18n import tr
from bekasi_field.paths import resolve_home


def hub_home(args: argparse.Namespace) -> Path:
    return resolve_home(getattr(args, "home", None))


def hub_db(args: argparse.Namespace) -> str:
    return HubSettings.from_env(home=hub_home(args), db=getattr(args, "db", None)).db


def with_passphrase(open_it: Any) -> HubStore:
    """open_it(passphrase) -> store; a SQLite hub whose data key is not in this account's key
    store asks for its recovery passphrase on a terminal (BEKASI_FIELD_PASSPHRASE for
    services), once."""
    import sys

    from bekasi_field.commands.common import ask_passphrase
    from bekasi_field.store.datakey import PassphraseNeeded
    try:
        try:
            return open_it(None)  # type: ignore[no-any-return]
        except PassphraseNeeded as exc:
            if not sys.stdin.isatty():
                raise
            sys.stderr.write(exc.message + "\n")
            return open_it(ask_passphrase(new=exc.first_run))  # type: ignore[no-any-return]
    except OperationalError as exc:
        raise BekasiError(tr("hub.db_error", detail=str(exc.orig).strip()[:200])) from exc


def open_hub(args: argparse.Namespace) -> HubStore:
    return with_passphrase(lambda p: HubStore.open(hub_db(args), passphrase=p))


@contextmanager
def opened_hub(args: argparse.Namespace) -> Iterator[HubStore]:
    """The hub's store for one `hub ...` job, disposed when the job ends (its connection
    pool, and on Windows the SQLite file handles)."""
    store = open_hub(args)
    try:
        yield store
    finally:
        store.dispose()
