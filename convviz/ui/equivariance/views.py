"""The Equivariance tab's two rows of pictures (views: they draw what the panel computed with the model)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QSize
from PySide6.QtWidgets import QGraphicsRectItem, QGroupBox, QSizePolicy, QVBoxLayout

from convviz.model import display_levels
from convviz.model.equivariance import DenseCheck, EquivarianceCheck

from ..widgets import ImagePlot, named, text_label
from ..widgets.flow_layout import flow_row

BORDER_RGBA = (255, 200, 0, 110)
DENSE_FRAME = (0, 170, 60)
#: a picture's side at least this
MIN_SIDE = 110


class SquarePlot(ImagePlot):
    """An :class:`ImagePlot` of a square picture: at least as wide as its title needs (so the title is never cut),
    as tall as its width plus the title. A row of them (a uniform, stretched :func:`.flow_layout.flow_row`) is a grid of
    equal tiles sharing the row's width, which wraps when the titles do not fit side by side (presentation fonts on a
    small screen)."""

    def __init__(self, title: str, parent=None):
        super().__init__(title, parent)
        self.title_text = title
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _side(self) -> int:
        """The narrowest side that shows the whole title (the title is drawn in the widget's font)."""
        return max(MIN_SIDE, self.fontMetrics().horizontalAdvance(self.title_text) * 11 // 10 + 24)

    def _title_height(self) -> int:
        return self.fontMetrics().height() * 3 // 2 + 8

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        side = self._side()
        return QSize(side, side // 2 + self._title_height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        side = self._side()
        return QSize(side, self.heightForWidth(side))

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        return width + self._title_height()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:   # presentation mode: a larger title, a larger picture
            self.updateGeometry()


def _plot(key: str, title: str) -> SquarePlot:
    return named(SquarePlot(title), f"equivariance{''.join(p.capitalize() for p in key.split('_'))}View", None,
                 title)


def _levels_with_zero(values: np.ndarray) -> tuple[float, float]:
    """Display levels for an image, with 0 in range (so shifted-in zeros look like zeros)."""
    return display_levels(np.append(np.ravel(values), 0.0))


class ConvRow(QGroupBox):
    """x, shift(x), conv(shift(x)), shift(conv(x)) and their difference with the border shaded."""

    KEYS = (("input", "x"), ("shifted", "shift(x)"), ("conv_of_shift", "conv(shift(x))"),
            ("shift_of_conv", "shift(conv(x))"), ("difference", "difference"))

    def __init__(self, parent=None):
        super().__init__("Convolution (Filter view's kernel)", parent)
        self.setToolTip("The kernel, padding, stride, dilation and flip of the Filter view, on a centre crop.")
        layout = QVBoxLayout(self)
        self.plots = {key: _plot(key, title) for key, title in self.KEYS}
        layout.addWidget(flow_row(*self.plots.values(), spacing=8, stretch=True, uniform=True))
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
        for label in (self.conv_label, self.border_label, self.note_label):
            layout.addWidget(label)

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
        for label, text in ((self.conv_label, conv), (self.border_label, border), (self.note_label, note)):
            label.setText(text)
            label.setVisible(bool(text))   # an empty line takes no room


class DenseRow(QGroupBox):
    """The dense layer's input (the green square of x), its output, and its output of the shifted input."""

    KEYS = (("dense_input", "x (green square)"), ("dense_output", "dense(x)"),
            ("dense_of_shift", "dense(shift(x))"), ("shift_of_dense", "shift(dense(x))"))

    def __init__(self, side: int, parent=None):
        super().__init__("A dense layer with random weights", parent)
        layout = QVBoxLayout(self)
        self.source_label = text_label(f"On the {side}×{side} pixels with the most detail (the green square in x).",
                                       "equivarianceDenseSource")
        layout.addWidget(self.source_label)
        self.plots = {key: _plot(key, title) for key, title in self.KEYS}
        layout.addWidget(flow_row(*self.plots.values(), spacing=8, stretch=True, uniform=True))
        self.dense_label = text_label("", "equivarianceDenseResult")
        layout.addWidget(self.dense_label)

    def show_dense(self, dense_input: np.ndarray, d: DenseCheck, text: str) -> None:
        self.plots["dense_input"].show_values(dense_input, levels=_levels_with_zero(dense_input))
        both = display_levels(np.concatenate([d.output.ravel(), d.output_of_shift.ravel()]))
        self.plots["dense_output"].show_values(d.output, levels=both)
        self.plots["dense_of_shift"].show_values(d.output_of_shift, levels=both)
        self.plots["shift_of_dense"].show_values(d.shift_of_output, levels=both)
        self.dense_label.setText(text)
