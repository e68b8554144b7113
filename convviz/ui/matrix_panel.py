"""Matrix view: a convolution is a matrix product ``M @ x`` with one small set of weights repeated.

Draws :func:`convviz.model.conv_matrix` for a small crop of the image (or the
lecture's 1-D example), each kernel tap in its own colour and zeros blank, with
its shape, sparsity, memory, and a live check that ``M @ x`` equals the convolution.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from convviz.model import format_number, output_shape, to_gray
from convviz.model.costs import BYTES_PER_WEIGHT
from convviz.model.matrix import matrix_check
from convviz.model.numbers import parse_number

from .costs_common import DocumentLink, ImagePlot, bytes_text, count_text, named, text_label
from .matrix_drawing import colour_by_tap, tap_colours, tap_index_matrix

#: above this many entries the matrix is not built or drawn (8 MB in float64)
MAX_ENTRIES = 1024 * 1024
#: matrices up to this many rows × columns get their weights printed in the cells
LABEL_ROWS, LABEL_COLS = 12, 16
#: width of the notes column beside the matrix, height of the notes row under a wide matrix
SIDE_WIDTH, BELOW_HEIGHT = 460, 300
#: Qt's QWIDGETSIZE_MAX: "no maximum"
QWIDGETSIZE_MAX = (1 << 24) - 1
SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
MODES = (("image", "2-D: a crop of the image"), ("lecture", "1-D: the lecture's example"))


class MatrixPanel(QWidget):
    """The (doubly-block) Toeplitz matrix of the current kernel on a small crop, drawn and checked."""

    panel_key = "matrix"

    def __init__(self, document, parent=None):
        super().__init__(parent)
        named(self, "matrixPanel", None, "Convolution as a matrix")
        self.document = document
        self.matrix: np.ndarray | None = None
        self.taps: np.ndarray | None = None
        self.x: np.ndarray | None = None
        self.expected: np.ndarray | None = None
        self.max_difference: float | None = None
        self.cell_texts: list[pg.TextItem] = []

        self.mode_box = named(QComboBox(), "matrixModeBox",
                              "2-D: the current kernel on the top-left corner of the image; "
                              "1-D: a signal a of length 4 and a kernel w of length 2.", "Matrix mode")
        for key, text in MODES:
            self.mode_box.addItem(text, key)
        self.mode_box.currentIndexChanged.connect(self.recompute)
        self.crop_spin = named(QSpinBox(), "matrixCropSpin",
                               "Side of the top-left crop of the image that the matrix acts on. "
                               "The matrix has (output pixels) × (crop pixels) entries, so keep it small.",
                               "Crop size")
        self.crop_spin.setRange(1, 64)
        self.crop_spin.setValue(8)
        self.crop_spin.setSuffix(" px")
        self.crop_spin.valueChanged.connect(self.recompute)
        self.signal_edit = named(QLineEdit("1, 2, 3, 4"), "matrixSignalEdit",
                                 "The 1-D input a, numbers separated by commas.", "Signal a")
        self.weights_edit = named(QLineEdit("1, 2"), "matrixWeightsEdit",
                                  "The 1-D kernel w, numbers separated by commas.", "Kernel w")
        for edit in (self.signal_edit, self.weights_edit):
            edit.editingFinished.connect(self.recompute)

        image_form = QWidget()
        f1 = QFormLayout(image_form)
        f1.setContentsMargins(0, 0, 0, 0)
        f1.addRow("Crop (top-left)", self.crop_spin)
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
        self.check_label = text_label("", "matrixCheck")
        self.note_label = text_label("", "matrixNote")
        self.error_label = text_label("", "matrixError")
        self.error_label.setStyleSheet("color: #b00020;")
        self.check_label.setStyleSheet("font-size: 12pt;")

        self.kernel_plot = named(ImagePlot("kernel taps"), "matrixKernelKey",
                                 "Each tap of the kernel has its own colour; the matrix uses the same colours.",
                                 "Kernel tap colours")
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
        for label in (self.shape_label, self.sparsity_label, self.memory_label, self.check_label,
                      self.note_label, self.error_label):
            facts.addWidget(label)
        facts.addStretch(1)
        self.side_layout.addWidget(self.setup_box)
        self.side_layout.addWidget(self.facts)
        self.side_layout.addWidget(self.kernel_plot, 1)

        self.matrix_plot = named(ImagePlot(""), "matrixView",
                                 "Rows: output pixels; columns: input pixels. Each colour is one kernel "
                                 "weight; white entries are 0.", "Convolution matrix")
        self.matrix_plot.plot.showAxis("left")
        self.matrix_plot.plot.showAxis("top")
        self.matrix_plot.plot.setLabel("left", "output pixel (row of M)")
        self.matrix_plot.plot.setLabel("top", "input pixel (column of M)")
        self.too_large_label = text_label("", "matrixTooLarge")
        self.too_large_label.setAlignment(Qt.AlignCenter)
        self.too_large_label.setStyleSheet("font-size: 14pt;")
        self.view_stack = QStackedWidget()
        self.view_stack.addWidget(self.matrix_plot)
        self.view_stack.addWidget(self.too_large_label)

        self.splitter = QSplitter()
        self.splitter.addWidget(self.side)
        self.splitter.addWidget(self.view_stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        layout = QHBoxLayout(self)
        layout.addWidget(self.splitter)
        self._arrangement = ""
        self._arrange("beside")

        self.link = DocumentLink(self, document, ("image", "kernel", "padding", "stride", "dilation",
                                                  "padding_mode", "flip", "gray"), self.recompute)
        self.recompute()

    def showEvent(self, event):
        super().showEvent(event)
        self.link.shown()
        self._choose_arrangement()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._choose_arrangement()

    # -- arrangement -------------------------------------------------------------------
    def arrangement(self) -> str:
        """``"beside"``: the notes in a column left of the matrix; ``"below"``: in a row under it."""
        return self._arrangement

    def _choose_arrangement(self) -> None:
        """Put the notes where the matrix, drawn at its own aspect, leaves the larger cell size."""
        rows, cols = self.matrix.shape if self.matrix is not None else (1, 1)
        width, height = max(self.width(), 1), max(self.height(), 1)
        beside = min((width - SIDE_WIDTH) / cols, height / rows)
        below = min(width / cols, (height - BELOW_HEIGHT) / rows)
        self._arrange("below" if below > beside * 1.1 else "beside")

    def _arrange(self, arrangement: str) -> None:
        if arrangement == self._arrangement:
            return
        self._arrangement = arrangement
        below = arrangement == "below"
        self.splitter.setOrientation(Qt.Vertical if below else Qt.Horizontal)
        self.splitter.insertWidget(1 if below else 0, self.side)
        self.side_layout.setDirection(QBoxLayout.LeftToRight if below else QBoxLayout.TopToBottom)
        self.side_layout.setStretchFactor(self.facts, 1 if below else 0)
        self.side_layout.setStretchFactor(self.kernel_plot, 0 if below else 1)
        if below:
            self.side.setMinimumWidth(0)
            self.side.setMaximumWidth(QWIDGETSIZE_MAX)
            self.side.setMaximumHeight(BELOW_HEIGHT)
            self.setup_box.setMaximumWidth(SIDE_WIDTH)
            self.kernel_plot.setMaximumWidth(BELOW_HEIGHT)
        else:
            self.side.setMinimumWidth(320)
            self.side.setMaximumWidth(SIDE_WIDTH)
            self.side.setMaximumHeight(QWIDGETSIZE_MAX)
            self.setup_box.setMaximumWidth(QWIDGETSIZE_MAX)
            self.kernel_plot.setMaximumWidth(QWIDGETSIZE_MAX)
        view = self.splitter.indexOf(self.view_stack)
        self.splitter.setStretchFactor(view, 1)
        self.splitter.setStretchFactor(1 - view, 0)
        total = self.height() if below else self.width()
        side = BELOW_HEIGHT if below else SIDE_WIDTH
        self.splitter.setSizes([total - side, side] if below else [side, total - side])

    # -- inputs ------------------------------------------------------------------------
    def mode(self) -> str:
        return self.mode_box.currentData()

    def set_mode(self, key: str) -> None:
        self.mode_box.setCurrentIndex(self.mode_box.findData(key))

    def lesson_settings(self) -> dict:
        return {"mode": self.mode(), "crop": self.crop_spin.value(), "a": self.signal_edit.text(),
                "w": self.weights_edit.text()}

    def apply_lesson_settings(self, settings: dict) -> None:
        widgets = [self.mode_box, self.crop_spin, self.signal_edit, self.weights_edit]
        blockers = [QSignalBlocker(w) for w in widgets]
        if settings.get("mode") in dict(MODES):
            self.set_mode(settings["mode"])
        if "crop" in settings:
            self.crop_spin.setValue(int(settings["crop"]))
        if "a" in settings:
            self.signal_edit.setText(str(settings["a"]))
        if "w" in settings:
            self.weights_edit.setText(str(settings["w"]))
        del blockers
        self.recompute()

    def _problem(self):
        """``(x 2-D, kernel 2-D, padding, stride, dilation, flip, description)`` for the current mode."""
        if self.mode() == "lecture":
            a = _parse_list(self.signal_edit.text(), "a")
            w = _parse_list(self.weights_edit.text(), "w")
            return a[None, :], w[None, :], "valid", 1, 1, False, (
                f"a has length {a.size}, w has length {w.size}; valid padding, stride 1, "
                "cross-correlation (no flip).")
        doc = self.document
        n = self.crop_spin.value()
        crop = doc.image[:n, :n]
        colour = crop.ndim == 3
        x = to_gray(crop) if colour else crop
        flip = bool(doc.flip)
        words = [f"The top-left {x.shape[0]}×{x.shape[1]} pixels of the image"
                 + (" (as grey: the matrix acts on one channel)" if colour else ""),
                 f"kernel {doc.kernel.shape[0]}×{doc.kernel.shape[1]}, padding {_padding_text(doc.padding)}, "
                 f"stride {doc.stride[0]}×{doc.stride[1]}, dilation {doc.dilation[0]}×{doc.dilation[1]}",
                 "true convolution: the matrix holds the flipped kernel" if flip else "cross-correlation (no flip)"]
        return x, np.asarray(doc.kernel), doc.padding, doc.stride, doc.dilation, flip, "; ".join(words) + "."

    # -- computing and drawing ----------------------------------------------------------
    def recompute(self, *args) -> None:
        self.mode_pages.setCurrentIndex(0 if self.mode() == "image" else 1)
        self.matrix = self.taps = self.x = self.expected = None
        self.max_difference = None
        self.error_label.setText("")
        try:
            x, kernel, padding, stride, dilation, flip, description = self._problem()
            applied = kernel[::-1, ::-1] if flip else kernel
            oh, ow = output_shape(x.shape, kernel.shape, padding, stride=stride, dilation=dilation)
        except ValueError as err:
            self._clear(str(err))
            return
        self.setup_label.setText(description)
        rows, cols = oh * ow, x.size
        self.shape_label.setText(
            f"<b>M is {count_text(rows)} × {count_text(cols)}</b>: one row per output pixel ({oh}×{ow}), "
            f"one column per input pixel ({x.shape[0]}×{x.shape[1]}).")
        matrix_bytes, kernel_bytes = rows * cols * BYTES_PER_WEIGHT, kernel.size * BYTES_PER_WEIGHT
        self.memory_label.setText(
            f"Memory (float32): the matrix needs {bytes_text(matrix_bytes)} "
            f"({count_text(rows * cols)} numbers); the kernel needs {bytes_text(kernel_bytes)} "
            f"({kernel.size} numbers).")
        self.note_label.setText(self._padding_note())
        self._show_kernel(applied)
        if rows * cols > MAX_ENTRIES:
            self.sparsity_label.setText("")
            self.check_label.setText("")
            self.too_large_label.setText(
                f"The matrix would be {count_text(rows)} × {count_text(cols)} = {count_text(rows * cols)} "
                f"numbers ({bytes_text(matrix_bytes)} in float32): too large to draw.\n"
                "Make the crop smaller.")
            self.view_stack.setCurrentIndex(1)
            return
        check = matrix_check(x, kernel, padding, stride=stride, dilation=dilation, flip=flip)
        self.matrix = check.matrix
        self.taps = tap_index_matrix(applied.shape, x.shape, padding, stride=stride, dilation=dilation)
        self.x = x
        self.expected = check.expected.reshape(oh, ow)
        self.max_difference = check.max_difference
        total = check.matrix.size
        self.sparsity_label.setText(
            f"Sparsity: {count_text(check.zeros)} of {count_text(total)} entries are 0 "
            f"({100 * check.zeros / total:.1f} %); the other {count_text(check.nonzero)} are copies of the "
            f"same {kernel.size} weights.")
        self._show_check(check.product)
        self._draw_matrix(applied)
        self.view_stack.setCurrentIndex(0)
        self._choose_arrangement()

    def _padding_note(self) -> str:
        if self.mode() == "image" and self.document.padding_mode != "zeros":
            return (f"The image uses '{self.document.padding_mode}' padding; the matrix shows zero padding "
                    "(a padded pixel outside the image has no column).")
        return ""

    def _show_check(self, product: np.ndarray) -> None:
        same = "equals" if self.max_difference == 0 else "matches (to rounding)"
        if product.size <= 16:
            lhs = ", ".join(format_number(v) for v in product)
            rhs = ", ".join(format_number(v) for v in self.expected.ravel())
            xs = ", ".join(format_number(v) for v in self.x.ravel())
            body = (f"x = [{xs}]<br>" if self.x.size <= 16 else "") + \
                f"M @ x = [{lhs}]<br>conv(x) = [{rhs}]<br>"
        else:
            body = f"M @ x and the convolution: {product.size} numbers each<br>"
        self.check_label.setText(
            f"{body}<b>M @ x {same} the convolution: max difference "
            f"{format_number(self.max_difference)}</b>")

    def _clear(self, message: str) -> None:
        for label in (self.setup_label, self.shape_label, self.sparsity_label, self.memory_label,
                      self.check_label, self.note_label):
            label.setText("")
        self.error_label.setText(message)
        self.too_large_label.setText(message)
        self.view_stack.setCurrentIndex(1)

    def _show_kernel(self, kernel: np.ndarray) -> None:
        n = kernel.size
        taps = np.arange(1, n + 1).reshape(kernel.shape)
        self.kernel_plot.show_rgb(colour_by_tap(taps, n))
        for item in getattr(self, "_kernel_texts", []):
            self.kernel_plot.plot.removeItem(item)
        self._kernel_texts = []
        if n <= 49:
            for (r, c), value in np.ndenumerate(kernel):
                tap = r * kernel.shape[1] + c + 1
                text = (f"w{str(tap).translate(SUBSCRIPT)} = " if self.mode() == "lecture" else "") + \
                    format_number(value)
                item = pg.TextItem(text, color="k", anchor=(0.5, 0.5))
                item.setPos(c + 0.5, r + 0.5)
                self.kernel_plot.plot.addItem(item)
                self._kernel_texts.append(item)

    def _draw_matrix(self, applied: np.ndarray) -> None:
        rows, cols = self.matrix.shape
        self.matrix_plot.show_rgb(colour_by_tap(self.taps, applied.size))
        self.matrix_plot.set_title(f"M: {rows} × {cols}")
        lecture = self.mode() == "lecture"
        self._set_ticks("left", rows, "y" if lecture else "")
        self._set_ticks("top", cols, "a" if lecture else "")
        for item in self.cell_texts:
            self.matrix_plot.plot.removeItem(item)
        self.cell_texts = []
        if rows <= LABEL_ROWS and cols <= LABEL_COLS:
            symbols = lecture
            font = QFont()
            font.setPointSize(16 if max(rows, cols) <= 6 else 10)
            for (r, c), tap in np.ndenumerate(self.taps):
                if tap == 0:
                    text = "0"
                elif symbols:
                    text = f"w{str(tap).translate(SUBSCRIPT)}={format_number(self.matrix[r, c])}"
                else:
                    text = format_number(self.matrix[r, c])
                item = pg.TextItem(text, color=(0, 0, 0) if tap else (170, 170, 170), anchor=(0.5, 0.5))
                item.setFont(font)
                item.setPos(c + 0.5, r + 0.5)
                self.matrix_plot.plot.addItem(item)
                self.cell_texts.append(item)

    def _set_ticks(self, side: str, n: int, symbol: str) -> None:
        """Ticks at cell centres: every cell when few (``a₁ a₂ …`` in 1-D mode), else about ten, 0-based."""
        step = 1 if n <= 16 else int(np.ceil(n / 10))
        if symbol:
            ticks = [(i + 0.5, f"{symbol}{str(i + 1).translate(SUBSCRIPT)}") for i in range(n)]
        else:
            ticks = [(i + 0.5, str(i)) for i in range(0, n, step)]
        self.matrix_plot.plot.getAxis(side).setTicks([ticks, []])

    def tap_colour(self, tap: int) -> tuple[int, int, int]:
        """Colour of kernel tap ``tap`` (1-based) as drawn."""
        return tuple(int(v) for v in tap_colours(tap)[tap - 1])


def _parse_list(text: str, name: str) -> np.ndarray:
    parts = [p for p in text.replace(";", ",").split(",") if p.strip()]
    if not parts:
        raise ValueError(f"Type the numbers of {name}, separated by commas.")
    if len(parts) > 16:
        raise ValueError(f"{name} may have at most 16 numbers.")
    try:
        return np.array([parse_number(p) for p in parts], dtype=np.float64)
    except ValueError as err:
        raise ValueError(f"In {name}: {err}") from None


def _padding_text(padding) -> str:
    return padding if isinstance(padding, str) else f"{padding[0]}×{padding[1]} pixels"
