"""The feature-map grid: one labelled thumbnail per filter, scrollable, click to enlarge."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QGridLayout, QScrollArea, QSizePolicy, QWidget

from ...model import format_number
from ...model.colour import lookup_table
from ..widgets import named
from .qimages import pixmap_from_rgb

TILE = 150


class MapTile(QWidget):
    """One feature map: its picture (nearest-neighbour scaled), name and value range; click emits ``clicked``."""

    clicked = Signal(int)

    def __init__(self, index: int, parent=None):
        super().__init__(parent)
        self.index = index
        self.setObjectName(f"featureMapTile{index}")
        self.setFixedSize(TILE, TILE + 34)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._pixmap = QPixmap()
        self._rgb = None
        self._title = ""
        self._caption = ""
        self.selected = False

    def set_content(self, rgb: np.ndarray, title: str, caption: str, tooltip: str) -> None:
        if rgb is self._rgb and (title, caption) == (self._title, self._caption):
            return  # the worker hands back the same thumbnail object when the map did not change
        self._rgb = rgb
        self._pixmap = pixmap_from_rgb(rgb)
        self._title, self._caption = title, caption
        self.setAccessibleName(f"Feature map {self.index + 1}: {title}")
        self.setToolTip(tooltip)
        self.update()

    def forget(self) -> None:
        """Keep nothing of the map (the tile is going away, later)."""
        self._rgb, self._pixmap = None, QPixmap()

    def image_rect(self) -> QRect:
        if self._pixmap.isNull():
            return QRect(0, 0, TILE, TILE)
        size = self._pixmap.size().scaled(QSize(TILE - 6, TILE - 6), Qt.AspectRatioMode.KeepAspectRatio)
        return QRect((TILE - size.width()) // 2, 3 + (TILE - 6 - size.height()) // 2, size.width(), size.height())

    def paintEvent(self, event):
        p = QPainter(self)
        if self.selected:
            p.fillRect(self.rect(), QColor(255, 210, 90))
        if not self._pixmap.isNull():
            p.drawPixmap(self.image_rect(), self._pixmap)
        p.setPen(self.palette().text().color())
        font = QFont(self.font())
        font.setBold(True)
        p.setFont(font)
        p.drawText(QRect(2, TILE, TILE - 4, 16), Qt.AlignmentFlag.AlignCenter,
                   p.fontMetrics().elidedText(self._title, Qt.TextElideMode.ElideRight, TILE - 4))
        p.setFont(self.font())
        p.drawText(QRect(2, TILE + 16, TILE - 4, 16), Qt.AlignmentFlag.AlignCenter,
                   p.fontMetrics().elidedText(self._caption, Qt.TextElideMode.ElideRight, TILE - 4))
        if self.hasFocus():
            p.setPen(QPen(QColor(30, 90, 200), 2))
            p.drawRect(self.rect().adjusted(1, 1, -1, -1))
        p.end()

    def mousePressEvent(self, event):
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.index)

    def keyPressEvent(self, event):
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit(self.index)
        else:
            super().keyPressEvent(event)


class ColourBar(QWidget):
    """The colour map from ``low`` to ``high`` with the numbers at both ends (and 0 when centred)."""

    def __init__(self, object_name: str, parent=None):
        super().__init__(parent)
        named(self, object_name, None, "Colour scale")
        self.setMinimumHeight(34)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.levels = (0.0, 1.0)
        self.colormap = "grey"
        self._image = QImage()

    def set_scale(self, levels, colormap: str, note: str = "") -> None:
        self.levels, self.colormap = (float(levels[0]), float(levels[1])), colormap
        lut = np.ascontiguousarray(lookup_table(colormap)[None, :, :].repeat(2, axis=0))
        self._image = QImage(lut.data, 256, 2, 3 * 256, QImage.Format.Format_RGB888).copy()
        lo, hi = self.levels
        self.setToolTip(f"Colours from {format_number(lo)} to {format_number(hi)}{note}")
        self.update()

    def paintEvent(self, event):
        p = QPainter(self)
        bar = QRect(60, 4, max(10, self.width() - 120), 12)
        if not self._image.isNull():
            p.drawImage(bar, self._image)
        p.setPen(self.palette().text().color())
        lo, hi = self.levels
        p.drawText(QRect(0, 0, 56, 20), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                   format_number(lo, 3))
        p.drawText(QRect(bar.right() + 4, 0, 56, 20), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   format_number(hi, 3))
        if lo < 0 < hi:
            p.drawText(QRect(bar.center().x() - 20, 17, 40, 16), Qt.AlignmentFlag.AlignCenter, "0")
        p.end()


class FeatureMapGrid(QScrollArea):
    """``featureMapGrid``: thumbnails of every map of the shown layer; ``mapClicked(index)`` on a click."""

    mapClicked = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        named(self, "featureMapGrid", "One feature map per filter. Click a map to enlarge it.", "Feature maps")
        self.setWidgetResizable(True)
        self._host = QWidget()
        self._layout = QGridLayout(self._host)
        self._layout.setSpacing(6)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setWidget(self._host)
        self.tiles: list[MapTile] = []
        self._columns = 0
        self._selected = -1

    def set_maps(self, thumbs, titles, captions, tooltips) -> None:
        n = len(thumbs)
        while len(self.tiles) > n:
            tile = self.tiles.pop()
            self._layout.removeWidget(tile)
            tile.forget()
            tile.deleteLater()
        while len(self.tiles) < n:
            tile = MapTile(len(self.tiles))
            tile.clicked.connect(self._clicked)
            self.tiles.append(tile)
            self._columns = 0  # lay out again
        for tile, rgb, t, c, tip in zip(self.tiles, thumbs, titles, captions, tooltips):
            tile.set_content(rgb, t, c, tip)
        self._relayout()
        self.select(self._selected)

    def select(self, index: int) -> None:
        self._selected = index
        for t in self.tiles:
            sel = t.index == index
            if t.selected != sel:
                t.selected = sel
                t.update()

    def _clicked(self, index: int) -> None:
        self.select(index)
        self.mapClicked.emit(index)

    def _relayout(self) -> None:
        cols = max(1, (self.viewport().width() - 12) // (TILE + self._layout.spacing()))
        if cols == self._columns and all(self._layout.indexOf(t) >= 0 for t in self.tiles):
            return
        self._columns = cols
        for t in self.tiles:
            self._layout.removeWidget(t)
        for i, t in enumerate(self.tiles):
            self._layout.addWidget(t, i // cols, i % cols)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._relayout()
