"""`bekasi-field officer add|list`: the people who may log in at this desk."""

from __future__ import annotations

import argparse
import getpass

from bekasi_field.commands.common import add_verb, emit, open_site
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
        o = officers.create_officer(
            site.db, officer_id=args.officer_id, name=args.name, role=args.role, pin=pin
        )
    emit(args, {"id": o.id, "role": o.role}, f"Petugas {o.id} ({o.role}) disimpan.")
    return 0


def _list(args: argparse.Namespace) -> int:
    with open_site(args) as site:
        rows = officers.list_officers(site.db)
    emit(
        args,
        {"officers": [{"id": o.id, "name": o.name, "role": o.role} for o in rows]},
        "\n".join(f"{o.id:<16} {o.role:<11} {o.name}" for o in rows) or "(belum ada petugas)",
    )
    return 0
