"""`bekasi-field complaint CODE_OR_NIK ...`: record a complaint / DTSEN update proposal for
someone turned away; `complaint list` shows this desk's (NIKs masked)."""

from __future__ import annotations

import argparse

from bekasi_field.commands.common import add_verb, emit, open_site
from bekasi_field.domain.complaint_record import CATEGORIES
from bekasi_field.i18n import tr
from bekasi_field.services import complaints


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = add_verb(sub, "complaint", common, "record a complaint / DTSEN update proposal of "
                 "someone turned away ('complaint list' shows this desk's)")
    p.add_argument("code", metavar="CODE_OR_NIK",
                   help="the person's NIK (or the No. KK, KKS card, household id or slip "
                        "that was scanned); 'list' lists this desk's complaints")
    p.add_argument("--officer", help="id of the officer at the desk")
    p.add_argument("--category", choices=CATEGORIES,
                   help="not_listed, wrong_data, moved, says_eligible or other")
    p.add_argument("--note", default="", help="what the person says")
    p.add_argument("--phone", default="", help="mobile number for the follow-up")
    p.add_argument("--name", default="", help="the person's name (needed when the roster "
                   "does not know the NIK)")
    p.add_argument("--nik", default="", help="the person's NIK when CODE names a household")
    p.add_argument("--address", default="")
    p.add_argument("--rt", default="")
    p.add_argument("--rw", default="")
    p.add_argument("--kelurahan", default="", help="default: the household's, else the site's")
    p.add_argument("--event", default="", help="the event whose verdict turned the person away")
    p.add_argument("--limit", type=int, default=100, help="with 'list': how many")
    p.set_defaults(handler=_complaint)


def _complaint(args: argparse.Namespace) -> int:
    from bekasi_field.domain.errors import UsageError
    if args.code == "list":
        with open_site(args, create=False) as site:
            rows = complaints.list_complaints(site, limit=args.limit)
        text = "\n".join(tr("complaint.line", number=r["number"], name=r["name"],
                            nik=r["nik_masked"], category=tr(f"complaint.cat.{r['category']}"),
                            created=r["created_at"]) for r in rows)
        emit(args, {"complaints": rows}, text or tr("complaint.none"))
        return 0
    if not args.officer or not args.category:
        raise UsageError(tr("complaint.usage"))
    data = complaints.ComplaintInput(
        code=args.code, officer_id=args.officer, category=args.category, note=args.note,
        phone=args.phone, name=args.name, nik=args.nik, address=args.address, rt=args.rt,
        rw=args.rw, kelurahan=args.kelurahan, event_id=args.event)
    with open_site(args, create=False) as site:
        done = complaints.record_complaint(site=site, data=data,
                                           signer=complaints.device_signer(site))
    emit(args, {"complaint_id": done.number, "uuid": done.uuid, "seq": done.seq,
                "created_at": done.created_at, "nik_masked": done.nik_masked, "name": done.name},
         tr("complaint.saved", number=done.number, name=done.name))
    return 0
