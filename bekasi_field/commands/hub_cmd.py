"""`bekasi-field hub ...`: run the hub, and the hub-side jobs (demo, roster, events, slips,
enrolment codes, conflicts, device revocation, USB bundles) on its database.

The registry jobs call the same services the desk uses (roster import, event creation, slip
printing) on the hub's engine, then stamp the changed rows with a new snapshot version.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TypeAlias

from bekasi_field.commands.common import add_verb, emit
from bekasi_field.commands.hub_common import hub_home, opened_hub, with_passphrase
from bekasi_field.domain.errors import BekasiError, UsageError
from bekasi_field.hub import crud
from bekasi_field.hub.core.config import DEFAULT_PORT, HubSettings
from bekasi_field.hub.server import open_store, serve
from bekasi_field.hub.snapshots import restamp
from bekasi_field.hub.store import REGISTRY_TABLES, HubStore
from bekasi_field.i18n import tr

Sub: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def register(sub: Sub, common: argparse.ArgumentParser) -> None:
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", default=argparse.SUPPRESS,
                    help="hub database: a SQLite file (default HOME/hub.db) or "
                         "postgresql+psycopg://user:pass@host/db")
    p = add_verb(sub, "hub", common, "run the hub, or a hub-side job")
    p.add_argument("--db", default=argparse.SUPPRESS, help="hub database (see the jobs)")
    p.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help=f"port (default {DEFAULT_PORT})")
    p.add_argument("--tls", action="store_true",
                   help="TLS on a loopback address too (any other address always serves TLS, "
                        "with a certificate the hub makes on first run)")
    p.add_argument("--cert", type=Path, default=None, help="TLS certificate file (PEM) to serve")
    p.add_argument("--key", type=Path, default=None, help="its private key file (PEM)")
    from bekasi_field.commands.site_hub_cmd import add_site_options
    add_site_options(p)
    p.set_defaults(handler=_serve)
    jobs = p.add_subparsers(dest="hub_verb", metavar="JOB")

    def job(name: str, help_text: str) -> argparse.ArgumentParser:
        return jobs.add_parser(name, parents=[common, db], help=help_text, description=help_text)

    demo = job("demo", "seed the hub with the demo site, its officers and issuer key")
    demo.add_argument("--households", type=int, default=600)
    demo.add_argument("--seed", type=int, default=2026)
    demo.set_defaults(handler=_demo)

    code = job("enrol-code", "a one-time device enrolment code")
    code.add_argument("--site", default="", help="site kelurahan of the device, e.g. 'Kota Baru'")
    code.add_argument("--hours", type=float, default=24.0, help="validity (default 24 hours)")
    code.add_argument("--relay", action="store_true",
                      help="a code for a site hub that relays its desks' entries to this hub")
    code.set_defaults(handler=_enrol_code)

    conflicts = job("conflicts", "double collections awaiting review")
    conflicts.add_argument("--all", action="store_true", help="reviewed and resolved ones too")
    conflicts.add_argument("--reviewed", type=int, metavar="ID", default=None,
                           help="mark conflict ID as reviewed (it returns if new entries come)")
    conflicts.set_defaults(handler=_conflicts)

    quarantine = job("quarantine", "journal batches refused for a gap, a broken chain or a "
                     "changed entry (kept for review, never merged)")
    quarantine.set_defaults(handler=_quarantine)

    devices = job("devices", "enrolled devices, their last contact and acknowledged entries")
    devices.set_defaults(handler=_devices)

    revoke = job("revoke", "revoke a device's credentials")
    revoke.add_argument("device_id")
    revoke.set_defaults(handler=_revoke)

    roster = job("roster", "the registry on the hub")
    rjobs = roster.add_subparsers(dest="roster_verb", required=True)
    imp = rjobs.add_parser("import", parents=[common, db], help="import a roster CSV/XLSX")
    imp.add_argument("file", type=Path)
    imp.add_argument("--report", type=Path, default=None, help="CSV of rejected rows")
    imp.set_defaults(handler=_roster_import)

    ev = job("event", "distribution events on the hub")
    ejobs = ev.add_subparsers(dest="event_verb", required=True)
    create = ejobs.add_parser("create", parents=[common, db], help="create an event")
    from bekasi_field.commands.event_cmd import add_create_options
    add_create_options(create)  # the very options of the desk's `event create`
    create.set_defaults(handler=_event_create)

    slips = job("slips", "print signed QR invitation slips with the hub's issuer key")
    slips.add_argument("event_id")
    slips.add_argument("--out", type=Path, required=True)
    slips.set_defaults(handler=_slips)

    report = job("report", "enrolment and graduation reports from the hub's journal")
    from bekasi_field.commands.kind_report_cmd import register_reports
    register_reports(report.add_subparsers(dest="report_verb", required=True), common,
                     hub_db=db)

    from bekasi_field.commands.hub_bundle_cmd import register_hub_bundle
    register_hub_bundle(jobs, common, db)
    from bekasi_field.commands.hub_complaints_cmd import register_hub_complaints
    register_hub_complaints(jobs, common, db)
    from bekasi_field.commands.hub_voids_cmd import register_hub_voids
    register_hub_voids(jobs, common, db)
    from bekasi_field.commands.hub_console_cmd import register_hub_console
    register_hub_console(jobs, common, db)


# helpers --------------------------------------------------------------------------------------
_home = hub_home


def _registry_job(args: argparse.Namespace, job: Any,
                  tables: tuple[str, ...] = REGISTRY_TABLES) -> tuple[Any, int]:
    """Run a registry job on the hub's engine, then stamp what changed in `tables`."""
    with opened_hub(args) as store:
        result = job(store)
        with store.write() as conn:
            version = restamp(store, conn, tables)
        return result, version


# handlers -------------------------------------------------------------------------------------
def _serve(args: argparse.Namespace) -> int:
    import sys
    settings = HubSettings.from_env(home=_home(args), db=getattr(args, "db", None),
                                    host=args.host, port=args.port)
    if args.key and not args.cert:
        raise UsageError(tr("hub.tls_key_without_cert"))
    settings = settings.model_copy(update={
        "tls": args.tls, "cert": str(args.cert) if args.cert else None,
        "key": str(args.key) if args.key else None})
    store = with_passphrase(lambda p: open_store(settings.db, passphrase=p))
    sys.stderr.write(tr("hub.serving", url=settings.url(), db=_safe_url(settings.db)) + "\n")
    from bekasi_field.hub.server import tls_files
    if tls_files(settings, store) is not None:  # made or checked now, before any desk asks
        from bekasi_field.hub.site_hub import hub_fingerprint
        sys.stderr.write(tr("hub.key_fingerprint", fingerprint=hub_fingerprint(store)) + "\n")
    from bekasi_field.hub.console import CONSOLE_PATH
    sys.stderr.write(tr("console.listening", url=f"{settings.url()}{CONSOLE_PATH}/") + "\n")
    from bekasi_field.commands.site_hub_cmd import serve_site
    if not serve_site(args, settings, store, home=_home(args)):
        serve(settings, store, home=_home(args))
    return 0


def _safe_url(url: str) -> str:
    """The database URL without its password, for the screen and the log."""
    if "://" in url and "@" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}:***@{host}"
    return url


def _enrol_code(args: argparse.Namespace) -> int:
    from bekasi_field.sync.signing import fingerprint, public_hex
    with opened_hub(args) as store:
        with store.write() as conn:
            code = crud.create_enrol_code(conn, site_kelurahan=args.site, valid_hours=args.hours)
            if args.relay:
                from bekasi_field.hub.relay_ingest import grant_relay
                grant_relay(conn, code=code)
        key = fingerprint(public_hex(store.signing_key()))
        from bekasi_field.hub.site_hub import hub_fingerprint
        cert = hub_fingerprint(store)  # what the desk pins (its TLS certificate)
    emit(args, {"code": code, "site": args.site, "valid_hours": args.hours,
                "hub_key_fingerprint": key, "hub_tls_fingerprint": cert},
         tr("hub.enrol_code", code=code, hours=f"{args.hours:g}") + "\n"
         + tr("hub.key_fingerprint", fingerprint=cert))
    return 0


def _conflicts(args: argparse.Namespace) -> int:
    with opened_hub(args) as store:
        if args.reviewed is not None:
            with store.write() as conn:
                if not crud.review_conflict(conn, conflict_id=args.reviewed):
                    raise BekasiError(tr("hub.unknown_conflict", id=args.reviewed))
        with store.read() as conn:
            rows = crud.list_conflicts(conn, status=None if args.all else "open")
    text = "\n".join(tr("hub.conflict_line", id=c["id"], event=c["event_id"],
                        household=c["household_id"],
                        count=len(c["entries"]), devices=", ".join(c["devices"])) for c in rows)
    emit(args, {"conflicts": rows}, text or tr("hub.no_conflicts"))
    return 0


def _quarantine(args: argparse.Namespace) -> int:
    with opened_hub(args) as store, store.read() as conn:
        rows = crud.list_quarantine(conn)
    text = "\n".join(tr("hub.quarantine_line", id=q["id"], device=q["device_id"],
                        problem=q["problem"], seq=q["seq"], count=q["entries"],
                        received=q["received_at"]) for q in rows)
    emit(args, {"quarantine": rows}, text or tr("hub.no_quarantine"))
    return 0


def _devices(args: argparse.Namespace) -> int:
    with opened_hub(args) as store, store.read() as conn:
        rows = crud.list_devices(conn)
    text = "\n".join(tr("hub.device_line", device=d["id"], site=d["site_kelurahan"] or "-",
                        seq=d["acked_seq"], seen=d["last_seen"] or "-")
                     + (" " + tr("hub.device_revoked_mark") if d["revoked"] else "")
                     for d in rows)
    emit(args, {"devices": rows}, text or tr("hub.no_devices"))
    return 0


def _revoke(args: argparse.Namespace) -> int:
    with opened_hub(args) as store, store.write() as conn:
        ok = crud.revoke_device(conn, args.device_id)
    if not ok:
        raise BekasiError(tr("hub.unknown_device", device=args.device_id))
    emit(args, {"device_id": args.device_id, "revoked": True},
         tr("hub.revoked", device=args.device_id))
    return 0


def _demo(args: argparse.Namespace) -> int:
    from bekasi_field.services import demo, keys

    def job(store: HubStore) -> Any:
        data = demo.populate_demo(store.engine, households=args.households, seed=args.seed)
        keys.ensure_signer(store.engine, _home(args) / "hub-keys", seal_key=store.seal_key)
        from bekasi_field.hub.officer_sites import assign_officer
        with store.write() as conn:  # the demo officers serve the demo site
            for o in data.officers:
                assign_officer(conn, officer_id=o.id, site=demo.SITE_KELURAHAN)
        return data

    data, version = _registry_job(args, job)
    officers = [{"id": o.id, "role": o.role, "pin": o.pin, "name": o.name} for o in data.officers]
    emit(args, {"event_id": data.event_id, "sibling_event_id": data.sibling_event_id,
                "officers": officers, "households": data.households,
                "snapshot_version": version},
         tr("hub.demo_done", event=data.event_id) + "\n"
         + "\n".join(f"  {o['id']:<6} {o['role']:<11} PIN {o['pin']}" for o in officers))
    return 0


def _roster_import(args: argparse.Namespace) -> int:
    from bekasi_field.commands.roster_cmd import summary_text
    from bekasi_field.services import roster
    result, version = _registry_job(args, lambda store: roster.import_roster(
        store.engine, args.file, report_path=args.report), ("households", "members"))
    emit(args, {**result.as_json(), "snapshot_version": version}, summary_text(result))
    return 0


def _event_create(args: argparse.Namespace) -> int:
    from bekasi_field.commands.event_cmd import create_from_args, selection_json
    created, version = _registry_job(args, lambda store: create_from_args(store.engine, args),
                                     ("events", "entitlements", "person_entitlements"))
    emit(args, {"event_id": created.event_id, "entitlements": created.entitlements,
                "snapshot_version": version, **selection_json(created)},
         tr("hub.event_done", event=created.event_id, entitlements=created.entitlements))
    return 0


def _slips(args: argparse.Namespace) -> int:
    from bekasi_field.services import keys, slips

    def job(store: HubStore) -> int:
        signer = keys.ensure_signer(store.engine, _home(args) / "hub-keys",
                                    seal_key=store.seal_key)
        return slips.render_event_slips(engine=store.engine, event_id=args.event_id,
                                        out=args.out, signer=signer)

    count, _ = _registry_job(args, job, ("issuer_keys",))  # a new key is a registry change
    emit(args, {"slips": count, "out": str(args.out)},
         tr("hub.slips_done", slips=count, path=args.out))
    return 0
