"""Console benchmark: the city overview page for 56 kelurahan and 1,000,000 households,
rendered by the hub's server (hub.server.serve) in its own process while hand-overs arrive.

The data set is built with plain executemany in bounded chunks: 1M households over Kota
Bekasi's 56 kelurahan, one open event per kecamatan allocating all of its households, 300,000
hand-overs (a tenth by proxy, 1% voided, 0.5% doubles). Then GET /console/ (the whole page:
session, numbers, template) is timed while a desk pushes 20 new hand-overs before each request.
Anchor: the same numbers counted from scratch by one SQL aggregate over the journal, the way a
page without the overview's incremental counts would have to on every refresh.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
import random
import tempfile
import time
import uuid as uuidlib
from collections.abc import Iterator
from pathlib import Path

import httpx
from sqlalchemy import text

from bekasi_field.domain.journal_chain import GENESIS, entry_hash
from bekasi_field.domain.journal_entry import ENTRY_COLUMNS, new_entry
from bekasi_field.hub import crud
from bekasi_field.hub.console import accounts
from bekasi_field.hub.officer_sites import assign_officer
from bekasi_field.hub.store import HubStore
from bekasi_field.paths import resource_path
from bekasi_field.sync.protocol import EntryIn
from benchmarks.bench_sync import _free_port, _Hub
from benchmarks.common import Row, percentile, time_each

CHUNK = 20_000
ADMIN, PASSWORD = "bench.admin", "bench-password-1"


def _wilayah() -> list[tuple[str, str]]:
    with resource_path("data", "kota_bekasi_wilayah.csv").open(encoding="utf-8") as fh:
        return [(r["kecamatan"], r["kelurahan"]) for r in csv.DictReader(fh)]


def _live_site(places: list[tuple[str, str]]) -> tuple[str, str]:
    """(kecamatan, site kelurahan) of the first event: where the live desk stands."""
    first = min(k for k, _ in places)
    return first, next(kel for kk, kel in places if kk == first)


def _many(conn, table: str, cols: tuple[str, ...], rows: list[tuple]) -> None:  # type: ignore[no-untyped-def]
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    conn.exec_driver_sql(f"INSERT INTO {table} ({', '.join(cols)}) VALUES "
                         f"({', '.join([mark] * len(cols))})", rows)


def _entry(device: str, seq: int, prev: str, *, event: str, household: str, at: str,
           kind: str = "handover", voids: str | None = None, proxy: bool = False) -> dict:
    e = new_entry(uuid=str(uuidlib.uuid4()), device_id=device, seq=seq, kind=kind,
                  event_id=event, household_id=household, officer_id="PTG01", site="x",
                  is_proxy=proxy, proxy_name="Wakil" if proxy else None,
                  code_kind="household", scanned_code=household, verdict="ELIGIBLE",
                  voids_uuid=voids, created_at=at, prev_hash=prev)
    e["hash"] = entry_hash(e)
    return e


def build(store: HubStore, *, households: int, handovers: int) -> dict[str, float]:
    """The data set, in bounded chunks; returns seconds per step."""
    rng = random.Random(2026)
    places = _wilayah()
    kecamatan = sorted({k for k, _ in places})
    today = dt.date.today()
    t0 = time.perf_counter()
    hh_cols = ("id", "no_kk", "address", "rt", "rw", "kelurahan", "kecamatan", "desil",
               "programs", "status", "content_hash", "version")
    en_cols = ("event_id", "household_id", "item", "slip_serial", "version")
    ev_cols = ("id", "name", "programme", "site_kelurahan", "served_kelurahan", "start_date",
               "end_date", "item", "require_photo", "require_signature", "allow_proxy",
               "status", "created_at", "version")
    event_of = {k: f"BLT-{i:02d}" for i, k in enumerate(kecamatan)}
    with store.engine.begin() as conn:
        _many(conn, "events", ev_cols, [
            (event_of[k], f"BLT {k}", "BLT", next(kel for kk, kel in places if kk == k),
             json.dumps([kel for kk, kel in places if kk == k]), today,
             today + dt.timedelta(days=6), "BLT Rp250.000", False, False, True, "open", "", 0)
            for k in kecamatan])
    where: list[tuple[str, str]] = []  # household -> (event, id)
    for start in range(0, households, CHUNK):
        hh, en = [], []
        for n in range(start, min(start + CHUNK, households)):
            kec, kel = places[n % len(places)]
            hid = f"H{n:07d}"
            hh.append((hid, f"3275{n:012d}", f"Jl. Bench {n}", "001", "002", kel, kec, 1, "BLT",
                       "active", "", 0))
            en.append((event_of[kec], hid, "BLT Rp250.000", f"S{n:07d}", 0))
            where.append((event_of[kec], hid))
        with store.engine.begin() as conn:
            _many(conn, "households", hh_cols, hh)
            _many(conn, "entitlements", en_cols, en)
    t_registry = time.perf_counter() - t0
    t0 = time.perf_counter()
    picks = rng.sample(range(households), handovers)
    cols = (*ENTRY_COLUMNS, "received_at")
    base = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    per_desk = 10_000
    for d in range(0, handovers, per_desk):
        device, prev, rows = f"BENCH-{d // per_desk:03d}", GENESIS, []
        seq = 0
        for n in picks[d:d + per_desk]:
            event, hid = where[n]
            at = (base - dt.timedelta(minutes=rng.randrange(600))).isoformat(
                timespec="milliseconds").replace("+00:00", "Z")
            seq += 1
            e = _entry(device, seq, prev, event=event, household=hid, at=at,
                       proxy=rng.random() < 0.1)
            prev = e["hash"]
            rows.append(e)
            if rng.random() < 0.01:  # a void of it
                seq += 1
                v = _entry(device, seq, prev, event=event, household=hid, at=at, kind="void",
                           voids=e["uuid"])
                prev = v["hash"]
                rows.append(v)
            elif rng.random() < 0.005:  # a double collection
                seq += 1
                x = _entry(device, seq, prev, event=event, household=hid, at=at)
                prev = x["hash"]
                rows.append(x)
        with store.engine.begin() as conn:
            _many(conn, "hub_journal", cols,
                  [tuple(r[c] for c in ENTRY_COLUMNS) + ("",) for r in rows])
    t_journal = time.perf_counter() - t0
    with store.write() as conn:
        accounts.add_account(conn, account_id=ADMIN, password=PASSWORD, role="admin")
        # The live desk's officer, on record and serving the site (the hub checks both).
        _many(conn, "officers", ("id", "name", "role", "pin_hash", "active", "failed_attempts",
                                 "version"), [("PTG01", "Petugas Bench", "petugas", "", True,
                                               0, 0)])
        assign_officer(conn, officer_id="PTG01", site=_live_site(places)[1])
    return {"registry": t_registry, "journal": t_journal}


class _BenchHub(_Hub):
    """The hub's own server (hub.server.serve) in a child process, on a store opened without
    the start-up restamp: stamping 2M freshly written registry rows takes minutes and nothing
    on the overview depends on it (the version only tells the overview that the registry
    moved)."""

    _CODE = ("import sys; from pathlib import Path; from bekasi_field.hub.core.config import "
             "HubSettings; from bekasi_field.hub.server import serve; from bekasi_field.hub."
             "store import HubStore; serve(HubSettings(db=sys.argv[1], port=int(sys.argv[2])), "
             "HubStore.open(sys.argv[1]), home=Path(sys.argv[3]))")

    def __init__(self, db: str, home: Path) -> None:
        import subprocess
        import sys
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (home / "hub.log").open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", self._CODE, db, str(self.port), str(home)],
            stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"hub exited with {self.proc.returncode}")
            try:
                if httpx.get(self.url + "/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError("hub did not start")


def _vm_hwm_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _anchor(store: HubStore) -> float:
    """The overview's numbers counted from scratch: one aggregate over journal and registry."""
    sql = text(
        "SELECT j.event_id, h.kecamatan, h.kelurahan, COUNT(DISTINCT j.household_id) "
        "FROM hub_journal j JOIN households h ON h.id = j.household_id "
        "WHERE j.kind = 'handover' AND NOT EXISTS (SELECT 1 FROM hub_journal v WHERE "
        "v.event_id = j.event_id AND v.household_id = j.household_id AND v.kind = 'void' "
        "AND v.voids_uuid = j.uuid) GROUP BY j.event_id, h.kecamatan, h.kelurahan")
    alloc = text("SELECT en.event_id, h.kelurahan, COUNT(*) FROM entitlements en "
                 "JOIN households h ON h.id = en.household_id GROUP BY en.event_id, h.kelurahan")

    def once() -> None:
        with store.read() as conn:
            conn.execute(sql).all()
            conn.execute(alloc).all()

    return sorted(time_each(once, 3))[1]


def _run(db: str, label: str, root: Path, *, households: int, handovers: int,
         renders: int) -> list[Row]:
    root.mkdir(parents=True, exist_ok=True)
    store = HubStore.open(db)
    steps = build(store, households=households, handovers=handovers)
    t0 = time.perf_counter()
    hub = _BenchHub(db, root)
    start_s = time.perf_counter() - t0
    rows: list[Row] = []
    try:
        client = httpx.Client(base_url=hub.url + "/console", timeout=900)
        client.post("/login", data={"account_id": ADMIN, "password": PASSWORD})
        t0 = time.perf_counter()
        r = client.get("/")
        cold_ms = (time.perf_counter() - t0) * 1000
        assert r.status_code == 200 and "data-event" in r.text, r.status_code
        desk, prev, seq = "BENCH-LIVE", GENESIS, 0
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        from bekasi_field.services.device_key import DeviceKey
        key = DeviceKey(desk, Ed25519PrivateKey.generate())
        # A desk of the first kecamatan's event site (the hub refuses entries of another
        # site's event), handing over that event's households.
        places = _wilayah()
        first_kec, site = _live_site(places)
        with store.write() as conn:
            code = crud.create_enrol_code(conn, site_kelurahan=site)
            crud.enrol_device(conn, code=code, device_id=desk, name=desk,
                              public_key=key.public_hex)
        ours = [n for n in range(households) if places[n % len(places)][0] == first_kec]
        picks = iter(random.Random(7).sample(ours, renders * 20))
        samples = []
        for _ in range(renders):
            batch = []
            for _ in range(20):
                n = next(picks)
                seq += 1
                with store.read() as conn:
                    event = conn.execute(text("SELECT event_id FROM entitlements WHERE "
                                              "household_id = :h"), {"h": f"H{n:07d}"}).scalar()
                e = _entry(desk, seq, prev, event=event, household=f"H{n:07d}",
                           at=crud.utc_now())
                e["signature"] = key.sign_entry(e["hash"])
                prev = e["hash"]
                batch.append(EntryIn.model_validate(e))
            with store.write() as conn:
                pushed = crud.ingest(conn, device_id=desk, entries=batch)
            assert pushed.problem is None, pushed.problem
            t0 = time.perf_counter()
            r = client.get("/")
            samples.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200
        client.close()
        hub_mb = _vm_hwm_mb(hub.proc.pid)
        anchor = _anchor(store)
        rows.append(Row(
            f"console overview page p95, 56 kelurahan, {households:,} households, {label}",
            percentile(samples, 95), "ms", budget="≤ 300 ms p95",
            anchor="the same numbers counted from scratch (SQL aggregate, median of 3)",
            anchor_value=anchor, note=(
                f"p50 {percentile(samples, 50):.1f} ms over {renders} renders, 20 new "
                f"hand-overs pushed before each; first render after start {cold_ms:,.0f} ms; "
                f"{handovers:,} hand-overs in the journal; hub process peak {hub_mb:,.0f} MiB; "
                f"build: registry "
                f"{steps['registry']:.0f} s, journal {steps['journal']:.0f} s; hub start "
                f"{start_s:.1f} s")))
    finally:
        hub.stop()
        store.dispose()
    return rows


def run(quick: bool) -> list[Row]:
    households = 50_000 if quick else 1_000_000
    handovers = households * 3 // 10
    renders = 20 if quick else 60
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-console-") as tmp:
        root = Path(tmp)
        rows += _run(f"sqlite:///{root / 'hub.db'}", "SQLite", root / "sqlite",
                     households=households, handovers=handovers, renders=renders)
        pg = os.environ.get("BEKASI_BENCH_PG_URL")
        if pg:
            with _own_schema(pg) as url:
                rows += _run(url, "PostgreSQL", root / "pg", households=households,
                             handovers=handovers, renders=renders)
    return rows


@contextlib.contextmanager
def _own_schema(url: str) -> Iterator[str]:
    """A schema of its own in the given database (dropped afterwards), so the million rows
    never meet another run's tables."""
    from sqlalchemy import create_engine
    schema = f"bench_console_{uuidlib.uuid4().hex[:8]}"
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        sep = "&" if "?" in url else "?"
        yield f"{url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        engine.dispose()
