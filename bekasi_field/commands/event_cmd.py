"""`bekasi-field event create|list`: distribution events and their allocations."""

from __future__ import annotations

import argparse
from pathlib import Path

from bekasi_field.commands.common import add_verb, emit, open_site
from bekasi_field.domain.errors import UsageError
from bekasi_field.i18n import tr
from bekasi_field.services import events
from bekasi_field.store.db import set_meta


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = add_verb(sub, "event", common, "distribution events (kegiatan penyaluran)")
    verbs = p.add_subparsers(dest="event_verb", required=True)
    c = add_verb(verbs, "create", common, "create an event and allocate its entitlements")
    add_create_options(c)
    c.set_defaults(handler=_create)
    ls = add_verb(verbs, "list", common, "list events")
    ls.set_defaults(handler=_list)


def add_create_options(c: argparse.ArgumentParser) -> None:
    """The options of `event create` (the hub's `hub event create` reuses them)."""
    c.add_argument("--programme", "--program", required=True,
                   help="KKS | BLT | BPNT | PKH | BPJSTK")
    c.add_argument("--site", required=True, help="kelurahan where the hand-over takes place")
    c.add_argument("--serves", help="comma-separated kelurahan served (default: the site)")
    c.add_argument("--start", required=True, help="YYYY-MM-DD")
    c.add_argument("--end", help="YYYY-MM-DD (default: the start date)")
    c.add_argument("--item", help="what each household receives (default per programme)")
    c.add_argument("--amount", type=int, help="value in Rupiah (default per programme)")
    c.add_argument("--name", help="event name (default: programme, site and date)")
    c.add_argument("--id", dest="event_id", help="event id (default: PROGRAMME-SITE-YYYYMMDD)")
    c.add_argument("--photo", action="store_true", help="a photo is required at hand-over")
    c.add_argument("--signature", action="store_true", help="a signature is required")
    c.add_argument("--no-proxy", action="store_true", help="no collection by a proxy")
    c.add_argument("--no-id-check", action="store_true",
                   help="a signed slip hands over without the officer confirming the KTP/KK "
                        "(default: one key, 1 = KTP, 2 = KK)")
    c.add_argument("--kind", default="handover", help="handover | enrolment | graduation")
    c.add_argument("--quota", type=int, help="enrolment: how many workers to select")
    c.add_argument("--priority", help="enrolment: ranking keys, default desil,occupation,age "
                   "(also age_young)")
    c.add_argument("--occupations", help="enrolment: targeted occupations, highest first "
                   "(default ojol,pkl,buruh,prt,tani,pemulung)")
    c.add_argument("--cover-start", help="enrolment: cover period start (default: --start)")
    c.add_argument("--cover-end", help="enrolment: cover period end (default: a year)")
    c.add_argument("--budget", type=int, help="enrolment: budget in Rupiah (default: quota x "
                   "premium)")
    c.add_argument("--target", type=int, help="graduation: the number of households to "
                   "graduate (e.g. 4618)")
    c.add_argument("--explain", help="enrolment: write who was selected and why to this CSV")


def _params(args: argparse.Namespace) -> dict[str, object]:
    kind = (args.kind or "handover").strip().lower()
    if kind != "enrolment" and (args.quota is not None or args.priority or args.occupations
                                or args.explain):
        raise UsageError(tr("selection.only_enrolment"))
    if kind == "enrolment":
        return {"quota": args.quota, "priority": args.priority,
                "occupations": [o for o in (args.occupations or "").split(",") if o.strip()],
                "cover_start": args.cover_start, "cover_end": args.cover_end,
                "budget": args.budget}
    if kind == "graduation":
        if args.target is not None and args.target < 0:
            raise UsageError("--target")
        return {"target": args.target} if args.target is not None else {}
    return {}


def create_from_args(engine: object, args: argparse.Namespace) -> events.EventCreated:
    serves = [s for s in (args.serves or args.site).split(",") if s.strip()]
    if not serves:
        raise UsageError("--serves")
    created = events.create_event(
        engine,  # type: ignore[arg-type]
        programme=args.programme, site_kelurahan=args.site, served_kelurahan=serves,
        start_date=args.start, end_date=args.end or args.start, item=args.item,
        amount=args.amount, name=args.name, require_photo=args.photo,
        require_signature=args.signature, allow_proxy=not args.no_proxy,
        event_id=args.event_id, kind=args.kind, params=_params(args),
        id_check=not getattr(args, "no_id_check", False),
    )
    if created.selection is not None and args.explain:
        from bekasi_field.services.selection import write_explanation
        write_explanation(Path(args.explain), created.selection)
    return created


def selection_json(created: events.EventCreated) -> dict[str, object]:
    """`--json` of an enrolment event: the counts per rule and the priority used."""
    if created.selection is None:
        return {}
    return {"selection": {"counts": created.selection.counts,
                          "priority": list(created.selection.priority)}}


def _create(args: argparse.Namespace) -> int:
    with open_site(args) as site:
        created = create_from_args(site.db.engine, args)
        info = events.get_event(site.db.engine, created.event_id)
        if site.db.get_meta("site_kelurahan") is None:
            # A stand-alone device takes the site of its first event.
            with site.db.transaction() as conn:
                set_meta(conn, "site_kelurahan", info.site_kelurahan)
    data = {**info.as_json(), "event_id": created.event_id, "entitlements": created.entitlements,
            **selection_json(created)}
    if created.selection is not None:
        counts = created.selection.counts
        message = tr("selection.done", event_id=created.event_id, selected=counts["selected"],
                     eligible=counts["eligible"], considered=counts["considered"])
    else:
        message = tr("event.created", event_id=created.event_id,
                     entitlements=created.entitlements)
    emit(args, data, message)
    return 0


def _list(args: argparse.Namespace) -> int:
    with open_site(args) as site:
        rows = events.list_events(site.db.engine)
    lines = [f"{e.id:<24} {e.programme:<6} {e.status:<6} {e.start_date}..{e.end_date} "
             f"{e.site_kelurahan} -> {', '.join(e.served_kelurahan)}  ({e.entitlements} KPM)"
             for e in rows]
    emit(args, {"events": [e.as_json() for e in rows]}, "\n".join(lines) or tr("event.none"))
    return 0
