"""`bekasi-field journal verify`: check the hash chain, the sequence and the head."""

from __future__ import annotations

import argparse

from bekasi_field.commands.common import add_verb, emit, open_site
from bekasi_field.i18n import tr
from bekasi_field.services.journal import verify_journal


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = add_verb(sub, "journal", common, "the hand-over journal")
    verbs = p.add_subparsers(dest="journal_verb", required=True)
    v = add_verb(verbs, "verify", common, "check the hash chain and sequence (exit 3 if broken)")
    v.set_defaults(handler=_verify)


def _verify(args: argparse.Namespace) -> int:
    with open_site(args, create=False) as site:
        result = verify_journal(site.db)
    bad = result.first_bad
    text = (tr("journal.verify_ok", entries=result.entries) if bad is None else
            tr("journal.verify_bad", problem=bad.problem, device=bad.device_id, seq=bad.seq,
               uuid=bad.uuid or "-", entries=result.entries))
    emit(args, result.as_dict(), text)
    return 0 if result.ok else 3
