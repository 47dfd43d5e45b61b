"""Starting a site hub on the supervisor's laptop in one action, from the desk or the CLI.

The hub runs as its own process (spawned, never forked, so the same code works on Windows), in
its own session / process group, so it keeps serving when the desk window closes or locks. Its
files live in HOME/site-hub (database, log, hub.json with pid and port). A new hub is seeded with
this desk's registry (households, events, officers, issuer keys, ...) so the site works without
any link to the city; this desk then enrols at it, and one enrolment code for the next desk is
made.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr
from bekasi_field.services import sync_service
from bekasi_field.services.site import Site

log = logging.getLogger(__name__)

DEFAULT_PORT = 8470
_DETACHED: list[subprocess.Popen[bytes]] = []  # the hubs this process started
_REGISTRY = ("households", "members", "events", "entitlements", "officers", "issuer_keys",
             "revoked_slips")


@dataclass(frozen=True)
class SiteHubInfo:
    url: str  # for this laptop's own desk
    lan_url: str  # what other desks type, when they cannot discover it
    pid: int
    fingerprint: str
    hub_dir: Path
    enrolled: bool = False  # this desk is enrolled at it now
    next_code: str | None = None  # an enrolment code for the next desk
    seeded: int = 0  # registry rows copied from this desk into a new hub


def hub_dir(site: Site) -> Path:
    return site.layout.root / "site-hub"


def _state_file(site: Site) -> Path:
    return hub_dir(site) / "hub.json"


def _healthy(url: str, timeout: float = 0.5) -> bool:
    # Only "is it up": nothing secret goes, so the certificate is not checked here (the
    # desk's enrolment pins it, comparing it with the fingerprint read from the hub's files).
    try:
        return httpx.get(url + "/api/v1/health", timeout=timeout,
                         verify=False).status_code == 200
    except httpx.HTTPError:
        return False


def _command(args: list[str]) -> list[str]:
    if getattr(sys, "frozen", False):  # the packaged build: the executable is the CLI
        return [sys.executable, *args]
    return [sys.executable, "-m", "bekasi_field", *args]


def _lan_address() -> str:
    from bekasi_field.sync.discovery import lan_addresses
    return lan_addresses()[0]


def running(site: Site) -> SiteHubInfo | None:
    """The site hub this desk started, when it still answers."""
    try:
        state = json.loads(_state_file(site).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not _healthy(state["url"]):
        return None
    return SiteHubInfo(url=state["url"], lan_url=state["lan_url"], pid=int(state["pid"]),
                       fingerprint=state.get("fingerprint", ""), hub_dir=hub_dir(site),
                       enrolled=sync_service.is_enrolled(site.db)
                       and site.db.get_meta("hub_url") == state["url"])


def seed_from_desk(site: Site, db_path: Path) -> int:
    """Copy this desk's registry into a new hub database, then stamp it; returns rows copied."""
    from bekasi_field.hub.server import open_store
    from bekasi_field.hub.store import HubStore
    store = HubStore.open(db_path)  # the hub's tables, through the hub's own opener
    src = site.db.raw()
    copied = 0
    try:
        with store.write() as conn:
            dst = conn.connection.dbapi_connection
            assert dst is not None
            for table in _REGISTRY:
                cols = [r[1] for r in dst.execute(f"PRAGMA table_info({table})")]
                have = {r[1] for r in src.execute(f"PRAGMA table_info({table})")}
                cols = [c for c in cols if c in have]
                rows = src.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
                dst.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES "
                                f"({', '.join('?' for _ in cols)})", [tuple(r) for r in rows])
                copied += len(rows)
            # The desk holds its site's officers (the hub sends it no others): they serve the
            # site at this hub too, which checks every entry's officer against its site.
            site_name = site.db.get_meta("site_kelurahan") or ""
            if site_name:
                from bekasi_field.hub.officer_sites import assign_officer
                for (officer_id,) in src.execute("SELECT id FROM officers WHERE active = 1"):
                    assign_officer(conn, officer_id=officer_id, site=site_name)
    finally:
        src.close()
        store.dispose()
    open_store(str(db_path)).dispose()  # stamps every copied row with the first version
    return copied


def start(site: Site, *, host: str = "0.0.0.0", port: int = DEFAULT_PORT, name: str = "",
          wait_s: float = 30.0, enrol: bool = True) -> SiteHubInfo:
    """Start (or find) this laptop's site hub; enrol this desk at it when it is not enrolled."""
    found = running(site)
    if found is not None:
        return found
    folder = hub_dir(site)
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "hub.db"
    seeded = 0 if db_path.exists() else seed_from_desk(site, db_path)
    args = ["hub", "--home", str(folder), "--db", str(db_path), "--host", host,
            "--port", str(port), "--announce", "--name", name or _site_label(site), "--tls"]
    # Its own session (POSIX) or process group (Windows): closing the desk or its console
    # does not take the hub with it.
    if sys.platform == "win32":
        detach: dict[str, object] = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP
                                     | subprocess.DETACHED_PROCESS}
    else:
        detach = {"start_new_session": True}
    with (folder / "hub.log").open("ab") as err:
        proc = subprocess.Popen(_command(args), stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err, cwd=folder,
                                **detach)  # type: ignore[call-overload]
    # A hub for the LAN: TLS (hub/tls.py) on every address, loopback included (--tls).
    scheme = "https"
    url = f"{scheme}://127.0.0.1:{port}"
    deadline = time.monotonic() + wait_s
    while not _healthy(url):
        if proc.poll() is not None or time.monotonic() > deadline:
            if proc.poll() is None:
                proc.kill()
            tail = (folder / "hub.log").read_text(errors="replace")[-300:].strip()
            raise BekasiError(tr("sitehub.failed", detail=tail or proc.returncode))
        time.sleep(0.2)
    fingerprint, next_code, self_code = _codes(
        db_path, site_name=site.db.get_meta("site_kelurahan") or "",
        for_self=enrol and not sync_service.is_enrolled(site.db))
    lan = f"{scheme}://{_lan_address() if host in ('0.0.0.0', '') else host}:{port}"
    _state_file(site).write_text(json.dumps({"pid": proc.pid, "url": url, "lan_url": lan,
                                             "fingerprint": fingerprint}), encoding="utf-8")
    enrolled = False
    if self_code:
        sync_service.sync_now(site=site, hub_url=url, enrol_code=self_code,
                              fingerprint=fingerprint)
        enrolled = True
    _DETACHED.append(proc)  # outlives us on purpose: no "still running" warning on collection
    log.info("site hub started (pid %d, port %d)", proc.pid, port)
    return SiteHubInfo(url=url, lan_url=lan, pid=proc.pid, fingerprint=fingerprint,
                       hub_dir=folder, enrolled=enrolled, next_code=next_code, seeded=seeded)


def _site_label(site: Site) -> str:
    return site.db.get_meta("site_kelurahan") or "site"


def _codes(db_path: Path, *, site_name: str, for_self: bool) -> tuple[str, str, str | None]:
    from bekasi_field.hub import crud
    from bekasi_field.hub.site_hub import hub_fingerprint
    from bekasi_field.hub.store import HubStore
    store = HubStore.open(db_path)
    try:
        with store.write() as conn:
            nxt = crud.create_enrol_code(conn, site_kelurahan=site_name)
            own = crud.create_enrol_code(conn, site_kelurahan=site_name) if for_self else None
        return hub_fingerprint(store), nxt, own
    finally:
        store.dispose()


def stop(site: Site) -> bool:
    """Stop the site hub this desk started (by its pid); False when none was running."""
    found = running(site)
    if found is None:
        return False
    os.kill(found.pid, signal.SIGTERM)  # TerminateProcess on Windows
    deadline = time.monotonic() + 10
    while _healthy(found.url, timeout=0.2) and time.monotonic() < deadline:
        time.sleep(0.1)
    for proc in [p for p in _DETACHED if p.pid == found.pid]:  # our child: reap it
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            _DETACHED.remove(proc)
        except subprocess.TimeoutExpired:
            log.warning("site hub (pid %d) still running after the stop signal", proc.pid)
    _state_file(site).unlink(missing_ok=True)
    return True
