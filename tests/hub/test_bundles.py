"""USB bundles: desk journal -> hub, hub snapshot -> desk; idempotent, tampering refused."""

from __future__ import annotations

from pathlib import Path

from helpers_hub import EVENT, ThreadHub, enrol_code, handover, seed_registry
from sqlalchemy import func, select

from bekasi_field.hub.models import HubEvidence, HubJournal
from bekasi_field.services import sync_service
from bekasi_field.services.site import Site
from bekasi_field.services.verdict_engine import VerdictEngine


def _stored(hub: ThreadHub) -> int:
    with hub.store.read() as conn:
        return conn.execute(select(func.count()).select_from(HubJournal.__table__)).scalar_one()


def _flip(src: Path, dst: Path, offset: int) -> Path:
    data = bytearray(src.read_bytes())
    data[offset] ^= 0x01
    dst.write_bytes(bytes(data))
    return dst


def test_journal_bundle_to_hub_and_snapshot_bundle_back(
        hub: ThreadHub, hub_db_url: str, tmp_path: Path, cli) -> None:
    seed_registry(hub.store)
    home_a, home_b = tmp_path / "desk-a", tmp_path / "desk-b"
    for home in (home_a, home_b):
        with Site.open(home) as site:
            sync_service.sync_now(site=site, hub_url=hub.url, enrol_code=enrol_code(hub.store))
    hub.stop()  # from here on the site has no connection at all
    with Site.open(home_a) as a:
        handover(a, "KPM-0001", photo=b"photo of the hand-over")
        handover(a, "KPM-0002")
        device_b = Site.open(home_b)
        b_id = device_b.device_id
        device_b.close()
    stick = tmp_path / "usb"
    out = cli("bundle", "export", stick / "desk-a.bkf", "--home", home_a, "--json")
    assert out.code == 0, out.err
    assert out.json["entries"] == 2 and out.json["evidence"] == 1

    r = cli("hub", "bundle", "import", stick / "desk-a.bkf", "--db", hub_db_url, "--json")
    assert r.code == 0, r.err
    assert (r.json["stored"], r.json["duplicates"]) == (2, 0)
    again = cli("hub", "bundle", "import", stick / "desk-a.bkf", "--db", hub_db_url, "--json")
    assert (again.json["stored"], again.json["duplicates"]) == (0, 2)
    assert _stored(hub) == 2
    with hub.store.read() as conn:
        assert conn.execute(select(func.count()).select_from(HubEvidence.__table__)
                            ).scalar_one() == 1

    r = cli("hub", "bundle", "export", stick / "for-b.bkf", "--device", b_id,
            "--db", hub_db_url, "--json")
    assert r.code == 0, r.err
    assert r.json["journal"] == 2
    r = cli("bundle", "import", stick / "for-b.bkf", "--home", home_b, "--json")
    assert r.code == 0, r.err
    assert r.json["pulled"] == 2
    with Site.open(home_b) as b:
        engine = VerdictEngine(b.db)
        try:
            assert engine.check("KPM-0001", event_id=EVENT).code.value == "ALREADY_COLLECTED"
        finally:
            engine.close()
    # the wrong desk cannot use b's bundle
    r = cli("bundle", "import", stick / "for-b.bkf", "--home", home_a)
    assert r.code == 3 and "perangkat lain" in r.err


def test_truncated_or_altered_bundles_are_refused_with_nothing_applied(
        hub: ThreadHub, hub_db_url: str, tmp_path: Path, cli) -> None:
    seed_registry(hub.store)
    home = tmp_path / "desk"
    with Site.open(home) as site:
        sync_service.sync_now(site=site, hub_url=hub.url, enrol_code=enrol_code(hub.store))
        handover(site, "KPM-0003")
        device = site.device_id
    good = tmp_path / "desk.bkf"
    assert cli("bundle", "export", good, "--home", home).code == 0
    data = good.read_bytes()
    truncated = tmp_path / "truncated.bkf"
    truncated.write_bytes(data[: len(data) - 10])
    header_end = data.index(b"\n", 6)
    bad_files = [truncated, _flip(good, tmp_path / "payload.bkf", len(data) - 20),
                 _flip(good, tmp_path / "header.bkf", header_end - 30)]
    for bad in bad_files:
        r = cli("hub", "bundle", "import", bad, "--db", hub_db_url)
        assert r.code == 3 and "Traceback" not in r.err, (bad, r.err)
    assert _stored(hub) == 0

    snap = tmp_path / "snap.bkf"
    assert cli("hub", "bundle", "export", snap, "--device", device, "--db", hub_db_url).code == 0
    before = Site.open(home)
    version = before.db.get_meta("snapshot_version")
    before.close()
    sdata = snap.read_bytes()
    for bad in (_flip(snap, tmp_path / "snap-x.bkf", len(sdata) - 5),):
        r = cli("bundle", "import", bad, "--home", home)
        assert r.code == 3 and "rusak" in r.err
    with Site.open(home) as site:
        assert site.db.get_meta("snapshot_version") == version
    # a journal bundle is not a snapshot bundle
    r = cli("bundle", "import", good, "--home", home)
    assert r.code == 3


def test_bundles_need_an_enrolled_desk(tmp_path: Path, cli) -> None:
    for verb in ("export", "import"):
        args = ("bundle", verb, tmp_path / "x.bkf")
        r = cli(*args)
        assert r.code == 3 and "belum terdaftar" in r.err
    assert not (tmp_path / "x.bkf").exists()


def test_a_sealed_bundle_with_another_desks_entries_is_refused(
        hub: ThreadHub, hub_db_url: str, tmp_path: Path, cli) -> None:
    from helpers_hub import chain

    from bekasi_field.sync.bundle import bundle_key, write_bundle
    from bekasi_field.sync.signing import device_mac, token_hash
    home = tmp_path / "desk"
    with Site.open(home) as site:
        sync_service.sync_now(site=site, hub_url=hub.url, enrol_code=enrol_code(hub.store))
        device, token = site.device_id, site.db.get_meta("hub_token")
    assert token
    path = tmp_path / "odd.bkf"
    write_bundle(path, kind="journal", header={"device_id": device},
                 payload={"device_id": device, "entries": chain("someone-else", 2),
                          "evidence": {}},
                 seal=lambda data: device_mac(token, data),
                 encrypt_key=bundle_key(token_hash(token)))
    r = cli("hub", "bundle", "import", path, "--db", hub_db_url)
    assert r.code == 3 and "jurnalnya sendiri" in r.err
    assert _stored(hub) == 0
