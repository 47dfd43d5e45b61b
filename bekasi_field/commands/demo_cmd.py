"""`bekasi-field demo`: build (or reuse) the demo site and open the desktop app on it."""

from __future__ import annotations

import argparse
import importlib.util

from bekasi_field.commands.common import add_verb, emit, wants_json
from bekasi_field.i18n import tr
from bekasi_field.paths import resolve_home
from bekasi_field.services import demo


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    p = add_verb(sub, "demo", common, "build a demo site (Kota Baru serving Kranji) and open it")
    p.add_argument("--households", type=int, default=600,
                   help="households at Kota Baru + Kranji (default 600)")
    p.add_argument("--seed", type=int, default=2026, help="the same seed gives the same site")
    p.add_argument("--reset", action="store_true", help="throw away the demo site and rebuild it")
    p.add_argument("--no-gui", action="store_true", help="build only; do not open the app")
    p.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    home = resolve_home(getattr(args, "home", None))
    site = demo.build_demo(home=home, households=args.households, seed=args.seed,
                           reset=args.reset)
    lines = [tr("demo.ready", home=site.home, event_id=site.event_id,
                households=site.households, entitlements=site.entitlements)]
    from bekasi_field.services.demo_kinds import ENROLMENT_EVENT_ID, GRADUATION_EVENT_ID
    lines.append(tr("kind.demo_events", enrolment=ENROLMENT_EVENT_ID,
                    graduation=GRADUATION_EVENT_ID))
    if site.reused:
        lines.append(tr("demo.reused"))
    lines.append(tr("demo.officers"))
    lines += [f"  {o.id:<6} {o.role:<11} PIN {o.pin:<5} {o.name}" for o in site.officers]
    opens_gui = not args.no_gui and importlib.util.find_spec("bekasi_field.app") is not None
    if not args.no_gui and not opens_gui:
        lines.append(tr("demo.open_hint", home=site.home))
    emit(args, {**site.as_json(), "enrolment_event_id": ENROLMENT_EVENT_ID,
                "graduation_event_id": GRADUATION_EVENT_ID}, "\n".join(lines))
    if opens_gui and not wants_json(args):
        from bekasi_field import app  # the composition root

        return int(app.run_desktop(home=site.home, camera=None) or 0)
    return 0
