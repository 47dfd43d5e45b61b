"""`check` latency on 1,000,000 households (DESIGN §7: <= 1 ms p99), beside a raw sqlite3 point
lookup on the same database in the same run; and the same checks on an unencrypted copy of the
same snapshot, interleaved one for one (DESIGN §7: encrypted <= 1.3x unencrypted).

The snapshot is built here with bulk executemany (not the CSV importer): 1M households, 2M
members, a Kota Baru event with its entitlements, a Bintara sibling event, 5,000 hand-overs in
the journal and a registered issuer key. Codes are a shuffled mix of signed slips, NIKs, No. KK,
KKS card numbers, household ids, already-collected slips and unknown numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import sqlite3
import tempfile
import time
import uuid
from pathlib import Path

from bekasi_field.domain.identifiers import luhn_check_digit
from bekasi_field.domain.journal_chain import GENESIS, entry_hash
from bekasi_field.domain.journal_entry import ENTRY_COLUMNS, new_entry
from bekasi_field.domain.slip_codec import SlipPayload, encode_slip
from bekasi_field.services import keys
from bekasi_field.services.site import Site
from bekasi_field.services.verdict_engine import VerdictEngine
from bekasi_field.store import opener
from bekasi_field.store.datakey import ephemeral
from bekasi_field.store.db import Database
from bekasi_field.store.opener import DbFile
from benchmarks.common import Row, median, percentile

EVENT, SIBLING = "BENCH-KKS-KOTABARU", "BENCH-KKS-BINTARA"
KELURAHAN = ["Kota Baru", "Kranji", "Bintara", "Bintara Jaya", "Jakasampurna", "Harapan Jaya",
             "Pekayon Jaya", "Margahayu", "Jatiwaringin", "Pejuang"]
CHUNK = 50_000


def hid(i: int) -> str:
    return f"32{i:012d}"


def _kks(i: int) -> str:
    partial = f"601300{i:09d}"
    return partial + luhn_check_digit(partial)


def build_snapshot(site: Site, n: int, *, journal_entries: int) -> keys.SlipSigner:
    info = keys.generate_issuer_key(keys_dir=site.layout.keys_dir)
    keys.register_public_key(site.db.engine, info)
    assert info.private_path is not None
    signer = keys.load_signer(info.private_path)
    today = dt.date.today()
    conn = opener.connect(site.db.file, pragmas=False)
    conn.execute("PRAGMA synchronous = OFF")  # bulk load only; the app itself always uses FULL
    conn.execute("BEGIN")
    for ev, site_kel, served in ((EVENT, "Kota Baru", ["Kota Baru", "Kranji"]),
                                 (SIBLING, "Bintara", ["Bintara", "Bintara Jaya"])):
        conn.execute(
            "INSERT INTO events (id, name, programme, site_kelurahan, served_kelurahan, "
            "start_date, end_date, item, amount, require_photo, require_signature, allow_proxy, "
            "status, created_at, version) VALUES (?,?,?,?,?,?,?,?,?,0,0,1,'open','',0)",
            (ev, f"Bench {site_kel}", "KKS", site_kel, json.dumps(served), today.isoformat(),
             (today + dt.timedelta(days=7)).isoformat(), "Kartu KKS", None))
    for start in range(0, n, CHUNK):
        idx = range(start, min(n, start + CHUNK))
        conn.executemany(
            "INSERT INTO households (id, no_kk, address, rt, rw, kelurahan, kecamatan, desil, "
            "programs, status, kks_card, content_hash, version) "
            "VALUES (?,?,?,?,?,?,?,1,'KKS',?,?,'',0)",
            [(hid(i), f"3275{i:012d}", f"Jl. Bench {i}", f"{i % 20:03d}", f"{i % 9:03d}",
              KELURAHAN[i % len(KELURAHAN)], "Bekasi", "active" if i % 50 else "graduated",
              _kks(i) if i % 5 == 0 else None) for i in idx])
        conn.executemany(
            "INSERT INTO members (nik, household_id, name, name_norm, relationship, sex, "
            "birth_date, is_recipient, content_hash, version) VALUES (?,?,?,?,?,?,NULL,?,'',0)",
            [row for i in idx for row in (
                (f"3171{i:012d}", hid(i), f"Kepala {i}", f"kepala {i}", "Kepala Keluarga", "L", 0),
                (f"3172{i:012d}", hid(i), f"Istri {i}", f"istri {i}", "Istri", "P", 1))])
        conn.executemany(
            "INSERT INTO entitlements (event_id, household_id, item, amount, slip_serial, version)"
            " VALUES (?,?,'Kartu KKS',NULL,?,0)",
            [(EVENT if i % len(KELURAHAN) < 2 else SIBLING, hid(i), f"S{i:010d}")
             for i in idx if i % len(KELURAHAN) < 4])
    device = conn.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()[0]
    prev = GENESIS
    cols = ENTRY_COLUMNS
    entries = []
    for seq, i in enumerate(range(0, journal_entries * len(KELURAHAN), len(KELURAHAN)), start=1):
        e = new_entry(uuid=str(uuid.uuid4()), device_id=device, seq=seq, kind="handover",
                      event_id=EVENT, household_id=hid(i), officer_id="P1", site="Kota Baru",
                      code_kind="slip", verdict="ELIGIBLE",
                      created_at="2026-11-23T02:00:00.000Z", prev_hash=prev)
        e["hash"] = prev = entry_hash(e)
        entries.append([e[c] for c in cols])
    conn.executemany(f"INSERT INTO journal ({', '.join(cols)}) VALUES "
                     f"({', '.join('?' for _ in cols)})", entries)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return signer


def sample_codes(signer: keys.SlipSigner, n: int, count: int, journal_entries: int,
                 rng: random.Random) -> list[str]:
    expires = dt.date.today() + dt.timedelta(days=7)

    def slip(i: int) -> str:
        return encode_slip(SlipPayload(key_id=signer.key_id, household_id=hid(i), event_id=EVENT,
                                       item="Kartu KKS", amount=None, expires=expires,
                                       serial=f"S{i:010d}"), sign=signer.sign)

    kinds = [
        lambda: slip(rng.randrange(journal_entries, n // 10) * 10),  # entitled at Kota Baru
        lambda: slip(rng.randrange(0, journal_entries) * 10),  # already collected
        lambda: f"3172{rng.randrange(n):012d}",  # recipient NIK
        lambda: f"3171{rng.randrange(n):012d}",  # other member NIK
        lambda: f"3275{rng.randrange(n):012d}",  # No. KK
        lambda: _kks(rng.randrange(n // 5) * 5),  # KKS card
        lambda: hid(rng.randrange(n)),  # household id
        lambda: f"9999{rng.randrange(10**12):012d}",  # unknown
    ]
    return [kinds[k % len(kinds)]() for k in range(count)]


def plain_copy(site: Site, path: Path) -> Database:
    """The same snapshot, unencrypted (sqlcipher_export), opened the way the app opens a file."""
    conn = opener.connect(site.db.file)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(path),))
        conn.execute("SELECT sqlcipher_export('plain')").fetchall()
        conn.execute(f"PRAGMA plain.user_version = {version}")
        conn.execute("DETACH DATABASE plain")
    finally:
        conn.close()
    plain = opener.connect(DbFile(path))
    plain.execute("PRAGMA journal_mode = WAL").fetchone()
    plain.execute("ANALYZE")
    plain.close()
    return Database(DbFile(path))


def run(quick: bool) -> list[Row]:
    n = 20_000 if quick else 1_000_000
    samples = 1_000 if quick else 40_000
    journal_entries = 500 if quick else 5_000
    scratch = Path.cwd() / "bench-out"  # ignored by git, and on a real disk (not a tmpfs)
    scratch.mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="bench-check-", dir=scratch))
    try:
        site = Site.open(workdir / "home", data_key=ephemeral())
        t0 = time.perf_counter()
        signer = build_snapshot(site, n, journal_entries=journal_entries)
        build_s = time.perf_counter() - t0
        plain_db = plain_copy(site, workdir / "plain.db")
        plain_engine = VerdictEngine(plain_db)
        rng = random.Random(7)
        codes = sample_codes(signer, n, samples, journal_entries, rng)
        rng.shuffle(codes)
        engine = VerdictEngine(site.db)
        for code in codes[:500]:  # warm the page cache and statement cache the same way
            engine.check(code, event_id=EVENT)
            plain_engine.check(code, event_id=EVENT)
        raw = sqlite3.connect(plain_db.path)  # the stdlib's own sqlite3, no cipher at all
        ids = [hid(rng.randrange(n)) for _ in range(samples)]
        for i in ids[:500]:
            raw.execute("SELECT * FROM households WHERE id = ?", (i,)).fetchone()
        times: list[float] = []
        cpu: list[float] = []  # this thread's CPU time: the code's own cost, minus preemption
        anchor: list[float] = []
        anchor_cpu: list[float] = []
        by_verdict: dict[str, list[float]] = {}
        slip_times: list[float] = []
        plain_times: list[float] = []
        plain_cpu: list[float] = []
        # Each check is followed by the same check on the unencrypted copy (in turn first and
        # second) and its anchor lookup: all see the same machine at that moment.
        for k, (code, anchor_id) in enumerate(zip(codes, ids, strict=True)):
            if k % 2:
                c, t = time.thread_time(), time.perf_counter()
                plain_engine.check(code, event_id=EVENT)
                plain_times.append((time.perf_counter() - t) * 1000)
                plain_cpu.append((time.thread_time() - c) * 1000)
            c, t = time.thread_time(), time.perf_counter()
            v = engine.check(code, event_id=EVENT)
            ms = (time.perf_counter() - t) * 1000
            if not k % 2:
                c, t = time.thread_time(), time.perf_counter()
                plain_engine.check(code, event_id=EVENT)
                plain_times.append((time.perf_counter() - t) * 1000)
                plain_cpu.append((time.thread_time() - c) * 1000)
            cpu.append((time.thread_time() - c) * 1000)
            times.append(ms)
            by_verdict.setdefault(v.code.value, []).append(ms)
            if code.startswith("BKF1:"):
                slip_times.append(ms)
            c, t = time.thread_time(), time.perf_counter()
            raw.execute("SELECT * FROM households WHERE id = ?", (anchor_id,)).fetchone()
            anchor.append((time.perf_counter() - t) * 1000)
            anchor_cpu.append((time.thread_time() - c) * 1000)
        engine.close()
        plain_engine.close()
        plain_db.close()
        raw.close()
        site.close()
        mix = ", ".join(f"{k} {len(v)}" for k, v in sorted(by_verdict.items()))
        size = f"{n:,} households, {2 * n:,} members, {samples:,} checks"
        return [
            Row(f"check p50 ({size})", median(times), "ms", "",
                "raw sqlite3 point lookup p50", median(anchor), note=mix),
            Row(f"check p99 ({size})", percentile(times, 99), "ms", "<= 1 ms p99",
                "raw sqlite3 point lookup p99", percentile(anchor, 99)),
            Row("check p99, signed slips only (Ed25519 verify)", percentile(slip_times, 99),
                "ms", "<= 1 ms p99", "raw sqlite3 point lookup p99", percentile(anchor, 99)),
            Row("check p99, CPU time of the checking thread", percentile(cpu, 99), "ms",
                "<= 1 ms p99", "raw sqlite3 point lookup p99 (CPU time)",
                percentile(anchor_cpu, 99),
                note=f"wall-clock samples over 1 ms: {sum(t > 1 for t in times)}; load average "
                     f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"),
            Row("check max", max(times), "ms", "", "raw sqlite3 point lookup max", max(anchor)),
            Row("check p99, encrypted (SQLCipher, as shipped)", percentile(times, 99), "ms",
                "<= 1.3x unencrypted", "the same checks, unencrypted copy, p99",
                percentile(plain_times, 99),
                note=f"ratio {percentile(times, 99) / percentile(plain_times, 99):.2f}x at p99, "
                     f"{median(times) / median(plain_times):.2f}x at p50 (interleaved)"),
            Row("check p99 CPU time, encrypted", percentile(cpu, 99), "ms",
                "<= 1.3x unencrypted", "the same checks, unencrypted copy, p99 CPU time",
                percentile(plain_cpu, 99),
                note=f"ratio {percentile(cpu, 99) / percentile(plain_cpu, 99):.2f}x: CPU time "
                     "leaves out the preemption a loaded machine adds to both"),
            Row("bench snapshot build (bulk executemany)", build_s, "s",
                note=f"{n:,} households + {2 * n:,} members + entitlements"),
        ]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
