"""`bekasi-field hub admin add|list` (console accounts) and `hub progress` (the overview's
numbers as JSON, counted by the report services, for scripts and for checking the console)."""

from __future__ import annotations

import argparse
import getpass
import sys

from bekasi_field.commands.common import emit
from bekasi_field.domain.errors import BekasiError, UsageError
from bekasi_field.i18n import tr


def register_hub_console(jobs: argparse._SubParsersAction[argparse.ArgumentParser],
                         common: argparse.ArgumentParser, db: argparse.ArgumentParser) -> None:
    admin = jobs.add_parser("admin", parents=[common, db], help="web console accounts",
                            description="web console accounts")
    ajobs = admin.add_subparsers(dest="admin_verb", required=True)
    add = ajobs.add_parser("add", parents=[common, db],
                           help="add (or reset) a console account; the password is prompted "
                                "when --password is not given")
    add.add_argument("account_id", metavar="ID")
    add.add_argument("--password", default=None)
    add.add_argument("--role", default="admin", choices=("admin", "supervisor"))
    add.add_argument("--sites", default="", help="comma-separated site kelurahan (supervisor)")
    add.set_defaults(handler=_admin_add)
    ls = ajobs.add_parser("list", parents=[common, db], help="console accounts")
    ls.set_defaults(handler=_admin_list)

    progress = jobs.add_parser("progress", parents=[common, db],
                               help="allocated / collected / by proxy / remaining per kelurahan "
                                    "for each open event", description="progress of open events")
    progress.set_defaults(handler=_progress)


def _password(args: argparse.Namespace) -> str:
    if args.password is not None:
        return str(args.password)
    if not sys.stdin.isatty():
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise UsageError("--password")
        return line
    first = getpass.getpass(tr("console.prompt_password"))
    if getpass.getpass(tr("console.prompt_again")) != first:
        raise BekasiError(tr("console.passwords_differ"))
    return first


def _admin_add(args: argparse.Namespace) -> int:
    from bekasi_field.commands.hub_common import opened_hub
    from bekasi_field.hub.console import accounts, audit
    password = _password(args)
    sites = [s.strip() for s in args.sites.split(",") if s.strip()]
    with opened_hub(args) as store, store.write() as conn:
        account = accounts.add_account(conn, account_id=args.account_id, password=password,
                                       role=args.role, sites=sites)
        audit.record(conn, account_id="cli", action="account_added",
                     detail={"account": account.id, "role": account.role,
                             "sites": list(account.sites)})
    emit(args, {"id": account.id, "role": account.role, "sites": list(account.sites)},
         tr("console.account_added", id=account.id, role=account.role))
    return 0


def _admin_list(args: argparse.Namespace) -> int:
    from bekasi_field.commands.hub_common import opened_hub
    from bekasi_field.hub.console import accounts
    with opened_hub(args) as store, store.read() as conn:
        rows = accounts.list_accounts(conn)
    emit(args, {"accounts": [{"id": a.id, "role": a.role, "sites": list(a.sites),
                              "active": a.active} for a in rows]},
         "\n".join(f"{a.id:<20} {a.role:<10} {', '.join(a.sites)}" for a in rows))
    return 0


def _progress(args: argparse.Namespace) -> int:
    from bekasi_field.commands.hub_common import opened_hub
    from bekasi_field.services import events, reports
    out, lines = [], []
    with opened_hub(args) as store:
        for ev in events.list_events(store.engine):
            if ev.status != "open":
                continue
            recap = reports.recap_by_kelurahan(store.engine, ev.id)
            counts = [{"allocated": r.allocated, "collected": r.collected,
                       "by_proxy": r.by_proxy,
                       "remaining": max(r.allocated - r.collected, 0)} for r in recap]
            rows = [{"kelurahan": r.kelurahan, **c} for r, c in zip(recap, counts, strict=True)]
            total = {k: sum(c[k] for c in counts)
                     for k in ("allocated", "collected", "by_proxy", "remaining")}
            out.append({"event_id": ev.id, "kelurahan": rows, "total": total})
            lines.append(f"{ev.id}: {total['collected']}/{total['allocated']} "
                         f"({total['by_proxy']} proxy, {total['remaining']} left)")
    emit(args, {"events": out}, "\n".join(lines) or tr("console.no_open_events"))
    return 0
