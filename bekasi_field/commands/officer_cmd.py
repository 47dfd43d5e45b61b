"""`bekasi-field officer add|list`: the people who may log in at this desk."""

from __future__ import annotations

import argparse
import getpass

from bekasi_field.commands.common import add_verb, ask_passphrase, emit, open_site
from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr
from bekasi_field.services import data_key as datakey
from bekasi_field.services import officers


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = add_verb(sub, "officer", common, "manage officers (petugas, pendamping, supervisor)")
    verbs = p.add_subparsers(dest="officer_verb", required=True)
    add = add_verb(verbs, "add", common, "add or update an officer")
    add.add_argument("officer_id")
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, choices=officers.ROLES)
    add.add_argument("--pin", help="4-8 digits (asked for when left out)")
    add.set_defaults(handler=_add)
    ls = add_verb(verbs, "list", common, "list officers")
    ls.set_defaults(handler=_list)


def _add(args: argparse.Namespace) -> int:
    pin = args.pin or getpass.getpass("PIN: ")
    with open_site(args) as site:
        # The first run's recovery passphrase (a machine with a key store holds the data key
        # already): a supervisor is not added to a site without one, so nobody can skip it.
        recovery = None
        if args.role in ("supervisor", "admin") and site.layout.key_file.exists() \
                and not datakey.has_passphrase(site.layout.key_file):
            recovery = _new_recovery_passphrase()
        o = officers.create_officer(
            site.db, officer_id=args.officer_id, name=args.name, role=args.role, pin=pin
        )
        if recovery is not None:
            datakey.set_passphrase(site.layout.key_file, site.data_key, recovery)
    emit(args, {"id": o.id, "role": o.role} if recovery is None
         else {"id": o.id, "role": o.role, "passphrase_set": True},
         f"Petugas {o.id} ({o.role}) disimpan."
         + (f"\n{tr('datakey.passphrase_set')}" if recovery is not None else ""))
    return 0


def _new_recovery_passphrase() -> str:
    """BEKASI_FIELD_NEW_PASSPHRASE (scripts), else asked twice on a terminal; refused (exit 3)
    when neither is possible."""
    import os
    import sys

    new = os.environ.get("BEKASI_FIELD_NEW_PASSPHRASE")
    if new is None:
        if not sys.stdin.isatty():
            raise BekasiError(tr("datakey.supervisor_needs_passphrase", n=datakey.MIN_PASSPHRASE))
        sys.stderr.write(tr("datakey.set_at_first_run") + "\n")
        new = ask_passphrase(new=True)
    if len(new.strip()) < datakey.MIN_PASSPHRASE:
        raise BekasiError(tr("datakey.passphrase_short", n=datakey.MIN_PASSPHRASE))
    return new


def _list(args: argparse.Namespace) -> int:
    with open_site(args) as site:
        rows = officers.list_officers(site.db)
    emit(
        args,
        {"officers": [{"id": o.id, "name": o.name, "role": o.role} for o in rows]},
        "\n".join(f"{o.id:<16} {o.role:<11} {o.name}" for o in rows) or "(belum ada petugas)",
    )
    return 0
