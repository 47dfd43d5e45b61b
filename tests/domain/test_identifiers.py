import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bekasi_field.domain.identifiers import (
    IdentifierError,
    is_valid_kk,
    is_valid_kks,
    is_valid_nik,
    luhn_check_digit,
    mask,
    parse_kk,
    parse_kks,
    parse_nik,
)


@pytest.mark.parametrize(
    ("nik", "born", "sex"),
    [
        ("3275011203850012", dt.date(1985, 3, 12), "L"),
        ("3275015203850012", dt.date(1985, 3, 12), "P"),  # day + 40 for women
        ("3275010101000001", dt.date(2000, 1, 1), "L"),
        ("3275017102920003", None, None),  # 31 Feb for a woman: invalid
    ],
)
def test_nik_birth_date_and_sex(nik: str, born: dt.date | None, sex: str | None) -> None:
    if born is None:
        with pytest.raises(IdentifierError) as exc:
            parse_nik(nik)
        assert exc.value.reason == "id.birth_date"
        return
    parsed = parse_nik(nik)
    assert (parsed.birth_date, parsed.sex) == (born, sex)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("327501120385001", "id.nik_length"),
        ("32750112038500123", "id.nik_length"),
        ("3275O11203850012", "id.nik_length"),
        ("9975011203850012", "id.region"),  # province 99 does not exist
        ("3200011203850012", "id.region"),
        ("3275001203850012", "id.region"),
        ("3275011203850000", "id.serial"),
        ("3275013213850012", "id.birth_date"),  # month 13
    ],
)
def test_bad_niks_say_why(text: str, reason: str) -> None:
    with pytest.raises(IdentifierError) as exc:
        parse_nik(text)
    assert exc.value.reason == reason


def test_separators_people_type_are_ignored() -> None:
    assert parse_nik(" 3275.0112.0385.0012 ").value == "3275011203850012"


def test_kk_issue_date_has_no_plus_forty() -> None:
    assert parse_kk("3275011203150007") == "3275011203150007"
    assert not is_valid_kk("3275015203150007")


def test_kks_luhn() -> None:
    body = "604512345678901"
    good = body + luhn_check_digit(body)
    assert parse_kks(good) == good
    bad = body + str((int(good[-1]) + 1) % 10)
    assert not is_valid_kks(bad)


@given(st.text(alphabet="0123456789", min_size=15, max_size=15))
def test_any_body_with_its_luhn_digit_is_a_valid_card(body: str) -> None:
    assert is_valid_kks(body + luhn_check_digit(body))


@given(st.text(alphabet="0123456789", min_size=15, max_size=15), st.integers(1, 9))
def test_one_wrong_digit_fails_luhn(body: str, delta: int) -> None:
    good = body + luhn_check_digit(body)
    i = len(good) - 1
    bad = good[:i] + str((int(good[i]) + delta) % 10)
    assert not is_valid_kks(bad)


@given(st.dates(dt.date(1931, 1, 1), dt.date(2025, 12, 31)), st.sampled_from("LP"),
       st.integers(1, 9999))
def test_nik_round_trips_birth_date_and_sex(born: dt.date, sex: str, serial: int) -> None:
    day = born.day + (40 if sex == "P" else 0)
    nik = f"327501{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"
    parsed = parse_nik(nik, today=dt.date(2026, 1, 1))
    assert (parsed.birth_date, parsed.sex) == (born, sex)


@given(st.text(max_size=40))
def test_validators_never_raise_anything_but_their_own_error(text: str) -> None:
    assert is_valid_nik(text) in (True, False)
    assert is_valid_kk(text) in (True, False)
    assert is_valid_kks(text) in (True, False)


def test_mask_keeps_four_and_four() -> None:
    assert mask("3275011203850012") == "3275\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u20220012"
    assert mask("") == ""
