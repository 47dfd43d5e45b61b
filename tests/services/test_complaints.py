"""Complaints at the desk: the person's data from the roster or typed, validated, numbered,
stored once with a gapless sequence; the CLI contract of DESIGN §6."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from bekasi_field.domain import complaint_record as cr
from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr
from bekasi_field.services import complaints
from bekasi_field.services.site import Site


def _fixture_module():
    name = "bkf_journal_fixture"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, Path(__file__).parent.parent / "reports" / "journal_fixture.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


jf = _fixture_module()
UNLISTED = "3275016504900003"  # valid Kota Bekasi NIK (a woman born 25-04-1990), not in roster


@pytest.fixture
def roster(site: Site) -> Site:
    jf.seed_roster(site.db, households=6)
    return site


def _rows(site: Site) -> list[dict]:
    conn = site.db.raw()
    conn.row_factory = __import__("sqlcipher3.dbapi2", fromlist=["Row"]).Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM complaints ORDER BY seq")]
    finally:
        conn.close()


def test_a_household_code_fills_the_person_from_the_roster(roster: Site) -> None:
    done = complaints.record_complaint(site=roster, data=complaints.ComplaintInput(
        code="327501010120" + "0003", officer_id="petugas1", category="wrong_data",
        note="Alamat sudah pindah RT", phone="+62 812-3456-7890"))
    (row,) = _rows(roster)
    assert (row["household_id"], row["nik"], row["name"]) == ("H003", jf.nik_for(2), jf.NAMES[2])
    assert (row["rt"], row["rw"], row["kelurahan"]) == ("003", "003", "Kota Baru")
    assert row["phone"] == "081234567890" and row["seq"] == 1
    assert done.number == cr.complaint_number(done.uuid) == row["number"]
    assert cr.looks_like_number(done.number)


def test_an_unlisted_nik_needs_a_name_and_a_bad_one_is_refused(roster: Site) -> None:
    data = complaints.ComplaintInput(code=UNLISTED, officer_id="petugas1", category="not_listed")
    with pytest.raises(BekasiError, match="Nama"):
        complaints.record_complaint(site=roster, data=data)
    for bad, says in (
            (complaints.ComplaintInput(code="3275019999990000", officer_id="petugas1",
                                       category="not_listed", name="X"), "NIK tidak valid: "),
            (complaints.ComplaintInput(code=UNLISTED, officer_id="petugas1",
                                       category="nonsense", name="X"), "Kategori nonsense "),
            (complaints.ComplaintInput(code=UNLISTED, officer_id="petugas1",
                                       category="moved", name="X", phone="12345"),
             "Nomor HP 12345 "),
            (complaints.ComplaintInput(code=UNLISTED, officer_id="nobody",
                                       category="moved", name="X"),
             tr("journal.unknown_officer", officer="nobody"))):
        with pytest.raises(BekasiError) as refused:
            complaints.record_complaint(site=roster, data=bad)
        assert refused.value.message.startswith(says)  # refused for this reason, not another
    assert _rows(roster) == []  # nothing half-saved
    complaints.record_complaint(site=roster, data=complaints.ComplaintInput(
        code=UNLISTED, officer_id="petugas1", category="not_listed", name="  Siti   Rahma ",
        address="Jl. Kenari 4", rt="004", rw="007"))
    (row,) = _rows(roster)
    assert (row["nik"], row["name"], row["household_id"]) == (UNLISTED, "Siti Rahma", None)
    assert row["kelurahan"] == ""  # no site kelurahan known on this bare desk


def test_the_verdict_that_turned_the_person_away_is_kept(roster: Site) -> None:
    complaints.record_complaint(site=roster, data=complaints.ComplaintInput(
        code=jf.nik_for(1), officer_id="petugas1", category="says_eligible",
        event_id=jf.OTHER_EVENT))
    (row,) = _rows(roster)
    assert row["verdict"] == "WRONG_SITE" and row["event_id"] == jf.OTHER_EVENT


def test_cli_complaint_gives_the_number_and_lists_masked(roster: Site, cli) -> None:
    r = cli("complaint", UNLISTED, "--officer", "petugas1", "--category", "not_listed",
            "--note", "Belum pernah didata", "--phone", "081298765432", "--name", "Wati",
            "--json")
    assert r.code == 0, r.err
    number = r.json["complaint_id"]
    assert cr.looks_like_number(number) and r.json["nik_masked"].startswith("3275")
    assert UNLISTED not in r.out
    r = cli("complaint", UNLISTED, "--officer", "petugas1", "--category", "not_listed")
    assert r.code == 3 and "Nama" in r.err
    r = cli("complaint", UNLISTED, "--officer", "petugas1")
    assert r.code == 2
    r = cli("complaint", "list", "--json")
    assert [c["number"] for c in r.json["complaints"]] == [number]
    assert UNLISTED not in r.out
