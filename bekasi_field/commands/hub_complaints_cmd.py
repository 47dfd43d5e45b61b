"""`bekasi-field hub complaints ...`: complaints awaiting follow-up, their status, and the
kelurahan's DTSEN update proposals as XLSX. Run on the hub machine against its database (like
`hub conflicts`): whoever can open the hub database is the hub's administrator."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TypeAlias

from bekasi_field.commands.common import emit
from bekasi_field.commands.hub_common import opened_hub
from bekasi_field.domain.complaint_record import STATUSES
from bekasi_field.domain.errors import BekasiError
from bekasi_field.hub import complaints
from bekasi_field.hub.crud import HubRefusal
from bekasi_field.i18n import tr

Sub: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def register_hub_complaints(jobs: Sub, common: argparse.ArgumentParser,
                            db: argparse.ArgumentParser) -> None:
    p = jobs.add_parser("complaints", parents=[common, db],
                        help="complaints / DTSEN update proposals awaiting follow-up",
                        description="complaints / DTSEN update proposals awaiting follow-up")
    p.add_argument("--status", choices=STATUSES, help="only this follow-up status")
    p.add_argument("--kelurahan", help="only this kelurahan")
    p.add_argument("--all", action="store_true", help="resolved and rejected ones too")
    p.set_defaults(handler=_list)
    verbs = p.add_subparsers(dest="complaints_verb")
    st = verbs.add_parser("status", parents=[common, db], help="move a complaint's follow-up")
    st.add_argument("complaint_id", metavar="NUMBER", help="ADU-XXXX-XXXX or the uuid")
    st.add_argument("--to", dest="new_status", required=True, choices=STATUSES)
    st.add_argument("--by", required=True, help="who follows it up (officer or admin id)")
    st.add_argument("--note", default="", help="what was done")
    st.set_defaults(handler=_status)
    ex = verbs.add_parser("export", parents=[common, db],
                          help="the kelurahan's DTSEN update proposals (XLSX, full NIK)")
    ex.add_argument("--kelurahan", required=True)
    ex.add_argument("--status", choices=STATUSES, help="only this status (default: all open)")
    ex.add_argument("--out", type=Path, required=True)
    ex.set_defaults(handler=_export)


def _list(args: argparse.Namespace) -> int:
    with opened_hub(args) as store, store.read() as conn:
        rows = complaints.list_complaints(
            conn, status=args.status, kelurahan=args.kelurahan,
            open_only=not (args.all or args.status))
        counts = complaints.complaint_counts(conn)
    text = "\n".join(tr("hub.complaint_line", number=r["number"], created=r["created_at"][:16],
                        name=r["name"], nik=r["nik_masked"], kelurahan=r["kelurahan"],
                        category=tr(f"complaint.cat.{r['category']}"),
                        status=tr(f"complaint.status.{r['status']}")) for r in rows)
    emit(args, {"complaints": rows, "counts": counts}, text or tr("hub.no_complaints"))
    return 0


def _status(args: argparse.Namespace) -> int:
    try:
        with opened_hub(args) as store, store.write() as conn:
            row = complaints.set_complaint_status(
                conn, complaint_id=args.complaint_id, status=args.new_status, by=args.by,
                note=args.note)
    except HubRefusal as exc:
        raise BekasiError(tr(exc.key, **exc.values)) from exc
    emit(args, {"complaint": row}, tr("hub.complaint_status_done", number=row["number"],
                                      status=tr(f"complaint.status.{row['status']}")))
    return 0


def _export(args: argparse.Namespace) -> int:
    from bekasi_field.reports.complaints_xlsx import write_proposals
    out = Path(args.out).expanduser()
    if out.is_dir():
        raise BekasiError(tr("report.cannot_write", path=out, detail="is a directory"))
    with opened_hub(args) as store, store.read() as conn:
        rows = complaints.list_complaints(conn, status=args.status, kelurahan=args.kelurahan,
                                          open_only=not args.status, full_nik=True)
    try:
        write_proposals(rows=rows, kelurahan=args.kelurahan, out=out)
    except OSError as exc:
        raise BekasiError(tr("report.cannot_write", path=out, detail=exc.strerror)) from exc
    emit(args, {"out": str(out), "rows": len(rows), "kelurahan": args.kelurahan},
         tr("hub.complaints_exported", path=out, rows=len(rows), kelurahan=args.kelurahan))
    return 0
