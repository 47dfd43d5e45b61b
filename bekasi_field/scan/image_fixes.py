"""Cheap image fixes the decoder chain tries when a plain read finds nothing.

Each fix returns the new image and the affine map back to the original frame's pixels
(scale, dx, dy: original = new / scale + offset), so corner points stay meaningful.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class Fixed:
    image: np.ndarray
    scale: float = 1.0
    dx: float = 0.0
    dy: float = 0.0

    def to_frame(self, pt: tuple[float, float]) -> tuple[float, float]:
        return (pt[0] / self.scale + self.dx, pt[1] / self.scale + self.dy)


def to_gray(frame: np.ndarray) -> np.ndarray:
    """Any camera or file frame (grey, BGR, BGRA) as a contiguous 2-D uint8 array."""
    if frame.ndim == 2:
        gray = frame
    elif frame.shape[2] == 4:
        gray = cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY)
    elif frame.shape[2] == 3:
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    else:
        gray = frame[:, :, 0]
    if gray.dtype != np.uint8:
        gray = cv2.normalize(gray, np.empty_like(gray), 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    return np.ascontiguousarray(gray)


def centre_crop_upscaled(gray: np.ndarray, *, frac: float = 0.5, factor: float = 2.0) -> Fixed:
    """The middle of the frame, enlarged: a small slip held up to the camera has tiny modules."""
    h, w = gray.shape
    cw, ch = int(w * frac), int(h * frac)
    x0, y0 = (w - cw) // 2, (h - ch) // 2
    crop = gray[y0:y0 + ch, x0:x0 + cw]
    big = cv2.resize(crop, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    return Fixed(big, factor, float(x0), float(y0))


def upscaled(gray: np.ndarray, *, factor: float = 2.0, max_side: int = 2600) -> Fixed:
    """The whole frame enlarged (capped), for tiny codes off-centre in smaller frames."""
    h, w = gray.shape
    factor = min(factor, max_side / max(h, w))
    if factor <= 1.05:
        return Fixed(gray)
    return Fixed(cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC),
                 factor)


def downscaled(gray: np.ndarray, *, max_side: int = 800) -> Fixed:
    """A smaller copy: zbar is slow on full HD frames and blur matters less at half size."""
    h, w = gray.shape
    factor = max_side / max(h, w)
    if factor >= 0.95:
        return Fixed(gray)
    return Fixed(cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA),
                 factor)


_CLAHE = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8))


def contrast_normalised(gray: np.ndarray) -> Fixed:
    """Local contrast equalisation: dim rooms, faded print, a shadow across half the slip."""
    return Fixed(_CLAHE.apply(gray))


def adaptive_threshold(gray: np.ndarray) -> Fixed:
    """Black and white by local mean: glare and uneven light that fool a global threshold."""
    h, w = gray.shape
    block = max(15, (min(h, w) // 24) | 1)
    blurred = cv2.GaussianBlur(gray, (3, 3), 0)
    return Fixed(cv2.adaptiveThreshold(blurred, 255, cv2.ADAPTIVE_THRESH_MEAN_C,
                                       cv2.THRESH_BINARY, block, 8))


def sharpened(gray: np.ndarray) -> Fixed:
    """Unsharp mask: out-of-focus cheap webcams and slight motion blur."""
    soft = cv2.GaussianBlur(gray, (0, 0), 2.0)
    return Fixed(cv2.addWeighted(gray, 1.8, soft, -0.8, 0))


def sharpened_strong(gray: np.ndarray) -> Fixed:
    """A harder unsharp mask: a webcam's soft focus on a slip at arm's length (Gaussian blur of
    about half a module), which the plain unsharp mask leaves too soft for the binariser."""
    soft = cv2.GaussianBlur(gray, (0, 0), 1.5)
    return Fixed(cv2.addWeighted(gray, 3.0, soft, -2.0, 0))


def upscaled_sharpened(gray: np.ndarray, *, factor: float = 2.0, max_side: int = 4000) -> Fixed:
    """Enlarged, then sharpened at the new scale: small or tilted codes on a 640x480 webcam
    and tiny ones at 1280x720, whose modules interpolation alone leaves grey."""
    big = upscaled(gray, factor=factor, max_side=max_side)
    soft = cv2.GaussianBlur(big.image, (0, 0), factor)
    return Fixed(cv2.addWeighted(big.image, 2.2, soft, -1.2, 0), big.scale)


def upscaled_equalised(gray: np.ndarray, *, factor: float = 3.0) -> Fixed:
    """Enlarged, then local contrast equalised at the new scale: a small slip in a dark room or
    under glare at 640x480."""
    big = upscaled(gray, factor=factor, max_side=4000)
    return Fixed(_CLAHE.apply(big.image), big.scale)


def paper_box(gray: np.ndarray, *, margin: float = 0.08) -> tuple[int, int, int, int] | None:
    """(x0, y0, x1, y1) around the largest bright region (a paper slip on a desk) and any other
    at least a third its size (two slips side by side), with a margin."""
    h, w = gray.shape
    f = 4 if max(h, w) > 900 else 2
    small = cv2.resize(gray, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), 2)
    _, mask = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask)
    if n < 2:
        return None
    areas = stats[1:, cv2.CC_STAT_AREA]
    big = stats[1:][areas >= areas.max() / 3]
    x, y = int(big[:, 0].min()) * f, int(big[:, 1].min()) * f
    bw = int((big[:, 0] + big[:, 2]).max()) * f - x
    bh = int((big[:, 1] + big[:, 3]).max()) * f - y
    if bw < 24 or bh < 24:
        return None
    mx, my = int(bw * margin) + 8, int(bh * margin) + 8
    return max(0, x - mx), max(0, y - my), min(w, x + bw + mx), min(h, y + bh + my)


# The slip passes enlarge a crop only when it then stays within this many pixels (a 640x480
# frame enlarged 2x): a slip whose crop is bigger has modules the whole-frame passes read, and
# enlarging it would cost a whole-frame enlargement's time (a 1280x720 frame's usual slip is
# left to them at 3x, two 640x480 slips side by side are not).
SLIP_MAX_PIXELS = 1_500_000


def on_slip(gray: np.ndarray, fix: Callable[[np.ndarray, float], Fixed], *,
            factor: float) -> Fixed:
    """`fix(crop, factor)` on the slip's crop only (the largest bright region), mapped back to
    the frame: enlarging a small slip costs a tenth of enlarging the whole frame. The frame
    itself (nothing to do) when no slip-like region is found or the crop is already big."""
    box = paper_box(gray)
    if box is None:
        return Fixed(gray)
    x0, y0, x1, y1 = box
    crop = gray[y0:y1, x0:x1]
    if crop.size * factor * factor > SLIP_MAX_PIXELS:
        return Fixed(gray)
    fixed = fix(crop, factor)
    return Fixed(fixed.image, fixed.scale, fixed.dx + x0, fixed.dy + y0)
