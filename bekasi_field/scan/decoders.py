"""Barcode decoders behind one small interface: greyscale numpy array in, decoded texts out.

Two libraries: zxing-cpp (fast, QR only by default) and pyzbar (needs the libzbar0 system
library). Either may be missing on a badly installed laptop; that is reported once and the
other one is used, so the app still starts and scans.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Protocol

import numpy as np

log = logging.getLogger(__name__)

Point = tuple[float, float]

# Card numbers may be printed as linear barcodes; QR alone is several times faster.
QR_ONLY: tuple[str, ...] = ("qr",)
QR_AND_CARDS: tuple[str, ...] = ("qr", "code128", "ean13")


@dataclass(frozen=True)
class Decoded:
    """One code found in one image: its text, its corner points (image pixels), who read it."""

    text: str
    points: tuple[Point, ...] = ()
    decoder: str = ""
    symbology: str = "qr"

    def centre(self) -> Point:
        if not self.points:
            return (0.0, 0.0)
        xs = [p[0] for p in self.points]
        ys = [p[1] for p in self.points]
        return (sum(xs) / len(xs), sum(ys) / len(ys))


class Decoder(Protocol):
    name: str

    def decode(self, gray: np.ndarray) -> list[Decoded]:
        """Every code in a 2-D uint8 image; [] when there is none. Never raises on pixels."""
        ...


class DecoderUnavailable(RuntimeError):
    """The library behind a decoder cannot be loaded on this machine."""


# The importer is a module attribute so tests can simulate a missing library.
_import: Callable[[str], ModuleType] = importlib.import_module


@dataclass
class _Availability:
    missing: dict[str, str] = field(default_factory=dict)
    reported: set[str] = field(default_factory=set)


_state = _Availability()


def _load(module: str, decoder: str) -> ModuleType:
    try:
        return _import(module)
    except (ImportError, OSError) as exc:  # pyzbar raises ImportError when libzbar0 is absent
        reason = f"{type(exc).__name__}: {exc}"
        _state.missing[decoder] = reason
        if decoder not in _state.reported:
            _state.reported.add(decoder)
            log.warning("decoder %s unavailable (%s); using the others", decoder, reason)
        raise DecoderUnavailable(reason) from exc


def reset_availability() -> None:
    """Forget what was reported (tests, or after installing a library)."""
    _state.missing.clear()
    _state.reported.clear()


class ZxingDecoder:
    """zxing-cpp; formats restricted to QR unless asked for more.

    The fast variant ("zxing") skips zxing-cpp's inverted-image and downscaled-image retries:
    slips are dark on light and a webcam's codes are small, and the retries double the time of
    every frame without a code (measured: median 3 ms instead of 8 ms at 1280x720, same hits
    on the synthetic set). The thorough variant ("zxing+") is zxing-cpp's defaults, for the
    chain's later passes (a phone photo with a huge code, a negative print).
    """

    def __init__(self, formats: Sequence[str] = QR_ONLY, *, thorough: bool = False) -> None:
        self.name = "zxing+" if thorough else "zxing"
        self._zx = _load("zxingcpp", "zxing")
        table = {
            "qr": self._zx.BarcodeFormat.QRCode,
            "code128": self._zx.BarcodeFormat.Code128,
            "ean13": self._zx.BarcodeFormat.EAN13,
        }
        self._formats = [table[f] for f in formats]
        # try_rotate finds card barcodes held sideways; for QR it costs next to nothing.
        self._kwargs: dict[str, Any] = {"try_rotate": True, "try_invert": thorough,
                                        "try_downscale": thorough}

    def decode(self, gray: np.ndarray) -> list[Decoded]:
        try:
            found = self._zx.read_barcodes(np.ascontiguousarray(gray), formats=self._formats,
                                           **self._kwargs)
        except (RuntimeError, ValueError) as exc:  # odd shapes; a decoder never crashes a loop
            log.debug("zxing failed on a %s image: %s", gray.shape, exc)
            return []
        out = []
        for b in found:
            if not b.valid or not b.text:
                continue
            pos = b.position
            pts = tuple((float(p.x), float(p.y)) for p in
                        (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left))
            out.append(Decoded(b.text, pts, self.name, _symbology(str(b.format))))
        return out


class ZbarDecoder:
    """pyzbar (libzbar0); QR only unless asked for more."""

    def __init__(self, formats: Sequence[str] = QR_ONLY) -> None:
        self.name = "zbar"
        self._zbar = _load("pyzbar.pyzbar", self.name)
        table = {
            "qr": self._zbar.ZBarSymbol.QRCODE,
            "code128": self._zbar.ZBarSymbol.CODE128,
            "ean13": self._zbar.ZBarSymbol.EAN13,
        }
        self._symbols = [table[f] for f in formats]

    def decode(self, gray: np.ndarray) -> list[Decoded]:
        if gray.ndim != 2 or gray.size == 0:
            return []
        try:
            found = self._zbar.decode(np.ascontiguousarray(gray), symbols=self._symbols)
        except Exception as exc:  # noqa: BLE001 - ctypes layer raises assorted types
            log.debug("zbar failed on a %s image: %s", gray.shape, exc)
            return []
        out = []
        for s in found:
            try:
                text = s.data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            if not text:
                continue
            pts = tuple((float(p.x), float(p.y)) for p in s.polygon)
            out.append(Decoded(text, pts, self.name, _symbology(str(s.type))))
        return out


def _symbology(fmt: str) -> str:
    f = fmt.lower().replace(" ", "").replace("-", "")
    if "qr" in f:
        return "qr"
    if "128" in f:
        return "code128"
    if "ean" in f:
        return "ean13"
    return f


_FACTORIES: dict[str, Callable[..., Decoder]] = {"zxing": ZxingDecoder, "zbar": ZbarDecoder}


def make_decoders(formats: Sequence[str] = QR_ONLY,
                  names: Sequence[str] = ("zxing", "zbar")) -> list[Decoder]:
    """The decoders that load here, fastest first; a missing one is logged once and skipped."""
    out: list[Decoder] = []
    for name in names:
        try:
            out.append(_FACTORIES[name](formats))
        except DecoderUnavailable:
            continue
    return out


def available_decoders() -> dict[str, str | None]:
    """{name: None if usable else the reason it is not} for every known decoder."""
    result: dict[str, str | None] = {}
    for name, factory in _FACTORIES.items():
        try:
            factory()
            result[name] = None
        except DecoderUnavailable as exc:
            result[name] = str(exc)
    return result
