"""What the desk window may ask of the rest of the app, with real types.

One object per opened site, made in the composition root (app.py) and handed to the window.
Every method is meant to run on a worker (gui.ops.Ops), never on the GUI thread: each one
opens its own connection or uses the verdict engine's per-thread one. The heavy modules
(the verdict engine, the journal, sync, OpenCV, reportlab) are imported inside the methods, so
the login shows before they load; `warm_up` imports them on a worker meanwhile.

To give the desk a new service: add a method here (lazy import inside, typed signature) and
call it from the window through `ctx.services`.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bekasi_field.progress import ProgressFn
from bekasi_field.services import desk, officers
from bekasi_field.services.officers import OfficerInfo

if TYPE_CHECKING:
    import numpy as np

    from bekasi_field.domain.verdicts import Verdict
    from bekasi_field.scan.ktp import KtpRead
    from bekasi_field.scan.loop import ScanHit, ScanLoop
    from bekasi_field.scan.wedge import WedgeParser
    from bekasi_field.services.auto_sync import AutoSync, RoundReport
    from bekasi_field.services.events import EventInfo
    from bekasi_field.services.journal import RecordedEntry
    from bekasi_field.services.name_search import NameCandidate
    from bekasi_field.services.site import Site
    from bekasi_field.services.site_hub import SiteHubInfo
    from bekasi_field.services.sync_service import SyncResult, SyncStatus
    from bekasi_field.services.verdict_engine import VerdictEngine
    from bekasi_field.sync.discovery import FoundHub
    from bekasi_field.sync.live_client import LiveLink

log = logging.getLogger(__name__)

# Imported on a worker while the officer types the PIN (see warm_up).
HEAVY_MODULES = (
    "bekasi_field.services.verdict_engine", "bekasi_field.services.journal",
    "bekasi_field.services.events", "bekasi_field.services.sync_service",
    "bekasi_field.services.reports", "bekasi_field.scan.loop",
)


@dataclass(frozen=True)
class HandoverForm:
    """What the hand-over dialog collected: who showed which document, a proxy's details,
    evidence. Plain values; the journal's own types are built from it in record_handover."""

    member_nik: str | None
    ktp_seen: bool
    kk_seen: bool
    checked_by: str
    proxy_name: str | None = None
    proxy_nik: str | None = None
    proxy_relationship: str | None = None
    proxy_letter_seen: bool = False
    proxy_ktp_seen: bool = False  # the proxy's own KTP matched
    approved_by: str | None = None  # the pendamping / supervisor who approved with a PIN
    ktp_read: bool = False  # the KTP's NIK was read off the card by the desk's camera
    photo: bytes | None = None
    signature: bytes | None = None

    @property
    def is_proxy(self) -> bool:
        return self.proxy_name is not None


@dataclass(frozen=True)
class DeskStartup:
    """What the window needs before its first page, read on a worker in one go."""

    has_officers: bool
    site_name: str
    officers: list[OfficerInfo]
    settings: dict[str, str]  # desk.<key> settings: language, lock_minutes, last_event, ...
    hub_url_meta: str  # the hub this device enrolled at (meta hub_url), "" if none
    desk_name: str = ""  # "Meja 2": what other officers read in SUDAH DIAMBIL


SETTING_KEYS = ("language", "lock_minutes", "last_event", "last_officer", "hub_url",
                "recovery_pending")  # "1": the first run's recovery passphrase is not set yet


def _module_present(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


class DeskServices:
    """The desk's seam to services/, store/, scan/ and sync/ (see the module docstring)."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self._engine: VerdictEngine | None = None
        self._engine_lock = threading.Lock()
        self._auto: AutoSync | None = None

    # --- start-up and settings ------------------------------------------------------------
    def startup(self) -> DeskStartup:
        db = self.site.db
        settings = {k: v for k in SETTING_KEYS if (v := desk.get_setting(db, k)) is not None}
        return DeskStartup(has_officers=desk.has_officers(db), site_name=desk.site_name(db),
                           officers=officers.list_officers(db), settings=settings,
                           hub_url_meta=db.get_meta("hub_url") or "",
                           desk_name=desk.desk_name(db))

    def set_setting(self, key: str, value: str) -> None:
        desk.set_setting(self.site.db, key, value)

    def set_settings(self, values: dict[str, str]) -> None:
        for key, value in values.items():
            desk.set_setting(self.site.db, key, value)

    def site_name(self) -> str:
        return desk.site_name(self.site.db)

    def set_desk_name(self, name: str) -> None:
        desk.set_desk_name(self.site.db, name)

    # --- officers -------------------------------------------------------------------------
    def officers(self) -> list[OfficerInfo]:
        return officers.list_officers(self.site.db)

    def login(self, *, officer_id: str, pin: str) -> OfficerInfo:
        return officers.login(self.site.db, officer_id=officer_id, pin=pin)

    def unlock_officer(self, *, officer_id: str, supervisor_id: str,
                       pin: str) -> OfficerInfo:
        return officers.unlock(self.site.db, officer_id=officer_id, supervisor_id=supervisor_id,
                               pin=pin)

    def create_officer(self, *, officer_id: str, name: str, role: str,
                       pin: str) -> OfficerInfo:
        return officers.create_officer(self.site.db, officer_id=officer_id, name=name,
                                       role=role, pin=pin)

    def create_first_supervisor(self, *, site_name: str, officer_id: str, name: str,
                                pin: str) -> OfficerInfo:
        desk.set_site_name(self.site.db, site_name)
        return self.create_officer(officer_id=officer_id, name=name, role="supervisor", pin=pin)

    # --- verdicts -------------------------------------------------------------------------
    def engine(self) -> VerdictEngine:
        """The verdict engine, made once (it keeps a connection per thread)."""
        with self._engine_lock:
            if self._engine is None:
                # Live at the site hub when enrolled and it answers (services/live.py).
                from bekasi_field.services.live import LiveVerdictEngine

                self._engine = LiveVerdictEngine(self.site.db)
            return self._engine

    def check(self, code: str, *, event_id: str) -> Verdict:
        return self.engine().check(code, event_id=event_id)

    def live_link(self) -> LiveLink | None:
        """The engine's link to the site hub (one per desk, quiet after a failure), or None."""
        from bekasi_field.services.live import LiveVerdictEngine

        engine = self.engine()
        return engine.link if isinstance(engine, LiveVerdictEngine) else None

    def search_names(self, query: str, *, event_id: str, limit: int = 10) -> list[NameCandidate]:
        """Ranked candidates, each with its household's verdict for the event (from this
        desk's data: ten questions to the hub would hold the list up)."""
        engine = self.engine()
        found = engine.search_names(query, event_id=event_id, limit=limit)
        conn = engine.connection()
        return [dataclasses.replace(c, status=engine.check_in(conn, c.household_id,
                                                                event_id=event_id).code.value)
                for c in found]

    # --- the desk's lists -----------------------------------------------------------------
    def event_counts(self, event_id: str) -> desk.DeskCounts:
        return desk.event_counts(self.site.db, event_id)

    def handovers_page(self, event_id: str, *, offset: int, limit: int) -> list[desk.HandoverRow]:
        return desk.handovers_page(self.site.db, event_id, offset=offset, limit=limit)

    def remaining_page(self, event_id: str, *, query: str, offset: int,
                       limit: int) -> list[desk.RemainingRow]:
        return desk.remaining_page(self.site.db, event_id, query=query, offset=offset,
                                   limit=limit)

    def handover_entry(self, entry_uuid: str) -> desk.HandoverRow | None:
        return desk.handover_entry(self.site.db, entry_uuid)

    def household_members(self, household_id: str) -> list[desk.MemberRow]:
        return desk.household_members(self.site.db, household_id)

    def list_events(self) -> list[EventInfo]:
        from bekasi_field.services.events import list_events

        return list_events(self.site.db.engine)

    # --- the journal ----------------------------------------------------------------------
    def record_handover(self, *, event_id: str, code: str, officer_id: str,
                        form: HandoverForm | None = None,
                        override_by: str | None = None,
                        override_reason: str | None = None) -> RecordedEntry:
        from bekasi_field.services import journal, live

        proxy = identity = None
        if form is not None:
            identity = journal.IdentityCheck(member_nik=form.member_nik, ktp_seen=form.ktp_seen,
                                             kk_seen=form.kk_seen, checked_by=form.checked_by,
                                             proxy_ktp_seen=form.proxy_ktp_seen,
                                             approved_by=form.approved_by,
                                             ktp_read=form.ktp_read)
            if form.is_proxy:
                proxy = journal.ProxyInfo(name=form.proxy_name or "", nik=form.proxy_nik,
                                          relationship=form.proxy_relationship or "",
                                          letter_seen=form.proxy_letter_seen)
        # Claimed at the site hub first when it answers; ALREADY_COLLECTED when another won.
        return live.record_handover_live(
            site=self.site, event_id=event_id, code=code, officer_id=officer_id, proxy=proxy,
            identity=identity, photo=form.photo if form else None,
            signature=form.signature if form else None, override_by=override_by,
            override_reason=override_reason, engine=self.engine())

    def void_entry(self, *, entry_uuid: str, supervisor_id: str, reason: str) -> RecordedEntry:
        from bekasi_field.services.journal import void_entry

        return void_entry(site=self.site, entry_uuid=entry_uuid, supervisor_id=supervisor_id,
                          reason=reason)

    # --- sync -----------------------------------------------------------------------------
    @property
    def sync_available(self) -> bool:
        return _module_present("httpx")

    def sync_now(self, *, hub_url: str, enrol_code: str | None = None,
                 fingerprint: str | None = None) -> SyncResult:
        from bekasi_field.services.sync_service import sync_now

        return sync_now(site=self.site, hub_url=hub_url, enrol_code=enrol_code,
                        fingerprint=fingerprint)

    # --- the site network (automatic sync, hubs on the LAN, a site hub on this laptop) ------
    def auto_sync_round(self) -> RoundReport | None:
        """One automatic push and pull; None on a desk without a hub or with it switched off."""
        from bekasi_field.services import auto_sync, sync_service

        if not sync_service.is_enrolled(self.site.db) or not auto_sync.enabled(self.site):
            return None
        with self._engine_lock:
            if self._auto is None:
                self._auto = auto_sync.AutoSync(self.site)
            loop = self._auto
        report = loop.round()
        link = getattr(self._engine, "_link", None)
        if report.online and link is not None:
            link.mark_up()  # the hub is back: live checks resume now, not after their pause
        return report

    def discover_hubs(self, *, seconds: float = 2.0,
                      interface: str | None = None) -> list[FoundHub]:
        from bekasi_field.sync.discovery import browse

        return browse(seconds=seconds, interface=interface)

    def start_site_hub(self) -> SiteHubInfo:
        """The menu's "Run a site hub": every address on port 8470 unless the desk settings
        `site_hub_host` / `site_hub_port` say otherwise (a laptop whose 8470 is taken)."""
        from bekasi_field.services import site_hub

        host = desk.get_setting(self.site.db, "site_hub_host") or "0.0.0.0"
        port_text = desk.get_setting(self.site.db, "site_hub_port") or ""
        port = int(port_text) if port_text.isdigit() else site_hub.DEFAULT_PORT
        return site_hub.start(self.site, host=host, port=port)

    def export_bundle(self, path: Path, *, progress: ProgressFn | None = None) -> dict[str, object]:
        """This desk's journal and evidence on a USB stick, for a hub out of reach."""
        from bekasi_field.services.sync_service import export_bundle

        return export_bundle(site=self.site, path=path, progress=progress)

    # --- the end-of-day reports (the dashboard's buttons, Ctrl+Shift+B / Ctrl+Shift+X) -----
    def report_path(self, kind: str, event_id: str) -> Path:
        from bekasi_field.services.reports import default_report_path

        return default_report_path(self.site.layout.root, kind=kind, event_id=event_id)

    def export_report(self, kind: str, event_id: str, out: Path) -> Path:
        """The BAST of today (WIB) or the recap workbook of the event, written to `out`."""
        from bekasi_field.domain.site_formats import site_today
        from bekasi_field.services import reports

        if kind == "bast":
            reports.export_bast(self.site.db.engine, event_id, out, day=site_today())
        else:
            reports.export_recap(self.site.db.engine, event_id, out)
        return out

    def sync_status(self) -> SyncStatus:
        from bekasi_field.services.sync_service import sync_status

        return sync_status(self.site.db)

    # --- camera and scanner ---------------------------------------------------------------
    @property
    def camera_available(self) -> bool:
        """OpenCV is in this build (the desk works without a camera when it is not)."""
        return _module_present("cv2")

    def make_scan_loop(self, spec: str | int, *, on_hit: Callable[[ScanHit], None],
                       on_frame: Callable[[np.ndarray], None] | None = None,
                       on_state: Callable[[str], None] | None = None,
                       on_card: Callable[[KtpRead], None] | None = None,
                       on_hint: Callable[[str], None] | None = None) -> ScanLoop:
        from bekasi_field.scan.loop import make_scan_loop

        return make_scan_loop(spec, on_hit=on_hit, on_frame=on_frame, on_state=on_state,
                              on_card=on_card, on_hint=on_hint)

    def make_wedge_parser(self) -> WedgeParser:
        from bekasi_field.scan.wedge import WedgeParser

        return WedgeParser()

    # --- start-up work on a worker --------------------------------------------------------
    def warm_up(self) -> None:
        """Import the heavy parts (on a worker thread, while the officer types the PIN)."""
        for module in HEAVY_MODULES:
            try:
                importlib.import_module(module)
            except ImportError:
                log.warning("part %s could not be imported", module)

    def integrity_problems(self) -> list[str]:
        from bekasi_field.services.site import integrity_problems

        return integrity_problems(self.site)
