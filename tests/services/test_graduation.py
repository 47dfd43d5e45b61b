"""PKH graduation at the desk: who may record it, the reason list, the signed statement, the
verdict that follows at once, and a void that undoes it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from enrolment_world import boundary_homes, seed

from bekasi_field.services import events, officers
from bekasi_field.services.site import Site

GRAD, PKH = "GRAD-PKH-KB", "PKH-KB"


@pytest.fixture
def grad_site(home: Path, tmp_path: Path):
    s = Site.open(home)
    people = seed(s.db.engine, boundary_homes())
    for oid, role, pin in (("PTG01", "petugas", "1111"), ("SPV01", "supervisor", "202611"),
                           ("PKH01", "pendamping", "3333")):
        officers.create_officer(s.db, officer_id=oid, name=f"Nama {oid}", role=role, pin=pin)
    today = dt.date.today()
    for kind, eid in (("graduation", GRAD), ("handover", PKH)):
        events.create_event(s.db.engine, programme="PKH", kind=kind, site_kelurahan="Kota Baru",
                            served_kelurahan=["Kota Baru", "Kranji"], start_date=today,
                            end_date=today + dt.timedelta(days=7), event_id=eid,
                            params={"target": 3} if kind == "graduation" else None)
    s.close()
    sig = tmp_path / "ttd.png"
    sig.write_bytes(b"\x89PNG\r\n\x1a\n signature strokes")
    return people, sig


def _graduate(cli, code: str, sig: Path, *extra: str, officer: str = "PKH01",
              pin: str = "3333", reason: str = "sejahtera_mandiri"):
    return cli("graduate", code, "--officer", officer, "--pin", pin, "--reason", reason,
               "--signature", sig, "--json", *extra)


def test_graduate_changes_the_pkh_verdict_at_once_and_a_void_undoes_it(grad_site, cli) -> None:
    people, sig = grad_site
    code = people["vendor"].nik
    assert cli("check", code, "--event", PKH, "--json").json["verdict"] == "ELIGIBLE"
    r = _graduate(cli, code, sig, "--note", "usaha warung berkembang")
    assert r.code == 0, r.err
    assert r.json["status"] == "graduated" and r.json["household_id"] == "HH06"
    check = cli("check", code, "--event", PKH, "--json").json
    assert check["verdict"] == "SUSPENDED"
    assert "sudah graduasi" in check["message"]
    assert dt.date.today().strftime("%d-%m-%Y") in check["message"]
    assert check["details"]["pkh_status"] == "graduated"
    again = _graduate(cli, "HH06", sig)
    assert again.code == 3 and "sudah graduasi" in again.err
    void = cli("void", r.json["entry_uuid"], "--supervisor", "SPV01", "--pin", "202611",
               "--reason", "salah keluarga", "--json")
    assert void.code == 0, void.err
    assert cli("check", code, "--event", PKH, "--json").json["verdict"] == "ELIGIBLE"
    assert cli("journal", "verify", "--json").json["ok"] is True


def test_who_may_graduate_and_what_it_needs(grad_site, cli) -> None:
    people, sig = grad_site
    code = people["vendor"].nik
    petugas = _graduate(cli, code, sig, officer="PTG01", pin="1111")
    assert petugas.code == 3 and "pendamping" in petugas.err
    assert _graduate(cli, code, sig, pin="0000").code == 3  # wrong PIN
    assert _graduate(cli, code, sig, reason="kaya").code == 3
    other = _graduate(cli, code, sig, reason="lainnya")
    assert other.code == 3 and "catatan" in other.err
    no_statement = cli("graduate", code, "--officer", "PKH01", "--pin", "3333", "--reason",
                       "pindah")
    assert no_statement.code == 3 and "pernyataan" in no_statement.err
    assert _graduate(cli, "HH99", sig).code == 3
    by_supervisor = _graduate(cli, code, sig, officer="SPV01", pin="202611", reason="pindah")
    assert by_supervisor.code == 0, by_supervisor.err
