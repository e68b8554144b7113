"""The kernel: a table of weights (:mod:`.kernel_table`), presets, a Gaussian maker, the kernel actions
and a heat map. A refused cell flashes red with a hint under the table until the next valid entry."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

import convviz.ui  # noqa: F401  (row-major pyqtgraph)
from convviz.model import PRESETS, display_levels, format_number, gaussian
from convviz.model.colour import DEFAULT_DIVERGING, DEFAULT_SEQUENTIAL
from convviz.model.kernel_edits import cleared, flipped, normalised, randomised, resized, scaled, transposed
from convviz.model.limits import MAX_KERNEL_SIDE

from ..widgets.chrome import mark_editing_chrome
from .image_views import make_colormap
from .kernel_table import REFUSED_COLOUR, CellDelegate, KernelTableModel

__all__ = ["REFUSED_COLOUR", "CellDelegate", "KernelEditor", "KernelTableModel"]

FLASH_MS = 4000
#: the narrowest cell (pixels at the normal font): room for "−0.0625"
MIN_CELL_TEXT = "−0.0625"


def _spin(cls, name: str, tip: str, lo, hi, value, parent):
    spin = cls(parent)
    spin.setObjectName(name)
    spin.setAccessibleName(tip.split(":")[0])
    spin.setToolTip(tip)
    spin.setRange(lo, hi)
    spin.setValue(value)
    spin.setKeyboardTracking(False)
    return spin


class KernelEditor(QWidget):
    """Presets, Gaussian, the weight table, its size, the kernel actions and a heat map."""

    message = Signal(str)  # a line for the status bar (refusals, what an action did)

    def __init__(self, editor, parent=None):
        super().__init__(parent)
        self.setObjectName("kernelPanel")
        self.editor = editor
        self.doc = editor.document
        self._gaussian_made: np.ndarray | None = None  # the last Gaussian made (see _gaussian_spin_changed)
        self.model = KernelTableModel(editor, self)
        self.model.refused.connect(self._show_refusal)
        self.model.accepted.connect(self._end_flash)    # a valid entry after a refused one: the hint goes
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.setInterval(FLASH_MS)
        self._flash_timer.timeout.connect(self._end_flash)
        self._build()
        self.doc.events.kernel.connect(self._kernel_changed)
        self.doc.events.preset.connect(self._preset_changed)
        self._kernel_changed(self.doc.kernel)
        self._preset_changed(self.doc.preset)

    # -- building -------------------------------------------------------------------
    def _build(self):
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        self.preset_box = QComboBox(self)
        self.preset_box.setObjectName("presetBox")
        self.preset_box.setAccessibleName("Kernel preset")
        self.preset_box.setToolTip("Pick a named kernel; hover over an item for what it does")
        self.preset_box.setPlaceholderText("Custom kernel")
        for key, preset in PRESETS.items():
            self.preset_box.addItem(preset.name, key)
            self.preset_box.setItemData(self.preset_box.count() - 1, preset.description,
                                        Qt.ItemDataRole.ToolTipRole)
        self.preset_box.activated.connect(self._preset_chosen)
        row = QHBoxLayout()
        row.addWidget(QLabel("&Preset", self, buddy=self.preset_box))
        row.addWidget(self.preset_box, 1)
        layout.addLayout(row)

        self.gaussian_size = _spin(QSpinBox, "gaussianSizeSpin", "Gaussian size: rows and columns of the kernel",
                                   1, MAX_KERNEL_SIDE, 5, self)
        self.gaussian_sigma = _spin(QDoubleSpinBox, "gaussianSigmaSpin",
                                    "Gaussian σ: standard deviation in pixels (larger blurs more)",
                                    0.1, 20.0, 1.0, self)
        self.gaussian_sigma.setSingleStep(0.1)
        self.gaussian_sigma.setDecimals(2)
        self.gaussian_button = QPushButton("&Gaussian", self)
        self.gaussian_button.setObjectName("gaussianButton")
        self.gaussian_button.setAccessibleName("Make Gaussian kernel")
        self.gaussian_button.setToolTip("Replace the kernel by a Gaussian of this size and σ "
                                        "(changing size or σ afterwards updates it live)")
        self.gaussian_button.clicked.connect(self.apply_gaussian)
        self.gaussian_size.valueChanged.connect(self._gaussian_spin_changed)
        self.gaussian_sigma.valueChanged.connect(self._gaussian_spin_changed)
        self.gaussian_row = mark_editing_chrome(QWidget(self))
        row = QHBoxLayout(self.gaussian_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.gaussian_button)
        row.addWidget(QLabel("size", self))
        row.addWidget(self.gaussian_size)
        row.addWidget(QLabel("σ", self))
        row.addWidget(self.gaussian_sigma)
        row.addStretch(1)
        layout.addWidget(self.gaussian_row)

        self.table = QTableView(self)
        self.table.setObjectName("kernelEditor")
        self.table.setAccessibleName("Kernel weights")
        self.table.setToolTip("The kernel's weights: double-click or type to edit a cell "
                              "(numbers or fractions such as 1/9)")
        self.table.setModel(self.model)
        self.table.setItemDelegate(CellDelegate(self.table))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        for header in (self.table.horizontalHeader(), self.table.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setDefaultSectionSize(56)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.table_row = QHBoxLayout()
        self.table_row.addWidget(self.table, 1)
        self.table_row.addStretch(0)         # beside a table as wide as its columns (the heat map comes after)
        layout.addLayout(self.table_row)

        self.hint = QLabel(self)
        self.hint.setObjectName("kernelHint")
        self.hint.setAccessibleName("Kernel editing hint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #d33;")
        self.hint.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.hint.hide()
        layout.addWidget(self.hint)

        self.rows_spin = _spin(QSpinBox, "kernelRowsSpin", f"Kernel rows: height of the kernel (1–{MAX_KERNEL_SIDE})",
                               1, MAX_KERNEL_SIDE, 3, self)
        self.cols_spin = _spin(QSpinBox, "kernelColsSpin", f"Kernel columns: width of the kernel (1–{MAX_KERNEL_SIDE})",
                               1, MAX_KERNEL_SIDE, 3, self)
        self.rows_spin.valueChanged.connect(self._size_chosen)
        self.cols_spin.valueChanged.connect(self._size_chosen)
        self.scale_spin = _spin(QDoubleSpinBox, "scaleFactorSpin", "Scale factor: what Scale multiplies every "
                                "weight by", -1000.0, 1000.0, 2.0, self)
        self.scale_spin.setDecimals(3)
        self.size_row = mark_editing_chrome(QWidget(self))
        row = QHBoxLayout(self.size_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Size", self))
        row.addWidget(self.rows_spin)
        row.addWidget(QLabel("×", self))
        row.addWidget(self.cols_spin)
        row.addStretch(1)
        row.addWidget(QLabel("factor", self))
        row.addWidget(self.scale_spin)
        layout.addWidget(self.size_row)

        self.actions_by_name: dict[str, QAction] = {}
        specs = [
            ("normalise", "&Normalise", "Ctrl+Shift+N", "Divide every weight by their sum, so they add up to 1",
             self.normalise),
            ("scale", "&Scale", "Ctrl+Shift+M", "Multiply every weight by the factor", self.scale),
            ("flip", "&Flip", "Ctrl+Shift+F", "Turn the kernel by 180° (what true convolution does)", self.flip),
            ("transpose", "&Transpose", "Ctrl+Shift+T", "Swap rows and columns", self.transpose),
            ("randomise", "&Randomise", "Ctrl+Shift+R", "Random weights between −1 and 1", self.randomise),
            ("clear", "&Clear", "Ctrl+Shift+Backspace", "Set every weight to 0", self.clear),
        ]
        self.actions_row = mark_editing_chrome(QWidget(self))
        grid = QGridLayout(self.actions_row)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, (name, text, shortcut, tip, slot) in enumerate(specs):
            action = QAction(text, self)
            action.setObjectName(f"{name}KernelAction")
            action.setShortcut(QKeySequence(shortcut))
            action.setToolTip(f"{tip} ({shortcut})")
            action.setStatusTip(tip)
            action.triggered.connect(slot)
            self.actions_by_name[name] = action
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setObjectName(f"{name}KernelButton")
            button.setAccessibleName(text.replace("&", "") + " kernel")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            grid.addWidget(button, i // 3, i % 3)
        layout.addWidget(self.actions_row)

        self.heat_map = pg.PlotWidget(self)
        self.heat_map.setObjectName("kernelHeatMap")
        self.heat_map.setAccessibleName("Kernel heat map")
        self.heat_map.setToolTip("The kernel as colours: red positive, blue negative, grey 0")
        mark_editing_chrome(self.heat_map)   # presentation mode: the weights' cells get the column
        self.heat_map.setBackground(None)
        self.heat_map.setFixedSize(120, 120)
        self.heat_map.setMouseEnabled(False, False)
        plot = self.heat_map.getPlotItem()
        plot.hideAxis("left")
        plot.hideAxis("bottom")
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.getViewBox().invertY(True)
        plot.getViewBox().setAspectLocked(True)
        self.heat_item = pg.ImageItem(axisOrder="row-major")
        plot.addItem(self.heat_item)
        self.table_row.addWidget(self.heat_map, 0, Qt.AlignmentFlag.AlignTop)

    def _fit_table(self) -> None:
        """Cells sized by the font and by their numbers (presentation mode's big fonts get big cells, a
        weight of 1234.5678 a wide column, so no number is cut), and the table as tall and wide as up to
        8 rows and all columns need."""
        fm = self.table.fontMetrics()
        kernel = self.doc.kernel
        cell_h = max(28, fm.height() + 10)
        narrowest = max(56, fm.horizontalAdvance(MIN_CELL_TEXT) + 14)
        widths = [max([narrowest] + [fm.horizontalAdvance(format_number(v)) + 16 for v in kernel[:, c].tolist()])
                  for c in range(kernel.shape[1])]
        fitted = (kernel.shape, cell_h, narrowest, widths)
        if fitted == getattr(self, "_fitted", None):    # e.g. a typed value as wide as before: sizes stay
            return
        self._fitted = fitted
        header = self.table.horizontalHeader()
        header.setDefaultSectionSize(narrowest)
        for c, width in enumerate(widths):
            header.resizeSection(c, width)
        self.table.verticalHeader().setDefaultSectionSize(cell_h)
        rows = kernel.shape[0]
        visible_rows = min(rows, 8)
        scroll = self.table.horizontalScrollBar().sizeHint().height()
        self.table.setFixedHeight(visible_rows * cell_h + header.sizeHint().height() + 4
                                  + (scroll if rows > visible_rows else 0))
        edges = self.table.verticalHeader().sizeHint().width() + 2 * self.table.frameWidth()
        if rows > visible_rows:
            edges += self.table.verticalScrollBar().sizeHint().width()
        self.table.setMinimumWidth(sum(widths[:5]) + edges + 4)
        self.table.setMaximumWidth(sum(widths) + edges)     # no empty space beside the last column
        side = max(120, 3 * cell_h)
        self.heat_map.setFixedSize(side, side)

    def cell_widths(self) -> list[int]:
        """The width of each column of the weight table, in pixels."""
        return [self.table.columnWidth(c) for c in range(self.model.columnCount())]

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:   # presentation mode scales the application font
            self._fit_table()

    # -- document → widgets -----------------------------------------------------------
    def _kernel_changed(self, kernel) -> None:
        for spin, value in ((self.rows_spin, kernel.shape[0]), (self.cols_spin, kernel.shape[1])):
            if spin.value() != value:     # (setting the same value still repaints the spin box)
                spin.blockSignals(True)
                spin.setValue(value)
                spin.blockSignals(False)
        if not self.hint.isHidden():    # the kernel changed: whatever was refused before is history
            self._end_flash()
        self._fit_table()
        levels = display_levels(kernel)
        cmap = DEFAULT_DIVERGING if levels[0] < 0 else DEFAULT_SEQUENTIAL
        self.heat_item.setImage(np.asarray(kernel), autoLevels=False, levels=levels)
        if cmap != getattr(self, "_heat_cmap", None):
            self._heat_cmap = cmap
            self.heat_item.setColorMap(make_colormap(cmap))
        if kernel.shape != getattr(self, "_heat_shape", None):     # a new size: frame it again
            self._heat_shape = kernel.shape
            self.heat_map.getPlotItem().getViewBox().autoRange(padding=0.02)
        self.heat_map.setToolTip("The kernel as colours: " + (
            "red positive, blue negative, grey 0" if levels[0] < 0 else "black 0, white the largest weight"))

    def _preset_changed(self, key) -> None:
        self.preset_box.blockSignals(True)
        self.preset_box.setCurrentIndex(self.preset_box.findData(key) if key is not None else -1)
        self.preset_box.blockSignals(False)
        self.preset_box.setToolTip(PRESETS[key].description if key is not None else
                                   "Pick a named kernel; hover over an item for what it does")

    # -- widgets → document -----------------------------------------------------------
    def _preset_chosen(self, index: int) -> None:
        key = self.preset_box.itemData(index)
        if key is None:
            return
        if not self.editor.edit(f"Preset {PRESETS[key].name}", kernel=PRESETS[key].kernel, preset=key):
            self._preset_changed(self.doc.preset)

    def apply_gaussian(self) -> bool:
        size, sigma = self.gaussian_size.value(), self.gaussian_sigma.value()
        self._gaussian_made = gaussian(size, sigma)
        return self.editor.edit(f"Gaussian {size}×{size}, σ = {format_number(sigma)}",
                                kernel=self._gaussian_made, preset=None)

    def _gaussian_spin_changed(self, _value) -> None:
        """Live only while the kernel is still the Gaussian the button (or a spin) made: after any
        other edit (a cell, a preset, an action, a loaded file) the spins leave the kernel alone."""
        made = self._gaussian_made
        if made is not None and made.shape == self.doc.kernel.shape and np.array_equal(made, self.doc.kernel):
            self.apply_gaussian()

    def _size_chosen(self, _value) -> None:
        rows, cols = self.rows_spin.value(), self.cols_spin.value()
        if (rows, cols) != self.doc.kernel.shape:
            if not self._act(f"Resize kernel to {rows}×{cols}", resized(self.doc.kernel, rows, cols)):
                self._kernel_changed(self.doc.kernel)

    def _act(self, text: str, kernel) -> bool:
        return self.editor.edit(text, kernel=kernel, preset=None)

    def normalise(self) -> bool:
        try:
            kernel = normalised(self.doc.kernel)
        except ValueError as exc:
            self._show_refusal(f"Not normalised: {exc}")
            return False
        return self._act("Normalise kernel", kernel)

    def scale(self) -> bool:
        factor = self.scale_spin.value()
        return self._act(f"Scale kernel by {format_number(factor)}", scaled(self.doc.kernel, factor))

    def flip(self) -> bool:
        return self._act("Flip kernel", flipped(self.doc.kernel))

    def transpose(self) -> bool:
        return self._act("Transpose kernel", transposed(self.doc.kernel))

    def randomise(self) -> bool:
        return self._act("Randomise kernel", randomised(self.doc.kernel.shape))

    def clear(self) -> bool:
        return self._act("Clear kernel", cleared(self.doc.kernel.shape))

    # -- refusals --------------------------------------------------------------------
    def _show_refusal(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setToolTip(text)
        self.hint.show()
        self.message.emit(text)
        self._flash_timer.start()

    def _end_flash(self) -> None:
        self._flash_timer.stop()
        self.model.clear_flash()
        self.hint.hide()

    def shutdown(self) -> None:
        """Stop the flash timer (the window calls this when it closes)."""
        self._flash_timer.stop()
