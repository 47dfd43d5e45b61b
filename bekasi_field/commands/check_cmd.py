"""`bekasi-field check CODE --event E`: the verdict for a code, recording nothing."""

from __future__ import annotations

import argparse

from bekasi_field.commands.common import add_verb, emit, open_site
from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.identifiers import mask
from bekasi_field.domain.verdicts import Verdict
from bekasi_field.i18n import tr
from bekasi_field.services.verdict_engine import VerdictEngine


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = add_verb(sub, "check", common, "the verdict for a code (slip, NIK, No. KK, KKS card, "
                 "household id), recording nothing")
    p.add_argument("code")
    p.add_argument("--event", required=True, help="event id")
    p.add_argument("--offline", action="store_true",
                   help="do not ask the site hub (decide from this desk's data only)")
    p.set_defaults(handler=_check)
    s = add_verb(sub, "search", common, "find a household by name (spelling variants and "
                 "titles tolerated)")
    s.add_argument("name")
    s.add_argument("--event", required=True, help="event id")
    s.add_argument("--limit", type=int, default=10)
    s.set_defaults(handler=_search)


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
    lines.append(v.next_step)
    return "\n".join(lines)


def _check(args: argparse.Namespace) -> int:
    with open_site(args, create=False) as site:
        engine = VerdictEngine(site.db)
        try:
            row = engine._conn().execute("SELECT kind FROM events WHERE id = ?",
                                         (args.event,)).fetchone()
            if row is None:
                raise BekasiError(tr("check.unknown_event", event=args.event))
            if row[0] == "enrolment":  # a worker, not a household: the enrolment check
                from bekasi_field.services.enrolment import check_person
                person = check_person(site, args.code, event_id=args.event)
                emit(args, {**person.as_dict(), "verdict": person.reason or "ELIGIBLE",
                            "household_id": person.household_id}, person.message)
                return 0
            verdict = engine.check(args.code, event_id=args.event)
        finally:
            engine.close()
        from bekasi_field.services import live
        link = None if args.offline else live.link_for(site.db)
        try:
            checked = live.check_live(verdict, link)
        finally:
            if link is not None:
                link.close()
    verdict = checked.verdict
    emit(args, {**verdict.as_dict(), "live": checked.live}, verdict_text(verdict))
    return 0


def _search(args: argparse.Namespace) -> int:
    with open_site(args, create=False) as site:
        engine = VerdictEngine(site.db)
        try:
            hits = engine.search_names(args.name, event_id=args.event, limit=args.limit)
        finally:
            engine.close()
    rows = [{"household_id": c.household_id, "nik_masked": mask(c.nik), "name": c.name,
             "score": c.score, "kelurahan": c.kelurahan, "rt": c.rt, "rw": c.rw} for c in hits]
    emit(args, {"candidates": rows},
         "\n".join(f"{r['score']:>5.1f}  {r['household_id']}  {r['name']}  {r['nik_masked']}  "
                   f"RT {r['rt']}/RW {r['rw']} {r['kelurahan']}" for r in rows)
         or tr("check.no_match"))
    return 0
