"""`bekasi-field enrol NIK ...` (BPJS-TK worker) and `bekasi-field graduate CODE ...` (PKH).

Both require the acting officer's PIN (asked when not given). A refused enrolment exits 3 with
its `reason` in the JSON; the worker's phone and heir never reach the terminal unmasked.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from bekasi_field.commands.common import add_verb, emit, open_site, wants_json
from bekasi_field.domain import occupations as occ
from bekasi_field.domain.enrolment_rules import mask_phone, normalize_phone
from bekasi_field.i18n import tr
from bekasi_field.services import enrolment, graduation, live, officers


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    e = add_verb(sub, "enrol", common, "enrol one worker in BPJS Ketenagakerjaan (a person, "
                 "not a household)")
    e.add_argument("code", help="the worker's NIK (typed or scanned)")
    e.add_argument("--event", required=True)
    e.add_argument("--officer", required=True)
    e.add_argument("--pin", help="the officer's PIN (asked when left out)")
    e.add_argument("--occupation", required=True, help=", ".join(occ.DESK_CODES))
    e.add_argument("--phone", required=True, help="mobile number, 08... or +628...")
    e.add_argument("--email")
    e.add_argument("--domicile", help="domicile address (default: the registry's address)")
    e.add_argument("--birth-place", help="tempat lahir, as on the KTP")
    e.add_argument("--heir-name", required=True, help="ahli waris")
    e.add_argument("--heir-relationship", required=True, help="e.g. Istri, Suami, Anak")
    e.add_argument("--heir-nik")
    e.add_argument("--consent", action="store_true",
                   help="the worker agreed after the consent sentence was read aloud")
    e.add_argument("--override-by", help="supervisor letting a NOT_SELECTED worker through")
    e.add_argument("--supervisor-pin")
    e.add_argument("--offline", action="store_true",
                   help="do not claim the worker at the site hub (this desk's data only)")
    e.set_defaults(handler=_enrol)

    g = add_verb(sub, "graduate", common, "PKH graduation of a household (pendamping or "
                 "supervisor)")
    g.add_argument("code", help="household id, No. KK or a member's NIK")
    g.add_argument("--officer", required=True)
    g.add_argument("--pin", help="the officer's PIN (asked when left out)")
    g.add_argument("--reason", required=True, help=", ".join(graduation.REASONS))
    g.add_argument("--signature", help="PNG of the signed statement (signature pad)")
    g.add_argument("--photo", help="JPG/PNG photo of the signed paper statement")
    g.add_argument("--note", default="")
    g.add_argument("--event", help="graduation event (default: the one open here)")
    g.set_defaults(handler=_graduate)


def _refusal(args: argparse.Namespace, refused: enrolment.EnrolmentRefused) -> int:
    if wants_json(args):
        doc = refused.check.as_dict() if refused.check else {}
        doc.update(entry_uuid=None, seq=None, verdict=refused.reason, reason=refused.reason,
                   refused=True, error=refused.message,
                   live=isinstance(refused, live.EnrolmentClaimRefused),
                   claim=getattr(refused, "claim", None))
        emit(args, doc, "")
    sys.stderr.write(refused.message + "\n")
    return 3


def _enrol(args: argparse.Namespace) -> int:
    with open_site(args, create=False) as site:
        pin = args.pin or getpass.getpass("PIN: ")
        officers.login(site.db, officer_id=args.officer, pin=pin)
        if args.override_by:
            spin = args.supervisor_pin or getpass.getpass("PIN supervisor: ")
            officers.login(site.db, officer_id=args.override_by, pin=spin)
        domicile = args.domicile
        if not domicile:
            check = enrolment.check_person(site, args.code, event_id=args.event)
            domicile = check.address
        form = enrolment.EnrolmentForm(
            occupation=args.occupation, phone=args.phone, email=args.email,
            domicile=domicile or "", birth_place=args.birth_place or "",
            heir=enrolment.Heir(args.heir_name, args.heir_relationship, args.heir_nik),
            consent=args.consent)
        link = None if args.offline else live.link_for(site.db)
        try:  # claimed at the site hub first (per NIK) when it answers: one desk wins
            done = live.enrol_live(site=site, event_id=args.event, code=args.code,
                                   officer_id=args.officer, form=form, link=link,
                                   override_by=args.override_by)
        except enrolment.EnrolmentRefused as refused:
            return _refusal(args, refused)
        finally:
            if link is not None:
                link.close()
        entry = done.entry
        if done.claim == "granted":
            live.push_after_handover(site)
        conn = site.db.raw()
        try:  # the verdict that allowed it: ELIGIBLE, or NOT_SELECTED with the override
            verdict = conn.execute("SELECT verdict FROM journal WHERE uuid = ?",
                                   (entry.uuid,)).fetchone()[0]
        finally:
            conn.close()
    phone = normalize_phone(args.phone) or ""
    emit(args, {"entry_uuid": entry.uuid, "seq": entry.seq, "verdict": verdict,
                "reason": None, "event_id": args.event, "created_at": entry.created_at,
                "phone_masked": mask_phone(phone), "live": done.live, "claim": done.claim},
         tr("enrol.saved", seq=entry.seq, phone=mask_phone(phone))
         + ("\n" + tr("live.claim.offline") if done.claim == "offline" and link else ""))
    return 0


def _graduate(args: argparse.Namespace) -> int:
    with open_site(args, create=False) as site:
        pin = args.pin or getpass.getpass("PIN: ")
        officers.login(site.db, officer_id=args.officer, pin=pin)
        done = graduation.record_graduation(
            site=site, code=args.code, officer_id=args.officer, reason=args.reason,
            note=args.note, signature=Path(args.signature) if args.signature else None,
            photo=Path(args.photo) if args.photo else None, event_id=args.event)
    emit(args, {"entry_uuid": done.entry.uuid, "seq": done.entry.seq, "status": done.status,
                "household_id": done.household_id, "created_at": done.entry.created_at},
         tr("grad.saved", household=done.household_id, seq=done.entry.seq))
    return 0
