"""Crash test: SIGKILL processes writing hand-overs at random moments, many rounds; every
hand-over whose uuid was printed (acknowledged) must be in the database and the chain intact."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import small_site as h

from bekasi_field.services.evidence import evidence_key, read_evidence
from bekasi_field.services.journal import verify_journal
from bekasi_field.services.site import Site

CHILD = Path(__file__).with_name("crash_child_recorder.py")
ROUNDS = 10


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")
def test_sigkill_never_loses_an_acknowledged_handover(world, tmp_path) -> None:
    site = world.site
    # Enough work that no child can finish before it is killed: <= 0.6 s a round at >= 1 ms a
    # hand-over is at most ~6,000 over ten rounds on the fastest disk.
    codes = h.add_households(site, 6000)
    codes_file = tmp_path / "codes.txt"
    codes_file.write_text("\n".join(codes), encoding="utf-8")
    rng = random.Random(20261123)
    acknowledged: list[str] = []
    killed = 0
    for _ in range(ROUNDS):
        child = subprocess.Popen(
            [sys.executable, str(CHILD), str(site.layout.root), h.EVENT, str(codes_file)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert child.stdout is not None and child.stderr is not None
        assert child.stdout.readline() == b"READY\n", child.stderr.read().decode()
        time.sleep(rng.uniform(0.05, 0.6))
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
            killed += 1
        child.wait(timeout=30)
        out = child.stdout.read().decode()
        errors = child.stderr.read().decode()
        child.stdout.close()
        child.stderr.close()
        assert "Traceback" not in errors, errors
        acknowledged += [line for line in out.splitlines() if len(line) == 36]
    assert killed == ROUNDS  # every round really interrupted a writer
    assert len(acknowledged) >= ROUNDS  # and they really wrote

    with Site.open(site.layout.root) as fresh:
        check = verify_journal(fresh.db)
        assert check.ok, check.first_bad
        conn = fresh.db.raw()
        try:
            stored = {r[0]: r[1] for r in conn.execute("SELECT uuid, evidence FROM journal")}
            per_household = conn.execute(
                "SELECT max(n) FROM (SELECT count(*) AS n FROM journal WHERE kind = 'handover' "
                "GROUP BY event_id, household_id)").fetchone()[0]
        finally:
            conn.close()
    missing = [u for u in acknowledged if u not in stored]
    assert missing == []
    assert per_household == 1  # never handed over twice
    for evidence in stored.values():
        for sha in json.loads(evidence).values():
            data = read_evidence(site.layout.evidence_dir, sha, key=evidence_key(site))
            assert data is not None and hashlib.sha256(data).hexdigest() == sha
