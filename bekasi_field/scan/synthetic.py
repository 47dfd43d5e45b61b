"""Synthetic desk photos of slips: QR codes on paper on a desk under bad light and bad cameras.

Used by the tests, the benchmark and the self-test, so no binary photos are committed. Every
picture is a deterministic function of its seed. Conditions mimic what a cheap webcam at a
kelurahan office desk sees: tilted slips, blur, glare from a window, a shadow, dusk, faded
printer toner, heavy JPEG, a slip held far away.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import qrcode
import qrcode.constants

FRAME_W, FRAME_H = 1280, 720
_ALNUM = string.ascii_uppercase + string.digits + " $%*+-./:"


@dataclass(frozen=True)
class Photo:
    image: np.ndarray  # BGR uint8
    texts: frozenset[str]  # the codes in the picture (empty: none)
    condition: str


def slip_like_text(rng: np.random.Generator, length: int = 285) -> str:
    """A stand-in for a signed slip: `BKF1:` and Base45-alphabet characters (QR alphanumeric)."""
    body = "".join(_ALNUM[i] for i in rng.integers(0, len(_ALNUM), length - 5))
    return "BKF1:" + body


def qr_modules(text: str) -> np.ndarray:
    """The QR's modules as a 0/255 uint8 image, one pixel per module, 4-module quiet zone."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    matrix = np.array(qr.get_matrix(), dtype=bool)
    return np.where(matrix, 0, 255).astype(np.uint8)


def slip_card(text: str, module_px: float, *, rng: np.random.Generator,
              ink: int = 20, paper: int = 245) -> np.ndarray:
    """A paper slip (grey) with the QR on the left and lines of 'print' beside it."""
    mods = qr_modules(text)
    size = max(8, round(mods.shape[0] * module_px))
    qr = cv2.resize(mods, (size, size), interpolation=cv2.INTER_AREA if module_px < 1
                    else cv2.INTER_NEAREST)
    qr = np.where(qr < 128, ink, paper).astype(np.uint8) if module_px >= 1 else \
        (ink + (qr.astype(np.float32) / 255) * (paper - ink)).astype(np.uint8)
    pad = max(4, size // 10)
    h, w = size + 2 * pad, int(size * 1.6) + 2 * pad
    card = np.full((h, w), paper, np.uint8)
    card[pad:pad + size, pad:pad + size] = qr
    _print_lines(card, x0=size + 2 * pad, y0=pad, rng=rng, ink=ink, size=size)
    return card


def _print_lines(card: np.ndarray, *, x0: int, y0: int, rng: np.random.Generator, ink: int,
                 size: int) -> None:
    """Text-like strokes: the slip's name, address, item lines (hard negatives for decoders)."""
    h, w = card.shape
    line_h = max(3, size // 14)
    y = y0 + line_h
    while y + line_h < h - y0 and x0 < w - 8:
        x = x0
        end = x0 + int((w - x0 - 8) * rng.uniform(0.5, 0.95))
        while x < end:
            word = int(rng.integers(line_h, line_h * 5))
            cv2.rectangle(card, (x, y), (min(x + word, end), y + line_h // 2 + 1), int(ink), -1)
            x += word + max(2, line_h // 2)
        y += line_h * 2


def desk(rng: np.random.Generator, w: int = FRAME_W, h: int = FRAME_H) -> np.ndarray:
    """A wood-grain-ish desk in BGR with a keyboard-like dark block and some clutter."""
    base = np.array([60, 95, 140], np.float32) * rng.uniform(0.7, 1.2)
    yy = np.arange(h, dtype=np.float32)[:, None]
    grain = 12 * np.sin(yy / rng.uniform(3, 9) + rng.uniform(0, 6)) * np.ones((1, w), np.float32)
    img = np.empty((h, w, 3), np.float32)
    for c in range(3):
        img[:, :, c] = base[c] + grain
    img += rng.normal(0, 6, (h, w, 1)).astype(np.float32)
    for _ in range(int(rng.integers(2, 5))):  # pens, a phone, a stamp pad
        x, y = int(rng.integers(0, w - 120)), int(rng.integers(0, h - 60))
        colour = [float(v) for v in rng.integers(10, 200, 3)]
        cv2.rectangle(img, (x, y), (x + int(rng.integers(30, 200)), y + int(rng.integers(8, 60))),
                      colour, -1)
    return np.clip(img, 0, 255).astype(np.uint8)


def place(frame: np.ndarray, card: np.ndarray, *, rng: np.random.Generator,
          angle: float = 0.0, tilt: float = 0.0, centre: tuple[float, float] | None = None
          ) -> tuple[float, float]:
    """Warp the card into the frame: rotation (degrees) and perspective tilt (0..0.4)."""
    h, w = card.shape
    fh, fw = frame.shape[:2]
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    corners = src - np.array([w / 2, h / 2], np.float32)
    if tilt:
        # One side farther from the camera than the other.
        k = np.array([[1 - tilt, 1 - tilt], [1 + tilt / 2, 1 + tilt / 2],
                      [1 + tilt / 2, 1 + tilt / 2], [1 - tilt, 1 - tilt]], np.float32)
        if rng.random() < 0.5:
            k = k[::-1]
        corners = corners * k
    a = np.deg2rad(angle)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]], np.float32)
    corners = corners @ rot.T
    span = corners.max(axis=0) - corners.min(axis=0)
    if centre is None:
        cx = rng.uniform(span[0] / 2 + 5, max(span[0] / 2 + 6, fw - span[0] / 2 - 5))
        cy = rng.uniform(span[1] / 2 + 5, max(span[1] / 2 + 6, fh - span[1] / 2 - 5))
        centre = (cx, cy)
    dst = (corners + np.array(centre, np.float32)).astype(np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(card, m, (fw, fh), flags=cv2.INTER_LINEAR,
                                 borderValue=0)
    mask = cv2.warpPerspective(np.full_like(card, 255), m, (fw, fh), flags=cv2.INTER_LINEAR)
    alpha = (mask.astype(np.float32) / 255)[:, :, None]
    tint = np.array([1.0, 0.98, 0.95], np.float32)  # warm office light on white paper
    paper = warped.astype(np.float32)[:, :, None] * tint
    frame[:] = np.clip(frame * (1 - alpha) + paper * alpha, 0, 255).astype(np.uint8)
    # Where the QR (left square of the card) landed, for light effects aimed at it.
    qr_c = (np.array([h / 2 - w / 2, 0], np.float32) @ rot.T) + np.array(centre, np.float32)
    return (float(qr_c[0]), float(qr_c[1]))


# -- camera and light conditions on a finished frame ------------------------------------------

def _noise(img: np.ndarray, rng: np.random.Generator, sigma: float) -> np.ndarray:
    return np.clip(img + rng.normal(0, sigma, img.shape), 0, 255).astype(np.uint8)


def _motion_blur(img: np.ndarray, rng: np.random.Generator, length: int) -> np.ndarray:
    k = np.zeros((length, length), np.float32)
    k[length // 2, :] = 1.0 / length
    centre = (length / 2 - 0.5, length / 2 - 0.5)
    rot = cv2.getRotationMatrix2D(centre, float(rng.uniform(0, 180)), 1.0)
    kernel = cv2.warpAffine(k, rot, (length, length))
    return cv2.filter2D(img, -1, kernel / max(kernel.sum(), 1e-6))


def _glare(img: np.ndarray, rng: np.random.Generator, at: tuple[float, float]) -> np.ndarray:
    h, w = img.shape[:2]
    # A window's reflection on the glossy slip, off its centre by up to a QR's width.
    cx, cy = at[0] + rng.uniform(-0.12, 0.12) * w, at[1] + rng.uniform(-0.12, 0.12) * h
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    r = rng.uniform(0.05, 0.09) * w
    strength = rng.uniform(200, 260)
    blob = np.exp(-(((xx - cx) ** 2 + ((yy - cy) * 1.6) ** 2) / (2 * r * r)))
    out = img.astype(np.float32) + strength * blob[:, :, None]
    glared: np.ndarray = np.clip(out, 0, 255).astype(np.uint8)
    return glared


def _shadow(img: np.ndarray, rng: np.random.Generator, at: tuple[float, float]) -> np.ndarray:
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = rng.uniform(0, np.pi)
    d = (xx - at[0]) * np.cos(a) + (yy - at[1]) * np.sin(a) + rng.uniform(-80, 80)
    shade = 0.2 + 0.8 / (1 + np.exp(-d / 6))  # a hand or a head between lamp and desk
    shaded: np.ndarray = np.clip(img * shade[:, :, None], 0, 255).astype(np.uint8)
    return shaded


def _light(img: np.ndarray, rng: np.random.Generator, gain: float, sigma: float) -> np.ndarray:
    # A webcam in a dim room: low signal, and its noise is what the gain amplifies.
    return _noise(img.astype(np.float32) * gain, rng, sigma)


def _jpeg(img: np.ndarray, quality: int) -> np.ndarray:
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    decoded = cv2.imdecode(buf, cv2.IMREAD_COLOR) if ok else None
    assert decoded is not None
    return decoded


@dataclass(frozen=True)
class Condition:
    name: str
    module_px: tuple[float, float] = (3.6, 5.0)
    angle: float = 8.0
    tilt: float = 0.0
    ink: int = 20
    codes: int = 1
    post: Callable[[np.ndarray, np.random.Generator, tuple[float, float]], np.ndarray] | None = None


# Severities are set where raw zxing-cpp starts to fail (measured; see tests/scan/test_photos.py).
CONDITIONS: dict[str, Condition] = {c.name: c for c in (
    Condition("clean"),
    Condition("rotated", angle=180.0),
    Condition("perspective", angle=25.0, tilt=0.4),
    Condition("blur", post=lambda im, r, _: cv2.GaussianBlur(im, (0, 0), r.uniform(1.8, 2.4))),
    Condition("motion_blur", post=lambda im, r, _: _motion_blur(im, r, int(r.integers(7, 11)))),
    Condition("noise", post=lambda im, r, _: _noise(im, r, r.uniform(45, 60))),
    Condition("glare", post=_glare),
    Condition("shadow", post=_shadow),
    Condition("dim", post=lambda im, r, _: _light(im, r, r.uniform(0.18, 0.28), 4.0)),
    Condition("dark", post=lambda im, r, _: _light(im, r, r.uniform(0.05, 0.09), 2.5)),
    Condition("faded", ink=205),
    Condition("jpeg", module_px=(2.6, 3.4),
              post=lambda im, r, _: _jpeg(im, int(r.integers(3, 6)))),
    Condition("small", module_px=(1.8, 2.3)),
    Condition("tiny", module_px=(1.35, 1.7), angle=4.0),
    Condition("two_codes", module_px=(3.0, 3.8), codes=2),
    Condition("no_code", codes=0),
)}


def photo(condition: str, seed: int, *, texts: list[str] | None = None,
          size: tuple[int, int] = (FRAME_W, FRAME_H)) -> Photo:
    """One synthetic desk photo under `condition`, deterministic in `seed`."""
    cond = CONDITIONS[condition]
    rng = np.random.default_rng([seed, sum(map(ord, condition))])
    w, h = size
    frame = desk(rng, w, h)
    codes = texts if texts is not None else [slip_like_text(rng) for _ in range(cond.codes)]
    scale = w / FRAME_W
    if cond.codes == 0:
        # A slip-shaped paper with print but no QR: nothing must be read from it.
        blank = slip_card("X", 4.0 * scale, rng=rng)
        blank[: blank.shape[0], : blank.shape[0]] = 245
        _print_lines(blank, x0=8, y0=8, rng=rng, ink=20, size=blank.shape[0])
        place(frame, blank, rng=rng, angle=float(rng.uniform(-10, 10)))
    slots = _slots(len(codes), w, h)
    at = (w / 2, h / 2)
    for text, centre in zip(codes, slots, strict=False):
        module = float(rng.uniform(*cond.module_px)) * scale
        card = slip_card(text, module, rng=rng, ink=cond.ink)
        angle = float(rng.uniform(-cond.angle, cond.angle))
        at = place(frame, card, rng=rng, angle=angle, tilt=cond.tilt, centre=centre)
    if cond.post is not None:
        frame = cond.post(frame, rng, at)
    return Photo(frame, frozenset(codes), condition)


def _slots(n: int, w: int, h: int) -> list[tuple[float, float] | None]:
    if n <= 1:
        return [None] if n else []
    return [(w * 0.28, h * 0.5), (w * 0.74, h * 0.5)]


def clean_slip_image(text: str, *, module_px: int = 6) -> np.ndarray:
    """A flat, print-quality slip image (what `slips` would put on paper), greyscale."""
    return slip_card(text, module_px, rng=np.random.default_rng(0))


def write_video(path: str | Path, texts: list[str], *, hold: int = 8, gap: int = 6,
                size: tuple[int, int] = (640, 480), fps: float = 15.0, seed: int = 0) -> int:
    """An MJPG .avi of a desk where each slip is held up for `hold` frames in turn, with
    `gap` empty frames between; the slip drifts a little as a hand holds it. Frame count out."""
    rng = np.random.default_rng(seed)
    w, h = size
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (w, h))
    if not writer.isOpened():
        raise OSError(f"cannot write video {path}")
    background = desk(rng, w, h)
    frames = 0
    try:
        for _ in range(gap):
            writer.write(_noise(background, rng, 2.0))
            frames += 1
        for text in texts:
            card = slip_card(text, 4.0 * w / FRAME_W * 1.6, rng=rng)
            cx, cy = w * rng.uniform(0.4, 0.6), h * rng.uniform(0.4, 0.6)
            angle = float(rng.uniform(-12, 12))
            for _ in range(hold):
                frame = background.copy()
                cx, cy = cx + rng.normal(0, 2), cy + rng.normal(0, 2)
                angle += float(rng.normal(0, 0.7))
                place(frame, card, rng=rng, angle=angle, centre=(cx, cy))
                writer.write(_noise(frame, rng, 2.0))
                frames += 1
            for _ in range(gap):
                writer.write(_noise(background, rng, 2.0))
                frames += 1
    finally:
        writer.release()
    return frames
