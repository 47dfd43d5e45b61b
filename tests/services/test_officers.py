import datetime as dt

import pytest

from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.pins import MAX_ATTEMPTS
from bekasi_field.services import officers
from bekasi_field.services.site import Site


def test_login_with_the_right_pin(site: Site) -> None:
    officers.create_officer(site.db, officer_id="sup1", name="Rina", role="supervisor", pin="123456")
    who = officers.login(site.db, officer_id="sup1", pin="123456")
    assert who.is_supervisor


def test_repeated_wrong_pins_lock_then_unlock_after_the_wait(site: Site) -> None:
    officers.create_officer(site.db, officer_id="p1", name="Budi", role="petugas", pin="4321")
    now = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
    for _ in range(MAX_ATTEMPTS - 1):
        with pytest.raises(BekasiError, match="PIN salah"):
            officers.login(site.db, officer_id="p1", pin="0000", now=now)
    with pytest.raises(BekasiError, match="terkunci"):
        officers.login(site.db, officer_id="p1", pin="0000", now=now)
    with pytest.raises(BekasiError, match="terkunci"):  # even the right PIN waits
        officers.login(site.db, officer_id="p1", pin="4321", now=now)
    later = now + dt.timedelta(minutes=6)
    assert officers.login(site.db, officer_id="p1", pin="4321", now=later).id == "p1"


def test_cli_officer_add_and_list(cli) -> None:
    r = cli("officer", "add", "pet1", "--name", "Sari", "--role", "petugas", "--pin", "2468", "--json")
    assert r.code == 0, r.err
    assert r.json == {"id": "pet1", "role": "petugas"}
    r = cli("officer", "list", "--json")
    assert [o["id"] for o in r.json["officers"]] == ["pet1"]


def test_cli_bad_pin_is_exit_3(cli) -> None:
    r = cli("officer", "add", "pet1", "--name", "Sari", "--role", "petugas", "--pin", "12")
    assert r.code == 3
    assert "PIN" in r.err


def test_the_lockout_grows_and_an_empty_pin_counts_nothing(site: Site) -> None:
    officers.create_officer(site.db, officer_id="p2", name="Sari", role="petugas", pin="4321")
    officers.create_officer(site.db, officer_id="s2", name="Wati", role="supervisor", pin="505050")
    now = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)
    for _ in range(10):
        with pytest.raises(BekasiError, match="Ketik PIN"):
            officers.login(site.db, officer_id="p2", pin="", now=now)
    for _ in range(MAX_ATTEMPTS):
        with pytest.raises(BekasiError):
            officers.login(site.db, officer_id="p2", pin="0000", now=now)
    later = now + dt.timedelta(minutes=5, seconds=1)  # the first lock-out is over
    with pytest.raises(BekasiError, match=r"sampai pukul 08:15:01 WIB \(lagi 10 menit 0 detik\)"):
        officers.login(site.db, officer_id="p2", pin="0000", now=later)
    with pytest.raises(BekasiError, match="supervisor lain"):
        officers.unlock(site.db, officer_id="s2", supervisor_id="s2", pin="505050", now=later)
    officers.unlock(site.db, officer_id="p2", supervisor_id="s2", pin="505050", now=later)
    assert officers.login(site.db, officer_id="p2", pin="4321", now=later).id == "p2"
