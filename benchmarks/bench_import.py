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

from benchmarks.common import Row

_IMPORT = r"""
import json, resource, sys, time
from pathlib import Path
from bekasi_field.services.roster import import_roster
from bekasi_field.services.site import Site
home, csv_path = Path(sys.argv[1]), Path(sys.argv[2])
with Site.open(home) as site:
    t0 = time.perf_counter()
    res = import_roster(site.db.engine, csv_path)
    seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, **res.as_json(),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_ANCHOR = r"""
import json, resource, sqlite3, sys, time
from pathlib import Path
from bekasi_field.store.db import open_database
src, dst = sys.argv[1], Path(sys.argv[2])
conn = sqlite3.connect(src)
hh = conn.execute("SELECT id, no_kk, address, rt, rw, kelurahan, kecamatan, desil, programs, "
                  "status, kks_card, content_hash, version FROM households").fetchall()
mm = conn.execute("SELECT nik, household_id, name, name_norm, relationship, sex, birth_date, "
                  "is_recipient, content_hash, version FROM members").fetchall()
conn.close()
open_database(dst).close()  # the same schema, indexes and pragmas as a device
out = sqlite3.connect(dst, isolation_level=None)
out.execute("PRAGMA foreign_keys = ON"); out.execute("PRAGMA synchronous = FULL")
t0 = time.perf_counter()
out.execute("BEGIN IMMEDIATE")
out.executemany("INSERT INTO households VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", hh)
out.executemany("INSERT INTO members VALUES (?,?,?,?,?,?,?,?,?,?)", mm)
out.execute("COMMIT")
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "members": len(mm), "households": len(hh),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _run(code: str, *args: object) -> dict[str, float]:
    proc = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True,
                          text=True, check=True, timeout=1800)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run(quick: bool) -> list[Row]:
    from bekasi_field.services.demo import write_synthetic_roster_csv

    rows = 20_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        tmpdir = Path(tmp)
        csv_path = tmpdir / "roster.csv"
        t0 = time.perf_counter()
        written = write_synthetic_roster_csv(csv_path, households=rows // 3 + 1, seed=2026,
                                             max_rows=rows)
        gen_s = time.perf_counter() - t0
        size_mb = csv_path.stat().st_size / 2**20
        first = _run(_IMPORT, tmpdir / "home", csv_path)
        again = _run(_IMPORT, tmpdir / "home", csv_path)
        anchor = _run(_ANCHOR, tmpdir / "home" / "bekasi-field.db", tmpdir / "anchor.db")
    assert first["imported"] == written and again["unchanged"] == written, (first, again)
    label = f"{written:,}".replace(",", ".")
    anchor_rate = anchor["members"] / anchor["seconds"]
    return [
        Row(what=f"roster import, {label} member rows (CSV, empty snapshot)",
            value=written / first["seconds"], unit="rows/s", budget=">= 150k rows/s",
            anchor="raw sqlite3 executemany, same rows", anchor_value=anchor_rate,
            note=f"{first['seconds']:.1f} s vs anchor {anchor['seconds']:.1f} s; "
                 f"{size_mb:.0f} MiB CSV generated in {gen_s:.0f} s"),
        Row(what=f"roster re-import, {label} unchanged rows",
            value=written / again["seconds"], unit="rows/s", budget="",
            anchor="raw sqlite3 executemany, same rows", anchor_value=anchor_rate,
            note=f"{again['seconds']:.1f} s; every row compared with the snapshot"),
        Row(what="roster import peak memory (process RSS)", value=first["rss_mb"], unit="MiB",
            budget="", anchor="raw executemany process RSS", anchor_value=anchor["rss_mb"],
            note="ru_maxrss of each process; the anchor holds all rows in memory"),
    ]
