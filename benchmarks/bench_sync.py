"""Sync benchmarks (DESIGN §7): pushing 10,000 hand-overs to a hub on loopback, a snapshot delta
of 10,000 changed households, and hub ingest with two desks pushing at once.

The hub runs as `bekasi-field hub` in its own process (SQLite file; PostgreSQL too when
BEKASI_BENCH_PG_URL is set), the desks are real device databases in a temp dir.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid as uuidlib
from pathlib import Path

import httpx
from sqlalchemy import insert, text
from sqlmodel import SQLModel

from bekasi_field.domain.journal_chain import GENESIS, entry_hash
from bekasi_field.domain.journal_entry import new_entry
from bekasi_field.hub import crud
from bekasi_field.hub.officer_sites import assign_officer
from bekasi_field.hub.snapshots import restamp
from bekasi_field.hub.store import HubStore
from bekasi_field.services import sync_service
from bekasi_field.services.device_key import device_key
from bekasi_field.services.site import Site
from bekasi_field.store.db import set_meta
from bekasi_field.sync.device_journal import ENTRY_COLUMNS
from benchmarks.common import Row

EVENT = "BENCH-KKS"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Hub:
    def __init__(self, db: str, home: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (home / "hub.log").open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bekasi_field", "hub", "--home", str(home), "--db", db,
             "--port", str(self.port)], stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("hub did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.close()


def _process_cpu(pid: int) -> float | None:
    """User + system CPU seconds of another process (Linux /proc), else None."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def _verify_floor(site: Site, n: int) -> float:
    """Seconds for the hub's irreducible part: checking n entry signatures with one loaded key."""
    from bekasi_field.domain.entry_signature import signature_problem
    from bekasi_field.sync import device_journal as dj
    conn = site.db.raw()
    try:
        entries = dj.own_entries_after(conn, device_id=site.device_id, after=0, limit=n)
    finally:
        conn.close()
    key = device_key(site.db).public_hex
    t0 = time.perf_counter()
    assert signature_problem(entries, key) is None
    return time.perf_counter() - t0


def _load() -> str:
    try:
        return f"load {os.getloadavg()[0]:.1f}"
    except (OSError, AttributeError):  # Windows
        return "load ?"


def _seed(store: HubStore, households: int) -> None:
    t = SQLModel.metadata.tables
    today = dt.date.today()
    ids = [f"B{i:07d}" for i in range(households)]
    with store.engine.begin() as conn:
        conn.execute(insert(t["events"]).values(
            id=EVENT, name="bench", programme="KKS", site_kelurahan="Kota Baru",
            served_kelurahan=json.dumps(["Kota Baru"]), start_date=today,
            end_date=today + dt.timedelta(days=6), item="Kartu KKS", amount=None,
            require_photo=False, require_signature=False, allow_proxy=True, status="open",
            created_at="", version=0))
        for i in range(0, households, 5000):
            chunk = ids[i:i + 5000]
            conn.execute(insert(t["households"]), [{
                "id": h, "no_kk": f"3275{n:012d}", "address": f"Jl. Bench {n}", "rt": "001",
                "rw": "001", "kelurahan": "Kota Baru", "kecamatan": "Bekasi Barat", "desil": 1,
                "programs": "KKS", "status": "active", "kks_card": None, "content_hash": "",
                "version": 0} for n, h in enumerate(chunk, start=i)])
            conn.execute(insert(t["members"]), [{
                "nik": f"327501{n:010d}", "household_id": h, "name": f"Warga {n}",
                "name_norm": f"warga {n}", "relationship": "Kepala Keluarga", "sex": "L",
                "birth_date": None, "is_recipient": True, "content_hash": "", "version": 0}
                for n, h in enumerate(chunk, start=i)])
            conn.execute(insert(t["entitlements"]), [{
                "event_id": EVENT, "household_id": h, "item": "Kartu KKS", "amount": None,
                "slip_serial": f"S{h}", "version": 0} for h in chunk])
        conn.execute(insert(t["officers"]).values(
            id="PTG01", name="PTG01", role="petugas", pin_hash="-", active=True,
            failed_attempts=0, locked_until=None, version=0))
    with store.write() as conn:
        restamp(store, conn)
        assign_officer(conn, officer_id="PTG01", site="Kota Baru")  # the hub checks entries


def _own_journal(site: Site, n: int, first_household: int) -> None:
    """n chained hand-overs of distinct households from `first_household` on."""
    device, prev, rows = site.device_id, GENESIS, []
    key = device_key(site.db)  # the hub checks every entry's signature
    for seq in range(1, n + 1):
        e = new_entry(
             uuid=str(uuidlib.uuid4()), device_id=device, seq=seq, kind="handover",
             event_id=EVENT, household_id=f"B{first_household + seq - 1:07d}",
             officer_id="PTG01", site="Kota Baru", recipient_nik=None,
             recipient_name=None, is_proxy=False, proxy_name=None, proxy_nik=None,
             proxy_relationship=None, proxy_letter_seen=False, identity="{}",
             evidence="{}", code_kind="household", scanned_code="x",
             verdict="ELIGIBLE", override_by=None, voids_uuid=None, reason=None,
             created_at="2026-11-23T09:00:00.000Z", prev_hash=prev)
        e["hash"] = prev = entry_hash(e)
        e["signature"] = key.sign_entry(e["hash"])
        rows.append(tuple(e[c] for c in ENTRY_COLUMNS))
    with site.db.transaction() as conn:
        conn.executemany(f"INSERT INTO journal ({', '.join(ENTRY_COLUMNS)}) VALUES "
                         f"({', '.join('?' * len(ENTRY_COLUMNS))})", rows)
        set_meta(conn, "journal_head", f"{n}:{prev}")


def _desk(root: Path, name: str, store: HubStore, url: str) -> Site:
    site = Site.open(root / name)
    with store.write() as conn:
        code = crud.create_enrol_code(conn, site_kelurahan="Kota Baru")
    sync_service.sync_now(site=site, hub_url=url, enrol_code=code)
    return site


def _run(db: str, label: str, root: Path, *, pushes: int, households: int) -> list[Row]:
    rows: list[Row] = []
    store = HubStore.open(db)
    _seed(store, max(households, 2 * pushes))  # desk a, then desks b + c: no double collection
    hub = _Hub(db, root)
    try:
        # 1. push N hand-overs from one desk
        a = _desk(root, f"{label}-a", store, hub.url)
        _own_journal(a, pushes, 0)
        load_before, hub_cpu0, desk_cpu0 = _load(), _process_cpu(hub.proc.pid), \
            time.process_time()
        t0 = time.perf_counter()
        result = sync_service.sync_now(site=a)
        push_s = time.perf_counter() - t0
        desk_cpu, hub_cpu1 = time.process_time() - desk_cpu0, _process_cpu(hub.proc.pid)
        hub_cpu = (f"{hub_cpu1 - hub_cpu0:.2f} s" if hub_cpu0 is not None
                   and hub_cpu1 is not None else "?")
        assert result.acked_seq == pushes, result
        rows.append(Row(f"push {pushes:,} hand-overs, loopback, hub on {label}", push_s, "s",
                        budget="≤ 5 s", anchor=f"{pushes:,} Ed25519 checks alone, in-process",
                        anchor_value=_verify_floor(a, pushes), note=f"{pushes / push_s:,.0f} entries/s; "
                        f"batches of {sync_service.PUSH_BATCH}, incl. snapshot + journal pull; "
                        f"CPU desk {desk_cpu:.2f} s + hub {hub_cpu}; {load_before} before, "
                        f"{_load()} after"))

        # 2. two desks pushing at once (each N/2), against one desk's rate above
        b, c = (_desk(root, f"{label}-{x}", store, hub.url) for x in ("b", "c"))
        _own_journal(b, pushes // 2, pushes)
        _own_journal(c, pushes // 2, pushes + pushes // 2)
        times: dict[str, float] = {}

        def go(s: Site) -> None:
            t = time.perf_counter()
            sync_service.sync_now(site=s)
            times[s.device_id] = time.perf_counter() - t

        t0 = time.perf_counter()
        threads = [threading.Thread(target=go, args=(s,)) for s in (b, c)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        both_s = time.perf_counter() - t0
        rows.append(Row(f"hub ingest, 2 desks × {pushes // 2:,} at once, hub on {label}",
                        pushes / both_s, "entries/s", anchor="one desk alone (row above)",
                        anchor_value=pushes / push_s,
                        note=f"wall {both_s:.2f} s; b {times[b.device_id]:.2f} s, "
                        f"c {times[c.device_id]:.2f} s"))

        # 3. snapshot delta: N households changed on the hub (desk a first learns b's and c's
        #    entries, so the timed sync is the registry delta alone)
        sync_service.sync_now(site=a)
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE households SET address = address || ' (pindah)' "
                              "WHERE id < :last"), {"last": f"B{households:07d}"})
        t0 = time.perf_counter()
        with store.write() as conn:
            restamp(store, conn)
        stamp_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        delta = sync_service.sync_now(site=a)
        delta_s = time.perf_counter() - t0
        fresh = Site.open(root / f"{label}-full")
        with store.write() as conn:
            code = crud.create_enrol_code(conn, site_kelurahan="Kota Baru")
        t0 = time.perf_counter()
        full = sync_service.sync_now(site=fresh, hub_url=hub.url, enrol_code=code)
        full_s = time.perf_counter() - t0
        rows.append(Row(f"snapshot delta, {households:,} changed households, hub on {label}",
                        delta_s, "s", anchor="full snapshot, fresh desk", anchor_value=full_s,
                        note=f"{delta.pulled_registry:,} rows vs "
                        f"{full.pulled_registry:,} rows full "
                        f"(+{full.pulled_journal:,} journal entries, enrolment); "
                        f"hub restamp of the change {stamp_s:.2f} s"))
        for s in (a, b, c, fresh):
            s.close()
    finally:
        hub.stop()
        store.dispose()
    return rows


def run(quick: bool) -> list[Row]:
    pushes, households = (1000, 1000) if quick else (10_000, 10_000)
    out: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        root = Path(tmp)
        out += _run(f"sqlite:///{root / 'hub.db'}", "SQLite", root, pushes=pushes,
                    households=households)
        pg = os.environ.get("BEKASI_BENCH_PG_URL")
        if pg:
            schema = f"bench_{uuidlib.uuid4().hex[:8]}"
            from sqlalchemy import create_engine
            admin = create_engine(pg)
            with admin.begin() as conn:
                conn.execute(text(f"CREATE SCHEMA {schema}"))
            try:
                sep = "&" if "?" in pg else "?"
                out += _run(f"{pg}{sep}options=-csearch_path%3D{schema}", "PostgreSQL", root,
                            pushes=pushes, households=households)
            finally:
                with admin.begin() as conn:
                    conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
                admin.dispose()
    return out
