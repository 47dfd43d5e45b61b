"""Synthetic KTP-el photos: the Indonesian identity card on a desk, as a cheap webcam sees it.

For the KTP reader's tests, benchmark and self-test, so no photo of a real person's card is ever
committed. The card follows the KTP-el layout (85.6 x 54 mm): PROVINSI / KOTA header, the NIK line
in large bold print, Nama, Tempat/Tgl Lahir, Jenis Kelamin, Alamat, RT/RW, Kel/Desa, Kecamatan and
the other fields, a photo box on the right with the place and date of issue under it, on a light
blue guilloche background. The fonts are the Bitstream Vera faces that ship inside reportlab
(a sans-serif close to the card's Arial), so every machine draws the same picture.

Desk conditions mirror the slip photos of synthetic.py: rotation, perspective, blur, motion
blur, glare, dim light, JPEG, noise, fingers over a corner, 640x480 and 1280x720. Every picture
is a deterministic function of its seed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from bekasi_field.domain.demo_names import POOLS
from bekasi_field.scan import synthetic as slips

CARD_W, CARD_H = 856, 540  # 10 px per mm


@dataclass(frozen=True)
class KtpPerson:
    nik: str
    name: str
    birth_place: str
    birth_date: dt.date
    sex: str  # "L" / "P"
    address: str
    rt_rw: str
    kelurahan: str
    kecamatan: str


@dataclass(frozen=True)
class KtpPhoto:
    image: np.ndarray  # BGR uint8
    person: KtpPerson | None  # None: no card in the frame
    condition: str


_KECAMATAN = (("01", "BEKASI TIMUR", "ARUHAN JAYA"), ("02", "BEKASI BARAT", "KOTA BARU"),
              ("02", "BEKASI BARAT", "KRANJI"), ("03", "BEKASI UTARA", "HARAPAN JAYA"),
              ("04", "BEKASI SELATAN", "MARGAJAYA"), ("05", "RAWALUMBU", "BOJONG RAWALUMBU"),
              ("07", "JATIASIH", "JATIMEKAR"), ("09", "MEDAN SATRIA", "PEJUANG"))
_STREETS = ("JL. KENANGA", "JL. MELATI RAYA", "GG. H. MAWI", "JL. SULTAN AGUNG", "JL. CUT MUTIA",
            "KP. RAWA BEBEK", "JL. PERJUANGAN", "PERUM BUMI BEKASI BARU")
_PLACES = ("BEKASI", "JAKARTA", "BANDUNG", "TEGAL", "KARAWANG", "CIREBON", "MEDAN", "BOGOR")


def make_person(rng: random.Random) -> KtpPerson:
    """A resident of Kota Bekasi (region 3275) with a NIK valid by the domain's rules."""
    code, kecamatan, kelurahan = rng.choice(_KECAMATAN)
    sex = rng.choice("LP")
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 56))
    day = born.day + (40 if sex == "P" else 0)
    nik = f"3275{code}{day:02d}{born.month:02d}{born.year % 100:02d}{rng.randrange(1, 9999):04d}"
    males, females, second_m, second_f = POOLS[rng.choice(sorted(POOLS))]
    given = rng.choice(males if sex == "L" else females)
    family = rng.choice(second_m if sex == "L" else second_f)
    name = f"{given} {family}".upper() if rng.random() < 0.8 else given.upper()
    address = f"{rng.choice(_STREETS)} NO. {rng.randrange(1, 120)}"
    rt_rw = f"{rng.randrange(1, 15):03d}/{rng.randrange(1, 12):03d}"
    return KtpPerson(nik=nik, name=name, birth_place=rng.choice(_PLACES), birth_date=born,
                     sex=sex, address=address, rt_rw=rt_rw, kelurahan=kelurahan,
                     kecamatan=kecamatan)


@cache
def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    import reportlab  # the Vera fonts ship inside reportlab, a dependency of the app

    folder = Path(reportlab.__file__).parent / "fonts"
    return ImageFont.truetype(str(folder / ("VeraBd.ttf" if bold else "Vera.ttf")), size)


def _background(rng: np.random.Generator) -> np.ndarray:
    """The card's light blue, with the guilloche waves and a paler band at the top."""
    yy, xx = np.mgrid[0:CARD_H, 0:CARD_W].astype(np.float32)
    base = np.empty((CARD_H, CARD_W, 3), np.float32)
    grad = xx / CARD_W
    base[:, :, 0] = 238 - 14 * grad  # B
    base[:, :, 1] = 222 - 10 * grad  # G
    base[:, :, 2] = 196 - 20 * grad  # R
    for k in range(3):
        f = rng.uniform(0.015, 0.04)
        waves = np.sin(xx * f + 9 * np.sin(yy * rng.uniform(0.01, 0.03)) + k)
        base -= (waves > 0.96)[:, :, None] * np.array([10, 8, 2], np.float32)
    return np.clip(base, 0, 255).astype(np.uint8)


def card_image(person: KtpPerson, *, seed: int = 0) -> np.ndarray:
    """The flat card (BGR, CARD_W x CARD_H) for `person`."""
    rng = np.random.default_rng(seed)
    img = Image.fromarray(cv2.cvtColor(_background(rng), cv2.COLOR_BGR2RGB))
    draw = ImageDraw.Draw(img)
    ink = (25, 25, 30)
    head = _font(True, 30)
    for text, y in (("PROVINSI JAWA BARAT", 14), ("KOTA BEKASI", 50)):
        w = draw.textlength(text, font=head)
        draw.text(((CARD_W - w) / 2, y), text, fill=ink, font=head)
    draw.text((28, 104), "NIK", fill=ink, font=_font(True, 36))
    draw.text((140, 104), ":", fill=ink, font=_font(True, 36))
    draw.text((162, 104), person.nik, fill=ink, font=_font(True, 36))
    label, value = _font(False, 19), _font(False, 19)
    born = f"{person.birth_place}, {person.birth_date:%d-%m-%Y}"
    rows = (("Nama", person.name), ("Tempat/Tgl Lahir", born),
            ("Jenis Kelamin", "LAKI-LAKI" if person.sex == "L" else "PEREMPUAN"),
            ("Alamat", person.address), ("    RT/RW", person.rt_rw),
            ("    Kel/Desa", person.kelurahan), ("    Kecamatan", person.kecamatan),
            ("Agama", "ISLAM"), ("Status Perkawinan", "KAWIN"),
            ("Pekerjaan", "WIRASWASTA"), ("Kewarganegaraan", "WNI"),
            ("Berlaku Hingga", "SEUMUR HIDUP"))
    y = 162
    for name, text in rows:
        draw.text((28, y), name, fill=ink, font=label)
        draw.text((212, y), ":", fill=ink, font=label)
        draw.text((226, y), text, fill=ink, font=value)
        y += 29
    draw.text((430, 162 + 2 * 29), "Gol. Darah : -", fill=ink, font=label)
    # The photo box (red background, a head-and-shoulders shape), place and date of issue.
    draw.rectangle((646, 112, 826, 352), fill=(200, 40, 40))
    draw.ellipse((696, 140, 776, 240), fill=(120, 90, 70))
    draw.rectangle((672, 250, 800, 352), fill=(40, 40, 60))
    small = _font(False, 16)
    for text, yy in (("KOTA BEKASI", 366), (f"{person.birth_date:%d}-06-2019", 388)):
        w = draw.textlength(text, font=small)
        draw.text((736 - w / 2, yy), text, fill=ink, font=small)
    draw.line([(680, 440), (700, 420), (720, 448), (745, 418), (790, 438)], fill=ink, width=2)
    return cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR)


def _place_colour(frame: np.ndarray, card: np.ndarray, *, width_px: float, angle: float,
                  tilt: float, rng: np.random.Generator) -> np.ndarray:
    """Warp the colour card into the frame; returns the four corners where it landed."""
    fh, fw = frame.shape[:2]
    h, w = card.shape[:2]
    scale = width_px / w
    corners = (np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
               - np.array([w / 2, h / 2], np.float32)) * scale
    if tilt:
        k = np.array([[1 - tilt, 1 - tilt], [1 + tilt / 2, 1 + tilt / 2],
                        [1 + tilt / 2, 1 + tilt / 2], [1 - tilt, 1 - tilt]], np.float32)
        corners = corners * (k[::-1] if rng.random() < 0.5 else k)
    a = np.deg2rad(angle)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]], np.float32)
    corners = corners @ rot.T
    lo, hi = corners.min(axis=0), corners.max(axis=0)  # the whole card stays in the frame
    cx = rng.uniform(4 - lo[0], max(5 - lo[0], fw - hi[0] - 4))
    cy = rng.uniform(4 - lo[1], max(5 - lo[1], fh - hi[1] - 4))
    dst: np.ndarray = (corners + np.array([cx, cy], np.float32)).astype(np.float32)
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(card, m, (fw, fh), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full(card.shape[:2], 255, np.uint8), m, (fw, fh))
    alpha = (mask.astype(np.float32) / 255)[:, :, None]
    frame[:] = np.clip(frame * (1 - alpha) + warped * alpha, 0, 255).astype(np.uint8)
    return dst


def _finger(img: np.ndarray, rng: np.random.Generator, corners: np.ndarray) -> np.ndarray:
    """A thumb over one corner of the card, as when it is held up to the camera."""
    out = img.copy()
    corner = corners[int(rng.integers(0, 4))]
    centre = corners.mean(axis=0)
    size = float(np.linalg.norm(corners[1] - corners[0])) * 0.09
    tip = corner + (centre - corner) * 0.08
    direction = corner - centre
    angle = float(np.degrees(np.arctan2(direction[1], direction[0])))
    skin = tuple(float(v) for v in (rng.uniform(90, 120), rng.uniform(130, 160),
                                    rng.uniform(180, 215)))
    axes = (int(size * 2.2), int(size))
    cv2.ellipse(out, (int(tip[0] + direction[0] * 0.15), int(tip[1] + direction[1] * 0.15)),
                axes, angle, 0, 360, skin, -1, lineType=cv2.LINE_AA)
    return out


Post = Callable[[np.ndarray, np.random.Generator, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class KtpCondition:
    name: str
    width: tuple[float, float] = (0.55, 0.7)  # card width as a share of the frame width
    angle: float = 6.0  # spread of the rotation, degrees either way
    turn: float = 0.0  # base rotation (180: the card lies upside down)
    tilt: float = 0.0
    post: Post | None = None
    card: bool = True


def _centre_of(corners: np.ndarray) -> tuple[float, float]:
    c = corners.mean(axis=0)
    return float(c[0]), float(c[1])


# The conditions a desk webcam sees; severities are those where a person can still read the
# NIK off the picture (the reader may miss them, it must never misread them).
KTP_CONDITIONS: dict[str, KtpCondition] = {c.name: c for c in (
    KtpCondition("clean"),
    KtpCondition("rotated", angle=20.0),
    KtpCondition("upside_down", turn=180.0),
    KtpCondition("perspective", angle=10.0, tilt=0.2),
    KtpCondition("blur", post=lambda im, r, _: cv2.GaussianBlur(im, (0, 0), r.uniform(0.9, 1.3))),
    KtpCondition("motion_blur", post=lambda im, r, _: slips._motion_blur(im, r,
                                                                         int(r.integers(3, 6)))),
    KtpCondition("glare", post=lambda im, r, c: slips._glare(im, r, _centre_of(c))),
    KtpCondition("dim", post=lambda im, r, _: slips._light(im, r, r.uniform(0.3, 0.45), 3.0)),
    KtpCondition("jpeg", post=lambda im, r, _: slips._jpeg(im, int(r.integers(18, 30)))),
    KtpCondition("noise", post=lambda im, r, _: slips._noise(im, r, r.uniform(8, 14))),
    KtpCondition("finger", post=_finger),
    KtpCondition("far", width=(0.42, 0.5)),
    KtpCondition("no_card", card=False),
)}


def ktp_photo(condition: str, seed: int, *,
              size: tuple[int, int] = (slips.FRAME_W, slips.FRAME_H),
              person: KtpPerson | None = None) -> KtpPhoto:
    """One synthetic desk photo of a KTP under `condition`, deterministic in `seed`."""
    cond = KTP_CONDITIONS[condition]
    rng = np.random.default_rng([seed, sum(map(ord, condition)), 7])
    w, h = size
    frame = slips.desk(rng, w, h)
    if not cond.card:
        # Paper with print but no card: no NIK may be read from it.
        paper = np.full((300, 460), 240, np.uint8)
        slips._print_lines(paper, x0=10, y0=10, rng=rng, ink=30, size=280)
        slips.place(frame, paper, rng=rng, angle=float(rng.uniform(-8, 8)))
        return KtpPhoto(frame, None, condition)
    person = person or make_person(random.Random(seed * 7919 + 17))
    card = card_image(person, seed=seed)
    width = float(rng.uniform(*cond.width)) * w
    corners = _place_colour(frame, card, width_px=width,
                            angle=cond.turn + float(rng.uniform(-cond.angle, cond.angle)),
                            tilt=cond.tilt, rng=rng)
    frame = slips._noise(frame, rng, 2.0)
    if cond.post is not None:
        frame = cond.post(frame, rng, corners)
    return KtpPhoto(frame, person, condition)


def write_ktp_video(path: str | Path, person: KtpPerson, *, hold: int = 10, gap: int = 4,
                    size: tuple[int, int] = (1280, 720), fps: float = 15.0,
                    seed: int = 0) -> int:
    """An MJPG .avi of an empty desk, then the KTP of `person` held up for `hold` frames
    (drifting a little in the hand), then the empty desk again. Frame count out."""
    rng = np.random.default_rng(seed)
    w, h = size
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (w, h))
    if not writer.isOpened():
        raise OSError(f"cannot write video {path}")
    background = slips.desk(rng, w, h)
    card = card_image(person, seed=seed)
    frames = 0
    try:
        for k in range(gap + hold + gap):
            frame = background.copy()
            if gap <= k < gap + hold:
                local = np.random.default_rng([seed, k])
                _place_colour(frame, card, width_px=w * 0.6, angle=float(local.normal(0, 2)),
                              tilt=0.0, rng=np.random.default_rng(seed))
            writer.write(slips._noise(frame, rng, 2.0))
            frames += 1
    finally:
        writer.release()
    return frames
