"""Frame sources behind one interface: a webcam, a video file, an image file, a folder of images.

Where there is no webcam (tests, the demo, `--camera FILE`), files stand in for it. A live
camera that stops delivering frames raises SourceLost from read(); the scan loop turns that into
a "lost" state and tries reopen(), so a USB cable pulled out never crashes the desk.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".pgm",
                            ".ppm"})
VIDEO_SUFFIXES = frozenset({".avi", ".mp4", ".mkv", ".mov", ".webm", ".m4v", ".mpg", ".mpeg"})


class SourceError(BekasiError):
    """A source cannot be opened (no such camera, unreadable file)."""


class SourceLost(Exception):
    """A live source stopped delivering frames mid-session (camera unplugged)."""


class FrameSource(Protocol):
    name: str
    is_live: bool  # a camera: frames come at their own pace and stale ones may be dropped
    fps: float
    position: int  # index of the frame last returned by read(), -1 before the first

    def open(self) -> None: ...

    def read(self) -> np.ndarray | None:
        """The next frame; None when a file source is exhausted; SourceLost if a camera died."""
        ...

    def close(self) -> None: ...

    def reopen(self) -> None: ...


def read_image(path: Path) -> np.ndarray | None:
    """cv2.imread that also works for non-ASCII paths on Windows (names of kelurahan folders)."""
    try:
        data = np.fromfile(str(path), dtype=np.uint8)
    except OSError:
        return None
    if data.size == 0:
        return None
    img = cv2.imdecode(data, cv2.IMREAD_UNCHANGED)
    if img is None:
        return None
    if img.dtype != np.uint8:  # 16-bit scans and PNGs
        img = (img / 257).astype(np.uint8) if img.dtype == np.uint16 else \
            cv2.normalize(img, np.empty_like(img), 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    if img.ndim == 3 and img.shape[2] == 4:
        # A QR exported with a transparent background: IMREAD_COLOR would make the background
        # black, the same as the modules. Put it on white paper instead.
        alpha = img[:, :, 3:4].astype(np.float32) / 255
        img = (img[:, :, :3] * alpha + 255 * (1 - alpha)).astype(np.uint8)
    return img


class CameraSource:
    """A webcam by index through OpenCV."""

    is_live = True

    def __init__(self, index: int, *, width: int = 1920, height: int = 1080,
                 max_failures: int = 15) -> None:
        self.index = index
        self.name = f"cam:{index}"
        self.fps = 30.0
        self.position = -1
        self._size = (width, height)
        self._max_failures = max_failures
        self._failures = 0
        self._cap: cv2.VideoCapture | None = None

    def open(self) -> None:
        # On Windows the default (Media Foundation) backend takes seconds to open a webcam;
        # DirectShow opens at once. Elsewhere OpenCV's default (V4L2 on Linux) is right.
        if sys.platform == "win32":
            cap = cv2.VideoCapture(self.index, cv2.CAP_DSHOW)
        else:
            cap = cv2.VideoCapture(self.index)
        if not cap.isOpened():
            cap.release()
            raise SourceError(tr("scan.camera_not_found", index=self.index))
        # The camera's best resolution up to 1920x1080 (a cheap webcam's small codes need
        # every pixel it has; the decoder chain's budget keeps a large frame affordable), and
        # autofocus where the driver has it (fixed-focus webcams ignore both quietly).
        for width, height in (self._size, (1280, 720)):
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
            if cap.get(cv2.CAP_PROP_FRAME_WIDTH) >= width:
                break
        cap.set(cv2.CAP_PROP_AUTOFOCUS, 1)
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # we want the newest frame, not a queue of old ones
        fps = cap.get(cv2.CAP_PROP_FPS)
        self.fps = fps if fps and fps > 1 else 30.0
        self._cap = cap
        self._failures = 0
        log.info("camera %d opened at %.0fx%.0f, %.0f fps", self.index,
                 cap.get(cv2.CAP_PROP_FRAME_WIDTH), cap.get(cv2.CAP_PROP_FRAME_HEIGHT), self.fps)

    def read(self) -> np.ndarray | None:
        if self._cap is None:
            raise SourceLost(self.name)
        while True:
            try:
                ok, frame = self._cap.read()
            except cv2.error as exc:  # some backends raise when the device node vanishes
                raise SourceLost(self.name) from exc
            if ok and frame is not None:
                self._failures = 0
                self.position += 1
                return frame
            # A webcam drops the odd frame; many in a row means it is gone.
            self._failures += 1
            if self._failures >= self._max_failures:
                raise SourceLost(self.name)

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None

    def reopen(self) -> None:
        self.close()
        self.open()


class VideoFileSource:
    """A video file played frame by frame (a recorded desk session, a test video)."""

    is_live = False

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.name = str(path)
        self.fps = 30.0
        self.position = -1
        self.frame_count = 0
        self._cap: cv2.VideoCapture | None = None

    def open(self) -> None:
        if not self.path.is_file():
            raise SourceError(tr("scan.file_missing", path=self.path))
        cap = cv2.VideoCapture(str(self.path))
        if not cap.isOpened():
            cap.release()
            raise SourceError(tr("scan.file_unreadable", path=self.path))
        fps = cap.get(cv2.CAP_PROP_FPS)
        self.fps = fps if fps and fps > 1 else 30.0
        self.frame_count = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        self._cap = cap
        self.position = -1

    def read(self) -> np.ndarray | None:
        if self._cap is None:
            return None
        ok, frame = self._cap.read()
        if not ok or frame is None:
            return None
        self.position += 1
        return frame

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None

    def reopen(self) -> None:
        self.close()
        self.open()


class ImageFilesSource:
    """One image file, or every image in a folder (sorted by name), one frame each."""

    is_live = False

    def __init__(self, paths: list[Path], *, name: str, fps: float = 2.0) -> None:
        self.paths = paths
        self.name = name
        self.fps = fps
        self.position = -1
        self.current: Path | None = None

    def open(self) -> None:
        missing = [p for p in self.paths if not p.is_file()]
        if missing:
            raise SourceError(tr("scan.file_missing", path=missing[0]))
        self.position = -1

    def read(self) -> np.ndarray | None:
        while self.position + 1 < len(self.paths):
            self.position += 1
            self.current = self.paths[self.position]
            img = read_image(self.current)
            if img is not None:
                return img
            log.warning("skipping unreadable image #%d in %s", self.position, self.name)
        return None

    def close(self) -> None:
        pass

    def reopen(self) -> None:
        self.open()


def _camera_index(spec: str | int) -> int | None:
    if isinstance(spec, int):
        return spec
    s = spec.strip().lower()
    s = s.removeprefix("cam:")
    return int(s) if s.isdigit() else None


def open_source(spec: str | int | os.PathLike[str]) -> FrameSource:
    """A source for `spec`: 0 / "0" / "cam:0" a webcam, else an image, a folder or a video.

    The source is returned opened; SourceError (a BekasiError) when it cannot be.
    """
    index = _camera_index(spec) if isinstance(spec, (str, int)) else None
    source: FrameSource
    if index is not None:
        source = CameraSource(index)
    else:
        path = Path(spec)  # type: ignore[arg-type]
        if path.is_dir():
            images = sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
            if not images:
                raise SourceError(tr("scan.folder_empty", path=path))
            source = ImageFilesSource(images, name=str(path))
        elif not path.exists():
            raise SourceError(tr("scan.file_missing", path=path))
        elif path.suffix.lower() in IMAGE_SUFFIXES:
            source = ImageFilesSource([path], name=str(path))
        else:
            source = VideoFileSource(path)
    source.open()
    return source
