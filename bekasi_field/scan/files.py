"""Codes in image and video files, for `bekasi-field scan` and the self-test.

An image yields every code found in it (all decoder passes, no time budget). A video yields
each distinct code once, accepted through the same Stabilizer as the camera (so a code glimpsed
in one blurred frame is not reported), on the video's own clock.
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
    text: str
    frame: int | None = None  # frame index in a video; None for an image


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
               formats: Sequence[str] = QR_ONLY) -> Iterator[FileRead]:
    """Every code in every file, in file order. SourceError for a file that cannot be read."""
    files = expand(paths)
    image_chain = DecoderChain(budget_ms=None, exhaustive=True, formats=formats)
    video_chain = DecoderChain(budget_ms=None, plan=VIDEO_PLAN, formats=formats)
    for path in files:
        if path.suffix.lower() in IMAGE_SUFFIXES:
            img = read_image(path)
            if img is None:
                raise _unreadable(path)
            found = image_chain.decode(img)
            log.info("image %s: %d code(s) in %.0f ms", path.name, len(found),
                     image_chain.last_stats.ms)
            for d in sorted(found, key=lambda d: (d.centre()[1], d.centre()[0])):
                yield FileRead(str(path), d.text)
        else:
            yield from _scan_video(path, video_chain)


def _scan_video(path: Path, chain: DecoderChain) -> Iterator[FileRead]:
    source = VideoFileSource(path)
    source.open()
    stabilizer = Stabilizer(cooldown_s=float("inf"))  # each distinct code once per file
    frames = 0
    try:
        while (frame := source.read()) is not None:
            frames += 1
            found = chain.decode(frame)
            t = source.position / (source.fps or 30.0)
            for text in stabilizer.feed([d.text for d in found], now=t):
                yield FileRead(str(path), text, source.position)
    finally:
        source.close()
    if frames == 0:
        raise _unreadable(path)
    log.info("video %s: %d frames", path.name, frames)


def _unreadable(path: Path) -> SourceError:
    return SourceError(tr("scan.file_unreadable", path=path))
