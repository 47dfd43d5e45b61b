"""Roster import of 1,000,000 member rows (DESIGN §7: >= 150k rows/s), beside its anchor.

Anchor, same run: raw sqlite3 executemany of the very same household and member rows (read
back from the imported database) into a fresh database with the same schema and indexes, in one
transaction: the cost of the writes alone, with no reading, checking or grouping.
Each side runs in its own process so that peak memory (ru_maxrss) belongs to that side alone.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bekasi_field.services.roster import PROCESS_MIN_ROWS
from benchmarks.common import Row

_IMPORT = r"""
from benchmarks.common import vm_hwm_mb
import json, resource, sys, time
from pathlib import Path
from bekasi_field.services.roster import import_roster
from bekasi_field.services.site import Site
home, csv_path, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
if mode == "plain":  # the same import into an unencrypted file (the encryption's anchor)
    from bekasi_field.store.db import open_database
    home.mkdir(parents=True, exist_ok=True)
    db = open_database(home / "bekasi-field.db", key=None)
    t0 = time.perf_counter()
    res = import_roster(db.engine, csv_path, writer_process=None)
    seconds = time.perf_counter() - t0
    db.close()
else:
  with Site.open(home) as site:
    t0 = time.perf_counter()
    res = import_roster(site.db.engine, csv_path,
                        writer_process={"auto": None, "inline": False}[mode])
    seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, **res.as_json(),
                  "rss_mb": vm_hwm_mb(),
                  "child_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""

_ANCHOR = r"""
from benchmarks.common import vm_hwm_mb
import json, resource, sqlite3, sys, time
from pathlib import Path
from bekasi_field.store.db import open_database
src, tmp = sys.argv[1], Path(sys.argv[2])
conn = sqlite3.connect(src)
hh = conn.execute("SELECT id, no_kk, address, rt, rw, kelurahan, kecamatan, desil, programs, "
                  "status, kks_card, content_hash, version FROM households").fetchall()
mm = conn.execute("SELECT nik, household_id, name, name_norm, relationship, sex, birth_date, "
                  "is_recipient, content_hash, version FROM members").fetchall()
conn.close()

def load(dst, tuned):
    open_database(dst, key=None).close()  # the same schema, indexes and pragmas as a device
    out = sqlite3.connect(dst, isolation_level=None)
    out.execute("PRAGMA foreign_keys = ON"); out.execute("PRAGMA synchronous = FULL")
    t0 = time.perf_counter()
    out.execute("BEGIN IMMEDIATE")
    indexes = []
    if tuned:  # what the importer does on an empty snapshot: big cache, indexes built after
        out.execute("PRAGMA cache_size = -131072")
        indexes = out.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                              "sql IS NOT NULL AND tbl_name IN ('households', 'members')"
                              ).fetchall()
        for name, _ in indexes:
            out.execute(f'DROP INDEX "{name}"')
    # Named columns: later migrations add columns (occupation, pkh_graduated_on) with defaults.
    out.executemany("INSERT INTO households (id, no_kk, address, rt, rw, kelurahan, kecamatan, "
                    "desil, programs, status, kks_card, content_hash, version) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", hh)
    out.executemany("INSERT INTO members (nik, household_id, name, name_norm, relationship, "
                    "sex, birth_date, is_recipient, content_hash, version) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?)", mm)
    for _, sql in indexes:
        out.execute(sql)
    out.execute("COMMIT")
    out.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    out.close()
    return time.perf_counter() - t0

plain = load(tmp / "anchor-plain.db", False)
tuned = load(tmp / "anchor-tuned.db", True)
print(json.dumps({"seconds": plain, "tuned_seconds": tuned, "members": len(mm),
                  "households": len(hh),
                  "rss_mb": vm_hwm_mb()}))
"""


def _run(code: str, *args: object) -> dict[str, float]:
    proc = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True,
                          text=True, check=True, timeout=1800)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _roster_csv(rows: int) -> tuple[Path, int, str]:
    """The synthetic roster, generated once per size into the temp dir and reused."""
    from bekasi_field.services.demo import write_synthetic_roster_csv

    path = Path(tempfile.gettempdir()) / f"bekasi-field-bench-roster-{rows}-2026.csv"
    if path.exists():
        with path.open("rb") as fh:
            written = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")) - 1
        if written == rows:
            return path, written, "reused from the temp dir"
    t0 = time.perf_counter()
    part = path.with_suffix(".part")
    written = write_synthetic_roster_csv(part, households=rows // 3 + 1, seed=2026, max_rows=rows)
    part.replace(path)
    return path, written, f"generated in {time.perf_counter() - t0:.0f} s"


def run(quick: bool) -> list[Row]:
    rows = 5_000 if quick else 1_000_000
    csv_path, written, origin = _roster_csv(rows)
    size_mb = csv_path.stat().st_size / 2**20
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        tmpdir = Path(tmp)
        first = _run(_IMPORT, tmpdir / "home", csv_path, "auto")
        again = _run(_IMPORT, tmpdir / "home", csv_path, "auto")
        inline = _run(_IMPORT, tmpdir / "inline", csv_path, "inline")
        unencrypted = _run(_IMPORT, tmpdir / "plain", csv_path, "plain")
        anchor = _run(_ANCHOR, tmpdir / "plain" / "bekasi-field.db", tmpdir)
    assert first["imported"] == written and again["unchanged"] == written, (first, again)
    assert inline["imported"] == written, inline
    label = f"{written:,}".replace(",", ".")
    plain = anchor["members"] / anchor["seconds"]
    tuned = anchor["members"] / anchor["tuned_seconds"]
    mode = "writer process" if rows >= PROCESS_MIN_ROWS else "in-process writes (small file)"
    return [
        Row(what=f"roster import, {label} member rows (CSV, empty snapshot)",
            value=written / first["seconds"], unit="rows/s", budget=">= 150k rows/s",
            anchor="raw sqlite3 executemany, same rows", anchor_value=plain,
            note=f"{first['seconds']:.1f} s vs anchor {anchor['seconds']:.1f} s; {mode}; "
                 f"{size_mb:.0f} MiB CSV {origin}"),
        Row(what="  the same import, encrypted (as shipped) vs an unencrypted file",
            value=written / first["seconds"], unit="rows/s", budget="",
            anchor="the same import into an unencrypted file",
            anchor_value=written / unencrypted["seconds"],
            note=f"{first['seconds']:.1f} s vs {unencrypted['seconds']:.1f} s: ratio "
                 f"{first['seconds'] / unencrypted['seconds']:.2f}x"),
        Row(what="  the same import with its writes in-process (writer_process=False)",
            value=written / inline["seconds"], unit="rows/s", budget="",
            anchor="raw sqlite3 executemany, same rows", anchor_value=plain,
            note=f"{inline['seconds']:.1f} s: checking and writing take turns on one core"),
        Row(what="  DB-write floor: raw executemany with the importer's tuning",
            value=tuned, unit="rows/s", budget="",
            anchor="raw sqlite3 executemany, same rows", anchor_value=plain,
            note=f"{anchor['tuned_seconds']:.1f} s: 128 MiB cache, indexes built after; "
                 "writes only, no reading or checking"),
        Row(what=f"roster re-import, {label} unchanged rows",
            value=written / again["seconds"], unit="rows/s", budget="",
            anchor="raw sqlite3 executemany, same rows", anchor_value=plain,
            note=f"{again['seconds']:.1f} s; every row compared with the snapshot"),
        Row(what="roster import peak memory (process RSS)", value=first["rss_mb"], unit="MiB",
            budget="", anchor="raw executemany process RSS", anchor_value=anchor["rss_mb"],
            note=f"VmHWM of each process, plus {first['child_rss_mb']:.0f} MiB in the "
                 f"writer process; in-process import {inline['rss_mb']:.0f} MiB; the anchor "
                 "holds all rows in memory"),
    ]
