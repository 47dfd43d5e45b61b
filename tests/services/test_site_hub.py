"""A site hub started from a desk in one action: a separate process seeded with the desk's
registry, announced, still serving after the command (and any desk window) has gone, and a
second desk enrols at it with the code it printed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hub"))
from helpers_hub import free_port

from bekasi_field.services import site_hub, sync_service
from bekasi_field.services.site import Site


@pytest.mark.slow
def test_site_hub_starts_in_one_command_and_outlives_it(tmp_path: Path, cli) -> None:
    home = tmp_path / "supervisor"
    r = cli("demo", "--home", home, "--households", "20", "--no-gui", "--json")
    assert r.code == 0, r.err
    event = r.json["event_id"]
    port = free_port()
    # A child process, like the desk: it exits, the hub it started keeps serving.
    started = subprocess.run(
        [sys.executable, "-m", "bekasi_field", "site-hub", "start", "--home", str(home),
         "--host", "127.0.0.1", "--port", str(port), "--name", "Kota Baru", "--json"],
        check=False, capture_output=True, text=True, timeout=90)
    try:
        assert started.returncode == 0, started.stderr
        info = json.loads(started.stdout)
        assert info["running"] and info["enrolled"] and info["seeded"] > 0
        assert info["url"] == f"https://127.0.0.1:{port}"  # a hub for the LAN: TLS
        r = cli("site-hub", "status", "--home", home, "--json")
        assert r.json["running"] and r.json["pid"] == info["pid"]
        with Site.open(home) as supervisor:
            assert sync_service.is_enrolled(supervisor.db)
        second = tmp_path / "desk-2"
        r = cli("sync", "--home", second, "--hub", info["url"], "--enrol", info["next_code"],
                "--json")
        assert r.code == 0, r.err
        assert r.json["pulled"] > 0  # the supervisor desk's registry, through the hub
        assert r.json["hub_tls_fingerprint"] == info["fingerprint"]  # the certificate pinned
        r = cli("check", "--home", second, r"KPM-does-not-exist", "--event", event, "--json")
        assert r.code == 0 and r.json["live"] is False and r.json["verdict"] == "UNKNOWN"
        # The site hub knows the desk's officers serve its site (hub_officer_sites, which a
        # desk does not hold): it sends them to the second desk and takes its hand-overs.
        with Site.open(second) as desk2:
            conn = desk2.db.raw()
            try:
                household = conn.execute(
                    "SELECT household_id FROM entitlements WHERE event_id = ? ORDER BY id",
                    (event,)).fetchone()[0]
                assert conn.execute("SELECT COUNT(*) FROM officers WHERE id = 'PTG01' AND "
                                    "active = 1 AND pin_hash != ''").fetchone()[0] == 1
            finally:
                conn.close()
        r = cli("handover", household, "--event", event, "--officer", "PTG01", "--pin", "1111",
                "--ktp-seen", "--home", second, "--json")
        assert r.code == 0, r.err
        r = cli("sync", "--home", second, "--json")
        assert r.code == 0, r.err
        assert r.json["refused"] == 0 and r.json["pending"] == 0 and r.json["acked_seq"] == 1
    finally:
        with Site.open(home) as supervisor:
            stopped = site_hub.stop(supervisor)
    assert stopped
    r = cli("site-hub", "status", "--home", home, "--json")
    assert r.json == {"running": False}
