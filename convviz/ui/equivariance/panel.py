"""Equivariance: move the input and the convolution's output moves the same way.

Shows ``conv(shift(x))`` next to ``shift(conv(x))`` and their difference (zero away from the
border), then a dense layer with fixed random weights whose output does not follow the shift,
and how pooling turns equivariance into invariance. All numbers come from
:mod:`convviz.model.equivariance`, the sentences from :mod:`convviz.model.equivariance_view`;
it works on small crops only. State: :class:`~convviz.model.states.equivariance.EquivarianceState`.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QPushButton,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from convviz.model.equivariance import (
    DenseCheck,
    EquivarianceCheck,
    centre_crop,
    dense_check,
    equivariance_check,
    liveliest_window,
    shift_image,
)
from convviz.model.equivariance_view import (
    border_sentence,
    conv_sentence,
    dense_sentence,
    dense_shift,
    notes,
    pooling_sentence,
)
from convviz.model.states.equivariance import (
    DEFAULT_CROP,
    DEFAULT_SHIFT,
    MAX_CROP,
    MAX_SEED,
    MAX_SHIFT,
    MIN_CROP,
)

from ..panel import Panel
from ..widgets import mark_editing_chrome, named, text_label
from ..widgets.flow_layout import flow_row
from ..widgets.labelled_controls import labelled
from .views import ConvRow, DenseRow

__all__ = ["DEFAULT_CROP", "DEFAULT_SHIFT", "DENSE_SIDE", "MAX_SHIFT", "EquivariancePanel"]

DENSE_SIDE = 24
#: the dense row's picture is small, so its shift is kept to a quarter of its side
MAX_DENSE_SHIFT = DENSE_SIDE // 4
#: arrow button → (text, rows, columns, shortcut)
ARROWS = {"left": ("←", 0, -1, "Alt+Left"), "up": ("↑", -1, 0, "Alt+Up"),
          "down": ("↓", 1, 0, "Alt+Down"), "right": ("→", 0, 1, "Alt+Right")}


class EquivariancePanel(Panel):
    """conv(shift(x)) vs shift(conv(x)), a dense layer that does not follow the shift, and pooling."""

    key, title, shortcut = "equivariance", "Equivariance", "Ctrl+6"
    panel_key = key
    document_fields = ("image", "kernel", "padding", "stride", "dilation", "padding_mode", "flip", "gray")

    def __init__(self, workspace, parent=None, **kwargs):
        super().__init__(workspace, parent, **kwargs)
        named(self, "equivariancePanel", None, "Translation equivariance")
        self.check: EquivarianceCheck | None = None
        self.dense: DenseCheck | None = None
        self.crop: np.ndarray | None = None
        self.dense_window = (0, 0)
        self.dense_shift = (0, 0)

        self.spins = {field: self._spin(field, *spec) for field, spec in (
            ("dy", ("equivarianceDySpin", -MAX_SHIFT, MAX_SHIFT, "Rows to move the input down (negative: up).",
                    "Shift down")),
            ("dx", ("equivarianceDxSpin", -MAX_SHIFT, MAX_SHIFT, "Columns to move the input right (negative: left).",
                    "Shift right")),
            ("crop", ("equivarianceCropSpin", MIN_CROP, MAX_CROP, "Side of the centre crop of the image that is "
                      "filtered here (small, so it stays instant on large photos).", "Crop size")),
            ("seed", ("equivarianceSeedSpin", 0, MAX_SEED, "Seed of the dense layer's random weights: the same "
                      "seed, the same layer.", "Dense layer seed")))}
        self.dy_spin, self.dx_spin, self.crop_spin, self.seed_spin = self.spins.values()
        self.crop_spin.setSuffix(" px")
        self.arrow_buttons: dict[str, QToolButton] = {}
        for key, (text, ddy, ddx, shortcut) in ARROWS.items():
            button = named(QToolButton(), f"equivarianceShift{key.capitalize()}",
                           f"Move the input one pixel {key} ({shortcut}).", f"Shift {key}")
            button.setText(text)
            button.clicked.connect(lambda _=False, a=ddy, b=ddx: self.nudge(a, b))
            QShortcut(QKeySequence(shortcut), self).activated.connect(lambda a=ddy, b=ddx: self.nudge(a, b))
            self.arrow_buttons[key] = button
        self.reset_button = named(QPushButton("No shift"), "equivarianceResetButton",
                                  "Set the shift back to 0, 0.", "No shift")
        self.reset_button.clicked.connect(lambda: self.set_shift(0, 0))
        # the shift is the lecture's; the crop and the dense layer's seed only matter while preparing it
        controls = flow_row(labelled("Move down by", self.dy_spin), labelled("right by", self.dx_spin),
                            labelled(None, *self.arrow_buttons.values(), self.reset_button),
                            mark_editing_chrome(labelled("Crop", self.crop_spin)),
                            mark_editing_chrome(labelled("Dense seed", self.seed_spin)), spacing=12)

        intro = text_label(
            "<b>Equivariance</b>: move the input, and the output of a convolution moves the same way. "
            "The same kernel is used at every position, so a pattern gives the same response wherever it is.",
            "equivarianceIntro")
        self.conv_row = ConvRow()
        self.dense_row = DenseRow(DENSE_SIDE)
        self.plots = {**self.conv_row.plots, **self.dense_row.plots}
        self.border_item, self.dense_rect = self.conv_row.border_item, self.conv_row.dense_rect
        self.conv_label, self.border_label = self.conv_row.conv_label, self.conv_row.border_label
        self.note_label, self.dense_label = self.conv_row.note_label, self.dense_row.dense_label
        self.pool_label = text_label("", "equivariancePooling")
        self.error_label = text_label("", "equivarianceError")
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(mark_editing_chrome(intro))
        layout.addWidget(controls)
        layout.addWidget(self.error_label)
        layout.addWidget(self.conv_row)
        layout.addWidget(self.dense_row)
        layout.addWidget(self.pool_label)
        layout.addStretch(1)
        scroll = named(QScrollArea(), "equivariancePanelScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.refresh()

    def _spin(self, field: str, name: str, low: int, high: int, tip: str, accessible: str) -> QSpinBox:
        spin = named(QSpinBox(), name, tip, accessible)
        spin.setRange(low, high)
        spin.setKeyboardTracking(False)
        spin.valueChanged.connect(lambda value: self.edit(accessible, **{field: value}))
        return spin

    # -- edits -------------------------------------------------------------------------
    def shift(self) -> tuple[int, int]:
        return self.state.dy, self.state.dx

    def set_shift(self, dy: int, dx: int) -> None:
        self.edit("No shift" if (dy, dx) == (0, 0) else "Shift", dy=dy, dx=dx)

    def nudge(self, ddy: int, ddx: int) -> None:
        """Move the shift one step (buttons and Alt+arrows): one undo step; nothing at ±MAX_SHIFT."""
        change = self.state.nudged(ddy, ddx)
        if change:
            self.edit("Move the input " + ("down" if ddy > 0 else "up" if ddy < 0 else "right" if ddx > 0
                                           else "left"), **change)

    # -- computing and drawing --------------------------------------------------------
    def refresh(self) -> None:
        state, doc = self.state, self.document
        for name, spin in self.spins.items():
            with QSignalBlocker(spin):
                spin.setValue(getattr(state, name))
        self.crop = centre_crop(doc.image, state.crop)
        self.error_label.setText("")
        try:
            self.check = equivariance_check(self.crop, doc.kernel, state.dy, state.dx, doc.padding,
                                            stride=doc.stride, dilation=doc.dilation, flip=doc.flip)
        except ValueError as err:
            self.check = None
            self.error_label.setText(str(err))
        self.error_label.setVisible(bool(self.error_label.text()))
        top, left = self.dense_window = liveliest_window(self.crop, DENSE_SIDE)
        dense_input = self.crop[top:top + DENSE_SIDE, left:left + DENSE_SIDE]
        self.dense_shift = dense_shift(state.dy, state.dx, MAX_DENSE_SHIFT)
        self.dense = dense_check(dense_input, *self.dense_shift, seed=state.seed)

        self.conv_row.show_input(self.crop, shift_image(self.crop, state.dy, state.dx))
        self.conv_row.show_check(self.check)
        c = self.check
        if c is None:
            self.conv_row.show_texts("", "", "")
            self.pool_label.setText("")
        else:
            self.conv_row.show_texts(conv_sentence(c), border_sentence(c),
                                     notes(doc.padding_mode, doc.image.shape[:2], self.crop.shape))
            self.pool_label.setText(pooling_sentence(c))
        h, w = dense_input.shape
        self.dense_rect.setRect(left, top, w, h)
        self.dense_row.show_dense(dense_input, self.dense,
                                  dense_sentence(self.dense, dense_input.size, self.shift(), MAX_DENSE_SHIFT))
