"""`bekasi-field check CODE --event E`: the verdict for a code, recording nothing."""

from __future__ import annotations

import argparse

from bekasi_field.commands.common import add_verb, emit, open_site
from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.verdicts import Verdict
from bekasi_field.i18n import tr
from bekasi_field.services.verdict_engine import VerdictEngine


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = add_verb(sub, "check", common, "the verdict for a code (slip, NIK, No. KK, KKS card, "
                 "household id), recording nothing")
    p.add_argument("code")
    p.add_argument("--event", required=True, help="event id")
    p.set_defaults(handler=_check)


def verdict_text(v: Verdict) -> str:
    """The verdict for a terminal: headline, message, who (NIK masked), next step."""
    d = v.details
    lines = [f"{v.style.headline} ({v.code.value})", v.message]
    if v.household_id:
        who = ", ".join(p for p in (
            d.get("recipient_name"), d.get("nik_masked"),
            f"RT {d.get('rt')}/RW {d.get('rw')}" if d.get("rt") or d.get("rw") else "",
            d.get("kelurahan")) if p)
        lines.append(f"KPM {v.household_id}" + (f": {who}" if who else ""))
    lines.append(v.style.next_step)
    return "\n".join(lines)


def _check(args: argparse.Namespace) -> int:
    with open_site(args, create=False) as site:
        engine = VerdictEngine(site.db)
        try:
            if engine._conn().execute("SELECT 1 FROM events WHERE id = ?",
                                      (args.event,)).fetchone() is None:
                raise BekasiError(tr("check.unknown_event", event=args.event))
            verdict = engine.check(args.code, event_id=args.event)
        finally:
            engine.close()
    emit(args, verdict.as_dict(), verdict_text(verdict))
    return 0
