"""Numbers as the input: an editable grid (up to 16×16) and the lecture's example one click away."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from convviz.model import format_number
from convviz.model.numbers import parse_number
from convviz.model.numeric_input import (
    LECTURE_IMAGE,
    LECTURE_KERNEL,
    NUMERIC_MAX_SIDE,
    numeric_editable,
    resized,
    with_cell,
)

from ..widgets import named, text_label

__all__ = ["LECTURE_IMAGE", "LECTURE_KERNEL", "MAX_SIDE", "NumericInput"]

MAX_SIDE = NUMERIC_MAX_SIDE

_NAVIGATION_KEYS = {Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down,
                    Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown}


class NumericGridEditor(QTableWidget):
    """A table of numbers that keeps the arrow keys for moving between cells (the player's
    shortcuts would take them otherwise); Space stays with the player."""

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and event.key() in _NAVIGATION_KEYS:
            event.accept()
            return True
        return super().event(event)


class NumericInput(QWidget):
    """Edits a small grey image as numbers. Emits the new image; the panel applies it to the document.

    ``imageEdited(ndarray)``: a cell, or the size, changed. ``lectureExampleRequested``: the button.
    ``cropRequested(rows, cols)``: make a numeric image from the player's current region.
    """

    imageEdited = Signal(object)
    lectureExampleRequested = Signal()
    cropRequested = Signal(int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._image: np.ndarray | None = None
        self.example_button = named(QPushButton("Lecture example 4×4"), "lectureExampleButton",
                                    "Input [[0,10,10,0],[20,30,30,20],[10,20,20,10],[0,5,5,0]] "
                                    "with kernel [[1,0],[0,2]], valid padding", "Lecture example")
        self.crop_button = named(QPushButton("Numbers from region"), "cropToNumbersButton",
                                 "Replace the input by the player's region (rows × cols below), "
                                 "rounded to whole numbers, to edit it as a numeric grid", "Numbers from region")
        self.rows_spin, self.cols_spin = QSpinBox(), QSpinBox()
        for spin, name, what in ((self.rows_spin, "numericRowsSpin", "rows"),
                                 (self.cols_spin, "numericColsSpin", "columns")):
            spin.setRange(1, MAX_SIDE)
            spin.setValue(4)
            named(spin, name, f"Number of {what} of the numeric input (1–{MAX_SIDE}); "
                  f"new cells are 0, cut cells are dropped", f"Numeric input {what}")
        self.table = named(NumericGridEditor(), "numericGridEditor", "The input image as numbers: type a value "
                           f"into a cell (grey images up to {MAX_SIDE}×{MAX_SIDE})", "Numeric input grid")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        for header in (self.table.horizontalHeader(), self.table.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            header.setMinimumSectionSize(24)
        # a number is never cut to "2…": its column is as wide as it (the table scrolls instead)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setWordWrap(False)
        self.hint = named(text_label(selectable=False), "numericHint", None, "Numeric input hint")
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.example_button, 0, 0, 1, 4)
        layout.addWidget(QLabel("rows"), 1, 0)
        layout.addWidget(self.rows_spin, 1, 1)
        layout.addWidget(QLabel("cols"), 1, 2)
        layout.addWidget(self.cols_spin, 1, 3)
        layout.addWidget(self.crop_button, 2, 0, 1, 4)
        layout.addWidget(self.table, 3, 0, 1, 4)
        layout.addWidget(self.hint, 4, 0, 1, 4)
        layout.setRowStretch(3, 1)
        self.example_button.clicked.connect(self.lectureExampleRequested)
        self.crop_button.clicked.connect(
            lambda: self.cropRequested.emit(self.rows_spin.value(), self.cols_spin.value()))
        self.table.itemChanged.connect(self._on_item_changed)
        self.rows_spin.valueChanged.connect(self._on_size_changed)
        self.cols_spin.valueChanged.connect(self._on_size_changed)

    @staticmethod
    def editable(image: np.ndarray) -> bool:
        """Grey images up to 16×16 are edited as numbers."""
        return numeric_editable(image)

    def set_image(self, image: np.ndarray) -> None:
        """Show ``image`` in the table when it is editable; otherwise say why not."""
        ok = self.editable(image)
        self._image = np.array(image) if ok else None
        self.table.setEnabled(ok)
        blockers = [self.table, self.rows_spin, self.cols_spin]
        for w in blockers:
            w.blockSignals(True)
        try:
            if ok:
                rows, cols = image.shape
                self.table.setRowCount(rows)
                self.table.setColumnCount(cols)
                # rows and columns counted from 0, as everywhere else in the window
                self.table.setVerticalHeaderLabels([str(r) for r in range(rows)])
                self.table.setHorizontalHeaderLabels([str(c) for c in range(cols)])
                for r in range(rows):
                    for c in range(cols):
                        item = QTableWidgetItem(format_number(image[r, c]))
                        item.setData(Qt.ItemDataRole.EditRole, format_number(image[r, c]))
                        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                        self.table.setItem(r, c, item)
                self.rows_spin.setValue(rows)
                self.cols_spin.setValue(cols)
                self._fit_columns()
                self.hint.setText("Double-click or type into a cell to change the input.")
            else:
                self.table.setRowCount(0)
                self.table.setColumnCount(0)
                kind = "a colour image" if image.ndim == 3 else f"{image.shape[0]}×{image.shape[1]}"
                self.hint.setText(f"The input is {kind}: numeric editing works on grey images up to "
                                  f"{MAX_SIDE}×{MAX_SIDE}. Use 'Numbers from region' or the lecture example.")
        finally:
            for w in blockers:
                w.blockSignals(False)

    def _fit_columns(self) -> None:
        """Columns at least as wide as their widest number in today's font (presentation mode scales it)."""
        metrics = self.table.fontMetrics()
        texts = [self.table.item(r, c).text() for r in range(self.table.rowCount())
                 for c in range(self.table.columnCount()) if self.table.item(r, c) is not None]
        widest = max((metrics.horizontalAdvance(t) for t in texts), default=0)
        self.table.horizontalHeader().setMinimumSectionSize(max(24, widest + 10))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.FontChange and hasattr(self, "table"):
            self._fit_columns()
        super().changeEvent(event)

    def show_error(self, message: str) -> None:
        self.hint.setText(message)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._image is None:
            return
        r, c = item.row(), item.column()
        try:
            value = parse_number(str(item.data(Qt.ItemDataRole.EditRole)))
        except ValueError as exc:
            self.hint.setText(f"{exc} Cell ({r}, {c}) keeps {format_number(self._image[r, c])}.")
            self.table.blockSignals(True)
            item.setData(Qt.ItemDataRole.EditRole, format_number(self._image[r, c]))
            self.table.blockSignals(False)
            return
        self.imageEdited.emit(with_cell(self._image, r, c, value))

    def _on_size_changed(self) -> None:
        if self._image is None:
            return
        self.imageEdited.emit(resized(self._image, self.rows_spin.value(), self.cols_spin.value()))

    def revert(self) -> None:
        """Show the last image again (after the document refused an edit)."""
        if self._image is not None:
            self.set_image(self._image)
