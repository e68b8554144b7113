"""The feature-map grid: one labelled picture per filter, as large as the view allows (every map seen at
once when it can be, scrolling down when there are many), click to enlarge; and the colour bar."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QScrollArea, QSizePolicy, QWidget

from ...model import format_number
from ...model.bank.grid_fit import GridFit, fit_grid
from ...model.colour import lookup_table
from ..widgets import named
from .qimages import pixmap_from_rgb

GAP = 6
#: a map's picture is never smaller than this many text lines (then the grid scrolls down)
MIN_SIDE_LINES = 4


class MapTile(QWidget):
    """One feature map: its picture (nearest-neighbour scaled), name and value range; click emits ``clicked``."""

    clicked = Signal(int)

    def __init__(self, index: int, parent=None):
        super().__init__(parent)
        self.index = index
        self.setObjectName(f"featureMapTile{index}")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._pixmap = QPixmap()
        self._rgb = None
        self._title = ""
        self._caption = ""
        self.picture_hw = (0, 0)
        self.selected = False

    @property
    def title(self) -> str:
        return self._title

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
        """Where the picture is drawn: ``picture_hw`` (from the grid's fit) centred at the top of the tile."""
        h, w = self.picture_hw
        if not self._pixmap.isNull():
            size = self._pixmap.size().scaled(QSize(w, h), Qt.AspectRatioMode.KeepAspectRatio)
            w, h = size.width(), size.height()
        return QRect((self.width() - w) // 2, (self.picture_hw[0] - h) // 2, w, h)

    def paintEvent(self, event):
        p = QPainter(self)
        picture = self.image_rect()
        if self.selected:   # a band around the picture and under it, as wide as the picture (or the name)
            name_width = QFont(self.font())
            name_width.setBold(True)
            width = max(picture.width(), QFontMetrics(name_width).horizontalAdvance(self._title)) + 12
            p.fillRect(QRect((self.width() - width) // 2, 0, width, self.height()), QColor(255, 210, 90))
        if not self._pixmap.isNull():
            rect = picture
            p.drawPixmap(rect, self._pixmap)
            p.setPen(QPen(QColor(128, 128, 128), 1))        # the map's edge, also where the map is black
            p.drawRect(rect.adjusted(-1, -1, 0, 0))
        p.setPen(QColor(20, 20, 20) if self.selected else self.palette().text().color())
        line = self.fontMetrics().height()
        top = self.picture_hw[0] + 2
        font = QFont(self.font())
        font.setBold(True)
        p.setFont(font)
        width = self.width() - 4
        p.drawText(QRect(2, top, width, line), Qt.AlignmentFlag.AlignCenter,
                   p.fontMetrics().elidedText(self._title, Qt.TextElideMode.ElideRight, width))
        p.setFont(self.font())
        caption = self._caption
        if p.fontMetrics().horizontalAdvance(caption) > width and " (" in caption:
            caption = caption.split(" (", 1)[0]     # the numbers stay whole; "(every Nth px)" is in the tooltip
        p.drawText(QRect(2, top + line, width, line), Qt.AlignmentFlag.AlignCenter,
                   p.fontMetrics().elidedText(caption, Qt.TextElideMode.ElideRight, width))
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

    def sizeHint(self) -> QSize:
        return QSize(200, self.minimumSizeHint().height())

    def minimumSizeHint(self) -> QSize:
        line = self.fontMetrics().height()
        return QSize(120, 2 * line + 4)

    def paintEvent(self, event):
        p = QPainter(self)
        fm = self.fontMetrics()
        lo, hi = self.levels
        texts = format_number(lo, 3), format_number(hi, 3)
        side = max(fm.horizontalAdvance(t) for t in texts) + 8
        line = fm.height()
        bar = QRect(side, 2, max(10, self.width() - 2 * side), max(6, line - 2))
        if not self._image.isNull():
            p.drawImage(bar, self._image)
        p.setPen(self.palette().text().color())
        p.drawText(QRect(0, 0, side - 4, line), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, texts[0])
        p.drawText(QRect(bar.right() + 4, 0, side, line), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   texts[1])
        if lo < 0 < hi:
            p.drawText(QRect(bar.center().x() - side // 2, line, side, line), Qt.AlignmentFlag.AlignCenter, "0")
        p.end()


class FeatureMapGrid(QScrollArea):
    """``featureMapGrid``: every map of the shown layer, as large as fits; ``mapClicked(index)`` on a click,
    ``sideWanted(pixels)`` when the pictures are drawn at another size (so thumbnails can match)."""

    mapClicked = Signal(int)
    sideWanted = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        named(self, "featureMapGrid", "One feature map per filter, as large as the view allows. Click a map to "
              "enlarge it.", "Feature maps")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumSize(120, 120)
        self._host = QWidget()
        self.setWidget(self._host)
        self.tiles: list[MapTile] = []
        self.map_hw = (1, 1)
        self.fit: GridFit | None = None
        self._selected = -1

    def set_maps(self, thumbs, titles, captions, tooltips, map_hw=None) -> None:
        """One tile per thumbnail (uint8 RGB); ``map_hw`` is the maps' size (the pictures keep its aspect)."""
        n = len(thumbs)
        while len(self.tiles) > n:
            tile = self.tiles.pop()
            tile.forget()
            tile.hide()
            tile.deleteLater()
        while len(self.tiles) < n:
            tile = MapTile(len(self.tiles), self._host)
            tile.clicked.connect(self._clicked)
            tile.show()
            self.tiles.append(tile)
        if map_hw is not None:
            self.map_hw = (int(map_hw[0]), int(map_hw[1]))
        for tile, rgb, t, c, tip in zip(self.tiles, thumbs, titles, captions, tooltips):
            tile.set_content(rgb, t, c, tip)
        self.relayout()
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

    def fit_for(self, count: int, map_hw) -> GridFit:
        """How ``count`` maps of ``map_hw`` would be laid out in the view as it is now."""
        view = self.viewport().size()
        line = self.fontMetrics().height()
        return fit_grid(count, view.width(), view.height(), map_hw, text_height=2 * line + 6, gap=GAP,
                        min_side=MIN_SIDE_LINES * line)

    def relayout(self) -> None:
        """Place the tiles for the view's size (called on every resize and new maps)."""
        view = self.viewport().size()
        fit = self.fit_for(len(self.tiles), self.map_hw)
        old, self.fit = self.fit, fit
        th, tw = fit.tile
        left = max(GAP, (view.width() - fit.columns * (tw + GAP) + GAP) // 2)   # the grid centred in the view
        for i, tile in enumerate(self.tiles):
            r, c = divmod(i, fit.columns)
            tile.picture_hw = fit.picture
            tile.setGeometry(left + c * (tw + GAP), GAP + r * (th + GAP), tw, th)
            tile.update()
        self._host.setMinimumHeight(fit.height if fit.height > view.height() else 0)
        if self.tiles and (old is None or old.side != fit.side):
            self.sideWanted.emit(fit.side)

    def viewportEvent(self, event):
        if event.type() == QEvent.Type.Resize:   # also when a scroll bar comes or goes
            self.relayout()
        return super().viewportEvent(event)

    def changeEvent(self, event):
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:   # the text under each picture grew or shrank
            self.relayout()
