"""The CSV reader's fast split gives exactly csv.reader's records, quotes or not."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bekasi_field.store import roster_reader
from bekasi_field.store.roster_reader import _records, open_roster

_PIECES = st.sampled_from(["a", "Jl. Juanda", ",", ";", '"', '""', "\n", "\r\n", "\r", " ",
                           "\t", "|", "\x00", "3275024507880002"])


def _both(text: str, delimiter: str) -> tuple[object, object]:
    def run(read):
        try:
            return list(read(io.StringIO(text, newline="")))
        except csv.Error as exc:
            return ("csv.Error", str(exc))

    expected = run(lambda fh: csv.reader(fh, delimiter=delimiter))
    got = run(lambda fh: _records(fh, delimiter))
    return expected, got


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join), st.sampled_from([",", ";", "\t"]),
       st.sampled_from([1, 2, 7, 64, 1 << 20]))
def test_records_equal_csv_reader(text: str, delimiter: str, block: int) -> None:
    old = roster_reader.BLOCK_CHARS
    roster_reader.BLOCK_CHARS = block  # lines are read in blocks of about this many chars
    try:
        expected, got = _both(text, delimiter)
    finally:
        roster_reader.BLOCK_CHARS = old
    assert got == expected


def test_a_quoted_address_half_way_through_a_big_file(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Plain blocks first, then a quoted field with the delimiter and a line break in it: the
    rows, their numbers and the cells are what csv.reader makes of the file."""
    monkeypatch.setattr(roster_reader, "BLOCK_CHARS", 4096)
    path = tmp_path / "dtsen.csv"
    header = ("id_keluarga,no_kk,nik,nama,hubungan,jenis_kelamin,tanggal_lahir,alamat,rt,rw,"
              "kelurahan,kecamatan,desil,program,no_kartu_kks,pengurus")
    lines = [header]
    for i in range(600):
        address = f'"Jl. Juanda No. {i}, Blok C\r\ndekat masjid"' if i == 400 else f"Jl. Juanda {i}"
        lines.append(f"H{i},3275022911130001,32750258035{i:05d},Siti {i},Anak,P,18-03-1954,"
                     f"{address},009,009,Kota Baru,Bekasi Barat,1,BPNT,,Y")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
    source = open_roster(path)
    try:
        rows = list(source.rows())
    finally:
        source.close()
    with path.open(encoding="utf-8", newline="") as fh:
        reference = list(csv.reader(fh))
    assert len(rows) == 600
    assert [cells[7] for _, cells in rows] == [r[7] for r in reference[1:]]
    assert rows[400][1][7] == "Jl. Juanda No. 400, Blok C\r\ndekat masjid"
    assert [n for n, _ in rows][399:402] == [401, 402, 403]  # spreadsheet rows: header is 1
