"""Reading the NIK and the name off a KTP-el in a camera frame; no Qt.

The KTP-el has no barcode: the NIK is printed text. The reader finds the card in the frame (its
outline against the desk), straightens it to the card's own shape, runs an offline OCR engine
(RapidOCR: PaddleOCR's PP-OCR models on onnxruntime, shipped inside its wheel) on the upper part
of the card only, and takes the NIK from the line that holds 16 digits and the name from the
line under it. A NIK is returned only when it is valid by the domain's rules (region, date with
+40 for women, serial) and the OCR was sure of the line; KtpStabilizer accepts it only when two
frames agree. A wrong NIK accepted is the worst outcome: everything here prefers a miss.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any, Protocol

import cv2
import numpy as np

from bekasi_field.domain.errors import BekasiError
from bekasi_field.domain.identifiers import IdentifierError, parse_nik
from bekasi_field.i18n import tr

log = logging.getLogger(__name__)

# The card straightened to 85.6 x 54 mm at 7 px/mm: big enough for the 7 px field text.
WARP_W, WARP_H = 600, 378
# The part of the straightened card with the header, the NIK and the Nama line (the photo box
# on the right and the lower fields are left out: fewer lines to read, and none of them a NIK).
_BAND = (0.0, 0.0, 0.80, 0.42)  # x0, y0, x1, y1 as shares of the card
MIN_LINE_SCORE = 0.80  # the OCR's confidence in the NIK line, 0..1
# Characters OCR confuses with digits in a line of print; only applied inside the NIK token.
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "U": "0",
                                   "I": "1", "l": "1", "|": "1", "i": "1", "L": "1",
                                   "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8",
                                   "G": "6", "b": "6", "T": "7", "g": "9", "q": "9"})
_NIK_TOKEN = re.compile(r"[0-9OoDQUIl|iLZzSsBGbTgq]{16,}")
_NAME_LABEL = re.compile(r"^\W*nama\W*", re.IGNORECASE)


class OcrMissingError(BekasiError):
    """The OCR engine is not installed: KTP reading is off, QR codes still read."""

    def __init__(self) -> None:
        super().__init__(tr("ktp.no_engine"))


@dataclass(frozen=True)
class KtpRead:
    nik: str
    name: str  # as printed on the card, for the officer to compare with the registry's
    score: float  # the OCR's confidence in the NIK line
    corners: tuple[tuple[float, float], ...]  # where the card is in the frame


class TextLines(Protocol):
    """An OCR engine in two steps, so that only the lines that matter are recognised:
    detect() gives the text boxes (4x2 float32, clockwise from top-left) of a BGR image,
    recognise() the (text, score) of some of them."""

    def detect(self, image: np.ndarray) -> list[np.ndarray]: ...

    def recognise(self, image: np.ndarray,
                  boxes: list[np.ndarray]) -> list[tuple[str, float]]: ...


class RapidOcrLines:
    """RapidOCR: PP-OCRv6 small detection and recognition on onnxruntime, CPU, with the models
    inside the `rapidocr` wheel (nothing is fetched at run time)."""

    def __init__(self) -> None:
        try:
            from rapidocr import RapidOCR
            from rapidocr.utils.process_img import get_rotate_crop_image
        except ImportError as exc:
            raise OcrMissingError() from exc
        self._crop = get_rotate_crop_image
        # limit_type "max": the band is small already; the default ("min", 736) would upscale
        # it four times and cost ~1 s a frame. One thread: the reader runs on the camera's
        # worker and leaves the other core to the desk.
        engine: Any = RapidOCR(params={
            "Global.use_cls": False, "Global.log_level": "warning",
            "Det.limit_side_len": WARP_W, "Det.limit_type": "max",
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        })
        # Private in rapidocr 3.10 (pinned to 3.10.x in pyproject.toml for that reason).
        self._det = engine._load_det_model()
        self._rec = engine._load_rec_model()
        self._rec_input = _rec_input_type()
        self._lock = threading.Lock()  # one onnxruntime session, used by one thread at a time

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        with self._lock:
            out = self._det(image)
        if out.boxes is None:
            return []
        return [np.asarray(b, np.float32) for b in out.boxes]

    def recognise(self, image: np.ndarray,
                  boxes: list[np.ndarray]) -> list[tuple[str, float]]:
        if not boxes:
            return []
        crops = [self._crop(image, b.copy()) for b in boxes]
        with self._lock:
            out = self._rec(self._rec_input(img=crops))
        return [(str(t), float(s)) for t, s in zip(out.txts or (), out.scores, strict=False)]


def _rec_input_type() -> Any:
    from rapidocr.ch_ppocr_rec import TextRecInput

    return TextRecInput


_default_engine: TextLines | None = None
_engine_lock = threading.Lock()


def default_engine() -> TextLines:
    """The shared OCR engine, loaded on first use (the models take ~1 s to load)."""
    global _default_engine
    with _engine_lock:
        if _default_engine is None:
            _default_engine = RapidOcrLines()
        return _default_engine


# -- finding the card -------------------------------------------------------------------------

def _order(pts: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left, the long side on top."""
    c = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0])
    pts = pts[np.argsort(angles)]  # clockwise in image coordinates, from the left-up corner
    start = int(np.argmin(pts.sum(axis=1)))
    pts = np.roll(pts, -start, axis=0)
    if np.linalg.norm(pts[1] - pts[0]) < np.linalg.norm(pts[3] - pts[0]):
        pts = np.roll(pts, -1, axis=0)  # the card stands on its short side: turn a quarter
    return pts.astype(np.float32)


def _card_masks(small: np.ndarray, pale: np.ndarray | None) -> list[np.ndarray]:
    """Binary pictures in which the card may stand out as one blob: its pale, unsaturated
    print ground (a thumb or a brown desk are saturated), the card brighter than the desk
    (Otsu), and the card's outline (edges), for a desk as pale as the card."""
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    k = max(3, round(min(small.shape) * 0.03)) | 1
    close = np.ones((k, k), np.uint8)
    masks = []
    if pale is not None:
        masks.append(cv2.morphologyEx(pale, cv2.MORPH_CLOSE, close))
    _, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, close)
    masks.append(cv2.morphologyEx(bright, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8)))
    masks.append(cv2.dilate(cv2.Canny(blurred, 40, 120), np.ones((3, 3), np.uint8)))
    return masks


def find_card(frame: np.ndarray, *, min_share: float = 0.06) -> np.ndarray | None:
    """The card's four corners (float32 4x2), or None when no card-shaped outline covering at
    least `min_share` of the frame is seen."""
    h, w = frame.shape[:2]
    scale = 480.0 / max(h, w)
    size = (round(w * scale), round(h * scale))
    pale: np.ndarray | None = None
    if frame.ndim == 3:
        hsv = cv2.cvtColor(cv2.resize(frame, size, interpolation=cv2.INTER_AREA),
                           cv2.COLOR_BGR2HSV)
        small = hsv[:, :, 2]
        # Pale ground: unsaturated for its brightness (dim rooms lower both together).
        sat, val = hsv[:, :, 1].astype(np.int16), hsv[:, :, 2].astype(np.int16)
        pale = ((sat < 70) & (val > 0.5 * float(np.percentile(val, 90)))).astype(np.uint8) * 255
    else:
        small = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
    area = small.shape[0] * small.shape[1]
    best: np.ndarray | None = None
    best_area = 0.0
    for mask in _card_masks(small, pale):
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            hull = cv2.convexHull(contour)
            a = cv2.contourArea(hull)
            if a < min_share * area or a > 0.97 * area or a <= best_area:
                continue
            rect = cv2.minAreaRect(hull)
            rw, rh = rect[1]
            if min(rw, rh) < 1:
                continue
            ratio = max(rw, rh) / min(rw, rh)
            # 85.6 / 54 = 1.59; tilt and a thumb over a corner move it a little either way.
            if not 1.3 <= ratio <= 2.0 or a < 0.85 * rw * rh:
                continue
            quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True).reshape(-1, 2)
            pts = quad if len(quad) == 4 else cv2.boxPoints(rect)
            best, best_area = np.asarray(pts, np.float32), a
    if best is None:
        return None
    return _order(best / scale)


def straighten(frame: np.ndarray, corners: np.ndarray, *, width: int = WARP_W,
               height: int = WARP_H) -> np.ndarray:
    dst = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    m = cv2.getPerspectiveTransform(corners.astype(np.float32), dst)
    return cv2.warpPerspective(frame, m, (width, height), flags=cv2.INTER_LINEAR)


def _photo_side_left(card: np.ndarray) -> bool:
    """True when the card lies upside down: the KTP's photo (a coloured, darker box) is on the
    left. The card's own background is pale; the photo is saturated or dark."""
    if card.ndim == 2:
        return False
    hsv = cv2.cvtColor(card, cv2.COLOR_BGR2HSV)
    h, w = hsv.shape[:2]
    ink = (hsv[:, :, 1] > 90) | (hsv[:, :, 2] < 90)
    left = float(ink[h // 5: h * 4 // 5, : w // 4].mean())
    right = float(ink[h // 5: h * 4 // 5, w * 3 // 4:].mean())
    return left > right * 1.5 and left > 0.15


# -- reading the lines ------------------------------------------------------------------------

def nik_from_text(text: str) -> str | None:
    """The NIK in one OCR'd line, when the line holds exactly one 16-character digit token that
    is a valid NIK; look-alike letters inside that token are read as digits."""
    compact = re.sub(r"(?<=\w)[ .](?=\w)", "", text)  # "3275 0219 ..." as one token
    tokens = _NIK_TOKEN.findall(compact)
    if len(tokens) != 1 or len(tokens[0]) != 16:
        return None
    digits = tokens[0].translate(_DIGIT_LOOKALIKES)
    if not digits.isdigit():
        return None
    try:
        return parse_nik(digits).value
    except IdentifierError:
        return None


def _height(box: np.ndarray) -> float:
    return float(np.linalg.norm(box[3] - box[0]))


def _width(box: np.ndarray) -> float:
    return float(np.linalg.norm(box[1] - box[0]))


def _name_row(boxes: list[np.ndarray], nik_box: np.ndarray, width: int) -> list[np.ndarray]:
    """The value boxes of the line right under the NIK (the Nama line), left to right; the
    label column ("Nama") on the left is left out."""
    nik_bottom = float(nik_box[:, 1].max())
    height = max(_height(nik_box), 1.0)
    below = [b for b in boxes
             if nik_bottom - 0.1 * height < float(b[:, 1].mean()) < nik_bottom + 1.6 * height]
    if not below:
        return []
    first = min(float(b[:, 1].mean()) for b in below)
    row = [b for b in below if float(b[:, 1].mean()) < first + 0.5 * _height(b)]
    values = [b for b in row if float(b[:, 0].max()) > 0.36 * width]
    return sorted(values, key=lambda b: float(b[:, 0].min()))


_NAME_CHARS = re.compile(r"[^A-Z.,'\- ]")
MIN_NAME_SCORE = 0.70


def _clean_name(read: list[tuple[str, float]]) -> str:
    """The printed name, or "" when the OCR was not sure of it (the officer then compares the
    registry's name with the card by eye, as without the reader)."""
    if not read or min(score for _t, score in read) < MIN_NAME_SCORE:
        return ""
    joined = " ".join(t.strip() for t, _s in read if t.strip())
    joined = joined.rsplit(":", 1)[-1].rsplit("\uff1a", 1)[-1]  # after the label's colon
    joined = _NAME_LABEL.sub("", joined)
    joined = _NAME_CHARS.sub("", joined.upper())
    return re.sub(r"\s+", " ", joined).strip(" .,-")


def _read_band(band: np.ndarray, engine: TextLines) -> tuple[str, str, float] | None | bool:
    """(NIK, name, score); None when the band holds no NIK; False when it holds something
    that must not be accepted (two different NIKs, or a NIK read without confidence)."""
    boxes = [b for b in engine.detect(band) if _height(b) >= 6]
    if not boxes:
        return None
    # The NIK is printed larger than the fields and starts at the card's left edge (the header
    # lines are centred): the tallest long line that starts on the left is tried first, with
    # the line under it in the same batch, so that most frames cost two line recognitions.
    width = band.shape[1]
    long_lines = [b for b in boxes if _width(b) >= 4 * _height(b)]
    on_left = [b for b in long_lines if float(b[:, 0].min()) < 0.2 * width]
    order = sorted(on_left, key=_height, reverse=True)
    order += sorted((b for b in long_lines if not any(b is o for o in order)), key=_height,
                    reverse=True)
    tried: list[tuple[str | None, np.ndarray, float]] = []
    for first in order[:3]:
        row = _name_row([b for b in boxes if b is not first], first, width)
        texts = engine.recognise(band, [first, *row])
        nik = nik_from_text(texts[0][0])
        tried.append((nik, first, texts[0][1]))
        if nik is not None:
            if texts[0][1] < MIN_LINE_SCORE:
                return False
            # A second NIK-like line among the name row means a picture we do not understand.
            if any(nik_from_text(t) for t, _s in texts[1:]):
                return False
            return nik, _clean_name(texts[1:]), texts[0][1]
    return None


def read_card(card: np.ndarray, engine: TextLines) -> tuple[str, str, float] | None:
    """(NIK, name, score) from a straightened card, trying it upside down too."""
    if _photo_side_left(card):
        tries = [cv2.rotate(card, cv2.ROTATE_180), card]
    else:
        tries = [card, cv2.rotate(card, cv2.ROTATE_180)]
    h, w = card.shape[:2]
    x0, y0, x1, y1 = (round(_BAND[0] * w), round(_BAND[1] * h), round(_BAND[2] * w),
                      round(_BAND[3] * h))
    for candidate in tries:
        got = _read_band(np.ascontiguousarray(candidate[y0:y1, x0:x1]), engine)
        if got is False:
            return None
        if got is not None:
            return got  # type: ignore[return-value]
    return None


class KtpReader:
    """Finds a KTP in a frame and reads its NIK and name (one frame; see KtpStabilizer)."""

    def __init__(self, engine: TextLines | None = None) -> None:
        self._engine = engine

    @property
    def engine(self) -> TextLines:
        if self._engine is None:
            self._engine = default_engine()
        return self._engine

    @property
    def ready(self) -> bool:
        """The OCR models are loaded (reading now costs a frame, not a second of loading)."""
        return self._engine is not None or _default_engine is not None

    def read(self, frame: np.ndarray) -> KtpRead | None:
        if frame.ndim == 2:
            frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
        corners = find_card(frame)
        if corners is None:
            return None
        got = read_card(straighten(frame, corners), self.engine)
        if got is None:
            return None
        nik, name, score = got
        return KtpRead(nik=nik, name=name, score=score,
                       corners=tuple((float(x), float(y)) for x, y in corners))

    def read_photo(self, frame: np.ndarray) -> KtpRead | None:
        """A still photo (the `scan` command): two independent reads of the same card, at two
        sizes of the straightened card, must agree, as two camera frames must at the desk."""
        first = self.read(frame)
        if first is None:
            return None
        corners = np.array(first.corners, np.float32)
        card = straighten(frame if frame.ndim == 3 else cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR),
                          corners, width=round(WARP_W * 1.25), height=round(WARP_H * 1.25))
        second = read_card(card, self.engine)
        if second is None or second[0] != first.nik:
            return None
        return first


class KtpStabilizer:
    """Accept a NIK only when two of the last three frames with a card read the same one."""

    def __init__(self, window: int = 3, needed: int = 2) -> None:
        self._recent: deque[str | None] = deque(maxlen=window)
        self._needed = needed
        self._accepted: str | None = None

    def feed(self, read: KtpRead | None) -> KtpRead | None:
        self._recent.append(read.nik if read else None)
        if read is None:
            if all(r is None for r in self._recent):
                self._accepted = None  # the card has gone: the next one may be accepted
            return None
        if self._recent.count(read.nik) >= self._needed and read.nik != self._accepted:
            self._accepted = read.nik
            return read
        return None
