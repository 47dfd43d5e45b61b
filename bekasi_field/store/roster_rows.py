"""Checking roster rows and grouping them into households (the import's hot loop).

A RowChecker sees each data row once. Household-level cells are parsed only when a household
is first seen or when a later member's cells differ from the first member's; that, and the
caches in roster_values, is most of what keeps the import fast.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from bekasi_field.domain.identifiers import mask
from bekasi_field.i18n import tr
from bekasi_field.store import roster_values as rv
from bekasi_field.store.roster_reader import COLUMNS, EXCEL_NUMBER_MARK

# Indexes into a row of cells (COLUMNS order).
(ID, KK, NIK, NAMA, HUB, JK, TGL, ALAMAT, RT, RW, KEL, KEC, DESIL, PROG, KKS, PENGURUS, STATUS,
 PEKERJAAN) = range(len(COLUMNS))
OCCUPATION_MAX = 80  # characters of free occupation text kept
HOUSEHOLD_CELLS = (KK, ALAMAT, RT, RW, KEL, KEC, DESIL, PROG, KKS, STATUS)
MASKED = {"nik", "no_kk", "no_kartu_kks"}
_household_cells = itemgetter(*HOUSEHOLD_CELLS)
# Canonical household tuple: id, no_kk, address, rt, rw, kelurahan, kecamatan, desil, programs,
# status, kks_card, content_hash.


@dataclass(frozen=True)
class Rejection:
    """One problem in one row: its spreadsheet row number, column and reason (a sentence)."""

    row: int
    column: str
    reason: str
    value: str = ""  # as written in the file, NIKs and card numbers masked


_b2 = hashlib.blake2b


def _digest(parts: tuple[object, ...]) -> str:
    return _b2("\x1f".join(map(str, parts)).encode(), digest_size=8).hexdigest()


def shown(column: str, value: str) -> str:
    v = value.replace(EXCEL_NUMBER_MARK, "").strip()
    return mask(v) if column in MASKED else v


@dataclass(slots=True)
class _Household:
    # hash() of the household cells as written: a million rows cannot keep every member's
    # cells in memory, and a (64-bit) collision would only skip a disagreement warning.
    raw: int
    canon: tuple[object, ...]  # the household tuple written to the store
    row: int
    has_recipient: bool = False


@dataclass
class RowChecker:
    """Feed rows with check(); take valid rows from new_households / members as they fill."""

    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[Rejection] = field(default_factory=list)
    rejected_rows: int = 0
    new_households: list[tuple[object, ...]] = field(default_factory=list)
    members: list[tuple[object, ...]] = field(default_factory=list)
    _households: dict[str, _Household] = field(default_factory=dict)
    _nik_rows: dict[int, int] = field(default_factory=dict)  # int(NIK): half a str's memory
    _kk_owner: dict[str, str] = field(default_factory=dict)  # No. KK -> household id
    _kks_owner: dict[str, str] = field(default_factory=dict)
    default_kelurahan: str = ""  # for rows (or files) that do not name their kelurahan
    # The file has a pekerjaan column: members carry its text (blank = not known); without the
    # column they carry None and an update keeps the occupation the registry already has.
    has_occupation: bool = False

    def _reject(self, row: int, problems: list[tuple[str, str, str]]) -> None:
        self.rejected_rows += 1
        for column, reason, value in problems:
            self.rejections.append(Rejection(row, column, reason, shown(column, value)))

    def _household(self, row: int, hid: str, cells: list[str],
                   problems: list[tuple[str, str, str]]) -> tuple[object, ...] | None:
        try:  # the common case: every household cell is fine
            kk = rv.no_kk(cells[KK])
            kel, kec = rv.kelurahan(cells[KEL])
            rt, rw = rv.rt(cells[RT]), rv.rw(cells[RW])
            desil, progs = rv.desil(cells[DESIL]), rv.programmes(cells[PROG])
            status, kks = rv.status(cells[STATUS]), rv.kks_card(cells[KKS])
        except rv.CellError:
            for col, fn in ((KK, rv.no_kk), (KEL, rv.kelurahan), (RT, rv.rt), (RW, rv.rw),
                            (DESIL, rv.desil), (PROG, rv.programmes), (STATUS, rv.status),
                            (KKS, rv.kks_card)):
                try:
                    fn(cells[col])
                except rv.CellError as e:
                    problems.append((COLUMNS[col], _reason(e), cells[col]))
            return None
        if cells[KEC] and not rv.kecamatan_matches(cells[KEC], kec):
            self.warnings.append(Rejection(row, "kecamatan", tr(
                "roster.warn_kecamatan", kelurahan=kel, kecamatan=kec), cells[KEC].strip()))
        address = " ".join(cells[ALAMAT].split())
        body = (hid, kk, address, rt, rw, kel, kec, desil, progs, status, kks)
        return (*body, _digest(body))

    def _member_slow(self, cells: list[str]
                     ) -> tuple[tuple[Any, ...] | None, list[tuple[str, str, str]]]:
        """The member cells one by one: every problem for the report, or the values when a
        short-year birth date turns out to be confirmed by the NIK."""
        problems: list[tuple[str, str, str]] = []
        values: dict[int, object] = {}
        for col, fn in ((ID, rv.household_id), (NIK, rv.nik), (NAMA, rv.name), (JK, rv.sex),
                        (TGL, rv.birth_date), (PENGURUS, rv.flag)):
            try:
                values[col] = fn(cells[col])
            except rv.CellError as e:
                if col == TGL and NIK in values:
                    confirmed = rv.short_year_date(cells[col], values[NIK][1])  # type: ignore[index]
                    if confirmed is not None:
                        values[col] = confirmed
                        continue
                problems.append((COLUMNS[col], _reason(e), cells[col]))
        if problems:
            return None, problems
        nik = values[NIK]
        name = values[NAMA]
        return (values[ID], *nik, *name, values[JK], values[TGL], values[PENGURUS]), []  # type: ignore[misc]

    def check(self, row: int, cells: list[str], _hid: Callable[[str], str] = rv.household_id,
              _nik: Callable[[str], tuple[str, str, str]] = rv.nik,
              _name: Callable[[str], tuple[str, str]] = rv.name,
              _sex: Callable[[str], str | None] = rv.sex,
              _birth: Callable[[str], str | None] = rv.birth_date,
              _flag: Callable[[str], bool] = rv.flag,
              _rel: Callable[[str], str] = rv.relationship,
              _err: type[rv.CellError] = rv.CellError) -> None:
        # The hot loop: functions bound as defaults and literal column indexes (COLUMNS order:
        # 0 id_keluarga, 2 nik, 3 nama, 4 hubungan, 5 jenis_kelamin, 6 tanggal_lahir,
        # 15 pengurus) because a million rows pay for every global lookup.
        try:
            hid = _hid(cells[0])
            nik, nik_birth, nik_sex = _nik(cells[2])
            name, name_norm = _name(cells[3])
            sex = _sex(cells[5])
            birth = _birth(cells[6])
            recipient = _flag(cells[15])
            problems: list[tuple[str, str, str]] = []
        except _err:
            parsed, problems = self._member_slow(cells)
            if parsed is not None:
                hid, nik, nik_birth, nik_sex, name, name_norm, sex, birth, recipient = parsed
            else:
                try:
                    hid = rv.household_id(cells[ID])
                except rv.CellError:
                    hid = ""
        relationship = _rel(cells[4])
        if not cells[10] and self.default_kelurahan:
            cells[10] = self.default_kelurahan

        raw = hash(_household_cells(cells))
        hh = self._households.get(hid) if hid else None
        canon = hh.canon if hh is not None and hh.raw == raw else \
            self._household(row, hid, cells, problems)
        if problems:
            self._reject(row, problems)
            return
        nik_key = int(nik)
        first = self._nik_rows.get(nik_key)
        if first is not None:
            self._reject(row, [("nik", tr("roster.duplicate_nik", row=first), cells[NIK])])
            return
        assert canon is not None
        if hh is None:
            if not self._claim(row, hid, canon):
                return
            hh = _Household(raw, canon, row)
            self._households[hid] = hh
            self.new_households.append(canon)
        elif canon is not hh.canon and canon[1:-1] != hh.canon[1:-1]:
            self._disagreement(row, hh, canon, cells)
        self._nik_rows[nik_key] = row

        if sex is None:
            sex = nik_sex
        elif sex != nik_sex:
            self.warnings.append(Rejection(row, "jenis_kelamin", tr(
                "roster.warn_sex", nik_sex=nik_sex), cells[JK]))
        if birth is None:
            birth = nik_birth
        elif birth != nik_birth:
            self.warnings.append(Rejection(row, "tanggal_lahir", tr(
                "roster.warn_birth", nik_birth=nik_birth), cells[TGL]))
        if recipient:
            if hh.has_recipient:
                self.warnings.append(Rejection(row, "pengurus", tr("roster.warn_recipient"),
                                               cells[PENGURUS]))
                recipient = False
            hh.has_recipient = True
        # The member's own content hash is roster_apply.seal_members' job (in the writer
        # process on a big import): here its slot holds the household's hash it depends on.
        occupation = (" ".join(cells[17].split())[:OCCUPATION_MAX] if self.has_occupation
                      else None)
        self.members.append((nik, hid, name, name_norm, relationship, sex, birth,
                             1 if recipient else 0, hh.canon[-1], row, occupation))

    def _claim(self, row: int, hid: str, canon: tuple[object, ...]) -> bool:
        """A No. KK or KKS card belongs to one household; a second claimant is rejected."""
        kk, kks = str(canon[1]), canon[10]
        owner = self._kk_owner.get(kk)
        if owner is not None:  # only new households are claimed: any owner is another one
            self._reject(row, [("no_kk", tr("roster.kk_taken", household=owner,
                                            row=self._households[owner].row), kk)])
            return False
        if kks:
            owner = self._kks_owner.get(str(kks))
            if owner is not None:
                self._reject(row, [("no_kartu_kks", tr(
                    "roster.kks_taken", household=owner, row=self._households[owner].row),
                    str(kks))])
                return False
            self._kks_owner[str(kks)] = hid
        self._kk_owner[kk] = hid
        return True

    def _disagreement(self, row: int, hh: _Household, canon: tuple[object, ...],
                      cells: list[str]) -> None:
        # Positions in the canonical tuple of each household column, for the report.
        where = {"no_kk": (1, KK), "alamat": (2, ALAMAT), "rt": (3, RT), "rw": (4, RW),
                 "kelurahan": (5, KEL), "kecamatan": (6, KEC), "desil": (7, DESIL),
                 "program": (8, PROG), "status": (9, STATUS), "no_kartu_kks": (10, KKS)}
        for column, (ci, cell) in where.items():
            if canon[ci] != hh.canon[ci]:
                self.warnings.append(Rejection(row, column, tr(
                    "roster.warn_household", row=hh.row), shown(column, cells[cell])))


def _reason(e: rv.CellError) -> str:
    return tr(e.reason, **e.values)
