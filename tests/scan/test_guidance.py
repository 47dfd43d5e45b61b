"""Guidance for the officer when a sheet is in view and nothing reads."""

from __future__ import annotations

import cv2
import numpy as np

from bekasi_field.i18n import catalogues
from bekasi_field.scan.guidance import HINTS, HintTracker, sheet_hint
from bekasi_field.scan.image_fixes import to_gray
from bekasi_field.scan.synthetic import desk, photo, place, slip_card, slip_like_text


def _gray(condition: str, seed: int, size: tuple[int, int] = (1280, 720)) -> np.ndarray:
    return to_gray(photo(condition, seed, size=size).image)


def test_far_slips_are_asked_closer() -> None:
    assert {sheet_hint(_gray("tiny", s)) for s in range(3)} == {"closer"}
    assert {sheet_hint(_gray("small", s, (640, 480))) for s in range(3)} == {"closer"}


def test_a_reflection_on_the_slip_is_named() -> None:
    assert [sheet_hint(_gray("glare", s)) for s in range(3)].count("glare") >= 2


def test_a_soft_slip_is_asked_to_be_held_still() -> None:
    rng = np.random.default_rng(4)
    frame = desk(rng)
    place(frame, slip_card(slip_like_text(rng), 4.5, rng=rng), rng=rng, angle=3.0)
    sharp = to_gray(frame)
    soft = cv2.GaussianBlur(sharp, (0, 0), 4.0)
    assert sheet_hint(sharp) is None  # a readable slip needs no hint
    assert sheet_hint(soft) == "hold_still"


def test_nothing_to_say_on_an_empty_desk() -> None:
    rng = np.random.default_rng(1)
    empty = to_gray(desk(rng))
    empty[:] = int(empty.mean())
    assert sheet_hint(empty) is None


def test_tracker_waits_for_misses_and_spaces_its_hints() -> None:
    far = _gray("tiny", 1)
    t = HintTracker(frames=3, every=5)
    out = [t.feed(far, read_something=False) for _ in range(12)]
    assert out[:2] == [None, None] and out[2] == "closer"
    assert [i for i, h in enumerate(out) if h] == [2, 7]
    assert t.feed(far, read_something=True) is None


def test_every_hint_has_a_text_in_both_languages() -> None:
    for lang in ("id", "en"):
        assert all(f"scan.hint.{h}" in catalogues()[lang] for h in HINTS)
