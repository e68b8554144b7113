"""The Equivariance tab's two rows of pictures (views: they draw what the panel computed with the model)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsRectItem, QGridLayout, QGroupBox

from convviz.model import display_levels
from convviz.model.equivariance import DenseCheck, EquivarianceCheck

from ..widgets import ImagePlot, named, text_label

BORDER_RGBA = (255, 200, 0, 110)
DENSE_FRAME = (0, 170, 60)


def _plot(key: str, title: str) -> ImagePlot:
    plot = named(ImagePlot(title), f"equivariance{''.join(p.capitalize() for p in key.split('_'))}View", None, title)
    plot.setMinimumSize(170, 190)
    plot.setMaximumHeight(250)
    return plot


def _levels_with_zero(values: np.ndarray) -> tuple[float, float]:
    """Display levels for an image, with 0 in range (so shifted-in zeros look like zeros)."""
    return display_levels(np.append(np.ravel(values), 0.0))


class ConvRow(QGroupBox):
    """x, shift(x), conv(shift(x)), shift(conv(x)) and their difference with the border shaded."""

    KEYS = (("input", "x"), ("shifted", "shift(x)"), ("conv_of_shift", "conv(shift(x))"),
            ("shift_of_conv", "shift(conv(x))"), ("difference", "difference"))

    def __init__(self, parent=None):
        super().__init__("Convolution (the kernel and settings of the Filter view)", parent)
        grid = QGridLayout(self)
        self.plots = {key: _plot(key, title) for key, title in self.KEYS}
        for col, plot in enumerate(self.plots.values()):
            grid.addWidget(plot, 0, col)
        self.border_item = pg.ImageItem()
        self.plots["difference"].plot.addItem(self.border_item)
        # where the dense row's picture comes from
        self.dense_rect = QGraphicsRectItem(0, 0, 1, 1)
        pen = pg.mkPen(DENSE_FRAME, width=2)
        pen.setCosmetic(True)
        self.dense_rect.setPen(pen)
        self.plots["input"].plot.addItem(self.dense_rect)
        self.conv_label = text_label("", "equivarianceConvResult")
        self.border_label = text_label("", "equivarianceBorderNote")
        self.note_label = text_label("", "equivarianceNote")
        for row, label in enumerate((self.conv_label, self.border_label, self.note_label), start=1):
            grid.addWidget(label, row, 0, 1, len(self.KEYS))

    def show_input(self, crop: np.ndarray, shifted: np.ndarray) -> None:
        levels = _levels_with_zero(crop)
        self.plots["input"].show_values(crop, levels=levels)
        self.plots["shifted"].show_values(shifted, levels=levels)

    def show_check(self, c: EquivarianceCheck | None) -> None:
        """Draw the two outputs on one scale and the difference centred on 0; ``None`` blanks them."""
        if c is None:
            for key in ("conv_of_shift", "shift_of_conv", "difference"):
                self.plots[key].show_values(np.zeros((1, 1)))
            self.border_item.clear()
            return
        both = display_levels(np.concatenate([c.conv_of_shift.ravel(), c.shift_of_conv.ravel()]))
        self.plots["conv_of_shift"].show_values(c.conv_of_shift, levels=both)
        self.plots["shift_of_conv"].show_values(c.shift_of_conv, levels=both)
        m = float(np.abs(c.difference).max()) or 1.0
        self.plots["difference"].show_values(c.difference, levels=(-m, m))
        overlay = np.zeros(c.border.shape + (4,), dtype=np.uint8)
        overlay[c.border] = BORDER_RGBA
        self.border_item.setImage(overlay, autoLevels=False, levels=(0, 255))

    def show_texts(self, conv: str, border: str, note: str) -> None:
        self.conv_label.setText(conv)
        self.border_label.setText(border)
        self.note_label.setText(note)


class DenseRow(QGroupBox):
    """The dense layer's input (the green square of x), its output, and its output of the shifted input."""

    KEYS = (("dense_input", "x in the green square"), ("dense_output", "dense(x)"),
            ("dense_of_shift", "dense(shift(x))"), ("shift_of_dense", "shift(dense(x))"))

    def __init__(self, side: int, parent=None):
        super().__init__(f"A dense layer with random weights, on the {side}×{side} pixels with the most detail "
                         "(green square in x)", parent)
        grid = QGridLayout(self)
        self.plots = {key: _plot(key, title) for key, title in self.KEYS}
        for col, plot in enumerate(self.plots.values()):
            grid.addWidget(plot, 0, col)
        self.dense_label = text_label("", "equivarianceDenseResult")
        grid.addWidget(self.dense_label, 1, 0, 1, len(self.KEYS))

    def show_dense(self, dense_input: np.ndarray, d: DenseCheck, text: str) -> None:
        self.plots["dense_input"].show_values(dense_input, levels=_levels_with_zero(dense_input))
        both = display_levels(np.concatenate([d.output.ravel(), d.output_of_shift.ravel()]))
        self.plots["dense_output"].show_values(d.output, levels=both)
        self.plots["dense_of_shift"].show_values(d.output_of_shift, levels=both)
        self.plots["shift_of_dense"].show_values(d.shift_of_output, levels=both)
        self.dense_label.setText(text)
