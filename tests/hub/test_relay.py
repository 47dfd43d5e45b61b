"""A site hub relaying to a city hub (both real uvicorn hubs on 127.0.0.1): the city's counts
and conflicts equal the site's, each entry as from its own desk, evidence included, replays
stored once; the city's registry comes down to the site hub and on to its desks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from helpers_hub import EVENT, ThreadHub, enrol_code, handover, seed_registry
from sqlalchemy import func, select

from bekasi_field.hub import crud, relay
from bekasi_field.hub.models import HubEvidence, HubJournal
from bekasi_field.hub.relay_ingest import grant_relay
from bekasi_field.hub.store import HubStore
from bekasi_field.services import sync_service
from bekasi_field.services.site import Site


@pytest.fixture
def site_hub(tmp_path: Path) -> Iterator[ThreadHub]:
    store = HubStore.open(tmp_path / "site-hub.db")  # a supervisor's laptop: SQLite
    server = ThreadHub(store).start()
    yield server
    server.stop()
    store.dispose()


def _relay_code(city: ThreadHub) -> str:
    with city.store.write() as conn:
        code = crud.create_enrol_code(conn, site_kelurahan="Kota Baru")
        grant_relay(conn, code=code)
    return code


def _site_officers(store: HubStore) -> None:
    """The site hub's supervisor lets the site's officers act there (hub-side assignment,
    not part of the city's snapshot)."""
    from bekasi_field.hub.officer_sites import assign_officer
    with store.write() as conn:
        for officer in ("PTG01", "SPV01"):
            assign_officer(conn, officer_id=officer, site="Kota Baru")


def _rows(store: HubStore) -> list[tuple[str, str, int, str]]:
    j = HubJournal.__table__
    with store.read() as conn:
        return sorted(conn.execute(select(j.c.uuid, j.c.device_id, j.c.seq, j.c.hash)).all())


def _conflicts(store: HubStore) -> list[tuple[str, str, int]]:
    with store.read() as conn:
        return sorted((c["event_id"], c["household_id"], len(c["entries"]))
                      for c in crud.list_conflicts(conn))


def test_site_hub_relays_to_the_city_hub(hub: ThreadHub, site_hub: ThreadHub,
                                         tmp_path: Path) -> None:
    city = hub
    seed_registry(city.store, households=5)
    relay.enrol_upstream(site_hub.store, url=city.url, code=_relay_code(city))
    first = relay.relay_round(site_hub.store)
    assert first.pulled_registry > 0  # the city's registry came down to the site hub
    # ... with the officers of its site, who serve the site at the site hub too (it checks
    # every entry's officer against its site, and sends its desks only those officers)
    from bekasi_field.hub.officer_sites import officers_of_site
    with site_hub.store.read() as conn:
        assert officers_of_site(conn, "Kota Baru") == {"PTG01", "SPV01"}
    desks = [Site.open(tmp_path / f"desk-{i}") for i in range(2)]
    try:
        for d in desks:
            sync_service.sync_now(site=d, hub_url=site_hub.url,
                                  enrol_code=enrol_code(site_hub.store))
        a, b = desks
        handover(a, "KPM-0001", photo=b"\xff\xd8 a photo of the recipient")
        handover(a, "KPM-0002")
        handover(b, "KPM-0002")  # both desks offline from each other: a double collection
        handover(b, "KPM-0003")
        for d in desks:
            sync_service.sync_now(site=d)
        round_ = relay.relay_round(site_hub.store)
        assert (round_.pushed, round_.evidence, round_.problems) == (4, 1, [])
        assert _rows(city.store) == _rows(site_hub.store)  # unchanged: uuid, device, seq, hash
        assert {r[1] for r in _rows(city.store)} == {a.device_id, b.device_id}
        assert _conflicts(city.store) == _conflicts(site_hub.store) == [(EVENT, "KPM-0002", 2)]
        with city.store.read() as conn:
            assert conn.execute(select(func.count()).select_from(HubEvidence.__table__)
                                ).scalar_one() == 1
        # Idempotent: a lost answer or a restarted relay sends again, nothing is stored twice.
        with site_hub.store.write() as conn:
            site_hub.store.set_meta(conn, "relay_cursor", "0")
        again = relay.relay_round(site_hub.store)
        assert (again.pushed, again.duplicates) == (0, 4)
        assert len(_rows(city.store)) == 4
    finally:
        for d in desks:
            d.close()


def test_only_a_relay_code_may_relay(hub: ThreadHub) -> None:
    seed_registry(hub.store, households=1)
    plain = httpx.post(hub.url + "/api/v1/enrol",
                       json={"code": enrol_code(hub.store), "device_id": "desk-x",
                             "public_key": "ab" * 32}).json()
    r = httpx.post(hub.url + "/api/v1/relay/journal", json={"entries": []},
                   headers={"Authorization": f"Bearer {plain['token']}"})
    assert r.status_code == 403
    assert httpx.post(hub.url + "/api/v1/relay/journal", json={"entries": []}).status_code == 401


def test_relay_by_usb_bundle_when_the_city_is_out_of_reach(
        hub: ThreadHub, site_hub: ThreadHub, tmp_path: Path, cli, hub_db_url: str) -> None:
    city = hub
    seed_registry(city.store, households=4)
    relay.enrol_upstream(site_hub.store, url=city.url, code=_relay_code(city))
    site_db = str(tmp_path / "site-hub.db")
    # The city's registry comes down on a stick too: its snapshot bundle for the relay device.
    down = tmp_path / "city-to-site.bkf"
    r = cli("hub", "bundle", "export", down, "--device", relay.relay_device_id(site_hub.store),
            "--db", hub_db_url, "--json")
    assert r.code == 0, r.err
    r = cli("hub", "bundle", "import-upstream", down, "--db", site_db, "--json")
    assert r.code == 0 and r.json["pulled"] > 0, r.err
    _site_officers(site_hub.store)
    city.stop()  # no link from here on
    desks = [Site.open(tmp_path / f"desk-{i}") for i in range(2)]
    try:
        for d in desks:
            sync_service.sync_now(site=d, hub_url=site_hub.url,
                                  enrol_code=enrol_code(site_hub.store))
        handover(desks[0], "KPM-0001", photo=b"\xff\xd8 photo")
        handover(desks[1], "KPM-0001")
        for d in desks:
            sync_service.sync_now(site=d)
        up = tmp_path / "site-to-city.bkf"
        r = cli("hub", "bundle", "export-relay", up, "--db", site_db, "--json")
        assert (r.code, r.json["entries"], r.json["evidence"]) == (0, 2, 1), r.err
        r = cli("hub", "bundle", "import-relay", up, "--db", hub_db_url, "--json")
        assert (r.code, r.json["stored"], r.json["conflicts"]) == (0, 2, 1), r.err
        r = cli("hub", "bundle", "import-relay", up, "--db", hub_db_url, "--json")
        assert (r.json["stored"], r.json["duplicates"]) == (0, 2)  # a stick read twice
        assert _rows(city.store) == _rows(site_hub.store)
        assert _conflicts(city.store) == _conflicts(site_hub.store) == [(EVENT, "KPM-0001", 2)]
        raw = bytearray(up.read_bytes())
        raw[-2] ^= 0x01  # one bit changed on the stick
        (tmp_path / "bad.bkf").write_bytes(bytes(raw))
        assert cli("hub", "bundle", "import-relay", tmp_path / "bad.bkf", "--db",
                   hub_db_url).code == 3
    finally:
        for d in desks:
            d.close()


@pytest.mark.pg
def test_a_postgresql_site_hub_takes_the_city_snapshot_and_passes_it_on(tmp_path: Path) -> None:
    """A site hub on PostgreSQL (a kelurahan office server) gets the city's registry, full and
    then as a delta, like a SQLite one, and its desks get it from there."""
    import uuid

    from helpers_hub import PG_URL
    from sqlalchemy import create_engine, text

    from bekasi_field.hub.officer_sites import officers_of_site
    from bekasi_field.hub.snapshots import restamp
    if not PG_URL:
        pytest.skip("BEKASI_TEST_PG_URL is not set")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in PG_URL else "?"
    city_store = HubStore.open(f"sqlite:///{tmp_path / 'city.db'}")
    site_store = HubStore.open(f"{PG_URL}{sep}options=-csearch_path%3D{schema}")
    city, site = ThreadHub(city_store).start(), ThreadHub(site_store).start()
    desk = Site.open(tmp_path / "desk")
    try:
        seed_registry(city.store, households=5)
        relay.enrol_upstream(site.store, url=city.url, code=_relay_code(city))
        first = relay.relay_round(site.store)
        assert first.pulled_registry > 0 and first.problems == []
        with site.store.read() as conn:
            assert conn.execute(text("SELECT count(*) FROM households")).scalar_one() == 5
            assert conn.execute(text("SELECT active FROM officers WHERE id = 'PTG01'")
                                ).scalar_one() is True
            assert officers_of_site(conn, "Kota Baru") == {"PTG01", "SPV01"}
        sync_service.sync_now(site=desk, hub_url=site.url, enrol_code=enrol_code(site.store))
        handover(desk, "KPM-0001")
        sync_service.sync_now(site=desk)
        assert relay.relay_round(site.store).pushed == 1
        assert _rows(city.store) == _rows(site.store)
        # a delta: the city corrects an address; the site hub and then the desk get it
        with city.store.engine.begin() as conn:
            conn.execute(text("UPDATE households SET address = 'Jl. Kenanga 9' "
                              "WHERE id = 'KPM-0002'"))
        with city.store.write() as conn:
            restamp(city.store, conn)
        assert relay.relay_round(site.store).pulled_registry >= 1
        sync_service.sync_now(site=desk)
        raw = desk.db.raw()
        try:
            assert raw.execute("SELECT address FROM households WHERE id = 'KPM-0002'"
                               ).fetchone()[0] == "Jl. Kenanga 9"
        finally:
            raw.close()
    finally:
        desk.close()
        site.stop()
        city.stop()
        site_store.dispose()
        city_store.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
