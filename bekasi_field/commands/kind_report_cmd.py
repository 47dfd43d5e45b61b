"""`report enrolment` and `report graduation`: the event kinds' reports (sub-verbs of report).

report_cmd registers these beside bast and xlsx; `hub report ...` runs the same on the hub's
database (its journal is hub_journal: the services find it themselves).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bekasi_field.commands.common import add_verb, emit, open_site
from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def register_reports(verbs: argparse._SubParsersAction[argparse.ArgumentParser],
                     common: argparse.ArgumentParser, *,
                     hub_db: argparse.ArgumentParser | None = None) -> None:
    """The two sub-verbs; with `hub_db` (the hub's --db option) they run on the hub."""
    hub = hub_db is not None

    def verb(name: str, help_text: str) -> argparse.ArgumentParser:
        if hub_db is None:
            return add_verb(verbs, name, common, help_text)
        return verbs.add_parser(name, parents=[common, hub_db], help=help_text,
                                description=help_text)

    e = verb("enrolment", "workers enrolled in an enrolment event (XLSX for "
             "the BPJS-TK collective registration) and a PDF summary against the budget")
    e.add_argument("--event", required=True)
    e.add_argument("--out", required=True, help="the XLSX file to write")
    e.add_argument("--pdf", help="the PDF summary (default: next to --out)")
    e.set_defaults(handler=_hub_enrolment if hub else _enrolment)
    g = verb("graduation", "PKH graduations per kelurahan and per "
             "pendamping against the target, with the list and reasons (PDF + XLSX)")
    g.add_argument("--event", help="one graduation event (default: all)")
    g.add_argument("--target", type=int, help="the target (default: the events' own)")
    g.add_argument("--out", required=True, help="the PDF to write (the XLSX goes beside it)")
    g.set_defaults(handler=_hub_graduation if hub else _graduation)


def _out(path: str) -> Path:
    out = Path(path).expanduser()
    if out.is_dir():
        raise BekasiError(tr("report.cannot_write", path=out, detail="is a directory"))
    return out


def _enrolment_job(engine: Engine, args: argparse.Namespace) -> dict[str, object]:
    from bekasi_field.services.enrolment_report import write_reports

    data, xlsx, pdf = write_reports(engine, event_id=args.event,
                                    out=_out(args.out), pdf=_out(args.pdf) if args.pdf else None)
    return {"rows": len(data.rows), "out": str(xlsx), "pdf": str(pdf), "event_id": args.event,
            "selected": data.selected, "premium_total": data.premium_total,
            "budget": data.budget}


def _graduation_job(engine: Engine, args: argparse.Namespace) -> dict[str, object]:
    from bekasi_field.services.graduation_report import write_reports

    data, pdf, xlsx = write_reports(engine, out=_out(args.out),
                                    event_id=args.event, target=args.target)
    return {"rows": len(data.rows), "out": str(pdf), "xlsx": str(xlsx), "target": data.target}


def _enrolment(args: argparse.Namespace) -> int:
    with open_site(args, create=False) as site:
        doc = _enrolment_job(site.db.engine, args)
    emit(args, doc, tr("kind.report_done", path=doc["out"], pdf=doc["pdf"], rows=doc["rows"]))
    return 0


def _graduation(args: argparse.Namespace) -> int:
    with open_site(args, create=False) as site:
        doc = _graduation_job(site.db.engine, args)
    emit(args, doc, tr("kind.report_done", path=doc["out"], pdf=doc["xlsx"], rows=doc["rows"]))
    return 0


def _hub_run(args: argparse.Namespace,
             job: Callable[[Engine, argparse.Namespace], dict[str, object]]) -> dict[str, object]:
    from bekasi_field.commands.hub_common import opened_hub

    with opened_hub(args) as store:
        return job(store.engine, args)


def _hub_enrolment(args: argparse.Namespace) -> int:
    doc = _hub_run(args, _enrolment_job)
    emit(args, doc, tr("kind.report_done", path=doc["out"], pdf=doc["pdf"], rows=doc["rows"]))
    return 0


def _hub_graduation(args: argparse.Namespace) -> int:
    doc = _hub_run(args, _graduation_job)
    emit(args, doc, tr("kind.report_done", path=doc["out"], pdf=doc["xlsx"], rows=doc["rows"]))
    return 0
