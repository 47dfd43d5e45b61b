"""The chain's order and budget: a plain read stops it, a fall-back is tried when it finds
nothing, and the budget stops the fall-backs (a fake clock, not timings)."""

from __future__ import annotations

import numpy as np

from bekasi_field.scan.chain import DEFAULT_PLAN, DecoderChain
from bekasi_field.scan.decoders import QR_ONLY, ZxingDecoder
from bekasi_field.scan.synthetic import photo


class StepClock:
    """Each call advances 10 ms: the chain sees its budget run out deterministically."""

    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        self.t += 0.010
        return self.t


def test_plain_read_stops_the_chain(texts: list[str]) -> None:
    chain = DecoderChain(budget_ms=None)
    pic = photo("clean", 5, texts=[texts[0]])
    assert [d.text for d in chain.decode(pic.image)] == [texts[0]]
    assert chain.last_stats.passes == ["zxing:plain"]
    assert chain.last_stats.hit_pass == "zxing:plain"


def test_fall_back_reads_what_the_plain_pass_misses() -> None:
    chain = DecoderChain(budget_ms=None)
    pic = photo("dark", 100)  # raw zxing-cpp cannot read this one
    assert {d.text for d in chain.decode(pic.image)} == pic.texts
    assert chain.last_stats.hit_pass not in (None, "zxing:plain")


def test_nothing_found_runs_every_pass_without_budget() -> None:
    chain = DecoderChain(budget_ms=None)
    assert chain.decode(photo("no_code", 1).image) == []
    # All of them, in order, but a deblur with nothing to undo (its frame is not re-decoded).
    skipped = set(chain.pass_names) - set(chain.last_stats.passes)
    assert skipped <= {"zxing:deblur", "zxing:defocus", "zxing:slip3sharp", "zxing:slip3clahe",
                       "zxing:slip2sharp"}
    assert chain.last_stats.passes == [p for p in chain.pass_names if p not in skipped]
    assert len(chain.pass_names) == len(DEFAULT_PLAN)
    assert not chain.last_stats.budget_spent


def test_budget_stops_the_fall_backs() -> None:
    chain = DecoderChain(budget_ms=25, clock=StepClock())
    assert chain.decode(photo("no_code", 1).image) == []
    # Start at 10 ms; the checks before passes 2 and 3 see 10 and 20 ms spent, the next 30 ms.
    assert chain.last_stats.passes == ["zxing:plain", "zxing:sharpen", "zxing:deblur"]
    assert chain.last_stats.budget_spent


def test_zero_budget_still_tries_the_first_pass(texts: list[str]) -> None:
    chain = DecoderChain(budget_ms=0)
    pic = photo("clean", 6, texts=[texts[1]])
    assert [d.text for d in chain.decode(pic.image)] == [texts[1]]


def test_exhaustive_merges_results_by_text(texts: list[str]) -> None:
    chain = DecoderChain(budget_ms=None, exhaustive=True)
    pic = photo("clean", 7, texts=[texts[2]])
    found = chain.decode(pic.image)
    assert [d.text for d in found] == [texts[2]]  # read by many passes, reported once
    # Every pass ran but those with nothing to do on a sharp frame with a big slip (the two
    # deblurs and the crop enlargements); their frame is not decoded again.
    skipped = set(chain.pass_names) - set(chain.last_stats.passes)
    assert skipped <= {"zxing:deblur", "zxing:defocus", "zxing:slip3sharp", "zxing:slip3clahe",
                       "zxing:slip2sharp"}
    assert chain.last_stats.passes == [p for p in chain.pass_names if p not in skipped]


def test_accepts_colour_grey_and_alpha_frames(texts: list[str]) -> None:
    chain = DecoderChain(budget_ms=None)
    bgr = photo("clean", 8, texts=[texts[3]], size=(640, 480)).image
    grey = bgr[:, :, 1].copy()
    bgra = np.dstack([bgr, np.full(bgr.shape[:2], 255, np.uint8)])
    for frame in (bgr, grey, bgra, grey.astype(np.uint16) * 200):
        assert [d.text for d in chain.decode(frame)] == [texts[3]]


def test_live_chain_rotates_fall_backs_and_keeps_the_one_that_works() -> None:
    """With room for only two passes per frame, a code that only a later fall-back reads (the
    slip's crop enlarged 3x, pass 5) is found within a few frames, and from then on read on
    every frame, as the stabiliser needs (2 of 3 frames)."""
    pic = photo("tiny", 103)
    chain = DecoderChain(budget_ms=25, clock=StepClock())  # 3 passes per frame
    results = []
    for _ in range(8):
        results.append({d.text for d in chain.decode(pic.image)})
    first = next(i for i, r in enumerate(results) if r)
    assert first <= 4
    assert all(r == pic.texts for r in results[first:])
    assert chain.last_stats.passes[:2] == ["zxing:plain", "zxing:slip3sharp"]


def test_file_chain_order_does_not_depend_on_earlier_frames() -> None:
    chain = DecoderChain(budget_ms=None)
    chain.decode(photo("tiny", 103).image)
    chain.decode(photo("no_code", 2).image)
    fresh = DecoderChain(budget_ms=None)
    fresh.decode(photo("no_code", 2).image)
    assert chain.last_stats.passes == fresh.last_stats.passes
    assert chain.last_stats.passes[:3] == chain.pass_names[:3]


def test_big_phone_photo_reads_and_skips_fixes_with_nothing_to_do() -> None:
    pic = photo("clean", 9, size=(2800, 2100))
    chain = DecoderChain(budget_ms=None)
    assert {d.text for d in chain.decode(pic.image)} == pic.texts
    assert chain.decode(photo("no_code", 9, size=(2800, 2100)).image) == []
    # The upscales leave a photo this big as it is: not decoded again.
    assert not {"zxing:up1.5", "zxing:up2"} & set(chain.last_stats.passes)
    assert "zbar:half" in chain.last_stats.passes


def test_idle_budget_after_a_run_of_empty_frames(texts: list[str]) -> None:
    # Without the deblurs: on a sharp frame they skip their decode, and the count below is
    # about the budget.
    plan = [p for p in DEFAULT_PLAN if p[1] not in ("deblur", "defocus")]
    chain = DecoderChain(budget_ms=45, idle_budget_ms=15, idle_after=3, clock=StepClock(),
                         plan=plan)
    empty = photo("no_code", 4, size=(640, 480)).image
    tried = []
    for _ in range(5):
        chain.decode(empty)
        tried.append(len(chain.last_stats.passes))
    # The fake clock: 10 ms per check. 45 ms lets five passes start, 15 ms two.
    assert tried == [5, 5, 5, 2, 2]
    slip = photo("clean", 4, texts=[texts[0]], size=(640, 480)).image
    assert [d.text for d in chain.decode(slip)] == [texts[0]]
    chain.decode(empty)
    assert len(chain.last_stats.passes) == 5  # a code was seen: full budget again


def test_tiny_codes_at_1280x720_read_with_the_upscaled_sharpened_pass() -> None:
    """A slip held far from a 1280x720 webcam (1.35-1.7 px a module): plain upscaling reads
    none of these; enlarging and then sharpening at the new scale reads some, wrongly none."""
    from bekasi_field.scan.image_fixes import to_gray, upscaled

    chain = DecoderChain(budget_ms=None)
    zx = ZxingDecoder(QR_ONLY)
    read = plain_up = 0
    for seed in range(1000, 1006):
        p = photo("tiny", seed)
        gray = to_gray(p.image)
        got = {d.text for d in chain.decode(gray)}
        assert got <= p.texts  # never a wrong code
        read += len(got)
        plain_up += len({d.text for d in zx.decode(upscaled(gray, factor=3.0).image)} & p.texts)
    assert plain_up == 0 and read >= 2
