"""A small kernel-shaped heat map with the number written in every cell (any 2-D weights:
a learned kernel, its gradient, a CNN's filters)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from convviz.model import display_levels, display_rgb, format_number
from convviz.model.cell_layout import text_pixel_size

from ..widgets import named
from ..widgets.cell_grid_painting import text_colour_for
from ..widgets.font_fit import bold_within

#: the numbers are never smaller than this (pixels); a title too wide shrinks to this share of its font
MIN_NUMBER_PX, SMALLEST_TITLE = 7, 0.6


def paint_number_cell(painter: QPainter, rect: QRectF, rgb, text: str, grid: QPen) -> None:
    """One cell: filled with ``rgb``, outlined with ``grid``, ``text`` centred in black or white (whichever reads)."""
    painter.setPen(grid)
    painter.setBrush(QColor(int(rgb[0]), int(rgb[1]), int(rgb[2])))
    painter.drawRect(rect)
    if text:
        painter.setPen(text_colour_for(rgb))
        painter.drawText(rect, Qt.AlignCenter, text)


class KernelHeatmap(QWidget):
    """Draws a 2-D array as coloured cells (diverging map centred on 0) with their values.

    ``set_values(values, levels)``; ``levels`` defaults to the model's symmetric
    display levels. ``set_placeholder(text)`` shows a sentence instead of cells.
    """

    def __init__(self, title: str, object_name: str, parent=None, *, tooltip: str | None = None):
        super().__init__(parent)
        named(self, object_name, tooltip, title)
        self._title = title
        self._values: np.ndarray | None = None
        self._colours: np.ndarray | None = None
        self._texts: list[list[str]] = []
        self._placeholder = ""
        self.setMinimumSize(120, 120)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    # -- data --------------------------------------------------------------------------
    def set_values(self, values, levels=None) -> None:
        v = np.asarray(values, dtype=np.float64)
        if levels is None:
            levels = display_levels(v)
        lo, hi = levels
        if lo >= 0:   # weights are signed by nature: keep 0 at the centre colour
            lo = -hi
        self._values = v
        self._colours = display_rgb(v, levels=(lo, hi), colormap="coolwarm")
        self._texts = [[format_number(x, 3) for x in row] for row in v]
        self._placeholder = ""
        self.setAccessibleDescription(f"{self._title}: " + "; ".join(" ".join(r) for r in self._texts))
        self.update()

    def set_placeholder(self, text: str) -> None:
        self._values, self._colours, self._texts = None, None, []
        self._placeholder = text
        self.setAccessibleDescription(f"{self._title}: {text}")
        self.update()

    def values(self) -> np.ndarray | None:
        return None if self._values is None else self._values.copy()

    def cell_texts(self) -> list[list[str]]:
        """The numbers as drawn, row by row."""
        return [list(r) for r in self._texts]

    def placeholder(self) -> str:
        return self._placeholder

    def title(self) -> str:
        return self._title

    # -- drawing -------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return QSize(200, 220)

    def _title_font(self) -> QFont:
        """Bold, smaller (down to :data:`SMALLEST_TITLE`) when the title is wider than the widget."""
        return bold_within(self.font(), self._title, self.width() - 8, SMALLEST_TITLE)

    def number_pixels(self) -> int:
        """The pixel size of the numbers in the cells (0 when there are none): as large as the
        widest number allows in its cell, so they grow with the cells."""
        if self._colours is None:
            return 0
        return max(MIN_NUMBER_PX, text_pixel_size(self._texts, self.cell_side(), int(self.cell_side() * 0.42)))

    def _layout(self) -> tuple[QRectF, float]:
        """The title's rectangle and its height."""
        title_h = QFontMetrics(self._title_font()).height() + 4
        return QRectF(4, title_h + 2, self.width() - 8, self.height() - title_h - 6), title_h

    def cell_side(self) -> float:
        if self._colours is None:
            return 0.0
        area, _ = self._layout()
        rows, cols = self._colours.shape[:2]
        return min(area.width() / cols, area.height() / rows)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        title_font = self._title_font()
        p.setFont(title_font)
        area, title_h = self._layout()
        p.setPen(self.palette().windowText().color())
        title = QFontMetrics(title_font).elidedText(self._title, Qt.ElideRight, self.width() - 4)
        p.drawText(QRectF(0, 0, self.width(), title_h), Qt.AlignHCenter | Qt.AlignVCenter, title)
        if self._colours is None:
            p.setFont(self.font())
            p.drawText(area, Qt.AlignCenter | Qt.TextWordWrap, self._placeholder)
            p.end()
            return
        rows, cols = self._colours.shape[:2]
        cell = self.cell_side()
        left = area.left() + (area.width() - cell * cols) / 2
        top = area.top() + (area.height() - cell * rows) / 2
        num_font = QFont(self.font())
        num_font.setPixelSize(self.number_pixels())
        p.setFont(num_font)
        grid = QPen(QColor(90, 90, 90))
        for r in range(rows):
            for c in range(cols):
                paint_number_cell(p, QRectF(left + c * cell, top + r * cell, cell, cell), self._colours[r, c],
                                  self._texts[r][c], grid)
        p.end()
