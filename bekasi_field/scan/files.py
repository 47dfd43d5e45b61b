"""Codes in image and video files, for `bekasi-field scan` and the self-test.

An image yields every code found in it (all decoder passes, no time budget). A video yields
each distinct code once, accepted through the same Stabilizer as the camera (so a code glimpsed
in one blurred frame is not reported), on the video's own clock.

Where an image or a video frame holds no code, the KTP reader looks for an identity card and
reads its NIK (kind "ktp"): in an image, two independent reads of the card must agree; in a
video, two of three frames, as at the desk. Without the OCR engine installed, KTPs are skipped
with one log line and codes still read.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bekasi_field.i18n import tr
from bekasi_field.scan.chain import VIDEO_PLAN, DecoderChain
from bekasi_field.scan.decoders import QR_ONLY
from bekasi_field.scan.image_fixes import to_gray
from bekasi_field.scan.ktp import KtpReader, KtpStabilizer, OcrMissingError
from bekasi_field.scan.sources import (
    IMAGE_SUFFIXES,
    SourceError,
    VideoFileSource,
    open_source,
    read_image,
)
from bekasi_field.scan.stabilizer import Stabilizer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileRead:
    file: str
    text: str  # the code's text; for a KTP, the NIK read off the card
    frame: int | None = None  # frame index in a video; None for an image
    kind: str = "code"  # "code" (QR or barcode) or "ktp"
    name: str | None = None  # a KTP's printed name, as read


def _ktp_reader(enabled: bool) -> KtpReader | None:
    if not enabled:
        return None
    try:
        reader = KtpReader()
        reader.engine  # noqa: B018 - load the models now: a missing engine is said once
    except OcrMissingError:
        log.warning("KTP reader not installed: KTP photos are not read")
        return None
    return reader


def expand(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """Files to scan: folders become their images (sorted); all must exist (SourceError)."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            images = sorted(c for c in p.iterdir() if c.suffix.lower() in IMAGE_SUFFIXES)
            if not images:
                open_source(p)  # raises the "folder holds no images" error
            out.extend(images)
        elif p.is_file():
            out.append(p)
        else:
            open_source(p)  # raises the "not found" error
    return out


def scan_files(paths: Sequence[str | os.PathLike[str]], *,
               formats: Sequence[str] = QR_ONLY, ktp: bool = True) -> Iterator[FileRead]:
    """Every code (and KTP) in every file, in file order. SourceError for a file that cannot
    be read."""
    files = expand(paths)
    image_chain = DecoderChain(budget_ms=None, exhaustive=True, formats=formats)
    video_chain = DecoderChain(budget_ms=None, plan=VIDEO_PLAN, formats=formats)
    reader = _ktp_reader(ktp)
    for path in files:
        if path.suffix.lower() in IMAGE_SUFFIXES:
            img = read_image(path)
            if img is None:
                raise _unreadable(path)
            found = image_chain.decode(to_gray(img))
            log.info("image %s: %d code(s) in %.0f ms", path.name, len(found),
                     image_chain.last_stats.ms)
            for d in sorted(found, key=lambda d: (d.centre()[1], d.centre()[0])):
                yield FileRead(str(path), d.text)
            if not found and reader is not None:
                card = reader.read_photo(img)
                log.info("image %s: %s", path.name, "KTP read" if card else "no KTP read")
                if card is not None:
                    yield FileRead(str(path), card.nik, kind="ktp", name=card.name)
        else:
            yield from _scan_video(path, video_chain, reader)


def _scan_video(path: Path, chain: DecoderChain, reader: KtpReader | None) -> Iterator[FileRead]:
    source = VideoFileSource(path)
    source.open()
    stabilizer = Stabilizer(cooldown_s=float("inf"))  # each distinct code once per file
    cards = KtpStabilizer()
    seen_niks: set[str] = set()
    frames = 0
    try:
        while (frame := source.read()) is not None:
            frames += 1
            found = chain.decode(to_gray(frame))
            t = source.position / (source.fps or 30.0)
            for text in stabilizer.feed([d.text for d in found], now=t):
                yield FileRead(str(path), text, source.position)
            if found or reader is None:
                continue
            card = cards.feed(reader.read(frame))
            if card is not None and card.nik not in seen_niks:
                seen_niks.add(card.nik)
                yield FileRead(str(path), card.nik, source.position, kind="ktp", name=card.name)
    finally:
        source.close()
    if frames == 0:
        raise _unreadable(path)
    log.info("video %s: %d frames", path.name, frames)


def _unreadable(path: Path) -> SourceError:
    return SourceError(tr("scan.file_unreadable", path=path))
