"""`bekasi-field handover CODE ...` and `bekasi-field void ENTRY ...`: journal entries."""

from __future__ import annotations

import argparse
import sys

from bekasi_field.commands.check_cmd import verdict_text
from bekasi_field.commands.common import add_verb, emit, open_site, wants_json
from bekasi_field.commands.pin_prompt import pin_or_prompt
from bekasi_field.i18n import tr
from bekasi_field.services import journal, live, officers
from bekasi_field.services.verdict_engine import VerdictEngine


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = add_verb(sub, "handover", common, "record a hand-over (refused unless the verdict "
                 "allows it)")
    p.add_argument("code")
    p.add_argument("--event", required=True)
    p.add_argument("--officer", required=True, help="id of the officer at the desk")
    p.add_argument("--pin", help="the officer's PIN (asked when left out; a script without a "
                   "terminal must pass it)")
    p.add_argument("--proxy-name", help="name of the proxy (kuasa) collecting")
    p.add_argument("--proxy-nik")
    p.add_argument("--proxy-relationship", help="e.g. Anak, Saudara")
    p.add_argument("--proxy-letter", action="store_true", help="surat kuasa seen")
    p.add_argument("--member-nik", help="NIK of the member whose KTP was checked")
    p.add_argument("--ktp-seen", action="store_true")
    p.add_argument("--kk-seen", action="store_true")
    p.add_argument("--checked-by", help="officer (e.g. pendamping) who checked the identity")
    p.add_argument("--photo", help="photo file of the recipient")
    p.add_argument("--signature", help="signature image file")
    p.add_argument("--override-by", help="supervisor id letting a WRONG_SITE through")
    p.add_argument("--override-reason", help="why the supervisor lets it through (kept in the "
                   "journal, printed on the BAST)")
    p.add_argument("--supervisor-pin", help="the supervisor's PIN (asked when left out)")
    p.add_argument("--offline", action="store_true",
                   help="do not ask the site hub (decide from this desk's data only)")
    p.set_defaults(handler=_handover)

    v = add_verb(sub, "void", common, "void a hand-over (supervisor, with a reason)")
    v.add_argument("entry_uuid")
    v.add_argument("--supervisor", required=True)
    v.add_argument("--pin", help="the supervisor's PIN (asked when left out)")
    v.add_argument("--reason", required=True)
    v.set_defaults(handler=_void)


def _handover(args: argparse.Namespace) -> int:
    proxy = None
    if args.proxy_name or args.proxy_nik or args.proxy_relationship:
        proxy = journal.ProxyInfo(name=args.proxy_name or "", nik=args.proxy_nik,
                                  relationship=args.proxy_relationship or "",
                                  letter_seen=args.proxy_letter)
    identity = None
    if args.member_nik or args.ktp_seen or args.kk_seen:
        identity = journal.IdentityCheck(member_nik=args.member_nik, ktp_seen=args.ktp_seen,
                                         kk_seen=args.kk_seen,
                                         checked_by=args.checked_by or args.officer)
    # The acting officer proves who they are, like at the desk's login: a wrong PIN counts
    # towards the lock-out (services/officers.py), a locked officer records nothing.
    pin = pin_or_prompt(args.pin, officer_id=args.officer)
    with open_site(args, create=False) as site:
        officers.login(site.db, officer_id=args.officer, pin=pin)
        if args.override_by:
            officers.login(site.db, officer_id=args.override_by,
                           pin=pin_or_prompt(args.supervisor_pin, officer_id=args.override_by,
                                             flag="--supervisor-pin"))
        engine = VerdictEngine(site.db)
        link = None if args.offline else live.link_for(site.db)
        try:
            try:
                first = engine.check(args.code, event_id=args.event)
                # A plain code identifies but does not prove: the desk says what it checked.
                if ((first.allows_handover or first.allows_override)
                        and first.needs_identity_check
                        and not (identity and identity.any_document)):
                    raise journal.HandoverRefused(first, tr("journal.identity_required"))
                done = live.handover_live(
                    site=site, event_id=args.event, code=args.code, officer_id=args.officer,
                    link=link, proxy=proxy, identity=identity, photo=args.photo,
                    signature=args.signature, override_by=args.override_by,
                    override_reason=args.override_reason, engine=engine)
                entry = done.entry
                if done.claim == "granted":
                    live.push_after_handover(site)
            except journal.HandoverRefused as refused:
                if wants_json(args):
                    doc = refused.verdict.as_dict()
                    doc.update(entry_uuid=None, seq=None, refused=True, error=refused.message,
                               live=isinstance(refused, live.ClaimRefused),
                               claim=getattr(refused, "claim", None))
                    emit(args, doc, "")
                sys.stderr.write(refused.message + "\n")
                if not wants_json(args):
                    sys.stderr.write(verdict_text(refused.verdict).split("\n", 2)[-1] + "\n")
                return 3
        finally:
            engine.close()
            if link is not None:
                link.close()
    assert entry.verdict is not None
    emit(args, {"entry_uuid": entry.uuid, "seq": entry.seq, "verdict": entry.verdict.code.value,
                "household_id": entry.verdict.household_id, "event_id": args.event,
                "created_at": entry.created_at, "live": done.live, "claim": done.claim},
         tr("journal.saved", seq=entry.seq, uuid=entry.uuid)
         + ("\n" + tr("live.claim.offline") if done.claim == "offline" and link else ""))
    return 0


def _void(args: argparse.Namespace) -> int:
    pin = pin_or_prompt(args.pin, officer_id=args.supervisor)
    with open_site(args, create=False) as site:
        officers.login(site.db, officer_id=args.supervisor, pin=pin)
        entry = journal.void_entry(site=site, entry_uuid=args.entry_uuid,
                                   supervisor_id=args.supervisor, reason=args.reason)
    emit(args, {"entry_uuid": entry.uuid, "seq": entry.seq, "voids_uuid": args.entry_uuid},
         tr("journal.voided", seq=entry.seq, voids=args.entry_uuid))
    return 0
