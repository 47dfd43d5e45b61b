"""A USB scanner's burst of keys is told from a person typing, by timing alone."""

from __future__ import annotations

import numpy as np

from bekasi_field.scan.wedge import ScannerBurst, TypedText, WedgeParser


def _type(p: WedgeParser, text: str, *, start: float, gaps: list[float]) -> float:
    t = start
    for ch, gap in zip(text, gaps, strict=True):
        t += gap
        assert p.feed(ch, t) is None
    return t


def test_scanner_burst_ending_in_enter() -> None:
    p = WedgeParser()
    rng = np.random.default_rng(3)
    code = "3275014101900001"
    t = _type(p, code, start=5.0, gaps=list(rng.uniform(0.002, 0.02, len(code))))
    assert p.in_burst
    out = p.enter(t + 0.01)
    assert isinstance(out, ScannerBurst)
    assert out.text == code and out.typed_prefix == ""
    assert 0 < out.duration_ms < 400
    assert p.pending == ""


def test_person_typing_a_nik_is_typed_text() -> None:
    p = WedgeParser()
    rng = np.random.default_rng(4)
    nik = "3275014101900001"
    t = _type(p, nik, start=0.0, gaps=list(rng.uniform(0.09, 0.3, len(nik))))
    assert not p.in_burst
    assert p.enter(t + 0.2) == TypedText(nik)


def test_fast_typist_with_one_quick_pair_is_still_typing() -> None:
    p = WedgeParser()
    gaps = [0.12, 0.03, 0.11, 0.02, 0.14, 0.1, 0.13, 0.09]  # quick pairs, never a run of 6
    t = _type(p, "budi san", start=0.0, gaps=gaps)
    assert p.enter(t + 0.15) == TypedText("budi san")


def test_burst_after_some_typed_keys_keeps_them_apart() -> None:
    p = WedgeParser()
    t = _type(p, "ab", start=0.0, gaps=[0.2, 0.25])
    t = _type(p, "BKF1:XYZ123", start=t + 0.5, gaps=[0.008] * 11)
    out = p.enter(t + 0.008)
    assert isinstance(out, ScannerBurst)
    assert out.text == "BKF1:XYZ123" and out.typed_prefix == "ab"


def test_enter_long_after_a_fast_run_is_typing() -> None:
    p = WedgeParser()
    t = _type(p, "123456789", start=0.0, gaps=[0.01] * 9)
    assert isinstance(p.enter(t + 0.8), TypedText)  # someone pasted, then pressed Enter


def test_short_bursts_are_not_codes() -> None:
    p = WedgeParser(min_length=6)
    t = _type(p, "abc", start=0.0, gaps=[0.01] * 3)
    assert p.enter(t + 0.01) == TypedText("abc")


def test_enter_key_through_feed_and_empty_enter() -> None:
    p = WedgeParser()
    assert p.enter(1.0) is None
    t = _type(p, "ABCDEFGH", start=1.0, gaps=[0.005] * 8)
    out = p.feed("\r", t + 0.005)
    assert isinstance(out, ScannerBurst) and out.text == "ABCDEFGH"


def test_abandoned_keys_are_forgotten_after_idle() -> None:
    p = WedgeParser(idle_reset_s=10.0)
    _type(p, "xx", start=0.0, gaps=[0.2, 0.2])
    t = _type(p, "CODE12345", start=60.0, gaps=[0.01] * 9)
    out = p.enter(t + 0.01)
    assert isinstance(out, ScannerBurst) and out.text == "CODE12345" and out.typed_prefix == ""


def test_two_scans_in_a_row() -> None:
    p = WedgeParser()
    t = _type(p, "FIRST-CODE", start=0.0, gaps=[0.004] * 10)
    first = p.enter(t + 0.004)
    t = _type(p, "SECOND-CODE", start=t + 0.7, gaps=[0.004] * 11)
    second = p.enter(t + 0.004)
    assert isinstance(first, ScannerBurst) and first.text == "FIRST-CODE"
    assert isinstance(second, ScannerBurst) and second.text == "SECOND-CODE"
