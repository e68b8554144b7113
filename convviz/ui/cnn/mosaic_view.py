"""Small pictures drawn as large as their view allows: the filters, the feature maps, the test digit.

:class:`PictureView` paints tiles ``(N, h, w)`` coloured as the window colours values (one scale for
all), laid out by :func:`~convviz.model.cnn_layout.fit_mosaic` under a title; each tile numbered above
it in the view's font (a smaller one when the tiles are narrow), one tile framed; ``tileClicked(int)``.
Its fonts follow the widget's (presentation mode scales them, the panel caps them).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontInfo, QFontMetrics, QFontMetricsF, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from convviz.model.cnn_layout import MosaicFit, fit_mosaic
from convviz.model.cnn_view import mosaic_rgb

from ..widgets import named
from ..widgets.font_fit import bold_within

SELECTED_COLOUR = QColor(255, 170, 0)
SPACING = 6
#: numbers smaller than this many pixels are not drawn (the tooltip says which tile is which)
SMALLEST_NUMBER = 7
#: a title wider than its view shrinks down to this share of the font, then wraps (two lines at most)
TITLE_SHRINK = 0.75
TITLE_WRAP = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap


def _rgb_images(rgb: np.ndarray) -> list[QImage]:
    """One QImage per tile of ``rgb`` ``(N, h, w, 3)`` uint8 (copies: they own their bytes)."""
    n, h, w, _ = rgb.shape
    return [QImage(np.ascontiguousarray(rgb[i]).data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
            for i in range(n)]


class PictureView(QWidget):
    """A title over tiles ``(N, h, w)``; ``values`` holds what was drawn (``(N, h, w)``, or the 2-D picture
    of :meth:`show_values`). ``numbered``: a number above each tile; :meth:`select` frames one."""

    tileClicked = Signal(int)

    def __init__(self, title: str, name: str, tooltip: str, *, numbered: bool = True, parent=None):
        super().__init__(parent)
        named(self, name, tooltip, title)
        self.setMinimumSize(110, 100)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._title = title
        self._numbered = numbered
        self._images: list[QImage] = []
        self._tile_hw: tuple[int, int] | None = None
        self._placeholder = ""
        self.values: np.ndarray | None = None
        self.selected: int | None = None
        self.fit: MosaicFit | None = None
        self._number_font = QFont()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(240, 170)

    # -- what to draw --------------------------------------------------------------------------
    def show_tiles(self, tiles: np.ndarray, levels) -> None:
        """Draw ``tiles`` ``(N, h, w)`` on the shared ``levels``."""
        t = np.asarray(tiles)
        n, h, w = t.shape
        self.values = t
        self._images = _rgb_images(mosaic_rgb(t, columns=1, gap=0, levels=levels).reshape(n, h, w, 3))
        self._tile_hw = (h, w)
        self._placeholder = ""
        self._relayout()

    def show_values(self, values: np.ndarray, *, levels) -> None:
        """Draw one picture ``values`` (2-D) on ``levels``."""
        v = np.asarray(values)
        self.show_tiles(v[None], levels)
        self.values = v

    def clear_tiles(self, text: str) -> None:
        """Draw nothing but ``text``."""
        self.values, self._images, self._tile_hw, self.fit = None, [], None, None
        self._placeholder = text
        self.update()

    def select(self, index: int | None) -> None:
        """Frame tile ``index`` (None: no frame)."""
        if index != self.selected:
            self.selected = index
            self.update()

    def set_title(self, text: str) -> None:
        if text != self._title:
            self._title = text
            self.setAccessibleName(text)
            self._relayout()

    def title(self) -> str:
        return self._title

    # -- layout --------------------------------------------------------------------------------
    def _title_height(self) -> int:
        """One line, or two when the title is wider than the view even in the smaller font."""
        fm = QFontMetrics(self._title_font())
        wrapped = fm.boundingRect(0, 0, max(1, self.width()), 10 * fm.height(), TITLE_WRAP, self._title).height()
        return min(wrapped, 2 * fm.height()) + 2

    def _title_font(self) -> QFont:
        """The view's font in bold, down to :data:`TITLE_SHRINK` of it when the title is wider than the view."""
        return bold_within(self.font(), self._title, self.width(), TITLE_SHRINK)

    def _relayout(self) -> None:
        """Fit the tiles to the view (numbers shrink, or go, when wider than their tiles)."""
        if self._tile_hw is None:
            self.fit = None
            self.update()
            return
        n = len(self._images)
        top = self._title_height()
        area_w, area_h = self.width() - 2, self.height() - top - 2
        font = QFont(self.font())
        label = QFontMetrics(font).height() if self._numbered else 0
        fit = fit_mosaic(n, self._tile_hw, area_w, area_h, label_height=label, spacing=SPACING)
        for _ in range(4):            # numbers wider than their tiles: a smaller font (none below 7 px)
            wide = QFontMetricsF(font).horizontalAdvance(str(n))
            if not label or wide <= fit.tile[1] + SPACING:
                break
            pixels = int(QFontInfo(font).pixelSize() * (fit.tile[1] + SPACING) / wide)
            label = 0
            if pixels >= SMALLEST_NUMBER:
                font.setPixelSize(pixels)
                label = QFontMetrics(font).height()
            fit = fit_mosaic(n, self._tile_hw, area_w, area_h, label_height=label, spacing=SPACING)
        if label and QFontMetricsF(font).horizontalAdvance(str(n)) > fit.tile[1] + SPACING:   # never cut: none
            fit = fit_mosaic(n, self._tile_hw, area_w, area_h, label_height=0, spacing=SPACING)
        self._number_font = font
        self.fit = MosaicFit(fit.columns, fit.rows, fit.side, fit.tile,
                             tuple((y + top + 1, x + 1) for y, x in fit.origins), fit.label_height)
        self.update()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._relayout()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == event.Type.FontChange:
            self._relayout()

    # -- painting ------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        p = QPainter(self)
        text = self.palette().windowText().color()
        p.setPen(text)
        p.setFont(self._title_font())
        title_rect = QRectF(0, 0, self.width(), self._title_height())
        p.drawText(title_rect, TITLE_WRAP, self._title)
        fit = self.fit
        if fit is None or fit.side <= 0:
            if self._placeholder:
                p.setFont(self.font())
                p.drawText(QRectF(0, title_rect.height(), self.width(), self.height() - title_rect.height()),
                           Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._placeholder)
            p.end()
            return
        h, w = fit.tile
        frame = QPen(self.palette().mid().color())
        frame.setCosmetic(True)
        p.setFont(self._number_font)
        for i, ((y, x), image) in enumerate(zip(fit.origins, self._images)):
            p.drawImage(QRectF(x, y, w, h), image)      # nearest neighbour: no smoothing hint set
            p.setPen(frame)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(QRectF(x - 0.5, y - 0.5, w, h))
            if fit.label_height:
                p.setPen(text)
                p.drawText(QRectF(x, y - fit.label_height, w + SPACING, fit.label_height),
                           Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, str(i + 1))
        if self.selected is not None and 0 <= self.selected < len(fit.origins):
            y, x = fit.origins[self.selected]
            pen = QPen(SELECTED_COLOUR, 3)
            p.setPen(pen)
            p.drawRect(QRectF(x - 2, y - 2, w + 3, h + 3))
        p.end()

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self.fit is not None and event.button() == Qt.MouseButton.LeftButton:
            index = self.fit.tile_at(event.position().y(), event.position().x())
            if index is not None:
                self.tileClicked.emit(index)
                return
        super().mousePressEvent(event)
