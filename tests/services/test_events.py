"""Events: who gets an entitlement, defaults per programme, kelurahan checks, CLI, PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from bekasi_field.domain.errors import BekasiError
from bekasi_field.services import events
from bekasi_field.services.site import Site
from bekasi_field.store import models

HOUSEHOLDS = [
    # id, kelurahan, programs, status
    ("H1", "Kota Baru", "BPNT,KKS,PKH", "active"),
    ("H2", "Kota Baru", "KKS", "suspended"),
    ("H3", "Kota Baru", "BPNT", "active"),
    ("H4", "Kranji", "KKS", "active"),
    ("H5", "Bintara", "KKS", "active"),
    ("H6", "Kranji", "BLT,KKS", "graduated"),
    ("H7", "Kranji", "BPJSTK", "active"),
]


def _seed(conn_execute) -> None:
    for hid, kel, progs, status in HOUSEHOLDS:
        conn_execute(
            text("INSERT INTO households (id, no_kk, address, rt, rw, kelurahan, kecamatan, "
                 "programs, status, content_hash, version) VALUES (:id, :kk, '', '001', '002', "
                 ":kel, 'Bekasi Barat', :p, :s, '', 0)"),
            {"id": hid, "kk": "32750201012000" + hid[1:].zfill(2), "kel": kel, "p": progs,
             "s": status},
        )


@pytest.fixture
def registry(site: Site) -> Site:
    with site.db.engine.begin() as conn:
        _seed(conn.execute)
    return site


def _allocated(site: Site, event_id: str) -> set[str]:
    conn = site.db.raw()
    try:
        return {r[0] for r in conn.execute(
            "SELECT household_id FROM entitlements WHERE event_id = ?", (event_id,))}
    finally:
        conn.close()


def test_only_active_enrolled_households_of_served_kelurahan_are_allocated(registry: Site) -> None:
    created = events.create_event(
        registry.db.engine, programme="KKS", site_kelurahan="Kota Baru",
        served_kelurahan=["Kota Baru", "Kranji"], start_date="2026-11-23", end_date="2026-11-27")
    assert created.entitlements == 2
    assert _allocated(registry, created.event_id) == {"H1", "H4"}


def test_programme_names_match_whole_words_only(registry: Site) -> None:
    # "BPJSTK" must not be taken for another programme, nor "KKS" for part of a longer name.
    created = events.create_event(
        registry.db.engine, programme="bpjstk", site_kelurahan="Kranji",
        served_kelurahan=["Kranji"], start_date=dt.date(2026, 11, 23),
        end_date=dt.date(2026, 11, 23))
    assert _allocated(registry, created.event_id) == {"H7"}
    info = events.get_event(registry.db.engine, created.event_id)
    assert info.item.startswith("Iuran BPJS Ketenagakerjaan") and info.amount == 201_000


def test_defaults_per_programme_and_overrides(registry: Site) -> None:
    eng = registry.db.engine
    blt = events.create_event(eng, programme="BLT", site_kelurahan="Kota Baru",
                              served_kelurahan=["Kota Baru"], start_date="2026-11-23",
                              end_date="2026-11-23")
    bpnt = events.create_event(eng, programme="BPNT", site_kelurahan="Kota Baru",
                               served_kelurahan=["Kota Baru"], start_date="2026-11-23",
                               end_date="2026-11-24", item="Beras 5 kg + telur", amount=150_000,
                               name="BPNT November", require_photo=True,
                               require_signature=True, allow_proxy=False)
    a, b = events.get_event(eng, blt.event_id), events.get_event(eng, bpnt.event_id)
    assert (a.item, a.amount) == ("BLT tunai", 250_000)
    assert (b.item, b.amount, b.name) == ("Beras 5 kg + telur", 150_000, "BPNT November")
    assert (b.require_photo, b.require_signature, b.allow_proxy) == (True, True, False)
    assert b.entitlements == 2 and b.status == "open"  # H1 and H3


def test_kelurahan_are_checked_and_spelled_canonically(registry: Site) -> None:
    created = events.create_event(
        registry.db.engine, programme="KKS", site_kelurahan="KOTA BARU",
        served_kelurahan=["kota baru", "Kel. Kranji", "kotabaru"], start_date="2026-11-23",
        end_date="2026-11-23")
    info = events.get_event(registry.db.engine, created.event_id)
    assert info.site_kelurahan == "Kota Baru"
    assert info.served_kelurahan == ["Kota Baru", "Kranji"]
    with pytest.raises(BekasiError, match="Kota Baru"):
        events.create_event(registry.db.engine, programme="KKS", site_kelurahan="Kota Baroe",
                            served_kelurahan=["Kota Baroe"], start_date="2026-11-23",
                            end_date="2026-11-23")


@pytest.mark.parametrize("kwargs", [
    {"programme": "BANSOS"},
    {"end_date": "2026-11-20"},
    {"start_date": "2026-13-01"},
    {"start_date": "23-11-26"},
    {"served_kelurahan": ["Kota Baru", "Menteng"]},
])
def test_bad_input_is_refused_and_writes_nothing(registry: Site, kwargs: dict) -> None:
    args = {"programme": "KKS", "site_kelurahan": "Kota Baru", "served_kelurahan": ["Kota Baru"],
            "start_date": "2026-11-23", "end_date": "2026-11-27", **kwargs}
    with pytest.raises(BekasiError):
        events.create_event(registry.db.engine, **args)
    assert events.list_events(registry.db.engine) == []


def test_event_ids_serials_and_lookup(registry: Site) -> None:
    eng = registry.db.engine
    kw = {"programme": "KKS", "site_kelurahan": "Kota Baru",
          "served_kelurahan": ["Kota Baru", "Kranji"], "start_date": "2026-11-23",
          "end_date": "2026-11-23"}
    first = events.create_event(eng, **kw)
    second = events.create_event(eng, **{**kw, "start_date": "23-11-2026",
                                         "end_date": "23/11/2026"})
    assert first.event_id == "KKS-KOTABARU-20261123"
    assert second.event_id == "KKS-KOTABARU-20261123-2"
    with pytest.raises(BekasiError, match="sudah ada"):
        events.create_event(eng, **kw, event_id=first.event_id)
    conn = registry.db.raw()
    serials = [r[0] for r in conn.execute("SELECT slip_serial FROM entitlements")]
    conn.close()
    assert len(serials) == len(set(serials)) == 4
    assert all(len(s) == events.SERIAL_LENGTH and s.isalnum() and s.isupper() for s in serials)
    assert [e.id for e in events.list_events(eng)] == [first.event_id, second.event_id]
    with pytest.raises(BekasiError, match="tidak ditemukan"):
        events.get_event(eng, "NOPE")


def test_cli_create_and_list(registry: Site, cli) -> None:
    r = cli("event", "create", "--programme", "KKS", "--site", "Kota Baru", "--serves",
            "Kota Baru,Kranji", "--start", "2026-11-23", "--end", "2026-11-27", "--amount",
            "0", "--photo", "--no-proxy", "--json")
    assert r.code == 0, r.err
    assert r.json["event_id"] == "KKS-KOTABARU-20261123" and r.json["entitlements"] == 2
    assert r.json["require_photo"] is True and r.json["allow_proxy"] is False
    assert registry.db.get_meta("site_kelurahan") == "Kota Baru"
    listed = cli("event", "list", "--json")
    assert [e["event_id"] for e in listed.json["events"]] == ["KKS-KOTABARU-20261123"]
    bad = cli("event", "create", "--programme", "KKS", "--site", "Kranjii", "--start",
              "2026-11-23", "--json")
    assert bad.code == 3 and "Kranji" in bad.err and bad.out == ""


@pytest.fixture
def pg_engine():
    url = os.environ.get("BEKASI_TEST_PG_URL")
    if not url:
        pytest.skip("BEKASI_TEST_PG_URL is not set")
    schema = f"h1_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    tables = [m.__table__ for m in (models.Household, models.Member, models.Event,
                                    models.Entitlement, models.PersonEntitlement,
                                    models.Officer)]
    SQLModel.metadata.create_all(engine, tables=tables)
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.mark.pg
def test_create_event_on_postgresql(pg_engine) -> None:
    with pg_engine.begin() as conn:
        _seed(conn.execute)
    created = events.create_event(
        pg_engine, programme="KKS", site_kelurahan="Kota Baru",
        served_kelurahan=["Kota Baru", "Kranji"], start_date="2026-11-23", end_date="2026-11-27")
    assert created.entitlements == 2
    info = events.get_event(pg_engine, created.event_id)
    assert info.served_kelurahan == ["Kota Baru", "Kranji"] and info.entitlements == 2
    assert [e.id for e in events.list_events(pg_engine)] == [created.event_id]
