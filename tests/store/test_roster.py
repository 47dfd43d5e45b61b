"""Roster import end to end: messy files, counts, report, re-import, one transaction, CLI."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest

from bekasi_field.domain.errors import BekasiError
from bekasi_field.services import events, roster
from bekasi_field.services.site import Site
from bekasi_field.store import opener

DATA = Path(__file__).resolve().parent.parent / "data" / "rosters"
MESSY = DATA / "messy_semicolon_bom.csv"
TITLE_CP1252 = DATA / "title_row_cp1252.csv"
HEADER = ("id_keluarga,no_kk,nik,nama,hubungan,jenis_kelamin,tanggal_lahir,alamat,rt,rw,"
          "kelurahan,kecamatan,desil,program,no_kartu_kks,pengurus")


def _rows(site: Site, sql: str, *params: object) -> list[tuple]:
    conn = site.db.raw()
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _snapshot_digest(site: Site) -> str:
    h = hashlib.sha256()
    for table in ("households", "members", "entitlements", "events"):
        for row in _rows(site, f"SELECT * FROM {table} ORDER BY 1"):
            h.update(repr(row).encode())
    return h.hexdigest()


def _report(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_messy_semicolon_export(site: Site, tmp_path: Path) -> None:
    report = tmp_path / "out" / "rejected.csv"
    res = roster.import_roster(site.db.engine, MESSY, report_path=report)
    assert (res.read, res.imported, res.updated, res.unchanged, res.rejected) == (14, 7, 0, 0, 7)
    assert res.ignored_columns == ["Keterangan"]
    lines = _report(report)
    assert list(lines[0]) == ["row", "column", "value", "reason"]
    rejected = {(int(r["row"]), r["column"]): r for r in lines
                if not r["reason"].startswith("PERINGATAN")}
    assert sorted(rejected) == [(4, "nik"), (6, "nik"), (7, "nama"), (8, "nik"),
                                (11, "kelurahan"), (13, "desil"), (14, "program")]
    assert "Excel" in rejected[(4, "nik")]["reason"]
    assert "baris 2" in rejected[(6, "nik")]["reason"]  # names the earlier row
    assert rejected[(6, "nik")]["value"] == "3275\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u20220001"
    assert "Kota Baru" in rejected[(11, "kelurahan")]["reason"]
    assert "BANSOS" in rejected[(14, "program")]["reason"]
    warnings = {(int(r["row"]), r["column"]) for r in lines if r["reason"].startswith("PERINGATAN")}
    assert warnings == {(5, "rt"), (15, "tanggal_lahir")}

    hh = {r[0]: r for r in _rows(site, "SELECT id, address, rt, rw, kelurahan, kecamatan, desil, "
                                       "programs, status, kks_card FROM households")}
    assert set(hh) == {"H001", "H003", "H005", "H008", "H009"}
    assert hh["H001"][1:] == ("Jl. Kemakmuran; Gg. Masjid No. 5", "003", "007", "Kota Baru",
                              "Bekasi Barat", 1, "BPNT,KKS,PKH", "active",
                              "5264220000000012")
    assert hh["H003"][4:8] == ("Kranji", "Bekasi Barat", 3, "BLT,BPNT")
    assert hh["H005"][8] == "deceased"
    members = {r[0]: r for r in _rows(site, "SELECT nik, name, name_norm, relationship, sex, "
                                            "birth_date, is_recipient FROM members")}
    assert members["3275021203850001"][1:] == ("Budi Santoso", "budi santoso", "Kepala Keluarga",
                                               "L", "1985-03-12", 0)
    assert members["3275024507880002"][4:] == ("P", "1988-07-05", 1)
    assert members["3275025203120004"][5] == "2012-03-12"  # "12 Maret 2012"
    assert members["3275026105900007"][2] == "nurhayati"  # "Hj. Nurhayati, S.Pd."
    assert members["3275021507750009"][2:4] == ("muhammad rizky", "Kepala Keluarga")
    assert "3275021811750013" in members  # written with spaces between digit groups


def test_title_row_and_windows_1252(site: Site) -> None:
    res = roster.import_roster(site.db.engine, TITLE_CP1252)
    assert (res.read, res.imported, res.rejected) == (2, 2, 0)
    names = {r[0] for r in _rows(site, "SELECT name FROM members")}
    assert names == {"Jos\u00e9 Marpaung", "Dame Siregar"}


def test_reimport_changes_nothing_and_updates_what_changed(site: Site, tmp_path: Path) -> None:
    first = roster.import_roster(site.db.engine, MESSY)
    again = roster.import_roster(site.db.engine, MESSY)
    assert (again.imported, again.updated, again.unchanged, again.rejected) == (0, 0, 7, 7)
    assert first.imported == again.unchanged
    text = MESSY.read_text(encoding="utf-8-sig")
    changed = text.replace("Jl. Kranji Raya No. 1", "Jl. Kranji Raya No. 10").replace(
        "Ujang;", "Ujang Suryana;")
    path = tmp_path / "v2.csv"
    path.write_text(changed, encoding="utf-8")
    res = roster.import_roster(site.db.engine, path)
    assert (res.imported, res.updated, res.unchanged) == (0, 2, 5)
    assert res.households_updated == 1
    assert _rows(site, "SELECT address FROM households WHERE id = 'H003'") == [
        ("Jl. Kranji Raya No. 10",)]
    assert _rows(site, "SELECT name FROM members WHERE nik = '3275021710750012'") == [
        ("Ujang Suryana",)]


def test_nik_already_in_another_household_of_the_snapshot(site: Site, tmp_path: Path) -> None:
    roster.import_roster(site.db.engine, MESSY)
    moved = tmp_path / "moved.csv"
    moved.write_text(HEADER + "\nH777,3275021212120077,3275021203850001,Budi Santoso,"
                     "Kepala Keluarga,L,12-03-1985,Jl. Baru,1,1,Kranji,,1,KKS,,Y\n",
                     encoding="utf-8")
    res = roster.import_roster(site.db.engine, moved)
    assert res.rejected == 1 and "H001" in res.rejections[0].reason
    assert _rows(site, "SELECT household_id FROM members WHERE nik = '3275021203850001'") == [
        ("H001",)]


def test_no_kk_and_card_belong_to_one_household(site: Site, tmp_path: Path) -> None:
    path = tmp_path / "kk.csv"
    lines = [
        HEADER,
        "A1,3275021212120077,3275021203850001,Budi,KK,L,,Jl. A,1,1,Kranji,,1,KKS,5264220000000012,Y",
        "A2,3275021212120077,3275024507880002,Siti,KK,P,,Jl. B,1,1,Kranji,,1,KKS,,Y",
        "A3,3275021212120078,3275025203120004,Rina,KK,P,,Jl. C,1,1,Kranji,,1,KKS,5264220000000012,Y",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = roster.import_roster(site.db.engine, path)
    assert (res.imported, res.rejected) == (1, 2)
    assert [(r.row, r.column) for r in res.rejections] == [(3, "no_kk"), (4, "no_kartu_kks")]
    assert "A1" in res.rejections[0].reason


def test_xlsx_first_sheet_with_number_and_date_cells(site: Site, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ID_KELUARGA", "NO KK", "NIK", "Nama", "Hubungan", "Jenis Kelamin",
               "Tanggal Lahir", "Alamat", "RT", "RW", "Kelurahan", "Kecamatan", "Desil",
               "Program", "No Kartu KKS", "Pengurus"])
    ws.append(["X1", "3275021506100001", "3275021203850001", "Budi", "Kepala Keluarga", "L",
               dt.datetime(1985, 3, 12), "Jl. A", 3, 7, "Kota Baru", "Bekasi Barat", 1,
               "KKS", "5264220000000012", "Y"])
    # A number cell ending in a non-zero digit cannot have been rounded by Excel: kept.
    ws.append(["X1", 3275021506100001, 3275024507880002, "Siti", "Istri", "P", 32329,
               "Jl. A", 3, 7, "Kota Baru", "Bekasi Barat", 1, "KKS", "5264220000000012", ""])
    # One ending in 0 may be 15 significant digits padded: rejected, never guessed.
    ws.append(["X1", "3275021506100001", 3275025203120010, "Rina", "Anak", "P", None,
               "Jl. A", 3, 7, "Kota Baru", "Bekasi Barat", 1, "KKS", "5264220000000012", ""])
    ws.append([None] * 16)
    ws.append(["X1", "3275021506100001", "'3275020101100003", "Ahmad", "Anak", "L",
               "01-01-2010", "Jl. A", 3, 7, "Kota Baru", "Bekasi Barat", 1, "KKS",
               "5264220000000012", ""])
    wb.create_sheet("Catatan").append(["not", "a", "roster"])
    path = tmp_path / "roster.xlsx"
    wb.save(path)
    res = roster.import_roster(site.db.engine, path)
    assert (res.read, res.imported, res.rejected) == (4, 3, 1)
    assert (res.rejections[0].row, res.rejections[0].column) == (4, "nik")
    assert "Excel" in res.rejections[0].reason
    births = dict(_rows(site, "SELECT nik, birth_date FROM members"))
    assert births == {"3275021203850001": "1985-03-12", "3275024507880002": "1988-07-05",
                      "3275020101100003": "2010-01-01"}


@pytest.mark.parametrize(("content", "message"), [
    ("nama;nik\nBudi;3275021203850001\n", "id_keluarga, no_kk, kelurahan"),
    ("", "kosong"),
])
def test_files_without_the_required_columns_are_refused(site: Site, tmp_path: Path,
                                                         content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BekasiError, match=message):
        roster.import_roster(site.db.engine, path)


def test_a_failure_half_way_leaves_the_previous_snapshot(site: Site, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    roster.import_roster(site.db.engine, TITLE_CP1252)
    events.create_event(site.db.engine, programme="PKH", site_kelurahan="Kranji",
                        served_kelurahan=["Kranji"], start_date="2026-11-23",
                        end_date="2026-11-23")
    before = _snapshot_digest(site)
    monkeypatch.setattr(roster, "CHUNK_ROWS", 2)  # flush (write) every two rows

    def interrupt(done: int, total: int) -> None:
        if done >= 4:
            raise KeyboardInterrupt  # Ctrl+C at the desk, after rows were written

    with pytest.raises(KeyboardInterrupt):
        roster.import_roster(site.db.engine, MESSY, progress=interrupt)
    assert _snapshot_digest(site) == before
    # A database error half-way (here a trigger refusing one NIK) is rolled back too.
    with site.db.transaction() as conn:
        conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON members WHEN "
                     "NEW.nik = '3275021507750009' BEGIN SELECT RAISE(ABORT, 'refused'); END")
    with pytest.raises(opener.IntegrityError):
        roster.import_roster(site.db.engine, MESSY)
    assert _snapshot_digest(site) == before
    integrity = _rows(site, "PRAGMA integrity_check")
    assert integrity == [("ok",)]
    assert {r[0] for r in _rows(site, "SELECT name FROM sqlite_master WHERE type = 'index'")} >= {
        "ix_members_household_id", "ix_members_name_norm", "ix_households_kelurahan"}


def test_first_import_into_an_empty_snapshot_keeps_the_indexes(site: Site) -> None:
    def index_sql() -> list[tuple]:
        return _rows(site, "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                           "AND tbl_name IN ('members', 'households') ORDER BY name")

    before = index_sql()
    calls: list[tuple[int, int]] = []
    roster.import_roster(site.db.engine, MESSY, progress=lambda d, t: calls.append((d, t)))
    assert index_sql() == before
    assert calls[-1] == (14, 14)


def test_imported_households_get_entitlements(site: Site) -> None:
    roster.import_roster(site.db.engine, MESSY)
    created = events.create_event(site.db.engine, programme="KKS", site_kelurahan="Kota Baru",
                                  served_kelurahan=["Kota Baru", "Kranji"],
                                  start_date="2026-11-23", end_date="2026-11-27")
    # H001, H008, H009 (Kota Baru, KKS, active); H005 is deceased; H003 has no KKS.
    allocated = {r[0] for r in _rows(site, "SELECT household_id FROM entitlements "
                                           "WHERE event_id = ?", created.event_id)}
    assert allocated == {"H001", "H008", "H009"}


def test_cli_json_and_report(cli, tmp_path: Path, home: Path) -> None:
    report = tmp_path / "r.csv"
    r = cli("roster", "import", MESSY, "--report", report, "--json")
    assert r.code == 0, r.err
    assert {k: r.json[k] for k in ("read", "imported", "updated", "unchanged", "rejected")} == {
        "read": 14, "imported": 7, "updated": 0, "unchanged": 0, "rejected": 7}
    assert r.json["report"] == str(report) and len(_report(report)) == 9
    text_run = cli("roster", "import", MESSY)
    assert text_run.code == 0 and "7 tetap" in text_run.out and "baris 2" in text_run.out
    missing = cli("roster", "import", tmp_path / "nope.csv", "--json")
    assert missing.code == 3 and missing.out == "" and "tidak ditemukan" in missing.err


@pytest.mark.slow
def test_killed_import_leaves_old_or_new_snapshot_never_half(tmp_path: Path, home: Path) -> None:
    """SIGKILL a real import process at some point: the snapshot is the old one or the new."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from bekasi_field.services.demo import write_synthetic_roster_csv

    big = tmp_path / "big.csv"
    rows = write_synthetic_roster_csv(big, households=15_000, seed=3, max_rows=40_000)
    with Site.open(home) as site:
        roster.import_roster(site.db.engine, TITLE_CP1252)
        before = _snapshot_digest(site)
        dbfile = site.db.file
    proc = subprocess.Popen([sys.executable, "-m", "bekasi_field", "--home", str(home),
                             "roster", "import", str(big), "--json"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "BEKASI_FIELD_HOME": str(home)})
    deadline = time.monotonic() + 120
    in_transaction = False
    # Wait until the import holds the write transaction (another writer is refused), then
    # give it a moment to write rows, then kill it.
    while time.monotonic() < deadline and proc.poll() is None and not in_transaction:
        probe = opener.connect(dbfile, timeout=0, pragmas=False)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
        except opener.OperationalError:
            in_transaction = True
        finally:
            probe.close()
        time.sleep(0.02)
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    # 40,000 rows go through the writer process: orphaned, it must roll back and let go.
    released = False
    while time.monotonic() < deadline and not released:
        probe = opener.connect(dbfile, timeout=0, pragmas=False)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            released = True
        except opener.OperationalError:
            time.sleep(0.05)
        finally:
            probe.close()
    assert released, "the importer's writer process still holds the database"
    shutil.copy(dbfile.path, tmp_path / "copy.db")  # evidence if it fails
    with Site.open(home) as site:
        assert _rows(site, "PRAGMA integrity_check") == [("ok",)]
        count = _rows(site, "SELECT count(*) FROM members")[0][0]
        if count == 2:
            assert _snapshot_digest(site) == before
        else:
            assert count == rows + 2  # the whole new roster committed before the kill
    assert in_transaction  # the kill was aimed at a running import


@pytest.fixture
def pg_engine():
    import os
    import uuid

    from sqlalchemy import create_engine, text
    from sqlmodel import SQLModel

    from bekasi_field.store import models

    url = os.environ.get("BEKASI_TEST_PG_URL")
    if not url:
        pytest.skip("BEKASI_TEST_PG_URL is not set")
    schema = f"h1_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    SQLModel.metadata.create_all(engine, tables=[
        m.__table__ for m in (models.Household, models.Member, models.Event,
                              models.Entitlement)])
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def _registry(engine) -> tuple[list[tuple], list[tuple]]:
    from sqlalchemy import text

    with engine.connect() as conn:
        hh = [tuple(r) for r in conn.execute(text(
            "SELECT id, no_kk, address, rt, rw, kelurahan, kecamatan, desil, programs, status, "
            "kks_card, content_hash FROM households ORDER BY id"))]
        mm = [tuple(str(v) for v in r) for r in conn.execute(text(
            "SELECT nik, household_id, name, name_norm, relationship, sex, birth_date, "
            "CASE WHEN is_recipient THEN 1 ELSE 0 END, content_hash FROM members ORDER BY nik"))]
    return hh, mm


@pytest.mark.pg
def test_postgresql_import_matches_the_sqlite_one(pg_engine, site: Site, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    on_pg = roster.import_roster(pg_engine, MESSY)
    on_sqlite = roster.import_roster(site.db.engine, MESSY)
    assert on_pg.as_json() | {"seconds": 0} == on_sqlite.as_json() | {"seconds": 0}
    assert on_pg.rejections == on_sqlite.rejections and on_pg.warnings == on_sqlite.warnings
    assert _registry(pg_engine) == _registry(site.db.engine)
    again = roster.import_roster(pg_engine, MESSY)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 7)
    changed = tmp_path / "v2.csv"
    changed.write_text(MESSY.read_text(encoding="utf-8-sig").replace("Ujang;", "Ujang S;"),
                       encoding="utf-8")
    before = _registry(pg_engine)
    monkeypatch.setattr(roster, "CHUNK_ROWS", 2)

    def interrupt(done: int, total: int) -> None:
        if done >= 10:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        roster.import_roster(pg_engine, changed, progress=interrupt)
    assert _registry(pg_engine) == before
    res = roster.import_roster(pg_engine, changed)
    assert (res.imported, res.updated, res.unchanged) == (0, 1, 6)


def test_excel_unicode_text_export_tab_separated_utf16(site: Site, tmp_path: Path) -> None:
    header = ["ID Keluarga", "Nomor KK", "NIK", "Nama Lengkap", "Hubungan", "Jenis Kelamin (L/P)",
              "Tgl. Lahir [dd-mm-yyyy]", "Alamat", "RT", "RW", "Kelurahan", "Kecamatan", "Desil",
              "Program", "No. Kartu KKS", "Pengurus (Y/N)"]
    rows = [
        ["T1", '="3275021506100001"', '="3275021203850001"', "BUDI SANTOSO", "1", "LK",
         "12.03.1985", "Gg. Sawo, RT 3", "RT 03", "RW 07", "Kota Baru", "Bekasi Barat",
         "Desil 1", "-", "", "N"],
        ["T1", "3275021506100001", "3275024507880002", "Siti Aminah", "2", "PR", "5/7/1988",
         "Gg. Sawo, RT 3", "RT 03", "RW 07", "Kota Baru", "Bekasi Barat", "Desil 1", "-", "", "Y"],
        ["T1", "3275021506100001", "3275025203120004", "Rina", "3", "P", "12-03-11",
         "Gg. Sawo, RT 3", "RT 03", "RW 07", "Kota Baru", "Bekasi Barat", "Desil 1", "-", "", "N"],
        # A two-digit year is taken only when the NIK confirms the whole date.
        ["T1", "3275021506100001", "3275024407850005", "Ani", "3", "P", "04/07/85",
         "Gg. Sawo, RT 3", "RT 03", "RW 07", "Kota Baru", "Bekasi Barat", "Desil 1", "-", "", "N"],
    ]
    path = tmp_path / "unicode.txt"
    path.write_text("\r\n".join("\t".join(r) for r in [header, *rows]) + "\r\n",
                    encoding="utf-16")
    res = roster.import_roster(site.db.engine, path)
    assert (res.read, res.imported, res.rejected) == (4, 3, 1)
    assert (res.rejections[0].row, res.rejections[0].column) == (4, "tanggal_lahir")
    assert _rows(site, "SELECT nik, relationship, sex, birth_date, is_recipient FROM members "
                       "ORDER BY nik") == [
        ("3275021203850001", "Kepala Keluarga", "L", "1985-03-12", 0),
        ("3275024407850005", "Anak", "P", "1985-07-04", 0),
        ("3275024507880002", "Suami/Istri", "P", "1988-07-05", 1)]
    assert _rows(site, "SELECT rt, rw, desil, programs FROM households") == [("003", "007", 1, "")]


def test_without_a_household_id_column_the_family_card_is_the_key(site: Site,
                                                                    tmp_path: Path) -> None:
    path = tmp_path / "no-id.csv"
    path.write_text("No KK;NIK;Nama;Kelurahan;Pengurus\n"
                    "3275021506100001;3275021203850001;Budi;Kranji;\n"
                    "3275021506100001;3275024507880002;Siti;Kranji;Y\n", encoding="utf-8")
    res = roster.import_roster(site.db.engine, path)
    assert (res.imported, res.rejected) == (2, 0)
    assert _rows(site, "SELECT id, no_kk FROM households") == [
        ("3275021506100001", "3275021506100001")]


def test_english_headers_joined_exports_and_free_text_lists(site: Site, tmp_path: Path) -> None:
    header = ("Family ID,KK Number,National ID,Full Name,Relationship,Gender,Date of Birth,"
              "Address,RT,RW,Village,District,Decile,Programmes,KKS Card Number,Recipient")
    path = tmp_path / "english.csv"
    budi = ("E1,3275021506100001,3275021203850001,Budi,Head,Male,\"March 12, 1985\",Jl. A,1,2,"
            "Kota Baru,Bekasi Barat,2,PKH & BPNT,,no")
    siti = ("E1,3275021506100001,3275024507880002,Siti,Wife,Female,1988/07/05,Jl. A,1,2,"
            "Kota Baru,Bekasi Barat,2,PKH & BPNT,,yes")
    lines = [header, budi, header, siti]  # a second export pasted below the first
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = tmp_path / "report.csv"
    res = roster.import_roster(site.db.engine, path, report_path=report)
    assert (res.read, res.imported, res.rejected) == (2, 2, 0)
    assert [(w.row, w.reason) for w in res.warnings] == [(3, res.warnings[0].reason)]
    assert "judul" in res.warnings[0].reason
    assert _report(report)[0]["reason"].startswith("PERINGATAN: baris judul")
    assert _rows(site, "SELECT programs FROM households") == [("BPNT,PKH",)]
    assert _rows(site, "SELECT relationship, birth_date, is_recipient FROM members "
                       "ORDER BY nik") == [("Kepala Keluarga", "1985-03-12", 0),
                                           ("Istri", "1988-07-05", 1)]


def test_one_rt_rw_column(site: Site, tmp_path: Path) -> None:
    path = tmp_path / "rtrw.csv"
    path.write_text("No KK;NIK;Nama;RT/RW;Kelurahan\n"
                    "3275021506100001;3275021203850001;Budi;003/007;Kranji\n"
                    "3275021506100002;3275024507880002;Siti;3 / 12;Kranji\n", encoding="utf-8")
    res = roster.import_roster(site.db.engine, path)
    assert (res.imported, res.rejected) == (2, 0)
    assert _rows(site, "SELECT rt, rw FROM households ORDER BY id") == [("003", "007"),
                                                                       ("003", "012")]


def test_default_kelurahan_for_a_list_without_one(cli, site: Site, tmp_path: Path) -> None:
    path = tmp_path / "kel.csv"
    path.write_text("No KK;NIK;Nama\n3275021506100001;3275021203850001;Budi\n",
                    encoding="utf-8")
    assert cli("roster", "import", path, "--json").code == 3  # no kelurahan column
    bad = cli("roster", "import", path, "--kelurahan", "Kota Baroe", "--json")
    assert bad.code == 3 and "Kota Baru" in bad.err
    ok = cli("roster", "import", path, "--kelurahan", "kota baru", "--json")
    assert ok.code == 0 and ok.json["imported"] == 1
    assert _rows(site, "SELECT kelurahan, kecamatan FROM households") == [
        ("Kota Baru", "Bekasi Barat")]


def test_a_pekerjaan_column_gives_members_their_occupation_and_the_selection_ranks_by_it(
        site: Site, tmp_path: Path) -> None:
    """A DTSEN export with `Pekerjaan Utama`: free text kept (spaces tidied), mapped by
    domain/occupations.py when a BPJS-TK selection ranks the workers (unknown -> lainnya); a
    re-import changing only the occupation updates the member; a file without the column keeps
    the occupations already known."""
    from bekasi_field.domain import occupations as occ

    header = HEADER + ",Pekerjaan Utama"
    # five workers, one household each, same desil and birth year: occupation decides the rank
    people = [("H1", "3275020101900001", "Andi", "  driver   OJOL "),
              ("H2", "3275020101900002", "Budi", "Karyawan Swasta"),
              ("H3", "3275020101900003", "Cici", "Penjual gorengan keliling"),
              ("H4", "3275020101900004", "Dedi", "Juru parkir"),
              ("H5", "3275020101900005", "Euis", "")]
    lines = [header] + [
        f"{hid},32750201010{n:05d},{nik},{name},Kepala Keluarga,L,1990-01-01,Jl. A {n},1,2,"
        f"Kota Baru,Bekasi Barat,1,BPJSTK,,Ya,{job}"
        for n, (hid, nik, name, job) in enumerate(people, start=1)]
    path = tmp_path / "dtsen.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = roster.import_roster(site.db.engine, path)
    assert (res.imported, res.rejected) == (5, 0)
    stored = dict(_rows(site, "SELECT name, occupation FROM members"))
    assert stored == {"Andi": "driver OJOL", "Budi": "Karyawan Swasta",
                      "Cici": "Penjual gorengan keliling", "Dedi": "Juru parkir", "Euis": ""}
    assert [occ.classify(stored[n]) for n in ("Andi", "Budi", "Cici", "Dedi", "Euis")] == [
        occ.OJOL, occ.FORMAL, occ.PKL, occ.LAINNYA, occ.UNKNOWN]

    start = dt.date(2026, 7, 1)
    events.create_event(site.db.engine, programme="BPJSTK", kind="enrolment",
                        site_kelurahan="Kota Baru", served_kelurahan=["Kota Baru"],
                        start_date=start, end_date=start + dt.timedelta(days=30),
                        event_id="BPJSTK-T",
                        params={"quota": 2})
    ranked = _rows(site, "SELECT m.name FROM person_entitlements p JOIN members m "
                   "ON m.nik = p.nik WHERE p.event_id = ? ORDER BY p.rank", "BPJSTK-T")
    assert [r[0] for r in ranked] == ["Andi", "Cici"]  # ojol, then pedagang; the formal worker
    # never, the parking attendant (lainnya) and the unknown after the targeted occupations

    lines[4] = lines[4].replace("Juru parkir", "Ojek pangkalan")  # only the occupation changed
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    again = roster.import_roster(site.db.engine, path)
    assert (again.updated, again.unchanged) == (1, 4)
    assert _rows(site, "SELECT occupation FROM members WHERE name = 'Dedi'") == [
        ("Ojek pangkalan",)]

    plain = tmp_path / "plain.csv"  # the same people, no pekerjaan column, one name changed
    plain.write_text("\n".join([HEADER] + [ln.rsplit(",", 1)[0].replace("Andi", "Andi S")
                                           for ln in lines[1:]]) + "\n", encoding="utf-8")
    third = roster.import_roster(site.db.engine, plain)
    # rows whose occupation the file no longer gives are re-hashed, but keep their occupation
    assert (third.updated, third.unchanged) == (4, 1)
    assert _rows(site, "SELECT occupation FROM members WHERE name = 'Andi S'") == [
        ("driver OJOL",)]
