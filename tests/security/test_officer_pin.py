"""`handover` and `void` need the acting officer's PIN: given with --pin, else asked on the
terminal; with neither a clear exit 3. Wrong PINs count towards the lock-out, so a copied
command line with someone's officer id records nothing in their name."""

from __future__ import annotations

import os
import subprocess
import sys

from helpers_hub import EVENT, PIN, SPV_PIN, ThreadHub, handover
from sqlalchemy import func, select

from bekasi_field.domain.pins import MAX_ATTEMPTS
from bekasi_field.hub.models import HubJournal
from bekasi_field.services import sync_service
from bekasi_field.services.site import Site


def _own_entries(site: Site) -> int:
    conn = site.db.raw()
    try:
        return int(conn.execute("SELECT COUNT(*) FROM journal").fetchone()[0])
    finally:
        conn.close()


def test_handover_without_a_pin_or_with_a_wrong_one_records_nothing(
        hub: ThreadHub, desk: Site, cli) -> None:
    home = desk.layout.root
    base = ("handover", "KPM-0001", "--event", EVENT, "--officer", "PTG01", "--ktp-seen",
            "--home", home)
    # No terminal (a script, a scheduled job) and no --pin: a clear refusal, not a hang.
    proc = subprocess.run([sys.executable, "-m", "bekasi_field", *map(str, base), "--json"],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=120, env={**os.environ}, check=False)
    assert proc.returncode == 3
    assert "PIN petugas PTG01 diperlukan (--pin)" in proc.stderr
    assert "Traceback" not in proc.stderr
    r = cli(*base, "--pin", "0000")
    assert r.code == 3 and "PIN salah" in r.err
    assert _own_entries(desk) == 0
    r = cli(*base, "--pin", PIN, "--json")
    assert r.code == 0, r.err
    assert r.json["verdict"] == "ELIGIBLE" and _own_entries(desk) == 1


def test_wrong_handover_pins_lock_the_officer_out(hub: ThreadHub, desk: Site, cli) -> None:
    home = desk.layout.root
    tries = [cli("handover", "KPM-0002", "--event", EVENT, "--officer", "PTG01", "--ktp-seen",
                 "--pin", f"{i:04d}", "--home", home) for i in range(MAX_ATTEMPTS)]
    assert all(t.code == 3 for t in tries)
    assert "terkunci" in tries[-1].err
    # the right PIN now waits too: the lock-out holds whatever is typed
    r = cli("handover", "KPM-0002", "--event", EVENT, "--officer", "PTG01", "--ktp-seen",
            "--pin", PIN, "--home", home)
    assert r.code == 3 and "terkunci" in r.err
    assert _own_entries(desk) == 0
    sync_service.sync_now(site=desk)
    with hub.store.read() as conn:
        assert conn.execute(select(func.count()).select_from(HubJournal.__table__)
                            ).scalar_one() == 0


def test_void_needs_the_supervisors_pin_and_wrong_ones_count(hub: ThreadHub, desk: Site,
                                                            cli) -> None:
    entry = handover(desk, "KPM-0003")
    home = desk.layout.root
    base = ("void", entry.uuid, "--supervisor", "SPV01", "--reason", "salah orang",
            "--home", home)
    proc = subprocess.run([sys.executable, "-m", "bekasi_field", *map(str, base)],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=120, env={**os.environ}, check=False)
    assert proc.returncode == 3 and "PIN petugas SPV01 diperlukan (--pin)" in proc.stderr
    assert "Traceback" not in proc.stderr
    for i in range(MAX_ATTEMPTS - 1):
        r = cli(*base, "--pin", f"{i:06d}")
        assert r.code == 3 and "PIN salah" in r.err
    r = cli(*base, "--pin", SPV_PIN, "--json")  # the right one before the lock: accepted
    assert r.code == 0, r.err
    assert r.json["voids_uuid"] == entry.uuid and _own_entries(desk) == 2
    for i in range(MAX_ATTEMPTS):  # the count started over; five more wrong ones lock
        r = cli(*base, "--pin", f"{i:06d}")
    assert r.code == 3 and "terkunci" in r.err
    assert _own_entries(desk) == 2
