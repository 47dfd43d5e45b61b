import pytest
from hypothesis import given
from hypothesis import strategies as st

from bekasi_field.domain.base45 import ALPHABET, b45decode, b45encode


@pytest.mark.parametrize(("raw", "text"), [
    (b"AB", "BB8"),
    (b"Hello!!", "%69 VD92EX0"),
    (b"base-45", "UJCLQE7W581"),
    (b"ietf!", "QED8WEX0"),
    (b"", ""),
])
def test_rfc9285_vectors(raw: bytes, text: str) -> None:
    assert b45encode(raw) == text
    assert b45decode(text) == raw


@given(st.binary(max_size=300))
def test_round_trip_uses_only_qr_alphanumeric_characters(raw: bytes) -> None:
    text = b45encode(raw)
    assert set(text) <= set(ALPHABET)
    assert b45decode(text) == raw


@pytest.mark.parametrize("bad", ["GGW", "ZZZZ", "A", "abc", "BB8!", ":::"])
def test_invalid_text_raises_value_error(bad: str) -> None:
    with pytest.raises(ValueError):
        b45decode(bad)
