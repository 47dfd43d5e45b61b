"""Hub-side jobs sharing the desk's services: demo, slips, events, roster; a desk pulls them."""

from __future__ import annotations

from pathlib import Path

from helpers_hub import ThreadHub
from sqlalchemy import text

from bekasi_field.services import keys, officers, sync_service
from bekasi_field.services.demo import write_synthetic_roster_csv
from bekasi_field.services.site import Site
from bekasi_field.services.slips import event_slip_cards
from bekasi_field.services.verdict_engine import VerdictEngine


def test_hub_demo_slips_events_and_roster_reach_an_enrolled_desk(
        hub: ThreadHub, hub_db_url: str, tmp_path: Path, cli, home: Path) -> None:
    db = ["--db", hub_db_url]
    demo = cli("hub", "demo", "--households", "30", *db, "--json")
    assert demo.code == 0, demo.err
    event = demo.json["event_id"]
    assert {o["role"] for o in demo.json["officers"]} >= {"supervisor", "petugas"}
    slips = cli("hub", "slips", event, "--out", tmp_path / "slips.pdf", *db, "--json")
    assert slips.code == 0, slips.err
    assert slips.json["slips"] > 0 and (tmp_path / "slips.pdf").stat().st_size > 1000
    code = cli("hub", "enrol-code", "--site", "Kota Baru", *db, "--json")
    assert code.code == 0 and len(code.json["code"]) == 14

    desk = Site.open(tmp_path / "desk")
    try:
        first = sync_service.sync_now(site=desk, hub_url=hub.url, enrol_code=code.json["code"])
        assert first.pulled > 30
        # officers with their PIN hashes: the supervisor logs in offline with the demo PIN
        spv = next(o for o in demo.json["officers"] if o["role"] == "supervisor")
        assert officers.login(desk.db, officer_id=spv["id"], pin=spv["pin"]).is_supervisor
        signer = keys.usable_signer(hub.store.engine, home / "hub-keys",
                                    seal_key=hub.store.seal_key)
        assert signer is not None
        slip = event_slip_cards(engine=hub.store.engine, event_id=event, signer=signer)[0]
        with hub.store.engine.connect() as conn:
            bintara = conn.execute(text(
                "SELECT id FROM households WHERE kelurahan = 'Bintara' LIMIT 1")).scalar_one()
        engine = VerdictEngine(desk.db)
        try:
            # the hub's issuer key travelled in the snapshot, so its slips verify at the desk
            assert engine.check(slip.qr_text, event_id=event).code.value == "ELIGIBLE"
            # another site's household never reaches this desk (hub/scope.py): not WRONG_SITE
            # but unknown here, and none of its people are on the desk
            assert engine.check(bintara, event_id=event).code.value == "UNKNOWN"
        finally:
            engine.close()

        created = cli("hub", "event", "create", "--programme", "BLT", "--site", "Kota Baru",
                      "--serves", "Kota Baru,Kranji", "--amount", "250000",
                      "--start", "2026-11-23", "--end", "2026-11-30", *db, "--json")
        assert created.code == 0, created.err
        assert created.json["entitlements"] > 0
        roster = tmp_path / "roster.csv"
        write_synthetic_roster_csv(roster, households=5, seed=99)
        imported = cli("hub", "roster", "import", roster, *db, "--json")
        assert imported.code == 0, imported.err
        assert imported.json["imported"] > 0
        delta = sync_service.sync_now(site=desk)
        assert delta.pulled >= created.json["entitlements"] + 1 + 5
        conn = desk.db.raw()
        try:
            assert conn.execute("SELECT count(*) FROM events WHERE id = ?",
                                (created.json["event_id"],)).fetchone()[0] == 1
        finally:
            conn.close()
    finally:
        desk.close()


def test_an_unreachable_hub_database_is_a_clear_error(cli) -> None:
    from helpers_hub import free_port
    url = f"postgresql+psycopg://postgres:postgres@127.0.0.1:{free_port()}/none"
    for args in (("hub", "--db", url, "--port", str(free_port())),
                 ("hub", "enrol-code", "--db", url)):
        r = cli(*args)
        assert r.code == 3 and "tidak dapat dibuka" in r.err and "Traceback" not in r.err


def test_a_hub_roster_with_a_pekerjaan_column_reaches_the_desk_with_occupations(
        hub: ThreadHub, hub_db_url: str, tmp_path: Path, cli) -> None:
    """The hub's writer (SQLAlchemy Core on PostgreSQL, sqlite3 on a file) stores the column;
    a re-import that changes only the occupation updates the member, and the desk gets it."""
    db = ["--db", hub_db_url]
    header = ("id_keluarga,no_kk,nik,nama,hubungan,jenis_kelamin,tanggal_lahir,alamat,rt,rw,"
              "kelurahan,kecamatan,desil,program,pekerjaan")
    rows = [f"H{n},327502010100000{n},327502010190000{n},{name},Kepala Keluarga,L,1990-01-01,"
            f"Jl. {n},1,2,Kota Baru,Bekasi Barat,1,BPJSTK,{job}"
            for n, name, job in ((1, "Andi", "Driver  Ojol"), (2, "Budi", "PNS"))]
    path = tmp_path / "dtsen.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    assert cli("hub", "roster", "import", path, *db, "--json").json["imported"] == 2
    code = cli("hub", "enrol-code", "--site", "Kota Baru", *db, "--json").json["code"]
    desk = Site.open(tmp_path / "desk")
    try:
        sync_service.sync_now(site=desk, hub_url=hub.url, enrol_code=code)
        rows[1] = rows[1].replace("PNS", "Pedagang kaki lima")
        path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
        again = cli("hub", "roster", "import", path, *db, "--json").json
        assert (again["updated"], again["unchanged"]) == (1, 1)
        with hub.store.engine.connect() as conn:
            assert dict(conn.execute(text("SELECT name, occupation FROM members")).all()) == {
                "Andi": "Driver Ojol", "Budi": "Pedagang kaki lima"}
        sync_service.sync_now(site=desk)
        conn = desk.db.raw()
        try:
            assert dict(conn.execute("SELECT name, occupation FROM members").fetchall()) == {
                "Andi": "Driver Ojol", "Budi": "Pedagang kaki lima"}
        finally:
            conn.close()
    finally:
        desk.close()
