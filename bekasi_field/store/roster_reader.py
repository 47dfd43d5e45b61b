"""Reading roster files (CSV or XLSX) into rows of raw text cells in our column order.

Real exports are messy: a BOM, UTF-16 from Excel's "Unicode text", Windows-1252 from Excel's
plain CSV, `;` or `,` delimiters, a title row above the header, numbers where text was meant.
This module only finds the columns and turns every cell into text; judging values is
roster_rows' job. Row numbers are those a spreadsheet shows (the header is usually row 1).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import logging
import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter, methodcaller
from pathlib import Path
from typing import TextIO

from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr

log = logging.getLogger(__name__)

COLUMNS = ("id_keluarga", "no_kk", "nik", "nama", "hubungan", "jenis_kelamin", "tanggal_lahir",
           "alamat", "rt", "rw", "kelurahan", "kecamatan", "desil", "program", "no_kartu_kks",
           "pengurus", "status", "pekerjaan")
REQUIRED = ("id_keluarga", "no_kk", "nik", "nama", "kelurahan")
IDENTIFIER_COLUMNS = ("id_keluarga", "no_kk", "nik", "no_kartu_kks")
# Header spellings seen in DTKS / DTSEN / SIKS-NG exports and hand-made sheets, compared after
# _header_key() (lower case, no spaces, underscores, dots, dashes or slashes).
ALIASES: dict[str, tuple[str, ...]] = {
    "id_keluarga": ("idkeluarga", "iddtsen", "iddtks", "idkeluargadtks", "idkeluargadtsen",
                    "idkel", "idkpm", "kodekeluarga", "idrumahtangga", "idart", "idruta",
                    "familyid", "householdid"),
    "no_kk": ("nokk", "kk", "nomorkk", "nomorkartukeluarga", "nokartukeluarga", "nkk",
              "kknumber", "familycardnumber", "familycard"),
    "nik": ("nik", "noktp", "nomorktp", "nomorindukkependudukan", "nikart", "niknik",
            "nationalid", "idnumber"),
    "nama": ("nama", "namalengkap", "namaart", "namaanggota", "name", "namapenerima", "fullname"),
    "hubungan": ("hubungan", "hubkel", "hubungankeluarga", "hubungandengankepalakeluarga",
                 "statushubungan", "shdk", "hubungandgnkk", "hubungankk", "relationship",
                 "relation"),
    "jenis_kelamin": ("jeniskelamin", "jk", "kelamin", "sex", "gender", "lp", "jnskelamin"),
    "tanggal_lahir": ("tanggallahir", "tgllahir", "tgllhr", "tanggallhr", "dob", "birthdate",
                      "lahir", "dateofbirth"),
    "alamat": ("alamat", "address", "alamatlengkap", "alamatrumah", "jalan"),
    "rt": ("rt", "nort", "nomorrt"),
    "rw": ("rw", "norw", "nomorrw"),
    "kelurahan": ("kelurahan", "desa", "desakelurahan", "kelurahandesa", "kel", "namakelurahan",
                  "kelurahanpenerima", "keldesa", "village", "urbanvillage"),
    "kecamatan": ("kecamatan", "kec", "namakecamatan", "district", "subdistrict"),
    "desil": ("desil", "desilkesejahteraan", "peringkatdesil", "desilnasional", "decile"),
    "program": ("program", "programs", "programbansos", "bansos", "jenisbantuan", "programbantuan",
                "bantuan", "programme", "programmes"),
    "no_kartu_kks": ("nokartukks", "kks", "nokks", "nomorkks", "nomorkartukks", "kartukks",
                     "nokartu", "kkscard", "kkscardnumber"),
    "pengurus": ("pengurus", "ispengurus", "pengurusbantuan", "penerima", "penerimabantuan",
                 "pengurusyn", "recipient", "designatedrecipient"),
    "status": ("status", "statuskpm", "statuskeluarga", "statusbantuan", "statuskepesertaan"),
    # the member's occupation as DTSEN writes it (free text; domain/occupations.py maps it)
    "pekerjaan": ("pekerjaan", "pekerjaanutama", "jenispekerjaan", "pekerjaanart",
                  "namapekerjaan", "matapencaharian", "matapencaharianutama", "profesi",
                  "occupation", "job"),
}
_ALIAS_TO_COLUMN = {alias: col for col, names in ALIASES.items() for alias in names}
HEADER_SEARCH_ROWS = 10
# An identifier Excel rounded to 15 significant digits: never trust it (see roster_rows).
EXCEL_NUMBER_MARK = "\x00excel-number\x00"


def _header_key(text: object) -> str:
    s = str(text or "").strip().lstrip("\ufeff").lower()
    s = re.sub(r"\(.*?\)|\[.*?\]", "", s)  # "Jenis Kelamin (L/P)", "Tgl Lahir [dd-mm-yyyy]"
    return re.sub(r"[\s_.\-/:*]+", "", s)


@dataclass
class RosterSource:
    """An opened roster: where the columns are and how to iterate its data rows."""

    path: Path
    kind: str  # csv | xlsx
    header_row: int
    positions: dict[str, int]  # our column -> index in the file's row
    ignored: list[str]
    encoding: str = ""
    delimiter: str = ""
    total_rows: int = 0  # an estimate for the progress bar
    repeated_headers: list[int] = field(default_factory=list)  # header rows met again (merged
    # exports): skipped, and reported as warnings
    _rows: Generator[tuple[int, list[str]], None, None] | None = field(default=None, repr=False)
    _close: Callable[[], None] | None = field(default=None, repr=False)

    def rows(self) -> Generator[tuple[int, list[str]], None, None]:
        """(spreadsheet row number, cells in COLUMNS order) for every non-blank data row."""
        assert self._rows is not None
        return self._rows

    def close(self) -> None:
        """Close the file now (also when rows() was never started)."""
        if self._rows is not None:
            self._rows.close()
        if self._close is not None:
            self._close()


def _map_header(cells: list[object]) -> tuple[dict[str, int], list[str], list[str]]:
    positions: dict[str, int] = {}
    ignored, clashes = [], []
    for i, cell in enumerate(cells):
        key = _header_key(cell)
        col = _ALIAS_TO_COLUMN.get(key)
        if key in ("rtrw", "nortrw") and "rt" not in positions and "rw" not in positions:
            # One "RT/RW" column holding "003/007": both read it (roster_values splits it).
            positions["rt"] = positions["rw"] = i
            continue
        if col is None:
            if str(cell or "").strip():
                ignored.append(str(cell).strip())
        elif col in positions:
            clashes.append(str(cell).strip())
        else:
            positions[col] = i
    return positions, ignored, clashes


def _find_header(first_rows: list[list[object]], path: Path, optional: tuple[str, ...] = ()
                 ) -> tuple[int, dict[str, int], list[str]]:
    best: tuple[int, int] = (-1, -1)
    for n, cells in enumerate(first_rows):
        positions, _, _ = _map_header(cells)
        hits = sum(c in positions for c in REQUIRED)
        if hits > best[1]:
            best = (n, hits)
        if hits == len(REQUIRED):
            break
    n = max(best[0], 0)
    if not first_rows:
        raise BekasiError(tr("roster.empty_file", path=path))
    positions, ignored, clashes = _map_header(first_rows[n])
    if clashes:
        raise BekasiError(tr("roster.duplicate_columns", columns=", ".join(clashes)))
    if "id_keluarga" not in positions and "no_kk" in positions:
        # Many local lists have no DTSEN id: the family card number then identifies the family.
        positions["id_keluarga"] = positions["no_kk"]
        log.info("no id_keluarga column: households keyed by No. KK")
    missing = [c for c in REQUIRED if c not in positions and c not in optional]
    if missing:
        found = ", ".join(str(c).strip() for c in first_rows[n] if str(c or "").strip())
        raise BekasiError(tr("roster.missing_columns", missing=", ".join(missing),
                             found=found or "-", row=n + 1))
    return n + 1, positions, ignored


def _extractor(positions: dict[str, int]) -> Callable[[list[str]], list[str]]:
    idx = [positions.get(c, -1) for c in COLUMNS]
    width = max(idx) + 1
    missing = [i for i, p in enumerate(idx) if p < 0]
    present = [max(p, 0) for p in idx]
    getter = itemgetter(*present)

    def extract(cells: list[str]) -> list[str]:
        if len(cells) >= width:
            out = list(getter(cells))
        else:
            out = [cells[p] if p < len(cells) else "" for p in present]
        for i in missing:
            out[i] = ""
        return out

    return extract


# --- CSV ---------------------------------------------------------------------------------

def _detect_encoding(path: Path) -> tuple[str, int]:
    """The encoding (decoding the whole file once) and its number of lines."""
    with path.open("rb") as fh:
        head = fh.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            fh.seek(0)
            lines = fh.read().count(b"\n\x00") or 1
            return "utf-16", lines
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        lines, ok = 0, True
        while chunk := fh.read(1 << 20):
            lines += chunk.count(b"\n")
            if ok:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    ok = False
        if ok:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                ok = False
    # Excel's "CSV (comma delimited)" on Windows writes the ANSI code page.
    return ("utf-8-sig" if ok else "cp1252"), lines


def _sniff_delimiter(sample: str) -> str:
    lines = [ln for ln in sample.splitlines() if ln.strip()][:HEADER_SEARCH_ROWS]
    best, best_score = ",", -1
    for d in (",", ";", "\t", "|"):
        # The header row decides: the delimiter that splits it into the most known columns.
        score = 0
        for ln in lines:
            cells = next(csv.reader([ln], delimiter=d), [])
            known = sum(_header_key(c) in _ALIAS_TO_COLUMN for c in cells)
            score = max(score, known * 100 + len(cells))
        if score > best_score:
            best, best_score = d, score
    return best


BLOCK_CHARS = 1 << 20


def _plain_block(lines: list[str]) -> bool:
    """True when csv.reader would split each of `lines` exactly as str.split does: no quote,
    no NUL, no line end but \n or \r\n, no line over the csv field size limit."""
    text = "".join(lines)
    if '"' in text or "\x00" in text:
        return False
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return False
    return max(map(len, lines)) <= csv.field_size_limit()


def _records(fh: TextIO, delimiter: str) -> Iterator[list[str]]:
    """csv.reader(fh)'s records. Blocks of whole lines of plain text (most exports: no
    quotes) are split with str.split, several times faster; from the first block with a quote
    (a quoted field may run across lines) to the end of the file csv.reader itself reads."""
    split = methodcaller("split", delimiter)
    strip_end = methodcaller("rstrip", "\r\n")  # one \n or \r\n: _plain_block made sure
    while lines := fh.readlines(BLOCK_CHARS):
        if not _plain_block(lines):
            yield from csv.reader(chain(lines, fh), delimiter=delimiter)
            return
        stripped = list(map(strip_end, lines))
        if "" in stripped:  # an empty line is an empty record, as csv.reader gives it
            yield from (split(line) if line else [] for line in stripped)
        else:
            yield from map(split, stripped)


def open_csv(path: Path, optional: tuple[str, ...] = ()) -> RosterSource:
    encoding, lines = _detect_encoding(path)
    errors = "replace" if encoding == "cp1252" else "strict"
    fh = open(path, encoding=encoding, errors=errors, newline="")  # noqa: SIM115 - closed by rows()
    try:
        sample = fh.read(64 * 1024)
        fh.seek(0)
        delimiter = _sniff_delimiter(sample)
        reader = csv.reader(fh, delimiter=delimiter)
        first: list[list[object]] = []
        for cells in reader:
            first.append(list(cells))
            if len(first) >= HEADER_SEARCH_ROWS:
                break
        header_row, positions, ignored = _find_header(first, path, optional)
    except BaseException:
        fh.close()
        raise

    def rows() -> Generator[tuple[int, list[str]], None, None]:
        extract = _extractor(positions)
        header_vals = extract([str(c) for c in first[header_row - 1]])
        try:
            fh.seek(0)
            rownum = 0
            for cells in _records(fh, delimiter):
                rownum += 1
                if rownum <= header_row or not cells:
                    continue
                vals = extract(cells)
                if vals == header_vals:
                    source.repeated_headers.append(rownum)
                    continue
                if not any(vals) and not any(c.strip() for c in cells):
                    continue
                yield rownum, vals
        except csv.Error as exc:
            raise BekasiError(tr("roster.bad_csv", row=rownum, detail=str(exc))) from exc
        finally:
            fh.close()

    log.info("roster %s: csv, %s, delimiter %r, header row %d, %d columns ignored",
             path.name, encoding, delimiter, header_row, len(ignored))
    source = RosterSource(path=path, kind="csv", header_row=header_row, positions=positions,
                          ignored=ignored, encoding=encoding, delimiter=delimiter,
                          total_rows=max(lines - header_row, 1), _close=fh.close)
    source._rows = rows()
    return source


# --- XLSX --------------------------------------------------------------------------------

_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _xlsx_text(value: object, column: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        if column == "tanggal_lahir" and 1 <= value < 80_000:
            # A date cell without a date format: Excel's serial day number.
            return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat()
        if isinstance(value, float) and not value.is_integer():
            return repr(value)
        digits = str(int(value))
        if column in IDENTIFIER_COLUMNS and len(digits) > 15 and digits.endswith("0"):
            # Excel keeps 15 significant digits: a 16-digit number ending in 0 may have lost its
            # last digit. One that ends in another digit cannot have been rounded.
            return EXCEL_NUMBER_MARK + digits
        return digits
    return str(value)


def open_xlsx(path: Path, optional: tuple[str, ...] = ()) -> RosterSource:
    import openpyxl  # imported here: the CSV path should not pay for it

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile/openpyxl raise many kinds for a damaged workbook
        raise BekasiError(tr("roster.bad_xlsx", path=path, detail=type(exc).__name__)) from exc
    ws = wb.worksheets[0]
    first = [list(r) for r in ws.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS,
                                           values_only=True)]
    try:
        header_row, positions, ignored = _find_header(first, path, optional)
    except BaseException:
        wb.close()
        raise
    idx = [(COLUMNS.index(c), p) for c, p in positions.items()]

    header_vals = [""] * len(COLUMNS)
    for ci, p in idx:
        header_vals[ci] = _xlsx_text(first[header_row - 1][p], "")

    def rows() -> Generator[tuple[int, list[str]], None, None]:
        try:
            for rownum, cells in enumerate(ws.iter_rows(min_row=header_row + 1, values_only=True),
                                           start=header_row + 1):
                vals = [""] * len(COLUMNS)
                for ci, p in idx:
                    if p < len(cells):
                        vals[ci] = _xlsx_text(cells[p], COLUMNS[ci])
                if not any(v.strip() for v in vals):
                    continue
                if vals == header_vals:
                    source.repeated_headers.append(rownum)
                    continue
                yield rownum, vals
        finally:
            wb.close()

    total = (ws.max_row or header_row + 1) - header_row
    log.info("roster %s: xlsx, header row %d, %d columns ignored", path.name, header_row,
             len(ignored))
    source = RosterSource(path=path, kind="xlsx", header_row=header_row, positions=positions,
                          ignored=ignored, total_rows=max(total, 1), _close=wb.close)
    source._rows = rows()
    return source


def open_roster(path: Path, *, optional: tuple[str, ...] = ()) -> RosterSource:
    """`optional`: required columns the caller can fill in itself (e.g. a default kelurahan)."""
    path = Path(path)
    if not path.is_file():
        raise BekasiError(tr("roster.no_file", path=path))
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic == b"PK\x03\x04":
        return open_xlsx(path, optional)
    if path.suffix.lower() in (".xls", ".xlsb", ".ods"):
        raise BekasiError(tr("roster.unsupported", path=path))
    return open_csv(path, optional)
