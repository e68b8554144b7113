"""Drawing a convolution matrix coloured by kernel tap, and the kernel's colour key (views: they only draw).

Colours, cell texts and ticks come from :mod:`convviz.model.matrix_view`.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize
from PySide6.QtGui import QFont

from convviz.model.matrix_view import (
    LABEL_COLS,
    LABEL_ROWS,
    MAX_KEY_LABELS,
    cell_text,
    colour_by_tap,
    key_text,
    tap_numbers,
    ticks,
)

from ..widgets import ImagePlot, named


class MatrixPlot(ImagePlot):
    """The matrix ``M``: rows are output pixels, columns input pixels; each tap in its colour, no tap white."""

    def __init__(self, parent=None):
        super().__init__("", parent)
        named(self, "matrixView", "Rows: output pixels; columns: input pixels. Each colour is one kernel "
              "weight; white entries are 0.", "Convolution matrix")
        self.plot.showAxis("left")
        self.plot.showAxis("top")
        self.plot.setLabel("left", "output pixel (row of M)")
        self.plot.setLabel("top", "input pixel (column of M)")
        self.cell_texts: list[pg.TextItem] = []

    def show_matrix(self, matrix: np.ndarray, taps: np.ndarray, n_taps: int, symbols: bool) -> None:
        """Draw ``matrix`` coloured by ``taps`` (same shape); small ones get their weights written in the
        cells (``w₁=1`` with ``symbols``, the 1-D example's notation)."""
        rows, cols = matrix.shape
        self.show_rgb(colour_by_tap(taps, n_taps))
        self.set_title(f"M: {rows} × {cols}")
        self.plot.getAxis("left").setTicks([ticks(rows, "y" if symbols else ""), []])
        self.plot.getAxis("top").setTicks([ticks(cols, "a" if symbols else ""), []])
        for item in self.cell_texts:
            self.plot.removeItem(item)
        self.cell_texts = []
        if rows > LABEL_ROWS or cols > LABEL_COLS:
            return
        font = QFont()
        font.setPointSize(16 if max(rows, cols) <= 6 else 10)
        for (r, c), tap in np.ndenumerate(taps):
            item = pg.TextItem(cell_text(tap, matrix[r, c], symbols),
                               color=(0, 0, 0) if tap else (170, 170, 170), anchor=(0.5, 0.5))
            item.setFont(font)
            item.setPos(c + 0.5, r + 0.5)
            self.plot.addItem(item)
            self.cell_texts.append(item)


class KernelKey(ImagePlot):
    """The kernel as the matrix uses it, each tap in the colour it has in the matrix, with its weight."""

    def __init__(self, parent=None):
        super().__init__("kernel taps", parent)
        named(self, "matrixKernelKey",
              "Each tap of the kernel has its own colour; the matrix uses the same colours.", "Kernel tap colours")
        self.texts: list[pg.TextItem] = []

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """Small: the key takes the height the notes leave it (the notes scroll rather than give it theirs)."""
        return QSize(150, 150)

    def show_kernel(self, kernel: np.ndarray, symbols: bool) -> None:
        taps = tap_numbers(kernel.shape).astype(np.int64)
        self.show_rgb(colour_by_tap(taps, kernel.size))
        for item in self.texts:
            self.plot.removeItem(item)
        self.texts = []
        if kernel.size > MAX_KEY_LABELS:
            return
        for (r, c), value in np.ndenumerate(kernel):
            item = pg.TextItem(key_text(taps[r, c], value, symbols), color="k", anchor=(0.5, 0.5))
            item.setPos(c + 0.5, r + 0.5)
            self.plot.addItem(item)
            self.texts.append(item)
