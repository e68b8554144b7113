"""Translation equivariance: move the input and the convolution's output moves the same way.

Shows ``conv(shift(x))`` next to ``shift(conv(x))`` and their difference (zero away
from the border), then a dense layer with fixed random weights whose output does
not follow the shift, and how pooling turns equivariance into invariance. All
numbers come from :mod:`convviz.model.equivariance`; it works on small crops only.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGraphicsRectItem,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from convviz.model import display_levels, format_number
from convviz.model.equivariance import (
    DenseCheck,
    EquivarianceCheck,
    centre_crop,
    dense_check,
    equivariance_check,
    liveliest_window,
    shift_image,
)

from .costs_common import DocumentLink, ImagePlot, named, text_label

DENSE_SIDE = 24
#: the dense row's picture is small, so its shift is kept to a quarter of its side
MAX_DENSE_SHIFT = DENSE_SIDE // 4
#: odd on purpose: with stride 2 the default shift shows equivariance breaking
DEFAULT_SHIFT = (15, 25)
DEFAULT_CROP = 256
MAX_SHIFT = 64
BORDER_RGBA = (255, 200, 0, 110)


class EquivariancePanel(QWidget):
    """conv(shift(x)) vs shift(conv(x)), a dense layer that does not follow the shift, and pooling."""

    panel_key = "equivariance"

    def __init__(self, document, parent=None):
        super().__init__(parent)
        named(self, "equivariancePanel", None, "Translation equivariance")
        self.document = document
        self.check: EquivarianceCheck | None = None
        self.dense: DenseCheck | None = None
        self.crop: np.ndarray | None = None

        self.dy_spin = self._spin("equivarianceDySpin", -MAX_SHIFT, MAX_SHIFT, DEFAULT_SHIFT[0], "Rows to move the input down (negative: up).",
                                  "Shift down")
        self.dx_spin = self._spin("equivarianceDxSpin", -MAX_SHIFT, MAX_SHIFT, DEFAULT_SHIFT[1], "Columns to move the input right "
                                  "(negative: left).", "Shift right")
        self.crop_spin = self._spin("equivarianceCropSpin", 8, 256, DEFAULT_CROP,
                                    "Side of the centre crop of the image that is filtered here "
                                    "(small, so it stays instant on large photos).", "Crop size")
        self.crop_spin.setSuffix(" px")
        self.seed_spin = self._spin("equivarianceSeedSpin", 0, 9999, 0,
                                    "Seed of the dense layer's random weights: the same seed, the same layer.",
                                    "Dense layer seed")
        controls = QHBoxLayout()
        for text, widget in (("Move down by", self.dy_spin), ("right by", self.dx_spin),
                             ("Crop", self.crop_spin), ("Dense seed", self.seed_spin)):
            controls.addWidget(QLabel(text))
            controls.addWidget(widget)
        self.arrow_buttons = {}
        for key, (text, ddy, ddx, shortcut) in {
                "left": ("←", 0, -1, "Alt+Left"), "up": ("↑", -1, 0, "Alt+Up"),
                "down": ("↓", 1, 0, "Alt+Down"), "right": ("→", 0, 1, "Alt+Right")}.items():
            button = named(QPushButton(text), f"equivarianceShift{key.capitalize()}",
                           f"Move the input one pixel {key} ({shortcut}).", f"Shift {key}")
            button.setFixedWidth(36)
            button.clicked.connect(lambda _=False, a=ddy, b=ddx: self.nudge(a, b))
            QShortcut(QKeySequence(shortcut), self).activated.connect(lambda a=ddy, b=ddx: self.nudge(a, b))
            controls.addWidget(button)
            self.arrow_buttons[key] = button
        self.reset_button = named(QPushButton("No shift"), "equivarianceResetButton",
                                  "Set the shift back to 0, 0.", "No shift")
        self.reset_button.clicked.connect(lambda: self.set_shift(0, 0))
        controls.addWidget(self.reset_button)
        controls.addStretch(1)

        intro = text_label(
            "<b>Equivariance</b>: move the input, and the output of a convolution moves the same way. "
            "The same kernel is used at every position, so a pattern gives the same response wherever it is.",
            "equivarianceIntro")

        self.plots: dict[str, ImagePlot] = {}
        conv_box = QGroupBox("Convolution (the kernel and settings of the Filter view)")
        conv_grid = QGridLayout(conv_box)
        for col, (key, title) in enumerate((("input", "x"), ("shifted", "shift(x)"),
                                            ("conv_of_shift", "conv(shift(x))"),
                                            ("shift_of_conv", "shift(conv(x))"),
                                            ("difference", "difference"))):
            conv_grid.addWidget(self._plot(key, title), 0, col)
        self.border_item = pg.ImageItem()
        self.plots["difference"].plot.addItem(self.border_item)
        self.conv_label = text_label("", "equivarianceConvResult")
        self.border_label = text_label("", "equivarianceBorderNote")
        self.note_label = text_label("", "equivarianceNote")
        conv_grid.addWidget(self.conv_label, 1, 0, 1, 5)
        conv_grid.addWidget(self.border_label, 2, 0, 1, 5)
        conv_grid.addWidget(self.note_label, 3, 0, 1, 5)

        self.dense_rect = QGraphicsRectItem(0, 0, 1, 1)
        pen = pg.mkPen((0, 170, 60), width=2)
        pen.setCosmetic(True)
        self.dense_rect.setPen(pen)
        self.plots["input"].plot.addItem(self.dense_rect)
        dense_box = QGroupBox(f"A dense layer with random weights, on the {DENSE_SIDE}×{DENSE_SIDE} pixels "
                              "with the most detail (green square in x)")
        dense_grid = QGridLayout(dense_box)
        for col, (key, title) in enumerate((("dense_input", "x in the green square"), ("dense_output", "dense(x)"),
                                            ("dense_of_shift", "dense(shift(x))"),
                                            ("shift_of_dense", "shift(dense(x))"))):
            dense_grid.addWidget(self._plot(key, title), 0, col)
        self.dense_label = text_label("", "equivarianceDenseResult")
        dense_grid.addWidget(self.dense_label, 1, 0, 1, 4)

        self.pool_label = text_label("", "equivariancePooling")
        self.error_label = text_label("", "equivarianceError")
        self.error_label.setStyleSheet("color: #b00020;")

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(intro)
        layout.addLayout(controls)
        layout.addWidget(self.error_label)
        layout.addWidget(conv_box)
        layout.addWidget(dense_box)
        layout.addWidget(self.pool_label)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self.link = DocumentLink(self, document, ("image", "kernel", "padding", "stride", "dilation",
                                                  "padding_mode", "flip", "gray"), self.recompute)
        self.recompute()

    def _spin(self, name, low, high, value, tip, accessible) -> QSpinBox:
        spin = named(QSpinBox(), name, tip, accessible)
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setKeyboardTracking(False)
        spin.valueChanged.connect(self.recompute)
        return spin

    def _plot(self, key: str, title: str) -> ImagePlot:
        plot = named(ImagePlot(title), f"equivariance{''.join(p.capitalize() for p in key.split('_'))}View",
                     None, title)
        plot.setMinimumSize(170, 190)
        plot.setMaximumHeight(250)
        self.plots[key] = plot
        return plot

    def showEvent(self, event):
        super().showEvent(event)
        self.link.shown()

    # -- controls ---------------------------------------------------------------------
    def shift(self) -> tuple[int, int]:
        return self.dy_spin.value(), self.dx_spin.value()

    def set_shift(self, dy: int, dx: int) -> None:
        self.dy_spin.blockSignals(True)
        self.dy_spin.setValue(dy)
        self.dy_spin.blockSignals(False)
        self.dx_spin.setValue(dx)
        self.recompute()

    def lesson_settings(self) -> dict:
        dy, dx = self.shift()
        return {"dy": dy, "dx": dx, "crop": self.crop_spin.value(), "seed": self.seed_spin.value()}

    def apply_lesson_settings(self, settings: dict) -> None:
        spins = {"dy": self.dy_spin, "dx": self.dx_spin, "crop": self.crop_spin, "seed": self.seed_spin}
        for key, spin in spins.items():
            if key in settings:
                spin.blockSignals(True)
                spin.setValue(int(settings[key]))
                spin.blockSignals(False)
        self.recompute()

    def nudge(self, ddy: int, ddx: int) -> None:
        dy, dx = self.shift()
        self.set_shift(dy + ddy, dx + ddx)

    # -- computing and drawing --------------------------------------------------------
    def recompute(self, *args) -> None:
        doc = self.document
        dy, dx = self.shift()
        self.crop = centre_crop(doc.image, self.crop_spin.value())
        self.error_label.setText("")
        try:
            self.check = equivariance_check(self.crop, doc.kernel, dy, dx, doc.padding, stride=doc.stride,
                                            dilation=doc.dilation, flip=doc.flip)
        except ValueError as err:
            self.check = None
            self.error_label.setText(f"{err}")
        top, left = liveliest_window(self.crop, DENSE_SIDE)
        self.dense_window = (top, left)
        dense_input = self.crop[top:top + DENSE_SIDE, left:left + DENSE_SIDE]
        self.dense_shift = (int(np.clip(dy, -MAX_DENSE_SHIFT, MAX_DENSE_SHIFT)),
                            int(np.clip(dx, -MAX_DENSE_SHIFT, MAX_DENSE_SHIFT)))
        self.dense = dense_check(dense_input, *self.dense_shift, seed=self.seed_spin.value())
        self._draw_conv(dy, dx)
        self._draw_dense(dense_input)

    def _draw_conv(self, dy: int, dx: int) -> None:
        shifted = shift_image(self.crop, dy, dx)
        levels = display_levels(np.concatenate([self.crop.ravel(), [0.0]]))
        self.plots["input"].show_values(self.crop, levels=levels)
        self.plots["shifted"].show_values(shifted, levels=levels)
        c = self.check
        if c is None:
            for key in ("conv_of_shift", "shift_of_conv", "difference"):
                self.plots[key].show_values(np.zeros((1, 1)))
            self.border_item.clear()
            self.conv_label.setText("")
            self.border_label.setText("")
            self.pool_label.setText("")
            return
        both = display_levels(np.concatenate([c.conv_of_shift.ravel(), c.shift_of_conv.ravel()]))
        self.plots["conv_of_shift"].show_values(c.conv_of_shift, levels=both)
        self.plots["shift_of_conv"].show_values(c.shift_of_conv, levels=both)
        m = float(np.abs(c.difference).max()) or 1.0
        self.plots["difference"].show_values(c.difference, levels=(-m, m))
        overlay = np.zeros(c.border.shape + (4,), dtype=np.uint8)
        overlay[c.border] = BORDER_RGBA
        self.border_item.setImage(overlay, autoLevels=False, levels=(0, 255))
        inside = format_number(c.max_difference_inside)
        (sy, sx), (oy, ox) = c.stride, c.output_shift
        if c.exact:
            moved = "" if c.stride == (1, 1) else (
                f" With stride {sy}×{sx} the output moves by {oy}, {ox}: the shift divided by the stride.")
            self.conv_label.setText(
                f"<b>Away from the border, conv(shift(x)) = shift(conv(x)): largest difference {inside}.</b> "
                f"Shifting then filtering gives the same picture as filtering then shifting.{moved}")
        else:
            self.conv_label.setText(
                f"<b>Stride {sy}×{sx} breaks it: largest difference {inside} away from the border.</b> "
                f"The output would have to move by {format_number(c.shift[0] / sy)}, "
                f"{format_number(c.shift[1] / sx)} pixels, but it can only move by whole pixels; compared here "
                f"with the nearest move {oy}, {ox}. Equivariance holds only for shifts that are multiples of "
                "the stride.")
        self.border_label.setText(
            f"Border (shaded in the difference): largest difference {format_number(c.max_difference_border)}. "
            f"There the shift pushed pixels off the edge and brought in zeros, so the kernel sees different "
            f"numbers near the edge. {int(c.border.sum()):,} of {c.border.size:,} output pixels are in the border.")
        notes = []
        if self.document.padding_mode != "zeros":
            notes.append(f"Shown with zero padding (the image uses '{self.document.padding_mode}').")
        if self.document.image.shape[0] > self.crop.shape[0] or self.document.image.shape[1] > self.crop.shape[1]:
            notes.append(f"Working on the centre {self.crop.shape[0]}×{self.crop.shape[1]} pixels of the image.")
        self.note_label.setText(" ".join(notes))
        self.pool_label.setText(
            "<b>From equivariance to invariance.</b> Pooling sums a region up in one number, for example its "
            f"largest value. The largest value of the whole map is {format_number(c.pooled_input)} before the "
            f"shift and {format_number(c.pooled_shifted)} after it"
            + (" — the same number although the pattern moved." if c.pooled_input == c.pooled_shifted else
               (" (different here: with this stride the kernel lands on other pixels)." if not c.exact else
                " (different here because the shift pushed the strongest response off the edge)."))
            + " Convolution makes the maps move with the input (equivariance); pooling then makes the result "
              "stop caring where the pattern was (invariance).")

    def _draw_dense(self, dense_input: np.ndarray) -> None:
        d = self.dense
        top, left = self.dense_window
        h, w = dense_input.shape
        self.dense_rect.setRect(left, top, w, h)
        self.plots["dense_input"].show_values(dense_input,
                                              levels=display_levels(np.append(dense_input.ravel(), 0.0)))
        both = display_levels(np.concatenate([d.output.ravel(), d.output_of_shift.ravel()]))
        self.plots["dense_output"].show_values(d.output, levels=both)
        self.plots["dense_of_shift"].show_values(d.output_of_shift, levels=both)
        self.plots["shift_of_dense"].show_values(d.shift_of_output, levels=both)
        n = dense_input.size
        moved = ""
        if self.dense_shift != self.shift():
            moved = (f"Here the small picture is moved by {self.dense_shift[0]}, {self.dense_shift[1]} "
                     f"(at most {MAX_DENSE_SHIFT} pixels, a quarter of its side). ")
        self.dense_label.setText(
            moved + f"Each of the {n:,} outputs has its own weight for each of the {n:,} input pixels "
            f"({n * n:,} weights). dense(shift(x)) is not shift(dense(x)): they differ by "
            f"<b>{100 * d.relative_mismatch:.0f} %</b> of the output's largest value. Moving the input gives "
            "a different pattern, not a moved copy, so a dense layer must learn a pattern separately at every "
            "position.")
