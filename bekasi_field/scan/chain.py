"""The decoder chain: the fast decoder on the plain frame first, then fall-backs within a budget.

A webcam frame arrives every ~33 ms. Most frames with a slip in them read on the first pass
(zxing-cpp, ~3 ms at 1280×720); only when that finds nothing do we try image fixes and the other
decoder, stopping at the first pass that finds a code or when the per-frame budget is spent.
Results from several passes are merged by text.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr
from bekasi_field.scan import image_fixes as fx
from bekasi_field.scan.deblur import defocus_deblurred, motion_deblurred
from bekasi_field.scan.decoders import QR_ONLY, Decoded, Decoder, ZxingDecoder, make_decoders

log = logging.getLogger(__name__)

Fix = Callable[[np.ndarray], fx.Fixed]

FIXES: dict[str, Fix] = {
    "plain": fx.Fixed,
    "sharpen": fx.sharpened,
    "sharpen+": fx.sharpened_strong,
    "up2sharp": fx.upscaled_sharpened,
    "up3sharp": lambda g: fx.upscaled_sharpened(g, factor=3.0),
    "clahe": fx.contrast_normalised,
    "up1.5": lambda g: fx.upscaled(g, factor=1.5),
    "half": fx.downscaled,
    "up2": fx.upscaled,
    "up3": lambda g: fx.upscaled(g, factor=3.0, max_side=4000),
    "centre2x": fx.centre_crop_upscaled,
    "threshold": fx.adaptive_threshold,
    "deblur": motion_deblurred,
    "slip3sharp": lambda g: fx.on_slip(
        g, lambda c, f: fx.upscaled_sharpened(c, factor=f), factor=3.0),
    "slip2sharp": lambda g: fx.on_slip(
        g, lambda c, f: fx.upscaled_sharpened(c, factor=f), factor=2.0),
    "slip3clahe": lambda g: fx.on_slip(
        g, lambda c, f: fx.upscaled_equalised(c, factor=f), factor=3.0),
    "defocus": defocus_deblurred,
}

# Order matters: most useful per millisecond first, measured pass by pass on the synthetic photo
# set (bekasi_field/scan/synthetic.py) on a 2-core laptop at 1280x720:
#   zxing:plain    ~3 ms   reads most frames
#   zxing:sharpen  ~5 ms   out-of-focus webcams, slight motion blur
#   zxing:deblur   ~1 ms   (10 ms) a slip moved while exposed: the smear is measured and undone
#                          on the slip's crop (scan/deblur.py); ~1 ms on frames with no smear
#   zxing:defocus  ~3 ms   (12 ms) out of focus: the slip deconvolved by a 2 px Gaussian; ~3 ms
#                          on frames whose edges are sharp
#   zxing:slip3sharp ~4 ms the slip's crop only, enlarged 3x and sharpened: tiny codes at
#                          1280x720 for a tenth of the whole-frame up3sharp's time
#   zxing:clahe    ~9 ms   dark rooms, steep perspective, heavy JPEG
#   zxing:up1.5    ~9 ms   small codes (slip held far away)
#   zxing+:plain   ~8 ms   zxing-cpp's own retries (inverted, downscaled): what raw reads
#   zbar:half     ~15 ms   very dark or noisy frames, where zbar's binariser does better
#   zxing:slip2sharp, slip3clahe  ~2-10 ms  the crop enlarged 2x + sharpened (tilted slips
#                          at 640x480), 3x + CLAHE (dark or glared slips at 640x480)
#   zxing:up2     ~20 ms   tiny codes (< 2 px per module); cubic, linear reads none of them
#   zbar:slip2sharp ~5 ms  zbar's binariser on the enlarged crop: a dark 640x480 slip that no
#                          zxing pass (nor any zxing-cpp binarizer option) reads
#   zxing:up3     ~45 ms   tinier still (only where there is no budget: file scans)
# A live camera stops when its budget (default 25 ms) is spent and carries on from there in
# the next frame; file scans run them all.
DEFAULT_PLAN: tuple[tuple[str, str], ...] = (
    ("zxing", "plain"),
    ("zxing", "sharpen"),
    ("zxing", "deblur"),
    ("zxing", "defocus"),
    ("zxing", "slip3sharp"),
    ("zxing", "clahe"),
    ("zxing", "up1.5"),
    ("zxing", "sharpen+"),
    ("zxing", "slip2sharp"),
    ("zxing", "slip3clahe"),
    ("zxing+", "plain"),
    ("zbar", "half"),
    ("zxing", "up2"),
    ("zxing", "up2sharp"),
    ("zxing", "centre2x"),
    ("zxing", "threshold"),
    ("zbar", "plain"),
    ("zbar", "slip2sharp"),
    ("zxing", "up3"),
    ("zxing", "up3sharp"),
)

# Video files decoded frame by frame without a budget (so results do not depend on the
# machine's speed): the cheap passes only, since a code held up is seen in many frames anyway.
VIDEO_PLAN: tuple[tuple[str, str], ...] = (
    ("zxing", "plain"), ("zxing", "sharpen"), ("zxing", "clahe"), ("zxing", "up1.5"),
)


class NoDecoderError(BekasiError):
    """Neither zxing-cpp nor pyzbar loads: the installation is broken."""


@dataclass
class ChainStats:
    """What the last decode() did: for the status bar and the benchmark."""

    ms: float = 0.0
    passes: list[str] = field(default_factory=list)
    hit_pass: str | None = None
    budget_spent: bool = False


class DecoderChain:
    """decode(frame) -> every distinct code found, trying fall-backs while under budget_ms.

    budget_ms=None means no budget (file scans: read everything that can be read); with a
    budget the fall-backs rotate from frame to frame (see _order).
    exhaustive=True runs every pass even after a hit (finds a second code a first pass missed).
    """

    def __init__(self, *, budget_ms: float | None = 25.0, decoders: Sequence[Decoder] | None = None,
                 formats: Sequence[str] = QR_ONLY,
                 plan: Sequence[tuple[str, str]] = DEFAULT_PLAN,
                 exhaustive: bool = False, idle_budget_ms: float | None = None,
                 idle_after: int = 30,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.budget_ms = budget_ms
        # After `idle_after` frames in a row with no code (an empty desk), a live chain drops
        # to idle_budget_ms: the camera then costs a third of a core instead of most of one,
        # and the rotating fall-backs still get their turns (a few frames later).
        self.idle_budget_ms = idle_budget_ms
        self.idle_after = idle_after
        self._empty_streak = 0
        self.exhaustive = exhaustive
        self.decoders = list(decoders) if decoders is not None else make_decoders(formats)
        if not self.decoders:
            raise NoDecoderError(tr("scan.no_decoder"))
        self._clock = clock
        by_name = {d.name: d for d in self.decoders}
        if "zxing" in by_name and "zxing+" not in by_name:
            by_name["zxing+"] = ZxingDecoder(formats, thorough=True)
        steps = [(by_name[d], FIXES[f]) for d, f in plan if d in by_name]
        # Whatever loads, the plain frame through the first decoder is always tried first.
        first = (self.decoders[0], FIXES["plain"])
        steps = [first] + [s for s in steps if s != first]
        self._steps: list[tuple[Decoder, Fix, str]] = [
            (d, f, f"{d.name}:{_fix_name(f)}") for d, f in steps
        ]
        self.last_stats = ChainStats()
        # Only a budgeted (live) chain rotates its fall-backs; without a budget every pass runs
        # in plan order, so file scans are deterministic.
        self.rotate = budget_ms is not None
        self._offset = 0
        self._sticky: tuple[Decoder, Fix, str] | None = None

    @property
    def names(self) -> list[str]:
        return [d.name for d in self.decoders]

    @property
    def pass_names(self) -> list[str]:
        return [name for _, _, name in self._steps]

    def _order(self) -> list[tuple[Decoder, Fix, str]]:
        """This frame's pass order: plain first, then the pass that last found a code (the
        light and the camera rarely change between frames), then the other fall-backs starting
        where the previous frame's budget ran out, so every fix gets its turn within a few
        frames even when only two fit in one frame's budget."""
        first, rest = self._steps[0], self._steps[1:]
        if self.rotate and rest:
            k = self._offset % len(rest)
            rest = rest[k:] + rest[:k]
        if self._sticky is not None and self._sticky in rest:
            rest.remove(self._sticky)
            rest.insert(0, self._sticky)
        return [first, *rest]

    def decode(self, frame: np.ndarray) -> list[Decoded]:
        t0 = self._clock()
        gray = fx.to_gray(frame)
        stats = ChainStats()
        budget = self.budget_ms
        if self.idle_budget_ms is not None and self._empty_streak >= self.idle_after:
            budget = self.idle_budget_ms
        found: dict[str, Decoded] = {}
        tried_fallbacks = 0
        done: set[tuple[str, str]] = set()
        for i, step in enumerate(self._order()):
            decoder, fix, name = step
            if i and budget is not None and (self._clock() - t0) * 1000 >= budget:
                stats.budget_spent = True
                break
            if i and step is not self._sticky:
                tried_fallbacks += 1
            fixed = fix(gray)
            if fixed.image is gray and i and (decoder.name, "plain") in done:
                continue  # a fix that had nothing to do (upscale of a huge photo): no re-run
            done.add((decoder.name, "plain" if fixed.image is gray else name))
            stats.passes.append(name)
            hits = decoder.decode(fixed.image)
            for d in hits:
                if d.text not in found:
                    pts = tuple(fixed.to_frame(p) for p in d.points)
                    found[d.text] = Decoded(d.text, pts, d.decoder, d.symbology)
            if hits and stats.hit_pass is None:
                stats.hit_pass = name
                if i and self.rotate:
                    self._sticky = step
            if found and not self.exhaustive:
                break
        if not found:
            self._offset += tried_fallbacks
        self._empty_streak = 0 if found else self._empty_streak + 1
        stats.ms = (self._clock() - t0) * 1000
        self.last_stats = stats
        return list(found.values())


def _fix_name(fix: Fix) -> str:
    for name, f in FIXES.items():
        if f is fix:
            return name
    return getattr(fix, "__name__", "fix")
