"""Report queries on a seeded SQLite site: void-aware, day-bounded in WIB, duplicates counted once."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pytest

from bekasi_field.domain.errors import BekasiError
from bekasi_field.services import reports
from bekasi_field.services.site import Site


def _load_fixture_module():
    """journal_fixture.py by path (importlib mode cannot import between test folders)."""
    name = "bkf_journal_fixture"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).parent.parent / "reports" / "journal_fixture.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while it loads
        spec.loader.exec_module(module)
    return sys.modules[name]


jf = _load_fixture_module()

DAY1 = dt.date(2026, 11, 23)
DAY2 = dt.date(2026, 11, 24)


@pytest.fixture
def seeded(site: Site):
    return site, jf.seed_scenario(site.db)


def test_handovers_of_a_day_leave_out_voids_and_use_wib_dates(seeded) -> None:
    site, sc = seeded
    rows = reports.handovers(site.db.engine, jf.EVENT_ID, day=DAY1)
    hh = [r.household_id for r in rows]
    assert sc.voided not in hh
    assert "H011" in hh  # 16.30 UTC = 23.30 WIB, still the 23rd
    assert "H012" not in hh  # 17.30 UTC on the 23rd = 00.30 WIB on the 24th
    assert len(rows) == 9 and len(set(hh)) == 8
    assert hh.count(sc.duplicate) == 2
    day2 = {r.household_id for r in reports.handovers(site.db.engine, jf.EVENT_ID, day=DAY2)}
    assert day2 == {"H009", "H010", "H012"}


def test_rows_carry_names_masked_nik_time_and_proxy(seeded) -> None:
    site, sc = seeded
    rows = {r.household_id: r for r in reports.handovers(site.db.engine, jf.EVENT_ID)}
    first = rows["H001"]
    assert first.recipient_name == jf.NAMES[0]  # from the pengurus when the entry has none
    assert first.recipient_nik == jf.nik_for(0)
    assert first.nik_masked.startswith("3275") and first.nik_masked.endswith("0001")
    assert jf.nik_for(0) not in str(first.as_json())
    assert first.local_time == "08.05"
    assert first.kelurahan == "Kota Baru" and rows["H002"].kelurahan == "Kranji"
    assert first.amount == 250_000 and first.officer_name == "Indah Permata"
    proxy = rows[sc.proxy]
    assert proxy.is_proxy and proxy.proxy_name == "Sutrisno" and proxy.proxy_relationship == "Suami"


def test_remaining_is_every_entitled_household_without_a_live_handover(seeded) -> None:
    site, sc = seeded
    left = [r.household_id for r in reports.remaining(site.db.engine, jf.EVENT_ID)]
    collected = {"H001", "H002", "H003", "H004", "H006", "H007", "H008", "H009", "H010", "H011",
                 "H012"}
    assert set(left) == set(sc.households) - collected
    assert sc.voided in left  # a voided hand-over means the household still has to collect
    assert len(left) == 9


def test_recap_by_kelurahan_counts_households_once(seeded) -> None:
    site, _ = seeded
    recap = {k.kelurahan: k for k in reports.recap_by_kelurahan(site.db.engine, jf.EVENT_ID)}
    assert set(recap) == {"Kota Baru", "Kranji"}
    assert recap["Kota Baru"].allocated == 10 and recap["Kranji"].allocated == 10
    # Kota Baru (odd ids): H001 H003 H007 H009 H011; Kranji: H002 H004 H006 H008 H010 H012
    assert recap["Kota Baru"].collected == 5 and recap["Kranji"].collected == 6
    assert recap["Kota Baru"].by_proxy == 1
    assert recap["Kranji"].amount_collected == 6 * 250_000
    assert recap["Kota Baru"].remaining == 5


def test_bast_data_totals_officers_and_supervisor(seeded) -> None:
    site, _ = seeded
    data = reports.bast_data(site.db.engine, jf.EVENT_ID, day=DAY1)
    t = data.totals
    assert (t.households, t.entries, t.duplicates) == (8, 9, 1)
    assert (t.by_self, t.by_proxy) == (7, 1)
    assert t.amount == 8 * 250_000 and t.allocated == 20
    assert [o.id for o in data.officers] == ["petugas1", "petugas2"]
    assert [o.name for o in data.supervisors] == ["Bambang Wijaya"]  # the one who voided
    assert data.period == (DAY1, DAY1)
    assert data.event.site_kecamatan == "Bekasi Barat"
    assert data.event.served_kelurahan == ["Kota Baru", "Kranji"]
    whole = reports.bast_data(site.db.engine, jf.EVENT_ID)
    assert whole.period == (DAY1, DAY2) and whole.totals.households == 11


def test_per_hour_and_duplicates(seeded) -> None:
    site, sc = seeded
    rows = reports.handovers(site.db.engine, jf.EVENT_ID, day=DAY1)
    hours = dict(reports.per_hour(rows))
    assert len(hours) == 24 and sum(hours.values()) == 9
    # 08.05 08.09 | 09.13 09.17 | 10.21 (voided) 10.25 + desk B 10.00 | 11.29 11.33 | 23.30
    assert [hours[h] for h in (7, 8, 9, 10, 11, 12, 23)] == [0, 2, 2, 2, 2, 0, 1]
    assert list(reports.duplicates(rows)) == [sc.duplicate]


def test_unknown_event_is_a_user_error(site: Site) -> None:
    with pytest.raises(BekasiError, match="NOPE"):
        reports.bast_data(site.db.engine, "NOPE")


def test_event_without_amount_and_without_handovers(site: Site) -> None:
    jf.seed_roster(site.db, households=4, amount=None)
    data = reports.bast_data(site.db.engine, jf.EVENT_ID)
    assert data.rows == [] and data.totals.amount == 0 and data.totals.allocated == 4
    assert data.period == (DAY1, DAY2)
    assert [o.id for o in data.supervisors] == ["spv1"]  # no voids: the site's supervisors
