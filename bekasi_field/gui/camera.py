"""The camera on the desk: scan.loop's ScanLoop runs on its own thread; this turns its callbacks into
Qt signals. Only the latest preview frame travels to the GUI (a frame arriving while the
previous one is still unpainted is dropped, never queued)."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from bekasi_field.domain.errors import BekasiError
from bekasi_field.i18n import tr

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy as np

    # (spec, on_hit=, on_frame=, on_state=) -> a started-later scan loop with start() / stop()
    # (DeskServices.make_scan_loop)
    ScanLoopFactory = Callable[..., Any]

log = logging.getLogger(__name__)


class CameraController(QObject):
    frame_ready = Signal(QImage)
    code_read = Signal(str)
    card_read = Signal(str, str)  # a KTP's NIK and the name printed on it
    hint = Signal(str)  # guidance for the officer: a key of scan.guidance.HINTS
    state_changed = Signal(str)  # "off" | "starting" | "live" | "lost" | "ended" | "error"

    def __init__(self, factory: ScanLoopFactory | None, spec: str | None, *,
                 preview_width: int = 480, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._factory, self.spec = factory, spec
        self._preview_width = preview_width
        self._loop: Any = None
        self._lock = threading.Lock()
        self._latest: np.ndarray | None = None  # the newest full frame (for the photo)
        self._painting = False  # a preview frame is on its way to the GUI
        self.state = "off"
        self.frames_shown = 0
        self.frames_dropped = 0

    @property
    def available(self) -> bool:
        return self._factory is not None and bool(self.spec)

    def start(self) -> None:
        if self._loop is not None or not self.available:
            self._set_state("off")
            return
        self._set_state("starting")
        assert self._factory is not None  # `available` said so
        try:
            self._loop = self._factory(self.spec, on_hit=self._on_hit, on_frame=self._on_frame,
                                       on_state=self._on_state, on_card=self._on_card,
                                       on_hint=self.hint.emit)
            self._loop.start()
        except (BekasiError, OSError) as exc:
            log.info("camera %s not available: %s", self.spec, type(exc).__name__)
            self._loop = None
            self._set_state("error")
            return
        self._set_state("live")

    def stop(self) -> None:
        loop, self._loop = self._loop, None
        if loop is not None:
            loop.stop()
        self._set_state("off")

    def _set_state(self, state: str) -> None:
        self.state = state
        self.state_changed.emit(state)

    # --- called on the scan loop's thread -------------------------------------------------
    def _on_hit(self, hit: Any) -> None:
        text = getattr(hit, "text", hit)
        if isinstance(text, str) and text:
            self.code_read.emit(text)

    def _on_card(self, card: Any) -> None:
        self.card_read.emit(card.nik, card.name)

    def _on_state(self, state: Any) -> None:
        name = str(getattr(state, "value", state)).lower()
        self.state = name
        self.state_changed.emit(name)

    def _on_frame(self, frame: np.ndarray) -> None:
        import cv2  # imported here, on the camera thread: OpenCV is slow to load
        import numpy as np

        with self._lock:
            self._latest = frame
            if self._painting:
                self.frames_dropped += 1
                return
            self._painting = True
        h, w = frame.shape[:2]
        scale = self._preview_width / max(w, 1)
        small = cv2.resize(frame, (self._preview_width, max(1, int(h * scale))),
                           interpolation=cv2.INTER_AREA)
        if small.ndim == 2:
            small = cv2.cvtColor(small, cv2.COLOR_GRAY2RGB)
        else:
            small = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
        small = np.ascontiguousarray(small)
        image = QImage(small.data, small.shape[1], small.shape[0], small.strides[0],
                       QImage.Format.Format_RGB888).copy()
        self.frame_ready.emit(image)

    # --- GUI thread ------------------------------------------------------------------------
    def frame_painted(self) -> None:
        with self._lock:
            self._painting = False
        self.frames_shown += 1

    def snapshot_jpeg(self) -> bytes | None:
        """The latest full frame as JPEG bytes (the hand-over photo), or None without camera."""
        with self._lock:
            frame = None if self._latest is None else self._latest.copy()
        if frame is None:
            return None
        import cv2

        ok, buf = cv2.imencode(".jpg", frame, [int(cv2.IMWRITE_JPEG_QUALITY), 85])
        return bytes(buf) if ok else None


class CameraView(QWidget):
    """The preview picture and one line saying what the camera is doing."""

    def __init__(self, controller: CameraController) -> None:
        super().__init__()
        self.setObjectName("cameraView")
        self.controller = controller
        self.picture = QLabel(objectName="cameraPicture", alignment=Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(QSize(320, 180))
        self.picture.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.status = QLabel(objectName="cameraStatus")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.picture, 1)
        lay.addWidget(self.status)
        controller.frame_ready.connect(self._show)
        controller.state_changed.connect(lambda _s: self.retranslate())
        self.retranslate()

    def _show(self, image: QImage) -> None:
        pix = QPixmap.fromImage(image).scaled(
            self.picture.size(), Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.FastTransformation)
        self.picture.setPixmap(pix)
        self.controller.frame_painted()

    def retranslate(self) -> None:
        state = self.controller.state if self.controller.available else "none"
        key = {"live": "gui.camera.live", "starting": "gui.camera.starting",
               "lost": "gui.camera.lost", "ended": "gui.camera.ended",
               "error": "gui.camera.error", "off": "gui.camera.off",
               "none": "gui.camera.none"}.get(state, "gui.camera.live")
        self.status.setText(tr(key))
        if state in ("none", "off", "error"):
            self.picture.clear()
            self.picture.setText(tr("gui.camera.placeholder"))
