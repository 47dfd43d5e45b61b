"""A signature drawn with the mouse, a pen or a finger; saved as PNG bytes."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QIODevice, QPointF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget


class SignaturePad(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("signaturePad")
        self.setMinimumSize(QSize(420, 150))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self._image = QImage(QSize(420, 150), QImage.Format.Format_RGB32)
        self._image.fill(QColor("white"))
        self._last: QPointF | None = None
        self.strokes = 0

    @property
    def is_empty(self) -> bool:
        return self.strokes == 0

    def clear(self) -> None:
        self._image.fill(QColor("white"))
        self.strokes = 0
        self.update()

    def draw_line(self, a: QPointF, b: QPointF) -> None:
        painter = QPainter(self._image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#0B1F44"), 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawLine(a, b)
        painter.end()
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._last = event.position()
        self.strokes += 1

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._last is not None:
            self.draw_line(self._last, event.position())
            self._last = event.position()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._last is not None:
            self.draw_line(self._last, event.position())
        self._last = None

    def resizeEvent(self, event: QResizeEvent) -> None:
        if event.size().width() > self._image.width():
            bigger = QImage(event.size(), QImage.Format.Format_RGB32)
            bigger.fill(QColor("white"))
            painter = QPainter(bigger)
            painter.drawImage(0, 0, self._image)
            painter.end()
            self._image = bigger
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawImage(0, 0, self._image)
        painter.setPen(QPen(QColor("#9E9E9E"), 1, Qt.PenStyle.DashLine))
        y = self.height() - 30
        painter.drawLine(20, y, self.width() - 20, y)
        painter.end()

    def to_png(self) -> bytes:
        buf = QBuffer()
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        self._image.save(buf, "PNG")  # type: ignore[call-overload]  # stub: bytes; Qt: str
        return bytes(buf.data().data())
