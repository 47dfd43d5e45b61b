"""`bekasi-field journal verify`: check the hash chain, the sequence and the head."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from bekasi_field.commands.common import add_verb, emit, open_site
from bekasi_field.i18n import tr
from bekasi_field.services.journal import list_entries, verify_journal


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = add_verb(sub, "journal", common, "the hand-over journal")
    verbs = p.add_subparsers(dest="journal_verb", required=True)
    v = add_verb(verbs, "verify", common, "check the hash chain and sequence (exit 3 if broken)")
    v.set_defaults(handler=_verify)
    ls = add_verb(verbs, "list", common, "the newest entries (to find the uuid to void)")
    ls.add_argument("--event", help="only this event")
    ls.add_argument("--limit", type=int, default=50)
    ls.set_defaults(handler=_list)


def _verify(args: argparse.Namespace) -> int:
    with open_site(args, create=False) as site:
        result = verify_journal(site.db)
    bad = result.first_bad
    text = (tr("journal.verify_ok", entries=result.entries) if bad is None else
            tr("journal.verify_bad", problem=bad.problem, device=bad.device_id, seq=bad.seq,
               uuid=bad.uuid or "-", entries=result.entries))
    emit(args, result.as_dict(), text)
    return 0 if result.ok else 3


def _list(args: argparse.Namespace) -> int:
    with open_site(args, create=False) as site:
        rows = list_entries(site.db, event_id=args.event, limit=args.limit)
    lines = []
    for r in rows:
        who = f"{r.recipient_name or '-'}" + (f" (kuasa: {r.proxy_name})" if r.is_proxy else "")
        state = " [DIBATALKAN]" if r.voided else ""
        what = f"batal {r.voids_uuid}" if r.kind == "void" else f"{r.household_id} {who}"
        lines.append(f"{r.created_at}  {r.device_id}#{r.seq:<5} {r.uuid}  {r.officer_id:<8} "
                     f"{what}{state}")
    emit(args, {"entries": [asdict(r) for r in rows]},
         "\n".join(lines) or tr("journal.empty"))
    return 0
