"""Durable hand-over commit (DESIGN §7: <= 20 ms p99), beside a bare fsync'd SQLite insert
(WAL, synchronous=FULL, one row per transaction) on the same disk in the same run.

record_handover does a verdict re-check inside BEGIN IMMEDIATE, the chain link, the insert and
the head update, then COMMIT; one in three carries a 4 KB photo written and fsynced first.
The same hand-overs go, interleaved one for one, into an unencrypted site built the same way
(DESIGN §7: encrypted <= 1.3x unencrypted).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from bekasi_field.paths import HomeLayout
from bekasi_field.services import journal, officers
from bekasi_field.services.site import Site
from bekasi_field.services.verdict_engine import VerdictEngine
from bekasi_field.store.datakey import ephemeral
from bekasi_field.store.db import open_database
from benchmarks.bench_check import EVENT, build_snapshot, hid
from benchmarks.common import Row, median, percentile


class _BareInserts:
    """The anchor: one ~600-byte row per fsync'd transaction, in a database of its own."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
        self.payload = "x" * 600  # about the size of a journal row
        self.n = 0

    def one(self) -> float:
        t = time.perf_counter()
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("INSERT INTO t (id, payload) VALUES (?, ?)", (self.n, self.payload))
        self.conn.execute("COMMIT")
        self.n += 1
        return (time.perf_counter() - t) * 1000


def run(quick: bool) -> list[Row]:
    n = 40 if quick else 600
    households = 2_000 if quick else 50_000
    # On the working disk, not a tmpfs: fsync must mean something.
    scratch = Path.cwd() / "bench-out"
    scratch.mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="bench-commit-", dir=scratch))
    try:
        site = Site.open(workdir / "home", data_key=ephemeral())
        layout = HomeLayout(workdir / "plain-home").ensure()
        plain = Site(layout=layout, db=open_database(layout.database, key=None),
                     data_key=ephemeral())
        for s in (site, plain):
            build_snapshot(s, households, journal_entries=0)
            officers.create_officer(s.db, officer_id="P1", name="Bench", role="petugas",
                                    pin="1234")
        engine = VerdictEngine(site.db)
        plain_engine = VerdictEngine(plain.db)
        plain_times: list[float] = []
        # Entitled at Kota Baru (every 10th) and active (every 50th is graduated).
        codes = [hid(i) for i in range(0, households, 10) if i % 50][:n]
        bare_db = _BareInserts(workdir / "bare.db")
        times, photo_times, bare = [], [], []
        # Interleaved with the anchor, so both see the same disk and the same neighbours.
        for k, code in enumerate(codes):
            photo = os.urandom(4096) if k % 3 == 0 else None
            if k % 2:
                t = time.perf_counter()
                journal.record_handover(site=plain, event_id=EVENT, code=code,
                                        officer_id="P1", photo=photo, engine=plain_engine)
                plain_times.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            journal.record_handover(site=site, event_id=EVENT, code=code, officer_id="P1",
                                    photo=photo, engine=engine)
            ms = (time.perf_counter() - t) * 1000
            times.append(ms)
            if photo is not None:
                photo_times.append(ms)
            if not k % 2:
                t = time.perf_counter()
                journal.record_handover(site=plain, event_id=EVENT, code=code,
                                        officer_id="P1", photo=photo, engine=plain_engine)
                plain_times.append((time.perf_counter() - t) * 1000)
            bare.append(bare_db.one())
        bare_db.conn.close()
        engine.close()
        plain_engine.close()
        ok = journal.verify_journal(site.db).ok and journal.verify_journal(plain.db).ok
        site.close()
        plain.close()
        return [
            Row(f"hand-over commit p50 ({n} hand-overs)", median(times), "ms", "",
                "bare fsync'd SQLite insert p50", median(bare)),
            Row(f"hand-over commit p99 ({n} hand-overs)", percentile(times, 99), "ms",
                "<= 20 ms p99", "bare fsync'd SQLite insert p99", percentile(bare, 99),
                note=f"journal verify ok: {ok}; load average {os.getloadavg()[0]:.1f} on "
                     f"{os.cpu_count()} cores"),
            Row("hand-over commit p99 with a 4 KB photo", percentile(photo_times, 99), "ms",
                "<= 20 ms p99", "bare fsync'd SQLite insert p99", percentile(bare, 99),
                note="photo file fsynced + renamed + dir fsynced before the entry commits"),
            Row("hand-over commit p99, encrypted (SQLCipher, as shipped)",
                percentile(times, 99), "ms", "<= 1.3x unencrypted",
                "the same hand-overs, unencrypted site, p99", percentile(plain_times, 99),
                note=f"ratio {percentile(times, 99) / percentile(plain_times, 99):.2f}x at p99, "
                     f"{median(times) / median(plain_times):.2f}x at p50 (interleaved)"),
        ]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
