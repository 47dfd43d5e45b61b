"""Exposure checks: what a desk session leaves outside its home. No NIK or name in the system
temp dir, the log, or on stdout/stderr of a refusal; the database errors name no person."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bekasi_field.services.site import Site


def _run(*args: object, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bekasi_field", *map(str, args)],
                          capture_output=True, text=True, timeout=300, check=False,
                          stdin=subprocess.DEVNULL, env={**os.environ, **env})


def test_a_session_leaves_no_person_in_temp_files_or_the_log(tmp_path: Path) -> None:
    home, systmp = tmp_path / "home", tmp_path / "system-temp"
    systmp.mkdir()
    env = {"TMPDIR": str(systmp), "TEMP": str(systmp), "TMP": str(systmp),
           "BEKASI_FIELD_HOME": str(home)}
    demo = _run("demo", "--no-gui", "--households", "30", "--json", env=env)
    assert demo.returncode == 0, demo.stderr
    event = json.loads(demo.stdout)["event_id"]
    with Site.open(home) as site:
        conn = site.db.raw()
        try:
            people = conn.execute("SELECT m.nik, m.name FROM members m JOIN entitlements e ON "
                                  "e.household_id = m.household_id AND e.event_id = ? WHERE "
                                  "m.is_recipient = 1 ORDER BY m.nik", (event,)).fetchall()
        finally:
            conn.close()
    nik, name = people[0]
    photo = tmp_path / "foto.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(3000))
    done = _run("handover", nik, "--event", event, "--officer", "PTG01", "--pin", "1111",
                "--ktp-seen", "--photo", photo, "--json", env=env)
    assert done.returncode == 0, done.stderr
    again = _run("handover", nik, "--event", event, "--officer", "PTG01", "--pin", "1111",
                 "--ktp-seen", env=env)
    assert again.returncode == 3  # refused: already collected; it says so without the NIK
    assert nik not in again.stderr + again.stdout
    out = tmp_path / "out"
    assert _run("report", "bast", "--event", event, "--out", out / "bast.pdf", env=env
                ).returncode == 0
    assert _run("report", "xlsx", "--event", event, "--out", out / "r.xlsx", env=env
                ).returncode == 0
    left = [p for p in systmp.rglob("*") if p.is_file()]
    for p in left:
        data = p.read_bytes()
        assert nik.encode() not in data and name.encode() not in data, p
    log = (home / "logs" / "bekasi-field.log").read_text(encoding="utf-8")
    assert "hand-over recorded" in log  # the log is written...
    for n, m in people:
        assert n not in log  # ...and names no person
        if len(m) >= 6:
            assert m not in log
