"""The maps drawn as one H'×W'×C_out block: an offset, sheared stack in plain 2-D (no OpenGL)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen, QTransform
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView

from ..widgets import named
from .qimages import pixmap_from_rgb

FACE = 220.0          # drawn side of the longer map axis, in scene units
DEPTH_SKEW = 0.45     # how much the face leans back (vertical shear per unit of width)
MAX_DEPTH = 260.0     # total offset from the first to the last map


class FeatureStackView(QGraphicsView):
    """``featureStack``: every map as a sheared face, first map in front, offset towards the back."""

    def __init__(self, parent=None):
        super().__init__(parent)
        named(self, "featureStack", "The layer's output as one H'×W'×C_out block: each filter's map is one slice of "
              "depth.", "Feature maps as a stack")
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setBackgroundBrush(QBrush(self.palette().base()))
        self.labels: list[str] = []
        self.shape_text = ""

    def set_maps(self, thumbs, names, shape) -> None:
        """``thumbs`` (uint8 RGB) and ``names`` of the maps; ``shape`` (H', W', C_out) written beside the block.

        Drawn now when the view is visible, else when it is next shown.
        """
        self._pending = (list(thumbs), list(names), tuple(shape))
        if self.isVisible():
            self._draw()

    _pending = None

    def clear(self) -> None:
        """Draw nothing and keep nothing of the last maps."""
        self._pending = None
        self.scene().clear()
        self.labels, self.shape_text = [], ""

    def _draw(self) -> None:
        if self._pending is None:
            return
        thumbs, names, shape = self._pending
        self._pending = None
        scene = self.scene()
        scene.clear()
        n = len(thumbs)
        if n == 0:
            return
        h, w = thumbs[0].shape[:2]
        scale = FACE / max(h, w)
        fh = h * scale
        step = min(28.0, MAX_DEPTH / max(1, n - 1)) if n > 1 else 0.0
        label_every = max(1, -(-n // 16))
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
        self.labels = []
        label_at = []
        # back to front: the last map is drawn first, furthest up and right
        for i in reversed(range(n)):
            dx, dy = i * step, -i * step * 0.6
            t = QTransform(scale * 0.62, -DEPTH_SKEW * scale * 0.62, 0.0, scale, dx, dy)
            item = scene.addPixmap(pixmap_from_rgb(thumbs[i]))
            item.setTransform(t)
            item.setTransformationMode(Qt.TransformationMode.FastTransformation)
            corners = [t.map(QPointF(x, y)) for x, y in ((0, 0), (w, 0), (w, h), (0, h))]
            scene.addPolygon(corners, QPen(QColor(40, 40, 40), 1.2))
            if i % label_every == 0 or i == n - 1:
                label_at.append((i, corners[1]))
        # labels in a column right of the block, back (top) to front (bottom), each with a leader line
        right = max(p.x() for _, p in label_at) + 40
        top = min(p.y() for _, p in label_at)
        line_h = QFontMetricsF(font).height() + 4
        pen = QPen(QColor(120, 120, 120), 0.8)
        for row, (i, corner) in enumerate(label_at):
            y = top + row * line_h
            scene.addLine(corner.x(), corner.y(), right - 4, y + line_h / 2, pen)
            text = scene.addSimpleText(f"{i + 1}. {names[i]}", font)
            text.setBrush(QBrush(self.palette().text()))
            text.setPos(right, y)
            self.labels.append(names[i])
        hh, ww, cc = shape
        self.shape_text = f"{hh}×{ww}×{cc}"
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.4)
        big.setBold(True)
        caption = scene.addSimpleText(f"H'×W'×C_out = {self.shape_text}", big)
        caption.setBrush(QBrush(self.palette().text()))
        caption.setPos(0, fh + 18)
        sub = scene.addSimpleText(f"front: map 1 ({names[0]}) · back: map {n} ({names[-1]}) · depth = C_out = {cc}",
                                  font)
        sub.setBrush(QBrush(self.palette().text()))
        sub.setPos(0, fh + 18 + caption.boundingRect().height() + 4)
        self._fit()

    def _fit(self) -> None:
        rect = self.scene().itemsBoundingRect().adjusted(-10, -10, 10, 10)
        self.setSceneRect(rect)
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self.scene().items():
            self._fit()

    def showEvent(self, event):
        super().showEvent(event)
        self._draw()
        if self.scene().items():
            self._fit()

    def bounding(self) -> QRectF:
        return self.scene().itemsBoundingRect()
