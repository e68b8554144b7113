"""A small picture of the whole image with the player's region framed; click to move the region."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from convviz.model.player_frames import overview_rgb


class RegionOverview(QWidget):
    """Thumbnail of the image with the crop drawn on it. ``regionClicked(row, col)`` gives the
    image pixel under a click (or a drag), so the panel can centre the region there."""

    regionClicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._qimage: QImage | None = None
        self._image_hw = (1, 1)
        self._crop = (0, 0, 1, 1)
        self.setMinimumSize(140, 110)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setCursor(Qt.CursorShape.CrossCursor)

    def set_image(self, image2d_or_rgb: np.ndarray) -> None:
        """The picture to show, ``(H, W)`` or ``(H, W, 3)`` (sampled down for the thumbnail)."""
        self._image_hw = np.shape(image2d_or_rgb)[:2]
        rgb = overview_rgb(image2d_or_rgb)
        h, w = rgb.shape[:2]
        self._rgb = rgb  # keeps the buffer alive for the QImage
        self._qimage = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888)
        self.update()

    def set_crop(self, crop: tuple[int, int, int, int]) -> None:
        row, col, h, w = (int(v) for v in crop)
        self._crop = (row, col, h, w)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(220, 170)

    def _target(self) -> QRectF:
        h, w = self._image_hw
        scale = min((self.width() - 4) / w, (self.height() - 4) / h)
        return QRectF((self.width() - w * scale) / 2, (self.height() - h * scale) / 2, w * scale, h * scale)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        if self._qimage is None:
            return
        target = self._target()
        painter.drawImage(target, self._qimage)
        h, w = self._image_hw
        sx, sy = target.width() / w, target.height() / h
        row, col, ch, cw = self._crop
        rect = QRectF(target.x() + col * sx, target.y() + row * sy, max(cw * sx, 3), max(ch * sy, 3))
        painter.setPen(QPen(QColor(0, 0, 0), 4))
        painter.drawRect(rect)
        painter.setPen(QPen(QColor(255, 140, 0), 2))
        painter.drawRect(rect)
        painter.end()

    def _emit_at(self, pos) -> None:
        target = self._target()
        if target.width() <= 0 or not target.contains(pos):
            return
        h, w = self._image_hw
        row = int((pos.y() - target.y()) / target.height() * h)
        col = int((pos.x() - target.x()) / target.width() * w)
        self.regionClicked.emit(min(row, h - 1), min(col, w - 1))

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._emit_at(event.position())

    def mouseMoveEvent(self, event) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._emit_at(event.position())
