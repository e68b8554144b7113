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
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
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
from ..widgets import NumberGrid, named, text_label

__all__ = ["LECTURE_A", "LECTURE_W", "FlipPanel"]

FLIP_NOTES = {
    "same": "This kernel looks the same after half a turn, so both give the same output.",
    "negated": "Half a turn only changes this kernel's sign, so true convolution gives the same output "
               "with the opposite sign (dark edges become bright and the other way round).",
    "different": "Half a turn changes this kernel, so the two give different outputs.",
}


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
        self.flip_box = named(QCheckBox("Flip the kernel everywhere in convviz (true convolution)"),
                              "flipDocumentBox",
                              "Off: cross-correlation, as PyTorch and TensorFlow compute it (the default). "
                              "On: true convolution, the kernel turned half a turn.", "Flip the kernel")
        self.flip_box.toggled.connect(self._flip_toggled)
        self.app_label = text_label("", "flipAppState")
        self.app_label.setStyleSheet("font-size: 13pt;")
        al = QVBoxLayout(app_box)
        al.addWidget(self.app_label)
        al.addWidget(self.flip_box)

        # -- the flipped kernel -----------------------------------------------------------
        kernel_box = QGroupBox("Flipping the kernel")
        self.kernel_grid = NumberGrid("flipKernelGrid", "The current kernel W, as cross-correlation uses it.",
                                      "Kernel")
        self.flipped_grid = NumberGrid("flipFlippedGrid", "W turned half a turn: rows and columns reversed. "
                                       "True convolution slides this.", "Flipped kernel")
        self.show_flip_button = named(QPushButton("Show the flipped kernel"), "flipShowButton",
                                      "Show W with its rows and columns reversed.", "Show the flipped kernel")
        self.show_flip_button.setCheckable(True)
        self.show_flip_button.toggled.connect(
            lambda on: self.edit("Show the flipped kernel" if on else "Hide the flipped kernel", show_flipped=on))
        self.kernel_caption = QLabel("W (cross-correlation slides this)")
        self.flipped_caption = QLabel("W flipped (true convolution slides this)")
        self.arrow_label = QLabel("⟶ half a turn ⟶")
        self.kernel_note = text_label("", "flipKernelNote")
        kg = QGridLayout(kernel_box)
        kg.addWidget(self.kernel_caption, 0, 0)
        kg.addWidget(self.flipped_caption, 0, 2)
        kg.addWidget(self.kernel_grid, 1, 0)
        kg.addWidget(self.arrow_label, 1, 1)
        kg.addWidget(self.flipped_grid, 1, 2)
        kg.addWidget(self.show_flip_button, 2, 0)
        kg.addWidget(self.kernel_note, 3, 0, 1, 4)
        kg.setColumnStretch(3, 1)

        # -- commutativity ----------------------------------------------------------------
        commute_box = QGroupBox("Swap the two: true convolution gives the same answer, cross-correlation does not "
                                "(full padding)")
        self.example_box = named(QComboBox(), "flipExampleBox", "Which A and W to compare.", "Example")
        for key, text in FLIP_EXAMPLES.items():
            self.example_box.addItem(text, key)
        self.example_box.currentIndexChanged.connect(
            lambda i: self.edit("Choose an example", example=self.example_box.itemData(i)))
        self.a_grid = NumberGrid("flipAGrid", "The input A.", "A")
        self.w_grid = NumberGrid("flipWGrid", "The kernel W.", "W")
        self.grids = {
            "conv_aw": NumberGrid("flipConvAW", "convolve(A, W, 'full')", "A convolved with W"),
            "conv_wa": NumberGrid("flipConvWA", "convolve(W, A, 'full')", "W convolved with A"),
            "corr_aw": NumberGrid("flipCorrAW", "correlate(A, W, 'full')", "A cross-correlated with W"),
            "corr_wa": NumberGrid("flipCorrWA", "correlate(W, A, 'full'); cells that differ from A ⋆ W are red.",
                                  "W cross-correlated with A"),
        }
        self.conv_verdict = text_label("", "flipConvVerdict")
        self.corr_verdict = text_label("", "flipCorrVerdict")
        cg = QGridLayout(commute_box)
        top = QHBoxLayout()
        top.addWidget(self.example_box)
        top.addStretch(1)
        cg.addLayout(top, 0, 0, 1, 4)
        cg.addWidget(QLabel("A"), 1, 0)
        cg.addWidget(QLabel("W"), 1, 1)
        cg.addWidget(self.a_grid, 2, 0)
        cg.addWidget(self.w_grid, 2, 1)
        cg.addWidget(_bold("True convolution: A * W"), 3, 0)
        cg.addWidget(_bold("W * A"), 3, 1)
        cg.addWidget(self.grids["conv_aw"], 4, 0)
        cg.addWidget(self.grids["conv_wa"], 4, 1)
        cg.addWidget(self.conv_verdict, 5, 0, 1, 3)
        cg.addWidget(_bold("Cross-correlation: A ⋆ W"), 6, 0)
        cg.addWidget(_bold("W ⋆ A"), 6, 1)
        cg.addWidget(self.grids["corr_aw"], 7, 0)
        cg.addWidget(self.grids["corr_wa"], 7, 1)
        cg.addWidget(self.corr_verdict, 8, 0, 1, 3)
        cg.setColumnStretch(2, 1)
        cg.setRowStretch(9, 1)
        cg.setHorizontalSpacing(24)
        for i in range(cg.count()):
            item = cg.itemAt(i)
            if isinstance(item.widget(), NumberGrid):
                item.setAlignment(Qt.AlignLeft | Qt.AlignTop)

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
        for box in (app_box, kernel_box, commute_box):
            box.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Maximum)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
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
        for widget in (self.flipped_grid, self.flipped_caption, self.arrow_label):
            widget.setVisible(state.show_flipped)
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
    return QLabel(f"<b>{text}</b>")
