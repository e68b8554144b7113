"""As a matrix: a convolution is a matrix product ``M @ x`` with one small set of weights repeated.

Draws :func:`convviz.model.conv_matrix` for a small crop of the image (or the lecture's 1-D
example), each kernel tap in its own colour and zeros blank, with its shape, sparsity, memory,
and a live check that ``M @ x`` equals the convolution (:func:`convviz.model.matrix.matrix_check`).
State: :class:`~convviz.model.states.matrix.MatrixState`; sentences from :mod:`convviz.model.matrix_view`.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from convviz.model.matrix import matrix_check
from convviz.model.matrix_view import (
    MAX_ENTRIES,
    arrangement,
    check_sentence,
    crop_note,
    image_problem,
    largest_crop,
    lecture_problem,
    memory_sentence,
    padding_note,
    shape_sentence,
    sparsity_sentence,
    tap_colours,
    tap_index_matrix,
    too_large_sentence,
)
from convviz.model.states.matrix import MATRIX_MODES

from ..panel import Panel
from ..widgets import named, text_label
from ..widgets.scaled_label import ScaledLabel
from .matrix_plot import KernelKey, MatrixPlot

__all__ = ["MAX_ENTRIES", "MatrixPanel"]

#: width of the notes column beside the matrix, height of the notes row under a wide matrix
SIDE_WIDTH, BELOW_HEIGHT = 460, 300
#: Qt's QWIDGETSIZE_MAX: "no maximum"
QWIDGETSIZE_MAX = (1 << 24) - 1
INVALID_STYLE = "QLineEdit { border: 2px solid #b00020; }"


class MatrixPanel(Panel):
    """The (doubly-block) Toeplitz matrix of the current kernel on a small crop, drawn and checked."""

    key, title, shortcut = "matrix", "As a matrix", "Ctrl+5"
    panel_key = key
    document_fields = ("image", "kernel", "padding", "stride", "dilation", "padding_mode", "flip", "gray")

    def __init__(self, workspace, parent=None, **kwargs):
        super().__init__(workspace, parent, **kwargs)
        named(self, "matrixPanel", None, "Convolution as a matrix")
        self.matrix: np.ndarray | None = None
        self.taps: np.ndarray | None = None
        self.x: np.ndarray | None = None
        self.expected: np.ndarray | None = None
        self.max_difference: float | None = None
        # the last refused a or w: (field, the state's value then, why); shown until fixed or replaced
        self._refused: tuple[str, str, str] | None = None

        self.mode_box = named(QComboBox(), "matrixModeBox",
                              "2-D: the current kernel on the top-left corner of the image; "
                              "1-D: a signal a of length 4 and a kernel w of length 2.", "Matrix mode")
        for key, text in MATRIX_MODES.items():
            self.mode_box.addItem(text, key)
        self.mode_box.currentIndexChanged.connect(
            lambda i: self.edit("Matrix mode", mode=self.mode_box.itemData(i)))
        self.crop_spin = named(QSpinBox(), "matrixCropSpin",
                               "Side of the top-left crop of the image that the matrix acts on. "
                               "The matrix has (output pixels) × (crop pixels) entries, so keep it small.",
                               "Crop size")
        self.crop_spin.setSuffix(" px")
        self.crop_spin.setKeyboardTracking(False)
        self.crop_spin.valueChanged.connect(lambda v: self.edit("Crop size", crop=v))
        self.crop_note = text_label("", "matrixCropNote")
        self.signal_edit = named(QLineEdit(), "matrixSignalEdit",
                                 "The 1-D input a, numbers separated by commas.", "Signal a")
        self.weights_edit = named(QLineEdit(), "matrixWeightsEdit",
                                  "The 1-D kernel w, numbers separated by commas.", "Kernel w")
        self.signal_edit.editingFinished.connect(lambda: self._text_edited("a", self.signal_edit))
        self.weights_edit.editingFinished.connect(lambda: self._text_edited("w", self.weights_edit))

        image_form = QWidget()
        f1 = QFormLayout(image_form)
        f1.setContentsMargins(0, 0, 0, 0)
        f1.addRow("Crop (top-left)", self.crop_spin)
        f1.addRow("", self.crop_note)
        lecture_form = QWidget()
        f2 = QFormLayout(lecture_form)
        f2.setContentsMargins(0, 0, 0, 0)
        f2.addRow("a =", self.signal_edit)
        f2.addRow("w =", self.weights_edit)
        self.mode_pages = QStackedWidget()
        self.mode_pages.addWidget(image_form)
        self.mode_pages.addWidget(lecture_form)

        self.setup_label = text_label("", "matrixSetup")
        self.shape_label = text_label("", "matrixShape")
        self.sparsity_label = text_label("", "matrixSparsity")
        self.memory_label = text_label("", "matrixMemory")
        self.check_label = ScaledLabel("matrixCheck", 4 / 3)     # larger than the notes, in presentation mode too
        self.note_label = text_label("", "matrixNote")
        self.error_label = text_label("", "matrixError")
        self.error_label.setStyleSheet("color: #b00020;")
        self.kernel_plot = KernelKey()
        self.kernel_plot.setMinimumSize(150, 150)

        # beside the matrix: a column (box, facts, kernel); under a wide matrix: a row of the same three
        self.side = QWidget()
        self.side_layout = QBoxLayout(QBoxLayout.TopToBottom, self.side)
        self.setup_box = QGroupBox("What the matrix acts on")
        bl = QVBoxLayout(self.setup_box)
        bl.addWidget(self.mode_box)
        bl.addWidget(self.mode_pages)
        bl.addWidget(self.setup_label)
        bl.addStretch(1)
        self.facts = QWidget()
        facts = QVBoxLayout(self.facts)
        facts.setContentsMargins(0, 0, 0, 0)
        for label in (self.error_label, self.shape_label, self.sparsity_label, self.memory_label, self.check_label,
                      self.note_label):
            facts.addWidget(label)
        facts.addStretch(1)
        self.side_layout.addWidget(self.setup_box)
        self.side_layout.addWidget(self.facts)
        self.side_layout.addWidget(self.kernel_plot, 1)
        # the notes scroll (up and down) rather than squeeze their lines when they need more than the height
        self.side_scroll = QScrollArea()
        self.side_scroll.setObjectName("matrixNotesScroll")
        self.side_scroll.setWidget(self.side)
        self.side_scroll.setWidgetResizable(True)
        self.side_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.matrix_plot = MatrixPlot()
        self.too_large_label = ScaledLabel("matrixTooLarge", 14 / 9)
        self.too_large_label.setAlignment(Qt.AlignCenter)
        self.view_stack = QStackedWidget()
        self.view_stack.addWidget(self.matrix_plot)
        self.view_stack.addWidget(self.too_large_label)

        self.splitter = QSplitter()
        self.splitter.addWidget(self.side_scroll)
        self.splitter.addWidget(self.view_stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        layout = QHBoxLayout(self)
        layout.addWidget(self.splitter)
        self._arrangement = ""
        self._arrange("beside")
        self.refresh()

    @property
    def cell_texts(self):
        """The numbers written in the matrix's cells (pyqtgraph text items; empty for a large matrix)."""
        return self.matrix_plot.cell_texts

    def showEvent(self, event):
        super().showEvent(event)
        self._choose_arrangement()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._choose_arrangement()

    # -- edits -------------------------------------------------------------------------
    def mode(self) -> str:
        return self.state.mode

    def set_mode(self, key: str) -> None:
        self.edit("Matrix mode", mode=key)

    def _text_edited(self, field: str, widget: QLineEdit) -> None:
        """A typed ``a`` or ``w``: one undo step, or — if it is not a list of numbers — a red box and the
        reason, while the matrix keeps showing the last good list."""
        text, before = widget.text(), getattr(self.state, field)
        try:
            self.state.checked(**{field: text})
        except ValueError as err:
            self._refused = (field, before, f"{err} The matrix still shows {field} = {before}.")
            widget.setStyleSheet(INVALID_STYLE)
            self.error_label.setText(self._refused[2])
            return
        had_refusal, self._refused = self._refused is not None, None
        widget.setStyleSheet("")
        self.edit(f"Type {field}", **{field: text})
        if had_refusal and getattr(self.state, field) == before:  # nothing changed: clear the old reason
            self.mark_stale()

    # -- arrangement -------------------------------------------------------------------
    def arrangement(self) -> str:
        """``"beside"``: the notes in a column left of the matrix; ``"below"``: in a row under it."""
        return self._arrangement

    def _choose_arrangement(self) -> None:
        """Put the notes where the matrix, drawn at its own aspect, leaves the larger cell size."""
        shape = self.matrix.shape if self.matrix is not None else (1, 1)
        self._arrange(arrangement(shape, (self.width(), self.height()), SIDE_WIDTH, BELOW_HEIGHT))

    def _arrange(self, which: str) -> None:
        if which == self._arrangement:
            return
        self._arrangement = which
        below = which == "below"
        self.splitter.setOrientation(Qt.Vertical if below else Qt.Horizontal)
        self.splitter.insertWidget(1 if below else 0, self.side_scroll)
        self.side_layout.setDirection(QBoxLayout.LeftToRight if below else QBoxLayout.TopToBottom)
        self.side_layout.setStretchFactor(self.facts, 1 if below else 0)
        self.side_layout.setStretchFactor(self.kernel_plot, 0 if below else 1)
        self.side_scroll.setMinimumWidth(0 if below else 320)
        self.side_scroll.setMaximumWidth(QWIDGETSIZE_MAX if below else SIDE_WIDTH)
        self.side_scroll.setMaximumHeight(BELOW_HEIGHT if below else QWIDGETSIZE_MAX)
        self.setup_box.setMaximumWidth(SIDE_WIDTH if below else QWIDGETSIZE_MAX)
        self.kernel_plot.setMaximumWidth(BELOW_HEIGHT if below else QWIDGETSIZE_MAX)
        view = self.splitter.indexOf(self.view_stack)
        self.splitter.setStretchFactor(view, 1)
        self.splitter.setStretchFactor(1 - view, 0)
        total = self.height() if below else self.width()
        side = BELOW_HEIGHT if below else SIDE_WIDTH
        self.splitter.setSizes([total - side, side] if below else [side, total - side])

    # -- drawing -----------------------------------------------------------------------
    def refresh(self) -> None:
        self._show_controls()
        self.matrix = self.taps = self.x = self.expected = None
        self.max_difference = None
        state, doc = self.state, self.document
        lecture = state.mode == "lecture"
        try:
            problem = (lecture_problem(state.a, state.w) if lecture else
                       image_problem(doc.image, doc.kernel, state.crop, doc.padding, stride=doc.stride,
                                     dilation=doc.dilation, flip=doc.flip))
            oh, ow = problem.output_hw
            too_large = problem.entries > MAX_ENTRIES
            check = None if too_large else matrix_check(problem.x, problem.kernel, problem.padding,
                                                        stride=problem.stride, dilation=problem.dilation,
                                                        flip=problem.flip)
        except ValueError as err:
            self._clear(str(err))
            return
        self.error_label.setText(self._refused[2] if self._refused else "")
        applied, x = problem.applied, problem.x
        self.setup_label.setText(problem.description)
        self.shape_label.setText(shape_sentence((oh, ow), x.shape))
        self.memory_label.setText(memory_sentence(problem.entries, applied.size))
        self.note_label.setText("" if lecture else padding_note(doc.padding_mode))
        self.kernel_plot.show_kernel(applied, lecture)
        if check is None:
            self.sparsity_label.setText("")
            self.check_label.setText("")
            self.too_large_label.setText(too_large_sentence((oh, ow), x.shape))
            self.view_stack.setCurrentIndex(1)
            return
        self.matrix, self.x = check.matrix, x
        self.taps = tap_index_matrix(applied.shape, x.shape, problem.padding, stride=problem.stride,
                                     dilation=problem.dilation)
        self.expected = check.expected.reshape(oh, ow)
        self.max_difference = check.max_difference
        self.sparsity_label.setText(sparsity_sentence(check.matrix, applied))
        self.check_label.setText(check_sentence(x, check.product, check.expected, check.max_difference))
        self.matrix_plot.show_matrix(check.matrix, self.taps, applied.size, lecture)
        self.view_stack.setCurrentIndex(0)
        self._choose_arrangement()

    def _show_controls(self) -> None:
        state, image_hw = self.state, self.document.image.shape[:2]
        with QSignalBlocker(self.mode_box):
            self.mode_box.setCurrentIndex(self.mode_box.findData(state.mode))
        self.mode_pages.setCurrentIndex(0 if state.mode == "image" else 1)
        with QSignalBlocker(self.crop_spin):
            # the box never claims more than the image has: a 4×4 image shows 4 px, not the 8 a lesson asked for
            self.crop_spin.setMaximum(largest_crop(image_hw))
            self.crop_spin.setValue(min(state.crop, self.crop_spin.maximum()))
        self.crop_note.setText(crop_note(image_hw, state.crop))
        if self._refused is not None and getattr(state, self._refused[0]) != self._refused[1]:
            self._refused = None        # a lesson, session or undo replaced the refused field
        for field, widget in (("a", self.signal_edit), ("w", self.weights_edit)):
            if self._refused is not None and self._refused[0] == field:
                continue                # keep the refused text on screen, to be fixed
            widget.setStyleSheet("")
            with QSignalBlocker(widget):
                widget.setText(getattr(state, field))

    def _clear(self, message: str) -> None:
        for label in (self.setup_label, self.shape_label, self.sparsity_label, self.memory_label,
                      self.check_label, self.note_label):
            label.setText("")
        self.error_label.setText(message)
        self.too_large_label.setText(message)
        self.view_stack.setCurrentIndex(1)

    def tap_colour(self, tap: int) -> tuple[int, int, int]:
        """Colour of kernel tap ``tap`` (1-based) as drawn."""
        return tuple(int(v) for v in tap_colours(tap)[tap - 1])
