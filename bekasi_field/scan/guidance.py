"""What to tell the officer when a slip or card is in view but nothing reads; no Qt.

A cheap webcam reads a slip once it is close, still and without a reflection on it. When the
camera sees a sheet of paper (a pale, rectangular blob, as scan/ktp.py finds a card) for a few
frames and no code comes out, one look at that sheet says which of the three is missing:
- "closer": the sheet covers a small part of the frame (modules of one or two pixels);
- "glare": a patch of it is burnt out white (a window or a lamp reflected on glossy paper);
- "hold_still": its edges are soft (motion blur, or the autofocus hunting).
The hints are keys; the GUI shows tr(f"scan.hint.{key}").
"""

from __future__ import annotations

import cv2
import numpy as np

from bekasi_field.scan.image_fixes import to_gray
from bekasi_field.scan.ktp import find_card

HINTS = ("closer", "glare", "hold_still")

# A sheet narrower than this share of the frame has QR modules of under ~2 px on a 1280x720
# camera: at the slip's print size, it is too far away.
MIN_SHEET_SHARE = 0.28
GLARE_SHARE = 0.04  # burnt-out pixels on the sheet
SHARP_ENOUGH = 60.0  # variance of the Laplacian over the sheet, in grey levels squared


def sheet_hint(gray: np.ndarray) -> str | None:
    """A hint for the sheet in `gray` (2-D uint8), or None (no sheet, or nothing to say)."""
    corners = find_card(gray, min_share=0.008)
    if corners is None:
        return None
    h, w = gray.shape[:2]
    width = float(max(np.linalg.norm(corners[1] - corners[0]),
                      np.linalg.norm(corners[2] - corners[3])))
    if width < MIN_SHEET_SHARE * w:
        return "closer"
    mask = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(mask, corners.astype(np.int32), 255)
    inside = mask > 0
    if not inside.any():
        return None
    # Burnt out: white after a blur, so that JPEG's speckle on white paper does not count.
    sheet = cv2.GaussianBlur(gray, (7, 7), 0)[inside]
    if float((sheet >= 252).mean()) > GLARE_SHARE:
        return "glare"
    x, y, bw, bh = cv2.boundingRect(corners.astype(np.int32))
    roi = gray[max(0, y): y + bh, max(0, x): x + bw]
    if roi.size and float(cv2.Laplacian(roi, cv2.CV_64F).var()) < SHARP_ENOUGH:
        return "hold_still"
    return None


class HintTracker:
    """A hint only after `frames` frames in a row with a sheet and no code, at most once per
    `every` frames, and never while codes read."""

    def __init__(self, *, frames: int = 6, every: int = 15) -> None:
        self.frames = frames
        self.every = every
        self._misses = 0
        self._since_hint = every

    def feed(self, frame: np.ndarray, *, read_something: bool) -> str | None:
        """`frame` grey or BGR; it is converted only on the rare frames that get a look."""
        self._since_hint += 1
        if read_something:
            self._misses = 0
            return None
        self._misses += 1
        if self._misses < self.frames or self._since_hint < self.every:
            return None
        hint = sheet_hint(to_gray(frame))
        if hint is not None:
            self._since_hint = 0
        return hint
