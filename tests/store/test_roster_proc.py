"""The import's writer process: the same snapshot as writing in-process, and all or nothing
when the database refuses a row, the officer presses Ctrl+C or the writer dies."""

from __future__ import annotations

import csv
import hashlib
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bekasi_field.domain.errors import BekasiError
from bekasi_field.services import roster
from bekasi_field.services.demo import write_synthetic_roster_csv
from bekasi_field.services.site import Site
from bekasi_field.store import opener
from bekasi_field.store.roster_apply import seal_members

DATA = Path(__file__).resolve().parent.parent / "data" / "rosters"
MESSY = DATA / "messy_semicolon_bom.csv"


def _snapshot(site: Site) -> str:
    conn = site.db.raw()
    try:
        h = hashlib.sha256()
        for table in ("households", "members"):
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1"):
                h.update(repr(row).encode())
        return h.hexdigest()
    finally:
        conn.close()


def _summary(res: roster.ImportResult) -> tuple:
    return (res.as_json() | {"seconds": 0}, res.rejections, res.warnings)


def _no_writer_left(site: Site) -> bool:
    """No child process remains and nobody holds the write lock."""
    deadline = time.monotonic() + 30
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    conn = opener.connect(site.db.file, timeout=0, pragmas=False)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
    finally:
        conn.close()
    return not multiprocessing.active_children()


def _edited(src: Path, dst: Path) -> None:
    """A later export of the same registry: a member renamed, a household moved RT, a NIK
    that now sits in another family, a new family at the end."""
    with src.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[5][3] = "Nama Baru Sekali"
    for r in rows[1:]:
        if r[0] == rows[10][0]:
            r[8] = "011"
    rows[20][0], rows[20][1] = rows[40][0], rows[40][1]  # NIK of row 21 now in row 41's family
    new = list(rows[1])
    new[0], new[1], new[2] = "H-NEW-1", "3275022911139999", "3275025803549999"
    new[14] = ""  # no KKS card yet (a second claim on row 2's card would be refused)
    rows.append(new)
    with dst.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


@pytest.mark.parametrize("source", ["messy", "synthetic"])
def test_writer_process_gives_the_same_snapshot_and_report(tmp_path: Path, source: str,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    monkeypatch.setattr(roster, "CHUNK_ROWS", 97)  # many chunks, households cut across them
    if source == "messy":
        files = [MESSY, MESSY]
    else:
        first, second = tmp_path / "a.csv", tmp_path / "b.csv"
        write_synthetic_roster_csv(first, households=400, seed=11)
        _edited(first, second)
        files = [first, second]
    outcomes = {}
    for mode in (False, True):
        with Site.open(tmp_path / f"home-{mode}") as site:
            results = [_summary(roster.import_roster(site.db.engine, f, writer_process=mode))
                       for f in files]
            outcomes[mode] = (results, _snapshot(site))
    assert outcomes[True] == outcomes[False]
    results = outcomes[True][0]
    if source == "synthetic":
        again = results[1][0]
        assert again["updated"] >= 2 and again["imported"] == 1 and again["rejected"] == 1
        assert "snapshot" in results[1][1][0].reason  # the NIK kept by its old family


def test_a_refused_row_in_the_writer_process_rolls_everything_back(site: Site, tmp_path: Path
                                                                   ) -> None:
    roster.import_roster(site.db.engine, MESSY)
    before = _snapshot(site)
    big = tmp_path / "big.csv"
    write_synthetic_roster_csv(big, households=300, seed=5)
    with big.open(encoding="utf-8") as fh:
        last_nik = list(csv.reader(fh))[-1][2]
    with site.db.transaction() as conn:
        conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON members WHEN "
                     f"NEW.nik = '{last_nik}' BEGIN SELECT RAISE(ABORT, 'refused'); END")
    with pytest.raises(opener.IntegrityError, match="refused"):
        roster.import_roster(site.db.engine, big, writer_process=True)
    assert _snapshot(site) == before
    assert _no_writer_left(site)


def test_ctrl_c_during_a_process_import_leaves_the_old_snapshot(site: Site, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    roster.import_roster(site.db.engine, MESSY)
    before = _snapshot(site)
    big = tmp_path / "big.csv"
    write_synthetic_roster_csv(big, households=600, seed=6)
    monkeypatch.setattr(roster, "CHUNK_ROWS", 200)

    def interrupt(done: int, total: int) -> None:
        if done >= 1000:
            raise KeyboardInterrupt  # rows already went to the writer process

    with pytest.raises(KeyboardInterrupt):
        roster.import_roster(site.db.engine, big, progress=interrupt, writer_process=True)
    assert _snapshot(site) == before
    assert _no_writer_left(site)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_writer_process_that_dies_is_a_clear_error(site: Site, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    roster.import_roster(site.db.engine, MESSY)
    before = _snapshot(site)
    big = tmp_path / "big.csv"
    write_synthetic_roster_csv(big, households=600, seed=8)
    monkeypatch.setattr(roster, "CHUNK_ROWS", 200)
    killed: list[int] = []

    def kill_writer(done: int, total: int) -> None:
        if not killed:
            [child] = multiprocessing.active_children()
            os.kill(child.pid, signal.SIGKILL)  # the out-of-memory killer, say
            child.join(10)
            killed.append(child.pid)

    with pytest.raises(BekasiError, match="snapshot lama tetap utuh"):
        roster.import_roster(site.db.engine, big, progress=kill_writer, writer_process=True)
    assert killed
    assert _snapshot(site) == before
    assert _no_writer_left(site)


def test_a_script_without_a_main_guard_can_import(tmp_path: Path, home: Path) -> None:
    """spawn would run the caller's script again in the child; the writer must not need it."""
    big = tmp_path / "big.csv"
    rows = write_synthetic_roster_csv(big, households=200, seed=9)
    script = tmp_path / "impor.py"
    script.write_text(
        "import json, sys\n"
        "from pathlib import Path\n"
        "from bekasi_field.services.roster import import_roster\n"
        "from bekasi_field.services.site import Site\n"
        "with Site.open(Path(sys.argv[1])) as site:\n"
        "    res = import_roster(site.db.engine, Path(sys.argv[2]), writer_process=True)\n"
        "print(json.dumps(res.as_json()))\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script), str(home), str(big)],
                          check=False, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.splitlines()[-1])["imported"] == rows


def test_sealed_member_hashes_are_those_of_earlier_versions() -> None:
    """The text hashed is the one roster_rows hashed before the writer process took it over:
    a snapshot written then must read as unchanged now."""
    members = [("3275025803540001", "32750200000001", "Tumini Rahmawati", "tumini rahmawati",
                "Kepala Keluarga", "P", "1954-03-18", 1, "9595ab32f2c47c3c", 2, None),
               ("3275021410930001", "H 7", "Ñoño Nugroho", "nono nugroho", "Anak", "L",
                "1993-10-14", 0, "00ff00ff00ff00ff", 9, "")]
    sealed = seal_members(members)
    for m, s in zip(members, sealed, strict=True):
        nik, hid, name, _norm, rel, sex, birth, rec, hh_hash, row, occupation = m
        text = (f"{nik}\x1f{hid}\x1f{name}\x1f{rel}\x1f{sex}\x1f{birth}\x1f{bool(rec):d}"
                f"\x1f{hh_hash}")
        assert s == (*m[:8], hashlib.blake2b(text.encode(), digest_size=8).hexdigest(), row,
                     occupation)
    # an occupation from a pekerjaan column changes the member's hash (an update, not unchanged)
    with_job = [(*members[1][:10], "Driver Ojol")]
    assert seal_members(with_job)[0][8] != sealed[1][8]
    assert seal_members(with_job)[0][9:] == (9, "Driver Ojol")


def test_without_a_writer_process_the_import_writes_in_process(site: Site, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               caplog: pytest.LogCaptureFixture
                                                               ) -> None:
    """A laptop that cannot start another process (limits, memory) still imports."""
    from bekasi_field.store import roster_proc

    def refuse(proc: object) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(roster_proc, "_start_without_main", refuse)
    big = tmp_path / "big.csv"
    rows = write_synthetic_roster_csv(big, households=200, seed=4)
    with caplog.at_level("WARNING", logger="bekasi_field.services.roster"):
        res = roster.import_roster(site.db.engine, big, writer_process=True)
    assert res.imported == rows and res.rejected == 0
    assert "writing in this process" in caplog.text
    conn = site.db.raw()
    try:
        assert conn.execute("SELECT count(*) FROM members").fetchone()[0] == rows
    finally:
        conn.close()
    assert _no_writer_left(site)
