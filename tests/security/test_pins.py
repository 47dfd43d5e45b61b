"""Supervisors' PINs have at least 6 digits (a 4-digit one fell to an offline guess against its
argon2 hash in under a minute); a petugas keeps 4 to 8. Every place a PIN is set applies it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bekasi_field.domain import pins
from bekasi_field.domain.errors import BekasiError
from bekasi_field.services import officers
from bekasi_field.services.site import Site


def test_a_four_digit_supervisor_pin_is_refused_and_six_digits_are_taken(
        cli, site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    # the first supervisor sets the site's recovery passphrase (tests/store/test_encryption.py)
    monkeypatch.setenv("BEKASI_FIELD_NEW_PASSPHRASE", "kota baru kranji 2026")
    r = cli("officer", "add", "SPV09", "--name", "Wati", "--role", "supervisor", "--pin", "1234")
    assert r.code == 3 and "PIN supervisor harus 6–8 angka" in r.err
    assert officers.get_officer(site.db, "SPV09") is None
    r = cli("officer", "add", "ADM09", "--name", "Admin", "--role", "admin", "--pin", "12345")
    assert r.code == 3
    r = cli("officer", "add", "SPV09", "--name", "Wati", "--role", "supervisor", "--pin",
            "123456", "--json")
    assert r.code == 0, r.err
    assert officers.login(site.db, officer_id="SPV09", pin="123456").is_supervisor
    # a petugas still has 4 digits at least
    assert cli("officer", "add", "PTG09", "--name", "Sari", "--role", "petugas", "--pin",
               "2468").code == 0
    with pytest.raises(BekasiError):
        pins.hash_pin("1234", "supervisor")


def test_the_demo_supervisors_pin_has_six_digits(cli, tmp_path: Path) -> None:
    db = tmp_path / "hub.db"
    r = cli("hub", "demo", "--db", str(db), "--households", "20", "--json")
    assert r.code == 0, r.err
    for o in r.json["officers"]:
        assert len(o["pin"]) >= pins.min_digits(o["role"])
    assert any(o["role"] == "supervisor" and len(o["pin"]) >= 6 for o in r.json["officers"])
