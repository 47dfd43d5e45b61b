"""BPJS-TK enrolment: selecting workers for an event, and one durable enrolment at the desk.

No DESIGN §7 budget of its own. The selection is printed beside a raw sqlite3 read of the same
candidate rows (the SQL it cannot avoid); an enrolment commit beside a bare fsync'd insert and
the hand-over commit's 20 ms p99 budget, since it is the same kind of journal write.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from bekasi_field.services import events
from bekasi_field.services.demo import populate_demo
from bekasi_field.services.enrolment import EnrolmentForm, Heir, record_enrolment
from bekasi_field.services.site import Site
from benchmarks.bench_commit import _BareInserts
from benchmarks.common import Row, median, percentile

_CANDIDATES = ("SELECT m.nik, m.household_id, m.name, h.no_kk, h.desil, m.occupation, "
               "m.birth_date, h.status FROM members m JOIN households h ON h.id = m.household_id "
               "WHERE h.kelurahan IN ('Kota Baru', 'Kranji') ORDER BY m.nik")
FORM = EnrolmentForm(occupation="ojol", phone="081234567890", domicile="Jl. Contoh 1",
                     heir=Heir("Siti", "Istri"), consent=True)


def run(quick: bool) -> list[Row]:
    households = 2_000 if quick else 50_000
    n = 30 if quick else 300
    scratch = Path.cwd() / "bench-out"
    scratch.mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="bench-enrol-", dir=scratch))
    try:
        site = Site.open(workdir / "home")
        populate_demo(site.db.engine, households=households, seed=11)
        conn = sqlite3.connect(site.layout.database)
        t = time.perf_counter()
        members = len(conn.execute(_CANDIDATES).fetchall())
        raw_ms = (time.perf_counter() - t) * 1000
        conn.close()
        t = time.perf_counter()
        created = events.create_event(
            site.db.engine, programme="BPJSTK", kind="enrolment", site_kelurahan="Kota Baru",
            served_kelurahan=["Kota Baru", "Kranji"], start_date="2026-07-01",
            end_date="2026-07-31", params={"quota": 10_000}, event_id="BENCH-ENROL")
        select_ms = (time.perf_counter() - t) * 1000
        with site.db.transaction() as c:
            c.execute("INSERT OR REPLACE INTO officers (id, name, role, pin_hash, active, "
                      "failed_attempts, version) VALUES ('P1', 'Bench', 'petugas', 'x', 1, 0, 0)")
        conn = sqlite3.connect(site.layout.database)
        niks = [r[0] for r in conn.execute(
            "SELECT nik FROM person_entitlements WHERE event_id = 'BENCH-ENROL' ORDER BY rank "
            "LIMIT ?", (n,))]
        conn.close()
        times = []
        for nik in niks:
            t = time.perf_counter()
            record_enrolment(site=site, event_id="BENCH-ENROL", code=nik, officer_id="P1",
                             form=FORM)
            times.append((time.perf_counter() - t) * 1000)
        bare = _BareInserts(workdir / "bare.db")
        bare_times = [bare.one() for _ in range(len(times))]
        site.close()
        return [
            Row(f"select workers, {members:,} members", select_ms, "ms",
                anchor="raw sqlite3 read of the candidate rows", anchor_value=raw_ms,
                note=f"{created.entitlements:,} selected, quota 10,000"),
            Row("enrolment commit (durable) p99", percentile(times, 99), "ms",
                budget="(hand-over: <= 20 ms p99)", anchor="bare fsync'd insert p99",
                anchor_value=percentile(bare_times, 99),
                note=f"median {median(times):.2f} ms over {len(times)}"),
        ]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
