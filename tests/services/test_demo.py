"""The demo site: realistic, valid, deterministic, reusable; the same data on any engine."""

from __future__ import annotations

import csv
import hashlib
import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.identifiers import is_valid_kk, is_valid_kks, parse_nik
from bekasi_field.services import demo, events, officers
from bekasi_field.services.site import Site
from bekasi_field.store import models


def _q(site: Site, sql: str) -> list[tuple]:
    conn = site.db.raw()
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("demo") / "home"
    demo.build_demo(home=home)
    return home


def test_demo_site_is_kota_baru_serving_kranji_with_about_600_households(demo_home: Path) -> None:
    with Site.open(demo_home) as site:
        info = events.get_event(site.db.engine, demo.MAIN_EVENT_ID)
        assert (info.programme, info.site_kelurahan) == ("KKS", "Kota Baru")
        assert info.served_kelurahan == ["Kota Baru", "Kranji"] and info.status == "open"
        assert 450 <= info.entitlements <= 600
        assert site.db.get_meta("site_kelurahan") == "Kota Baru"
        kel = dict(_q(site, "SELECT kelurahan, count(*) FROM households GROUP BY kelurahan"))
        assert kel["Kota Baru"] + kel["Kranji"] == 600
        assert kel["Bintara"] + kel["Bintara Jaya"] == demo.SIBLING_HOUSEHOLDS
        statuses = dict(_q(site, "SELECT status, count(*) FROM households GROUP BY status"))
        assert set(statuses) == {"active", "suspended", "graduated", "deceased"}
        assert 0.02 < 1 - statuses["active"] / sum(statuses.values()) < 0.10
        # A Bintara household is entitled at the sibling event only: WRONG_SITE material.
        wrong_site = _q(site, "SELECT e.event_id FROM entitlements e JOIN households h "
                              "ON h.id = e.household_id WHERE h.kelurahan = 'Bintara'")
        assert wrong_site and {r[0] for r in wrong_site} == {demo.SIBLING_EVENT_ID}
        # Only active households are allocated.
        assert not _q(site, "SELECT 1 FROM entitlements e JOIN households h "
                            "ON h.id = e.household_id WHERE h.status != 'active'")


def test_identifiers_are_valid_and_each_household_has_one_pengurus(demo_home: Path) -> None:
    with Site.open(demo_home) as site:
        members = _q(site, "SELECT nik, sex, birth_date, name, name_norm FROM members")
        households = _q(site, "SELECT no_kk, kks_card, desil, rt, rw, programs FROM households")
        per_hh = _q(site, "SELECT household_id, count(*), sum(is_recipient) FROM members "
                          "GROUP BY household_id")
    assert len({m[0] for m in members}) == len(members)
    for nik, sex, born, name, norm in members:
        parsed = parse_nik(nik)
        assert (parsed.sex, parsed.birth_date.isoformat()) == (sex, born)
        assert name.strip() and norm
    assert all(is_valid_kk(h[0]) for h in households)
    assert all(h[1] is None or is_valid_kks(h[1]) for h in households)
    assert {h[2] for h in households} == {1, 2, 3, 4}
    assert all(1 <= int(h[3]) <= 15 and 1 <= int(h[4]) <= 12 for h in households)
    assert {p for h in households for p in h[5].split(",") if p} == set(events.PROGRAMMES)
    assert {n for _, n, _ in per_hh} <= {1, 2, 3, 4, 5, 6}
    assert all(r == 1 for _, _, r in per_hh)


def test_demo_officers_log_in_with_their_printed_pins(demo_home: Path) -> None:
    with Site.open(demo_home) as site:
        roles = set()
        for o in demo.DEMO_OFFICERS:
            roles.add(officers.login(site.db, officer_id=o.id, pin=o.pin).role)
    assert roles == {"supervisor", "petugas", "pendamping"}


def test_demo_is_reused_and_reset_rebuilds(home: Path) -> None:
    first = demo.build_demo(home=home, households=30)
    again = demo.build_demo(home=home, households=999)
    assert again.reused and (again.event_id, again.households) == (first.event_id, 30 + 40)
    rebuilt = demo.build_demo(home=home, households=20, reset=True)
    assert not rebuilt.reused and rebuilt.households == 20 + 40


def test_demo_refuses_a_home_with_real_data(home: Path) -> None:
    with Site.open(home) as site, site.db.transaction() as conn:
        conn.execute("INSERT INTO households (id, no_kk, address, rt, rw, kelurahan, "
                     "kecamatan, programs, status, content_hash, version) VALUES "
                     "('X1', '3275020101200001', '', '', '', 'Kranji', '', 'KKS', "
                     "'active', '', 0)")
    with pytest.raises(BekasiError, match="bukan demo"):
        demo.build_demo(home=home, households=10)
    with pytest.raises(BekasiError, match="bukan demo"):
        demo.build_demo(home=home, households=10, reset=True)


def _digest(engine) -> str:
    h = hashlib.sha256()
    with engine.connect() as conn:
        for sql in (("SELECT id, no_kk, address, rt, rw, kelurahan, desil, programs, status, "
                    "kks_card FROM households ORDER BY id"),
                    ("SELECT nik, household_id, name, relationship, sex, birth_date, is_recipient "
                    "FROM members ORDER BY nik"),
                    ("SELECT event_id, household_id, slip_serial FROM entitlements "
                    "ORDER BY event_id, household_id")):
            for row in conn.execute(text(sql)):
                h.update(repr(tuple(str(v) for v in row)).encode())
    return h.hexdigest()


def test_same_seed_same_site_other_seed_other_site(tmp_path: Path) -> None:
    digests = []
    for n, seed in enumerate((7, 7, 8)):
        with Site.open(tmp_path / f"h{n}") as site:
            demo.populate_demo(site.db.engine, households=25, seed=seed)
            digests.append(_digest(site.db.engine))
    assert digests[0] == digests[1] != digests[2]


def test_cli_demo_json_and_text(cli, home: Path) -> None:
    r = cli("demo", "--households", "15", "--no-gui", "--json")
    assert r.code == 0, r.err
    assert r.json["home"] == str(home) and r.json["event_id"] == demo.MAIN_EVENT_ID
    assert {(o["role"], o["pin"]) for o in r.json["officers"]} == {
        (o.role, o.pin) for o in demo.DEMO_OFFICERS}
    text_run = cli("demo", "--no-gui")
    assert text_run.code == 0
    for o in demo.DEMO_OFFICERS:
        assert o.id in text_run.out and o.pin in text_run.out
    assert cli("demo", "--households", "0", "--no-gui", "--reset").code == 3


def test_synthetic_roster_csv(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    written = demo.write_synthetic_roster_csv(path, households=50, seed=1, max_rows=120)
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert written == len(rows) == 120
    assert set(rows[0]) >= {"id_keluarga", "no_kk", "nik", "nama", "program", "pengurus"}
    assert len({r["nik"] for r in rows}) == 120


@pytest.mark.pg
def test_populate_demo_on_postgresql() -> None:
    url = os.environ.get("BEKASI_TEST_PG_URL")
    if not url:
        pytest.skip("BEKASI_TEST_PG_URL is not set")
    schema = f"h1_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        SQLModel.metadata.create_all(engine, tables=[
            m.__table__ for m in (models.Household, models.Member, models.Event,
                                  models.Entitlement, models.PersonEntitlement,
                                  models.Officer)])
        data = demo.populate_demo(engine, households=25, seed=7)
        assert data.event_id == demo.MAIN_EVENT_ID and data.households == 65
        assert sorted(e.id for e in events.list_events(engine)) == sorted(
            [demo.MAIN_EVENT_ID, demo.SIBLING_EVENT_ID, "DEMO-BPJSTK-KOTABARU",
             "DEMO-GRAD-PKH-KOTABARU"])
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
