"""App start to a ready scan screen on a 1,000,000-household snapshot (DESIGN §7: <= 2 s), and
the resident memory it takes, beside a bare Qt window started the same way in the same run.

Each start is a fresh `python` process (imports, Qt, database open, window), timed from just
before the process is spawned. The officer's part is automated: the login PIN (one argon2
check) and the event choice happen as soon as each page is there. "Ready" = the desk page is
shown with the focus in the code field; the event's counts arrive after that from the worker
and are timed too, as is the first verdict. The snapshot is bench_check's bulk builder;
the same start on a 2,000-household snapshot shows that start-up does no O(N) work.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bekasi_field.services import desk, officers
from bekasi_field.services.site import Site
from bekasi_field.store.db import set_meta
from benchmarks.bench_check import EVENT, build_snapshot
from benchmarks.common import Row, median

OFFICER, PIN = "BENCH", "246813"

_CHILD = r"""
from benchmarks.common import vm_hwm_mb
import json, os, resource, sys, time
T0 = float(os.environ["BKF_T0"])
from PySide6.QtWidgets import QApplication, QMainWindow

def wait(app, cond, limit=120.0):
    end = time.monotonic() + limit
    while not cond():
        app.processEvents()
        if time.monotonic() > end:
            raise SystemExit("timed out")
        time.sleep(0.001)

app = QApplication([])
out = {}
if sys.argv[1] == "bare":
    w = QMainWindow()
    w.resize(1366, 740)
    w.show()
    app.processEvents()
    out["shown"] = time.monotonic() - T0
else:
    from pathlib import Path
    import bekasi_field.app as desk_app
    opened = desk_app.open_site

    def timed_open(home):
        t = time.monotonic()
        site = opened(home)
        out["site_open"] = time.monotonic() - t
        return site

    desk_app.open_site = timed_open
    w, site = desk_app.start_desktop(home=Path(sys.argv[2]), sound=False)
    app.processEvents()
    out["login_shown"] = time.monotonic() - T0
    w.login.pin.setText(sys.argv[3])
    w.login.submit()
    wait(app, lambda: w.stack.currentWidget() is w.events and w.events.events.count() > 0)
    w.events.submit()
    wait(app, lambda: w.stack.currentWidget() is w.desk and w.desk.code.hasFocus())
    app.processEvents()
    out["ready"] = time.monotonic() - T0
    wait(app, lambda: w.desk.counts is not None)
    out["counts"] = time.monotonic() - T0
    out["entitled"] = w.desk.counts.entitled
    t = time.monotonic()
    w.desk.check(sys.argv[4])
    wait(app, lambda: w.state.shown != "")
    out["first_check_ms"] = (time.monotonic() - t) * 1000
    out["verdict"] = w.state.shown
    w.close()
out["rss_mb"] = vm_hwm_mb()
print(json.dumps(out))
"""


def _start(*args: str) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BKF_T0": repr(time.monotonic())}
    proc = subprocess.run([sys.executable, "-c", _CHILD, *args], capture_output=True,
                          text=True, env=env, timeout=300, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"start-up child failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _prepare(home: Path, n: int) -> str:
    """A snapshot of n households with an officer; returns a recipient NIK to check."""
    site = Site.open(home)
    try:
        build_snapshot(site, n, journal_entries=min(5_000, n // 20))
        officers.create_officer(site.db, officer_id=OFFICER, name="Bench Officer",
                                role="supervisor", pin=PIN)
        with site.db.transaction() as conn:
            set_meta(conn, "site_kelurahan", "Kota Baru")
        desk.set_setting(site.db, "last_event", EVENT)
        desk.set_setting(site.db, "last_officer", OFFICER)  # the login preselects nobody else
    finally:
        site.close()
    # An entitled Kota Baru household past the collected ones: ELIGIBLE on the first check.
    return f"3172{(n // 2) // 10 * 10 + 10:012d}"


def run(quick: bool) -> list[Row]:
    sizes = [2_000] if quick else [2_000, 1_000_000]
    repeats = 1 if quick else 3
    scratch = Path.cwd() / "bench-out"
    scratch.mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="bench-startup-", dir=scratch))
    rows: list[Row] = []
    try:
        bare = [_start("bare") for _ in range(repeats)]
        bare_ready = median([b["shown"] for b in bare]) * 1000
        for n in sizes:
            home = workdir / f"home-{n}"
            nik = _prepare(home, n)
            runs = [_start("desk", str(home), PIN, nik) for _ in range(repeats)]
            label = f"{n:,} households".replace(",", ".")
            ready = median([r["ready"] for r in runs]) * 1000
            rows.append(Row(
                what=f"app start to ready scan screen, {label}", value=ready, unit="ms",
                budget="≤ 2000 ms" if n >= 1_000_000 else "", anchor="bare Qt window shown",
                anchor_value=bare_ready,
                note=f"median of {repeats} fresh processes; login screen at "
                     f"{median([r['login_shown'] for r in runs]) * 1000:.0f} ms; counts "
                     f"({runs[0]['entitled']:,} entitled) at "
                     f"{median([r['counts'] for r in runs]) * 1000:.0f} ms; first verdict "
                     f"{median([r['first_check_ms'] for r in runs]):.0f} ms "
                     f"({runs[0]['verdict']}); of which opening the database (the "
                     f"whole-file integrity check runs after, on a worker) {median([r['site_open'] for r in runs]) * 1000:.0f} ms"))
            rows.append(Row(
                what=f"resident memory after start + one check, {label}",
                value=max(r["rss_mb"] for r in runs), unit="MB", anchor="bare Qt window",
                anchor_value=max(b["rss_mb"] for b in bare), note="peak RSS of the process"))
            shutil.rmtree(home, ignore_errors=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return rows
