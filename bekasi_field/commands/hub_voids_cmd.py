"""`bekasi-field hub voids ...`: voids held for review, and a supervisor's decision.

Run on the hub machine against its database (like `hub conflicts`); deciding needs an active
supervisor of the void's site with their PIN (prompted when not given), not the one who
approved the void at the desk.
"""

from __future__ import annotations

import argparse
from typing import TypeAlias

from bekasi_field.commands.common import emit
from bekasi_field.commands.hub_common import opened_hub
from bekasi_field.commands.pin_prompt import pin_or_prompt
from bekasi_field.domain.errors import BekasiError
from bekasi_field.hub import held_voids
from bekasi_field.hub.crud import HubRefusal
from bekasi_field.hub.supervisors import supervisor_refusal
from bekasi_field.i18n import tr

Sub: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def register_hub_voids(jobs: Sub, common: argparse.ArgumentParser,
                       db: argparse.ArgumentParser) -> None:
    p = jobs.add_parser("voids", parents=[common, db], help="voids held for review",
                        description="voids held for review (they change no verdict until "
                                    "a supervisor accepts them)")
    p.add_argument("--all", action="store_true", help="accepted and rejected ones too")
    p.set_defaults(handler=_list)
    verbs = p.add_subparsers(dest="voids_verb")
    for name, text in (("accept", "apply a held void"), ("reject", "keep it unapplied")):
        v = verbs.add_parser(name, parents=[common, db], help=text, description=text)
        v.add_argument("void_uuid", metavar="UUID")
        v.add_argument("--supervisor", required=True, help="the deciding supervisor's id")
        v.add_argument("--pin", default=None, help="their PIN (asked when not given)")
        v.add_argument("--note", default="")
        v.set_defaults(handler=_decide, accept=name == "accept")


def _list(args: argparse.Namespace) -> int:
    with opened_hub(args) as store, store.read() as conn:
        rows = held_voids.list_held_voids(conn, status=None if args.all else "pending")
    text = "\n".join(tr("hub.held_void_line", uuid=r["void_uuid"], voided=r["voided_uuid"],
                        device=r["device_id"], household=r["household_id"],
                        reason=r["reason"], status=r["status"]) for r in rows)
    emit(args, {"held_voids": rows}, text or tr("hub.no_held_voids"))
    return 0


def _decide(args: argparse.Namespace) -> int:
    pin = pin_or_prompt(args.pin, officer_id=args.supervisor)
    with opened_hub(args) as store:
        with store.read() as conn:
            row = held_voids.get_held_void(conn, void_uuid=args.void_uuid)
        if row is None:
            raise BekasiError(tr("hub.held_void_unknown", uuid=args.void_uuid))
        with store.write() as conn:
            refusal = supervisor_refusal(conn, officer_id=args.supervisor, pin=pin,
                                         site=row["site_kelurahan"])
        if refusal:
            raise BekasiError(tr(refusal, officer=args.supervisor))
        try:
            with store.write() as conn:
                done = held_voids.decide_held_void(conn, void_uuid=args.void_uuid,
                                                   accept=args.accept,
                                                   supervisor_id=args.supervisor,
                                                   note=args.note)
        except HubRefusal as exc:
            raise BekasiError(tr(exc.key, **exc.values)) from exc
    emit(args, {"void_uuid": done["void_uuid"], "status": done["status"]},
         tr("hub.held_void_done", uuid=done["void_uuid"], status=done["status"]))
    return 0
