"""1-D convolution: the lecture's ``a * w`` with a 1-D signal and kernel, stepped (valid / same / full), each
product and the sum, and the bridge to the matrix view: the same outputs as ``M @ a``.

Every number comes from the 2-D model on a ``(1, N)`` input (``steps``, ``correlate``, ``conv_matrix``) through
:mod:`convviz.model.conv1d_view`. State: :class:`~convviz.model.states.conv1d.Conv1dState`.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from convviz.model.conv1d_view import (
    Conv1dFrame,
    conv1d_frame,
    matrix_sentence,
    numbers_text,
    operation_sentence,
    padding_sentence,
    parse_numbers,
    step_sentence,
)
from convviz.model.states.conv1d import LECTURE_KERNEL, LECTURE_SIGNAL, PADDINGS_1D

from ..panel import Panel
from ..widgets import CellGrid, NumberGrid, mark_editing_chrome, named, text_label
from ..widgets.error_label import ErrorLabel
from ..widgets.font_sized import font_sized
from ..widgets.grid_cells import show_cells
from ..widgets.page_body import page_body
from ..widgets.scaled_label import ScaledLabel
from ..widgets.section_box import SectionBox
from ..widgets.setting_boxes import choice_box
from ..widgets.step_bar import FrameStepping, StepBar

PADDING_TEXTS = {"valid": "valid (no padding)", "same": "same (N outputs)", "full": "full (N + K − 1 outputs)"}


def _row(name: str, title: str, tip: str) -> CellGrid:
    grid = named(CellGrid(title), name, tip, title)
    return font_sized(grid, 3.2, 50, most=6, title=grid.title)   # one row of cells under the title


class Conv1dPanel(FrameStepping, Panel):
    """The 1-D example stepped, and the same as a matrix product."""

    key, title, shortcut = "conv1d", "1-D", "Ctrl+Alt+3"

    def __init__(self, workspace, parent=None, **kwargs):
        super().__init__(workspace, parent, **kwargs)
        named(self, "conv1dPanel", None, "1-D convolution")
        self.frame: Conv1dFrame | None = None
        self._shown: dict[QLineEdit, tuple] = {}   # the numbers each line edit was last given

        intro = text_label("<b>1-D convolution</b>: the same multiply-and-add as on images, along one line — a signal "
                           "<i>a</i> and a kernel <i>w</i>. Type your own numbers, or use the lecture's example.",
                           "conv1dIntro")
        self.signal_edit = named(QLineEdit(), "conv1dSignalEdit", "The signal a: numbers separated by commas "
                                 "(Enter to use them).", "Signal a")
        self.kernel_edit = named(QLineEdit(), "conv1dKernelEdit", "The kernel w: numbers separated by commas "
                                 "(Enter to use them).", "Kernel w")
        self.kernel_edit.setMaximumWidth(180)
        for edit, field in ((self.signal_edit, "signal"), (self.kernel_edit, "kernel")):
            edit.editingFinished.connect(lambda e=edit, f=field: self._numbers_edited(e, f))
        self.padding_box = choice_box("conv1dPaddingBox", {key: PADDING_TEXTS[key] for key in PADDINGS_1D},
                                      "Valid, same or full padding.", "Padding",
                                      lambda key: self.set_setting("padding", key, "Padding"))
        self.flip_box = named(QCheckBox("True convolution (reverse w)"), "conv1dFlipBox",
                              "Off: cross-correlation, as deep learning computes it. On: w is reversed first.",
                              "True convolution")
        self.flip_box.toggled.connect(lambda on: self.set_setting("flip", on, "True convolution"))
        self.lecture_button = named(QPushButton("Lecture example"), "conv1dLectureButton",
                                    "a = [1, 2, 3, 4], w = [1, 2] (as on the Correlation vs convolution tab).",
                                    "Lecture example")
        self.lecture_button.clicked.connect(self.load_lecture_example)
        self.input_hint = ErrorLabel("conv1dInputHint")
        controls_row = mark_editing_chrome(QWidget())   # presentation mode gives the grids its room
        controls = QHBoxLayout(controls_row)
        controls.setContentsMargins(0, 0, 0, 0)
        for text, widget in (("a =", self.signal_edit), ("w =", self.kernel_edit), ("Padding", self.padding_box),
                             ("", self.flip_box), ("", self.lecture_button)):
            if text:
                controls.addWidget(QLabel(text))
            controls.addWidget(widget)

        # -- stepping ---------------------------------------------------------------------------
        step_box = SectionBox("Slide w along a: multiply, add, write one output")
        self.signal_grid = _row("conv1dSignalGrid", "a (hatched: padding zeros)", "The signal, padded; the orange "
                                "frame is the window.")
        self.under_grid = _row("conv1dKernelGrid", "w under the window", "The kernel's weights, under the samples "
                               "they multiply.")
        self.products_grid = _row("conv1dProductsGrid", "products", "Each sample × the weight under it.")
        self.output_grid = _row("conv1dOutputGrid", "output", "The output filling in; red: the one written now.")
        self.step_text = ScaledLabel("conv1dStepText", 1.6)
        self.operation_label = text_label("", "conv1dOperation")
        self.padding_label = text_label("", "conv1dPaddingText")
        self.step_bar = StepBar(self, "conv1d", self.move_step, self.jump)
        sl = step_box.content
        for widget in (self.operation_label, self.signal_grid, self.under_grid, self.products_grid, self.step_text,
                       self.output_grid, self.padding_label, self.step_bar):
            sl.addWidget(widget)

        # -- the matrix ---------------------------------------------------------------------------
        matrix_box = SectionBox("The same as a matrix: output = M @ a")
        self.matrix_grid = NumberGrid("conv1dMatrixGrid", "The convolution matrix M (conv_matrix of the kernel "
                                      "for a 1×N input); the highlighted row makes the current output.", "Matrix M")
        self.a_grid = NumberGrid("conv1dMatrixSignalGrid", "The signal a as a column.", "a")
        self.product_grid = NumberGrid("conv1dMatrixOutputGrid", "M @ a: the outputs.", "M @ a")
        for grid in (self.matrix_grid, self.a_grid, self.product_grid):
            grid.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        row = QHBoxLayout()
        for widget in (self.matrix_grid, QLabel("@"), self.a_grid, QLabel("="), self.product_grid):
            row.addWidget(widget, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addStretch(1)
        self.matrix_label = text_label("", "conv1dMatrixText")
        ml = matrix_box.content
        ml.addLayout(row)
        ml.addWidget(self.matrix_label)

        layout = page_body(self)
        layout.addWidget(mark_editing_chrome(intro))
        layout.addWidget(controls_row)
        layout.addWidget(self.input_hint)
        layout.addWidget(step_box, 3)
        layout.addWidget(matrix_box, 2)
        self.refresh()

    # -- edits ---------------------------------------------------------------------------
    def set_setting(self, field: str, value, text: str) -> bool:
        """One setting as one undo step (the stepping starts again at the first output); a refused value is
        explained under the controls and the widgets show the state again."""
        changes = {field: value, "step": 0}
        try:
            self.state.checked(**changes)
        except ValueError as exc:
            self.input_hint.setText(str(exc))
            self._shown.clear()              # show the state's numbers again
            self.refresh_now()
            return False
        self.input_hint.setText("")
        return self.edit(text, **changes)

    def _numbers_edited(self, edit: QLineEdit, field: str) -> None:
        what = "signal a" if field == "signal" else "kernel w"
        try:
            values = parse_numbers(edit.text(), what)
        except ValueError as exc:
            self.input_hint.setText(str(exc))   # the state keeps its numbers; the text stays for correcting
            return
        if tuple(values) != tuple(getattr(self.state, field)):
            self.set_setting(field, values, f"Edit {what}")

    def load_lecture_example(self) -> None:
        self.input_hint.setText("")
        self.edit("Lecture example", signal=LECTURE_SIGNAL, kernel=LECTURE_KERNEL, step=0)

    # -- drawing -------------------------------------------------------------------------
    def refresh(self) -> None:
        st = self.state
        for edit, values in ((self.signal_edit, st.signal), (self.kernel_edit, st.kernel)):
            if self._shown.get(edit) != values:   # only when the numbers changed: typing is not interrupted
                self._shown[edit] = values
                with QSignalBlocker(edit):
                    edit.setText(numbers_text(values))
        with QSignalBlocker(self.padding_box):
            self.padding_box.setCurrentIndex(self.padding_box.findData(st.padding))
        with QSignalBlocker(self.flip_box):
            self.flip_box.setChecked(st.flip)
        self.frame = f = conv1d_frame(st.signal, st.kernel, st.padding, st.step, flip=st.flip)
        for grid, rgb, texts in zip((self.signal_grid, self.under_grid, self.products_grid), f.row_rgb, f.row_texts):
            show_cells(grid, rgb, texts, f.padding if grid is self.signal_grid else None)
            grid.set_window(np.array([0]), f.window)
        show_cells(self.output_grid, f.output_rgb, f.output_texts)
        self.output_grid.set_filled(f.step.index + 1)
        self.output_grid.set_current((0, f.step.index))
        self.step_text.setText(step_sentence(f))
        self.operation_label.setText(operation_sentence(st.kernel, st.flip))
        self.padding_label.setText(padding_sentence(len(st.signal), len(st.kernel), st.padding, f.left, f.right))
        self.step_bar.show_position(f.step.index, f.count)
        marked = np.zeros(f.matrix.shape, dtype=bool)
        marked[f.step.index] = True
        self.matrix_grid.show_array(f.matrix, mark=marked)
        self.a_grid.show_array(np.asarray(st.signal)[:, None])
        self.product_grid.show_array(f.matrix_output[:, None], mark=marked[:, :1])
        self.matrix_label.setText(matrix_sentence(f))
