"""Consistent reads before a code is accepted; no second firing while it cools down."""

from __future__ import annotations

import pytest

from bekasi_field.scan.stabilizer import Stabilizer


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_needs_two_of_the_last_three_frames() -> None:
    s = Stabilizer(window=3, needed=2, clock=Clock())
    assert s.feed(["A"]) == []
    assert s.feed([]) == []
    assert s.feed(["A"]) == ["A"]  # A in 2 of the last 3


def test_a_single_misread_never_fires() -> None:
    clock = Clock()
    s = Stabilizer(clock=clock)
    frames = [["A"], ["B"], ["A"], ["C"], [], ["D"], [], ["E"]]
    fired = []
    for f in frames:
        fired += s.feed(f)
        clock.t += 0.033
    assert fired == ["A"]


def test_reads_too_far_apart_do_not_add_up() -> None:
    s = Stabilizer(clock=Clock())
    assert s.feed(["A"]) == []
    assert s.feed([]) == []
    assert s.feed([]) == []
    assert s.feed(["A"]) == []  # the first A has left the window


def test_same_code_does_not_fire_again_while_in_view_or_cooling() -> None:
    clock = Clock()
    s = Stabilizer(cooldown_s=3.0, clock=clock)
    fired = []
    for _ in range(300):  # 10 s with the slip lying in front of the camera
        fired += s.feed(["A"])
        clock.t += 1 / 30
    assert fired == ["A"]
    clock.t += 2.0  # taken away for 2 s only
    assert s.feed(["A"]) + s.feed(["A"]) == []
    for _ in range(4):
        s.feed([])
    clock.t += 3.5  # gone long enough: the next person with the same slip fires again
    assert s.feed(["A"]) + s.feed(["A"]) == ["A"]
    assert s.cooling() == {"A"}


def test_two_codes_in_one_frame_both_fire_once() -> None:
    s = Stabilizer(clock=Clock())
    assert s.feed(["B", "A"]) == []
    assert s.feed(["A", "B"]) == ["A", "B"]
    assert s.feed(["A", "B"]) == []


def test_forget_lets_a_code_fire_again_at_once() -> None:
    s = Stabilizer(clock=Clock())
    s.feed(["A"])
    assert s.feed(["A"]) == ["A"]
    s.forget("A")
    assert s.feed(["A"]) == ["A"]
    s.forget()
    assert s.cooling() == set()


def test_explicit_time_overrides_the_clock() -> None:
    s = Stabilizer(cooldown_s=1.0, clock=Clock())
    assert s.feed(["A"], now=0.0) + s.feed(["A"], now=0.1) == ["A"]
    s.feed([], now=0.2)
    s.feed([], now=0.3)
    assert s.feed(["A"], now=1.5) + s.feed(["A"], now=1.6) == ["A"]


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        Stabilizer(window=2, needed=3)
