"""The slip-crop passes: the bright paper is cropped before it is enlarged, so small, tilted,
dark or glared slips get the enlargement the whole frame could not afford. Each case below is a
frame the chain did not read before these passes; none is ever read wrongly."""

from __future__ import annotations

import pytest

from bekasi_field.scan.chain import DEFAULT_PLAN, FIXES, DecoderChain
from bekasi_field.scan.image_fixes import SLIP_MAX_PIXELS, paper_box, to_gray
from bekasi_field.scan.synthetic import photo

WITHOUT = [p for p in DEFAULT_PLAN if not p[1].startswith("slip")]


@pytest.mark.parametrize(("condition", "seed", "size", "hit_pass"), [
    ("tiny", 1006, (1280, 720), "zxing:slip3sharp"),  # 1.35-1.7 px a module
    ("perspective", 1001, (640, 480), "zxing:slip2sharp"),
    ("glare", 1002, (640, 480), "zxing:slip3clahe"),
    ("dark", 1005, (640, 480), "zxing:slip3clahe"),
])
def test_a_slip_the_chain_missed_reads_from_its_crop(condition: str, seed: int,
                                                     size: tuple[int, int], hit_pass: str) -> None:
    pic = photo(condition, seed, size=size)
    assert DecoderChain(budget_ms=None, plan=WITHOUT).decode(pic.image) == []
    chain = DecoderChain(budget_ms=None)
    found = chain.decode(pic.image)
    assert {d.text for d in found} == pic.texts
    assert chain.last_stats.hit_pass == hit_pass
    # The corners are mapped from the enlarged crop back onto the frame, around the code.
    gray = to_gray(pic.image)
    x, y = (int(v) for v in found[0].centre())
    x0, y0, x1, y1 = paper_box(gray) or (0, 0, 0, 0)
    assert x0 < x < x1 and y0 < y < y1


def test_zbar_on_the_enlarged_crop_reads_a_dark_slip_no_zxing_pass_reads() -> None:
    pic = photo("dark", 1002, size=(640, 480))
    without = [p for p in DEFAULT_PLAN if p != ("zbar", "slip2sharp")]
    assert DecoderChain(budget_ms=None, plan=without).decode(pic.image) == []
    chain = DecoderChain(budget_ms=None)
    assert {d.text for d in chain.decode(pic.image)} == pic.texts
    assert chain.last_stats.hit_pass == "zbar:slip2sharp"


def test_two_slips_side_by_side_are_both_in_the_crop() -> None:
    pic = photo("two_codes", 1000, size=(640, 480))
    before = {d.text for d in DecoderChain(budget_ms=None, plan=WITHOUT).decode(pic.image)}
    found = {d.text for d in DecoderChain(budget_ms=None).decode(pic.image)}
    assert before < pic.texts  # one of the two, or none
    assert found == pic.texts
    x0, _, x1, _ = paper_box(to_gray(pic.image)) or (0, 0, 0, 0)
    assert x0 < 0.28 * 640 - 60 and x1 > 0.74 * 640 + 60  # both slips' centres and more


def test_no_code_and_no_paper_read_nothing() -> None:
    chain = DecoderChain(budget_ms=None)
    for seed in range(1000, 1004):
        for size in ((1280, 720), (640, 480)):
            assert chain.decode(photo("no_code", seed, size=size).image) == []


def test_a_slip_big_enough_already_is_not_enlarged_3x() -> None:
    """A slip at 3.6-5 px a module reads on the whole frame; enlarging its crop 3x would cost
    a whole-frame enlargement's time, so the 3x slip passes leave it."""
    gray = to_gray(photo("clean", 1000).image)
    for name in ("slip3sharp", "slip3clahe"):
        assert FIXES[name](gray).image is gray, name
    small = to_gray(photo("tiny", 1006).image)
    fixed = FIXES["slip3sharp"](small)
    assert fixed.scale == 3.0 and fixed.image.size <= SLIP_MAX_PIXELS
