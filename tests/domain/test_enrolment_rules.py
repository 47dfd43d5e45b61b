"""Pure enrolment rules: ages from NIK dates, residence, phone numbers, occupations, cover."""

from __future__ import annotations

import datetime as dt

import pytest

from bekasi_field.domain import enrolment_rules as er
from bekasi_field.domain import occupations as occ

ON = dt.date(2026, 7, 1)


@pytest.mark.parametrize(("nik", "age"), [
    ("3275020107110001", 15),  # man born 1 Jul 2011
    ("3275020207110001", 14),  # a day short of 15
    ("3275024207650001", 60),  # woman (42 = 2 + 40) born 2 Jul 1965
    ("3275024107650001", 61),  # woman born 1 Jul 1965
])
def test_age_from_the_nik_date_part(nik: str, age: int) -> None:
    born = er.birth_date(nik, None, on=ON)
    assert born is not None and er.age_on(born, ON) == age
    assert er.age_in_range(born, ON) is (15 <= age <= 60)


def test_registry_birth_date_when_the_nik_date_is_unreadable() -> None:
    assert er.birth_date("3275029913990001", dt.date(1990, 5, 5), on=ON) == dt.date(1990, 5, 5)
    assert er.age_on(dt.date(2008, 2, 29), dt.date(2026, 2, 28)) == 17
    assert er.age_on(dt.date(2008, 2, 29), dt.date(2026, 3, 1)) == 18


def test_residence_is_the_family_cards_region() -> None:
    assert er.is_resident("3275020101200001", "3201010101900001")  # moved in: KK of Bekasi
    assert not er.is_resident("3201010101200001", "3275010101900001")  # moved out
    assert er.is_resident(None, "3275010101900001") and not er.is_resident("", "3201010101900001")


@pytest.mark.parametrize(("text", "e164"), [
    ("0812-3456-7890", "+6281234567890"), ("+62 812 3456 7890", "+6281234567890"),
    ("6285712345678", "+6285712345678"), ("(0813) 1234 567", "+628131234567"),
    ("021-8888-7777", None), ("0812345", None), ("+1 812 3456 7890", None), ("", None),
    ("08123456789012345", None),
])
def test_indonesian_mobile_numbers(text: str, e164: str | None) -> None:
    assert er.normalize_phone(text) == e164


def test_phone_mask_and_email() -> None:
    assert er.mask_phone("+6281234567890") == "0812\u2022\u2022\u2022\u2022\u2022890"
    assert er.email_ok("siti@contoh.co.id") and not er.email_ok("siti@") \
        and not er.email_ok("a b@c.id")


def test_occupations_from_registry_text() -> None:
    assert [occ.classify(t) for t in ("Driver Ojol", "PKL", "Buruh Harian Lepas", "buruh tani",
                                      "PNS", "Pelajar/Mahasiswa", "Wiraswasta", "")] == [
        "ojol", "pkl", "buruh", "tani", "formal", "not_working", "lainnya", ""]
    assert occ.desk_code("Pedagang kaki lima") == "pkl" and occ.desk_code("lainnya") == "lainnya"
    assert occ.desk_code("PNS") is None


def test_cover_periods() -> None:
    c = er.default_cover(ON)
    assert (c.start, c.end) == (ON, dt.date(2027, 6, 30))
    assert c.overlaps(er.Cover(dt.date(2027, 6, 30), dt.date(2028, 6, 29)))
    assert not c.overlaps(er.default_cover(dt.date(2027, 7, 1)))
