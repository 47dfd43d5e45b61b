"""`bekasi-field data purge|passphrase`: retention of personal data and the site's recovery
passphrase. Both are a supervisor's: purge asks for a supervisor's PIN, and the passphrase can
only be changed by someone who already opened the site's data key."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from bekasi_field.commands.common import add_verb, ask_passphrase, emit, open_site
from bekasi_field.domain.errors import BekasiError, UsageError
from bekasi_field.i18n import tr


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = add_verb(sub, "data", common, "personal data on this desk: retention, recovery passphrase")
    verbs = p.add_subparsers(dest="data_verb", required=True)
    purge = add_verb(verbs, "purge", common,
                     "remove personal data of synced events that ended before DATE (shown first)")
    purge.add_argument("--closed-before", required=True, metavar="DATE",
                       help="events that ended before this day (YYYY-MM-DD)")
    purge.add_argument("--supervisor", required=True, metavar="ID")
    purge.add_argument("--pin", default=None, help="the supervisor's PIN (asked when missing)")
    purge.add_argument("--dry-run", action="store_true", help="show what would go; remove nothing")
    purge.add_argument("--yes", action="store_true",
                       help="remove without asking (the plan is still printed first)")
    purge.set_defaults(handler=_purge)
    pw = add_verb(verbs, "passphrase", common,
                  "set or change the site recovery passphrase (BEKASI_FIELD_NEW_PASSPHRASE "
                  "for scripts)")
    pw.set_defaults(handler=_passphrase)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise UsageError(tr("purge.bad_date", value=text)) from exc


def _purge(args: argparse.Namespace) -> int:
    import getpass

    from bekasi_field.services import officers, purge
    day = _date(args.closed_before)
    with open_site(args, create=False) as site:
        pin = args.pin if args.pin is not None else getpass.getpass("PIN: ")
        who = officers.login(site.db, officer_id=args.supervisor, pin=pin)
        if not who.is_supervisor:
            raise BekasiError(tr("purge.needs_supervisor"))
        the_plan = purge.plan(site, closed_before=day)
        sys.stderr.write(the_plan.describe() + "\n")
        nothing = not (the_plan.households or the_plan.entries or the_plan.evidence)
        if args.dry_run or nothing:
            emit(args, {**the_plan.as_dict(), "removed": False},
                 tr("purge.nothing") if nothing else the_plan.describe())
            return 0
        asked = args.yes or (sys.stdin.isatty()
                             and input(tr("purge.confirm")).strip() == "HAPUS")
        if not asked:
            sys.stderr.write(tr("purge.cancelled") + "\n")
            return 3
        purge.apply(site, the_plan)
    emit(args, {**the_plan.as_dict(), "removed": True},
         tr("purge.done", households=len(the_plan.households),
            evidence=len(the_plan.evidence)))
    return 0


def _passphrase(args: argparse.Namespace) -> int:
    import os

    from bekasi_field.store import datakey
    with open_site(args, create=False) as site:
        new = os.environ.get("BEKASI_FIELD_NEW_PASSPHRASE")
        if new is None:
            if not sys.stdin.isatty():
                raise UsageError(tr("datakey.first_run_needs_passphrase"))
            new = ask_passphrase(new=True)
        datakey.set_passphrase(site.layout.key_file, site.data_key, new)
    emit(args, {"passphrase_set": True}, tr("datakey.passphrase_set"))
    return 0
