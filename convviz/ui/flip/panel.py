"""Correlation vs convolution: what flipping the kernel does, and why only true convolution commutes.

Deep learning's "convolution" is cross-correlation (the kernel slides as it is);
true convolution turns the kernel half a turn first. In full mode true convolution
is commutative (``A * W = W * A``), cross-correlation is not. Every number comes
from :func:`convviz.model.correlate` and :func:`convviz.model.convolve`.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from convviz.model.flipping import LECTURE_A, LECTURE_W, commutativity, example_arrays, flip_effect, flipped
from convviz.model.states.flip import FLIP_EXAMPLES

from ..panel import Panel
from ..widgets import named, text_label
from ..widgets.flow_layout import PairColumns, line_label
from ..widgets.scaled_label import ScaledLabel
from .fitting_grid import FittingNumberGrid

__all__ = ["LECTURE_A", "LECTURE_W", "FlipPanel"]

FLIP_NOTES = {
    "same": "This kernel looks the same after half a turn, so both give the same output.",
    "negated": "Half a turn only changes this kernel's sign, so true convolution gives the same output "
               "with the opposite sign (dark edges become bright and the other way round).",
    "different": "Half a turn changes this kernel, so the two give different outputs.",
}


class ShrinkingComboBox(QComboBox):
    """A combo box as wide as its longest entry when there is room, down to a dozen characters (the list
    still shows whole entries), so big presentation fonts never make the page scroll sideways."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)

    def sizeHint(self):  # noqa: N802 (Qt's name)
        hint = super().sizeHint()
        metrics = self.fontMetrics()
        longest = max((metrics.horizontalAdvance(self.itemText(i)) for i in range(self.count())), default=0)
        hint.setWidth(hint.width() + max(0, longest - metrics.horizontalAdvance("x") * self.minimumContentsLength()))
        return hint


class FlipPanel(Panel):
    """The flipped kernel, the app's choice (the document's ``flip``) and the commutativity check.

    State: :class:`~convviz.model.states.FlipState` (``example``, ``show_flipped``).
    """

    key, title, shortcut = "flip", "Correlation vs convolution", "Ctrl+7"
    document_fields = ("kernel", "flip")

    def __init__(self, workspace, parent=None, **kwargs):
        super().__init__(workspace, parent, **kwargs)
        named(self, "flipPanel", None, "Correlation versus convolution")
        self.results: dict[str, np.ndarray] = {}

        # -- what the app computes --------------------------------------------------------
        app_box = QGroupBox("What convviz computes")
        self.flip_box = named(QCheckBox("Flip the kernel (true convolution)"), "flipDocumentBox",
                              "Off: cross-correlation, as PyTorch and TensorFlow compute it (the default). "
                              "On: true convolution, the kernel turned half a turn, in every view of convviz.",
                              "Flip the kernel")
        self.flip_box.toggled.connect(self._flip_toggled)
        self.app_label = ScaledLabel("flipAppState", 1.1)
        al = QVBoxLayout(app_box)
        al.addWidget(self.app_label)
        al.addWidget(self.flip_box)

        # -- the flipped kernel -----------------------------------------------------------
        kernel_box = QGroupBox("Flipping the kernel")
        self.kernel_grid = FittingNumberGrid("flipKernelGrid", "The current kernel W, as cross-correlation uses it.",
                                             "Kernel")
        self.flipped_grid = FittingNumberGrid("flipFlippedGrid", "W turned half a turn: rows and columns reversed. "
                                              "True convolution slides this.", "Flipped kernel")
        self.show_flip_button = named(QPushButton("Show the flipped kernel"), "flipShowButton",
                                      "Show W with its rows and columns reversed.", "Show the flipped kernel")
        self.show_flip_button.setCheckable(True)
        self.show_flip_button.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Fixed)
        self.show_flip_button.toggled.connect(
            lambda on: self.edit("Show the flipped kernel" if on else "Hide the flipped kernel", show_flipped=on))
        self.kernel_caption = line_label("W (cross-correlation slides this)", "flipKernelCaption")
        self.flipped_caption = line_label("↻ W turned half a turn (true convolution slides this)",
                                          "flipFlippedCaption")
        self.flipped_cell = _cell(self.flipped_caption, self.flipped_grid)
        self.kernel_note = text_label("", "flipKernelNote")
        kernels = PairColumns()
        kernels.add_pair(_cell(self.kernel_caption, self.kernel_grid), self.flipped_cell)
        kl = QVBoxLayout(kernel_box)
        kl.addLayout(kernels)
        kl.addWidget(self.show_flip_button)
        kl.addWidget(self.kernel_note)

        # -- commutativity ----------------------------------------------------------------
        commute_box = QGroupBox("Swap A and W (full padding)")
        commute_intro = text_label("True convolution gives the same answer, cross-correlation does not.",
                                   "flipCommuteIntro")
        self.example_box = named(ShrinkingComboBox(), "flipExampleBox", "Which A and W to compare.", "Example")
        for key, text in FLIP_EXAMPLES.items():
            self.example_box.addItem(text, key)
        self.example_box.currentIndexChanged.connect(
            lambda i: self.edit("Choose an example", example=self.example_box.itemData(i)))
        self.a_grid = FittingNumberGrid("flipAGrid", "The input A.", "A")
        self.w_grid = FittingNumberGrid("flipWGrid", "The kernel W.", "W")
        self.grids = {
            "conv_aw": FittingNumberGrid("flipConvAW", "convolve(A, W, 'full')", "A convolved with W"),
            "conv_wa": FittingNumberGrid("flipConvWA", "convolve(W, A, 'full')", "W convolved with A"),
            "corr_aw": FittingNumberGrid("flipCorrAW", "correlate(A, W, 'full')", "A cross-correlated with W"),
            "corr_wa": FittingNumberGrid("flipCorrWA", "correlate(W, A, 'full'); cells that differ from A ⋆ W "
                                         "are red.", "W cross-correlated with A"),
        }
        self.conv_verdict = text_label("", "flipConvVerdict")
        self.corr_verdict = text_label("", "flipCorrVerdict")
        pairs = PairColumns()
        pairs.add_pair(_cell(line_label("A"), self.a_grid), _cell(line_label("W"), self.w_grid))
        pairs.add_pair(_cell(_bold("True convolution: A * W"), self.grids["conv_aw"]),
                       _cell(_bold("W * A"), self.grids["conv_wa"]))
        pairs.add_span(self.conv_verdict)
        pairs.add_pair(_cell(_bold("Cross-correlation: A ⋆ W"), self.grids["corr_aw"]),
                       _cell(_bold("W ⋆ A"), self.grids["corr_wa"]))
        pairs.add_span(self.corr_verdict)
        cl = QVBoxLayout(commute_box)
        cl.addWidget(commute_intro)
        cl.addWidget(self.example_box, 0, Qt.AlignLeft)
        cl.addLayout(pairs)

        why = text_label(
            "Why deep learning does not flip: the kernel's numbers are learned. A network that needs the flipped "
            "kernel simply learns it, so flipping would change nothing it can do — and sliding the kernel as it "
            "is, is simpler. Libraries such as PyTorch and TensorFlow call cross-correlation \"convolution\".",
            "flipWhy")

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(app_box)
        layout.addWidget(kernel_box)
        layout.addWidget(commute_box)
        layout.addWidget(why)
        layout.addStretch(1)
        scroll = named(QScrollArea(), "flipPanelScroll")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self.refresh()

    # -- controls ---------------------------------------------------------------------
    def _flip_toggled(self, on: bool) -> None:
        self.edit_document("True convolution" if on else "Cross-correlation", flip=on)

    def example(self) -> tuple[np.ndarray, np.ndarray]:
        """``(A, W)`` of the chosen example."""
        return example_arrays(self.state.example, self.document.kernel)

    # -- computing and drawing --------------------------------------------------------
    def refresh(self) -> None:
        doc, state = self.document, self.state
        for widget, value in ((self.flip_box, doc.flip), (self.show_flip_button, state.show_flipped)):
            with QSignalBlocker(widget):
                widget.setChecked(bool(value))
        with QSignalBlocker(self.example_box):
            self.example_box.setCurrentIndex(self.example_box.findData(state.example))
        self.flipped_cell.setVisible(state.show_flipped)
        self.show_flip_button.setText("Hide the flipped kernel" if state.show_flipped else "Show the flipped kernel")
        if doc.flip:
            self.app_label.setText("The rest of convviz computes <b>true convolution</b>: "
                                   "it flips the kernel before sliding it.")
        else:
            self.app_label.setText("The rest of convviz computes <b>cross-correlation</b> (no flip), as "
                                   "deep-learning libraries do. This is the default.")
        kernel = np.asarray(doc.kernel)
        self.kernel_grid.show_array(kernel)
        self.flipped_grid.show_array(flipped(kernel))
        self.kernel_note.setText(FLIP_NOTES[flip_effect(kernel)])

        a, w = self.example()
        c = commutativity(a, w)
        r = self.results = c.as_dict()
        self.a_grid.show_array(a)
        self.w_grid.show_array(w)
        conv_equal, corr_equal = c.conv_equal, c.corr_equal
        self.grids["conv_aw"].show_array(r["conv_aw"])
        self.grids["conv_wa"].show_array(r["conv_wa"], mark=r["conv_aw"] != r["conv_wa"])
        self.grids["corr_aw"].show_array(r["corr_aw"])
        self.grids["corr_wa"].show_array(r["corr_wa"], mark=c.corr_differences)
        self.conv_verdict.setText(
            "<b>A * W = W * A</b>: the same numbers. True convolution is commutative." if conv_equal else
            "<b>A * W ≠ W * A</b> here.")
        rotated = c.corr_is_rotation
        self.corr_verdict.setText(
            ("<b>A ⋆ W = W ⋆ A</b> here: this result looks the same after half a turn, which is rare."
             if corr_equal else
             f"<b>A ⋆ W ≠ W ⋆ A</b>: {int(np.count_nonzero(c.corr_differences))} numbers differ (red). ")
            + (" W ⋆ A is A ⋆ W turned half a turn." if rotated and not corr_equal else ""))


def _bold(text: str) -> QLabel:
    return line_label(f"<b>{text}</b>", selectable=False)


def _cell(caption: QLabel, grid: FittingNumberGrid) -> QWidget:
    """A caption over its grid: one cell of a :class:`PairColumns`."""
    cell = QWidget()
    layout = QVBoxLayout(cell)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(caption)
    layout.addWidget(grid, 0, Qt.AlignLeft | Qt.AlignTop)
    return cell
