"""Frame sources: images, folders, videos, and clear errors for what cannot be opened."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from bekasi_field.domain.errors import BekasiError
from bekasi_field.scan.sources import (
    CameraSource,
    FrameSource,
    ImageFilesSource,
    SourceError,
    VideoFileSource,
    open_source,
)
from bekasi_field.scan.synthetic import write_video


def _frames(source: FrameSource) -> list[np.ndarray]:
    out = []
    while (f := source.read()) is not None:
        out.append(f)
    return out


def test_image_file_gives_one_frame(tmp_path: Path, slip_image: np.ndarray) -> None:
    path = tmp_path / "foto slip ü.png"  # non-ASCII names work (cv2.imread does not on Windows)
    cv2.imencode(".png", slip_image)[1].tofile(str(path))
    src = open_source(str(path))
    assert isinstance(src, ImageFilesSource) and not src.is_live
    frames = _frames(src)
    assert len(frames) == 1 and frames[0].shape[:2] == slip_image.shape
    assert src.position == 0


def test_folder_gives_its_images_sorted_and_skips_junk(tmp_path: Path,
                                                       slip_image: np.ndarray) -> None:
    for name in ("b.jpg", "a.png"):
        cv2.imwrite(str(tmp_path / name), slip_image)
    (tmp_path / "c.png").write_bytes(b"not an image")
    (tmp_path / "notes.txt").write_text("x")
    src = open_source(tmp_path)
    assert [p.name for p in src.paths] == ["a.png", "b.jpg", "c.png"]
    assert len(_frames(src)) == 2


def test_video_file_plays_every_frame_then_ends(tmp_path: Path, texts: list[str]) -> None:
    path = tmp_path / "desk.avi"
    n = write_video(path, texts[:1], hold=3, gap=2)
    src = open_source(path)
    assert isinstance(src, VideoFileSource) and src.fps == pytest.approx(15.0)
    assert len(_frames(src)) == n
    assert src.read() is None
    src.reopen()
    assert src.read() is not None and src.position == 0
    src.close()


@pytest.mark.parametrize("spec", ["0", "cam:3", 2])
def test_camera_specs(spec: str | int) -> None:
    from bekasi_field.scan.sources import _camera_index

    assert _camera_index(spec) in (0, 2, 3)


def test_missing_things_are_bekasi_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as err:
        open_source(tmp_path / "nope.avi")
    assert isinstance(err.value, BekasiError) and "nope.avi" in err.value.message
    (tmp_path / "empty").mkdir()
    with pytest.raises(SourceError):
        open_source(tmp_path / "empty")
    junk = tmp_path / "junk.avi"
    junk.write_bytes(b"\x00" * 100)
    with pytest.raises(SourceError):
        open_source(junk)


def test_no_webcam_here_is_a_clear_error() -> None:
    cam = CameraSource(9)  # no /dev/video9 on this machine or in CI
    with pytest.raises(SourceError) as err:
        cam.open()
    assert "9" in err.value.message


def test_transparent_and_16_bit_images_are_read_on_white(tmp_path: Path, texts: list[str],
                                                           slip_image: np.ndarray) -> None:
    from bekasi_field.scan.chain import DecoderChain
    from bekasi_field.scan.sources import read_image

    # An online QR generator's PNG: black modules, transparent background.
    alpha = np.where(slip_image < 128, 255, 0).astype(np.uint8)
    rgba = np.dstack([np.zeros_like(slip_image)] * 3 + [alpha])
    cv2.imwrite(str(tmp_path / "qr.png"), rgba)
    deep = tmp_path / "scan16.png"
    cv2.imwrite(str(deep), slip_image.astype(np.uint16) * 257)
    chain = DecoderChain(budget_ms=None)
    for path in (tmp_path / "qr.png", deep):
        img = read_image(path)
        assert img is not None and img.dtype == np.uint8
        assert [d.text for d in chain.decode(img)] == [texts[0]]
