"""Cell parsers of the roster import: fast paths agree with domain.identifiers and names."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bekasi_field.domain import identifiers as ids
from bekasi_field.domain.names import normalize_name
from bekasi_field.store import roster_values as rv

# 16-digit strings near valid ones: real region prefixes, any date part, any serial.
_sixteen = st.builds(
    lambda region, date6, serial: region + date6 + serial,
    st.sampled_from(["327502", "327501", "320101", "317204", "000000", "997501", "320001"]),
    st.text("0123456789", min_size=6, max_size=6),
    st.text("0123456789", min_size=4, max_size=4),
)


@settings(max_examples=400, deadline=None)
@given(_sixteen)
def test_nik_fast_path_agrees_with_parse_nik(value: str) -> None:
    try:
        expected = ids.parse_nik(value)
    except ids.IdentifierError as exc:
        with pytest.raises(rv.CellError) as got:
            rv.nik(value)
        assert got.value.reason == exc.reason
    else:
        assert rv.nik(value) == (expected.value, expected.birth_date.isoformat(), expected.sex)


@settings(max_examples=300, deadline=None)
@given(_sixteen)
def test_kk_fast_path_agrees_with_parse_kk(value: str) -> None:
    assert (rv.no_kk(value) == value) if ids.is_valid_kk(value) else True
    if not ids.is_valid_kk(value):
        with pytest.raises(rv.CellError):
            rv.no_kk(value)


@settings(max_examples=300, deadline=None)
@given(st.text("0123456789", min_size=16, max_size=16))
def test_fast_luhn_agrees(value: str) -> None:
    assert rv._luhn_fast(value) == ids.luhn_ok(value)


_words = st.sampled_from(["siti", "Muhamad", "MOH", "hj.", "Nur", "budi", "S.Pd.", "ahmad",
                          "Dr", "yusup", "Élise", "o'neil", "santoso", "abd", "  ", "bin"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_words, min_size=1, max_size=5))
def test_name_fast_path_agrees_with_normalize_name(parts: list[str]) -> None:
    text = " ".join(parts)
    if not text.split():
        with pytest.raises(rv.CellError):
            rv.name(text)
        return
    display, norm = rv.name(text)
    assert display == " ".join(text.split())
    assert norm == normalize_name(display)


@pytest.mark.parametrize(("raw", "reason"), [
    ("3.27502E+15", "roster.excel_mangled"),
    ("3,27502E+15", "roster.excel_mangled"),
    ("3275021203850001.0", "roster.excel_mangled"),
    ("327502120385001", "id.nik_length"),
    ("3275021203850000", "id.serial"),
    ("9975021203850001", "id.region"),
    ("3275023213850001", "id.birth_date"),
])
def test_bad_niks_say_why(raw: str, reason: str) -> None:
    with pytest.raises(rv.CellError) as got:
        rv.nik(raw)
    assert got.value.reason == reason


def test_nik_cleaning_apostrophe_spaces_and_separators() -> None:
    assert rv.nik(" '3275024507880002 ")[0] == "3275024507880002"
    assert rv.nik("3275 0245 0788 0002") == ("3275024507880002", "1988-07-05", "P")
    assert rv.nik("3275024507880002\xa0")[0] == "3275024507880002"


@pytest.mark.parametrize(("raw", "iso"), [
    ("12-03-1985", "1985-03-12"), ("12/03/1985", "1985-03-12"), ("1985-03-12", "1985-03-12"),
    ("1985-03-12 00:00:00", "1985-03-12"), ("2.3.1985", "1985-03-02"),
    ("12 Maret 1985", "1985-03-12"), ("12 mar 1985", "1985-03-12"),
    ("1 Agustus 2001", "2001-08-01"), ("01-Des-1999", "1999-12-01"), ("", None),
])
def test_birth_dates(raw: str, iso: str | None) -> None:
    assert rv.birth_date(raw) == iso


@pytest.mark.parametrize("raw", ["31-02-1985", "13/13/1985", "85-03-12", "12031985",
                                 "12 Marchy 1985", "01-01-2999", "31120"])
def test_bad_birth_dates_are_rejected_not_guessed(raw: str) -> None:
    with pytest.raises(rv.CellError):
        rv.birth_date(raw)


def test_programme_lists() -> None:
    assert rv.programmes("PKH; bpnt | KKS") == "BPNT,KKS,PKH"
    assert rv.programmes("PKH,BPNT") == "BPNT,PKH"
    assert rv.programmes("BPJS TK / Sembako") == "BPJSTK,BPNT"
    assert rv.programmes("BPJS Ketenagakerjaan") == "BPJSTK"
    assert rv.programmes("") == ""
    with pytest.raises(rv.CellError):
        rv.programmes("PKH;BANSOS")


@pytest.mark.parametrize(("fn", "raw", "want"), [
    (rv.sex, "Laki-laki", "L"), (rv.sex, "PEREMPUAN", "P"), (rv.sex, " p ", "P"),
    (rv.sex, "Laki laki", "L"), (rv.sex, "", None),
    (rv.flag, "Y", True), (rv.flag, "Ya", True), (rv.flag, "1", True), (rv.flag, "true", True),
    (rv.flag, "", False), (rv.flag, "Tidak", False), (rv.flag, "N", False),
    (rv.status, "Aktif", "active"), (rv.status, "", "active"), (rv.status, "Graduasi", "graduated"),
    (rv.status, "meninggal dunia", "deceased"), (rv.status, "ditangguhkan", "suspended"),
    (rv.rt_rw, "3", "003"), (rv.rt_rw, "RT 03", "003"), (rv.rt_rw, "012", "012"),
    (rv.rt_rw, "", ""), (rv.desil, "2", 2), (rv.desil, "Desil 4", 4), (rv.desil, "3.0", 3),
    (rv.desil, "", None), (rv.relationship, "KEPALA KELUARGA", "Kepala Keluarga"),
    (rv.relationship, "3", "Anak"), (rv.relationship, "istri", "Istri"),
    (rv.kelurahan, "kota baru", ("Kota Baru", "Bekasi Barat")),
    (rv.kelurahan, "KEL. KRANJI", ("Kranji", "Bekasi Barat")),
    (rv.kks_card, "5264220000000012", "5264220000000012"), (rv.kks_card, "", None),
])
def test_small_vocabularies(fn, raw: str, want: object) -> None:
    assert fn(raw) == want


@pytest.mark.parametrize(("fn", "raw"), [
    (rv.sex, "X"), (rv.flag, "mungkin"), (rv.status, "pindah"), (rv.rt_rw, "A1"),
    (rv.rt_rw, "1234"), (rv.desil, "11"), (rv.desil, "tinggi"), (rv.kelurahan, "Menteng"),
    (rv.kelurahan, ""), (rv.kks_card, "5264220000000013"), (rv.kks_card, "5.26422E+15"),
])
def test_small_vocabularies_reject(fn, raw: str) -> None:
    with pytest.raises(rv.CellError):
        fn(raw)
