"""Enrolling workers at the desk: every refusal with its reason code, the supervisor override
for NOT_SELECTED, the signed journal entry, voids, and personal data kept out of the log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from enrolment_world import START, boundary_homes, seed
from home_db import connect_home

from bekasi_field.services import events, officers
from bekasi_field.services.site import Site

EVENT = "BPJSTK-KB-2026"
PHONE = "0812-3456-7890"
HEIR = "Siti Rahmawati"


@pytest.fixture
def enrol_site(home: Path):
    s = Site.open(home)
    people = seed(s.db.engine, boundary_homes())
    for oid, role, pin in (("PTG01", "petugas", "1111"), ("SPV01", "supervisor", "202611"),
                           ("PKH01", "pendamping", "3333")):
        officers.create_officer(s.db, officer_id=oid, name=oid, role=role, pin=pin)
    events.create_event(s.db.engine, programme="BPJSTK", kind="enrolment",
                        site_kelurahan="Kota Baru", served_kelurahan=["Kota Baru", "Kranji"],
                        start_date=START, end_date="2026-12-31", params={"quota": 3},
                        event_id=EVENT)
    s.close()
    return people


def _enrol(cli, nik: str, *extra: str, phone: str = PHONE, consent: bool = True):
    args = ["enrol", nik, "--event", EVENT, "--officer", "PTG01", "--pin", "1111",
            "--occupation", "ojol", "--phone", phone, "--heir-name", HEIR,
            "--heir-relationship", "Istri", "--json", *extra]
    if consent:
        args.append("--consent")
    return cli(*args)


@pytest.mark.parametrize(("who", "reason"), [
    ("almost15", "AGE_OUT_OF_RANGE"), ("woman61", "AGE_OUT_OF_RANGE"),
    ("outsider", "NOT_RESIDENT"), ("vendor", "NOT_SELECTED"),
])
def test_refusals_about_the_person(enrol_site, cli, who: str, reason: str) -> None:
    r = _enrol(cli, enrol_site[who].nik)
    assert r.code == 3
    assert r.json["reason"] == reason and r.json["entry_uuid"] is None
    assert r.err.strip()  # a clear Bahasa message on stderr
    assert enrol_site[who].nik not in r.out  # the NIK is masked in the answer


def test_check_on_an_enrolment_event_judges_the_person(enrol_site, cli) -> None:
    ok = cli("check", enrol_site["just15"].nik, "--event", EVENT, "--json").json
    assert ok["verdict"] == "ELIGIBLE" and ok["selected"] is True and ok["age"] == 15
    assert enrol_site["just15"].nik not in json.dumps(ok)
    old = cli("check", enrol_site["woman61"].nik, "--event", EVENT, "--json").json
    assert old["verdict"] == "AGE_OUT_OF_RANGE" and "61" in old["message"]


def test_refusals_about_the_form(enrol_site, cli) -> None:
    nik = enrol_site["just15"].nik
    assert _enrol(cli, nik, consent=False).json["reason"] == "NO_CONSENT"
    assert _enrol(cli, nik, phone="021-8888-7777").json["reason"] == "BAD_PHONE"
    assert _enrol(cli, nik, "--email", "siti@").json["reason"] == "BAD_EMAIL"
    r = _enrol(cli, nik, phone="021-8888-7777")
    assert r.code == 3 and "08" in r.err
    unknown = _enrol(cli, "3275010101900099")
    assert unknown.code == 3 and unknown.json["reason"] == "UNKNOWN"


def test_enrol_then_already_enrolled_and_void(enrol_site, cli, home: Path) -> None:
    nik = enrol_site["just15"].nik
    r = _enrol(cli, nik, "--email", "andi@contoh.id", "--birth-place", "Bekasi")
    assert r.code == 0, r.err
    assert r.json["verdict"] == "ELIGIBLE" and r.json["seq"] == 1
    assert r.json["phone_masked"] == "0812\u2022\u2022\u2022\u2022\u2022890"
    again = _enrol(cli, nik)
    assert again.code == 3 and again.json["reason"] == "ALREADY_ENROLLED"
    assert "PTG01" in again.err
    conn = connect_home(home)  # the file is encrypted: through the site's opener
    try:
        row = conn.execute("SELECT kind, recipient_nik, details, event_id FROM journal").fetchone()
    finally:
        conn.close()
    assert row[0] == "enrolment" and row[1] == nik and row[3] == EVENT
    assert '"phone":"+6281234567890"' in row[2] and HEIR in row[2] and "Saya setuju" in row[2]
    assert cli("journal", "verify", "--json").json["ok"] is True
    void = cli("void", r.json["entry_uuid"], "--supervisor", "SPV01", "--pin", "202611",
               "--reason", "salah input", "--json")
    assert void.code == 0, void.err
    assert _enrol(cli, nik).code == 0  # voided: may be enrolled again
    log = (home / "logs" / "bekasi-field.log").read_text(encoding="utf-8")
    for secret in ("81234567890", HEIR, nik, "andi@contoh.id"):
        assert secret not in log


def test_not_selected_needs_a_supervisor(enrol_site, cli, home: Path) -> None:
    nik = enrol_site["vendor"].nik
    by_petugas = _enrol(cli, nik, "--override-by", "PTG01", "--supervisor-pin", "1111")
    assert by_petugas.code == 3
    wrong_pin = _enrol(cli, nik, "--override-by", "SPV01", "--supervisor-pin", "0000")
    assert wrong_pin.code == 3
    ok = _enrol(cli, nik, "--override-by", "SPV01", "--supervisor-pin", "202611")
    assert ok.code == 0, ok.err
    assert ok.json["verdict"] == "NOT_SELECTED"
    conn = connect_home(home)  # the file is encrypted: through the site's opener
    try:
        row = conn.execute("SELECT verdict, override_by FROM journal").fetchone()
    finally:
        conn.close()
    assert tuple(row) == ("NOT_SELECTED", "SPV01")
    bad_pin = cli("enrol", enrol_site["casual"].nik, "--event", EVENT, "--officer", "PTG01",
                  "--pin", "9999", "--occupation", "buruh", "--phone", PHONE,
                  "--heir-name", HEIR, "--heir-relationship", "Istri", "--consent")
    assert bad_pin.code == 3


def test_an_edited_enrolment_breaks_the_chain(enrol_site, cli, home: Path) -> None:
    assert _enrol(cli, enrol_site["just15"].nik).code == 0
    conn = connect_home(home)  # the file is encrypted: through the site's opener
    try:
        conn.execute("UPDATE journal SET details = replace(details, '+62812', '+62813')")
        conn.commit()
    finally:
        conn.close()
    verify = cli("journal", "verify", "--json").json
    assert verify["ok"] is False and verify["first_bad"]["problem"] == "edited"
