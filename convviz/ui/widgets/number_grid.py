"""A small read-only table of numbers (a kernel, an example array or a result), one cell per value."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QSizePolicy, QTableWidget, QTableWidgetItem

from convviz.model import format_number

from .naming import named

MARK = QColor(255, 205, 205)


class NumberGrid(QTableWidget):
    """Shows a 1-D or 2-D array as a grid of numbers; ``mark`` (bool array) tints cells."""

    def __init__(self, name: str, tooltip: str, accessible: str, parent=None):
        super().__init__(parent)
        named(self, name, tooltip, accessible)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.NoSelection)
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Maximum, QSizePolicy.Maximum)
        self.values = np.zeros((0, 0))
        font = self.font()
        font.setPointSize(max(font.pointSize(), 12))
        self.setFont(font)
        self.setStyleSheet("QTableWidget::item { padding: 2px 6px; }")

    def show_array(self, values, mark=None) -> None:
        arr = np.atleast_2d(np.asarray(values, dtype=np.float64))
        self.values = arr
        self.setRowCount(arr.shape[0])
        self.setColumnCount(arr.shape[1])
        for (r, c), v in np.ndenumerate(arr):
            item = QTableWidgetItem(format_number(v))
            item.setTextAlignment(Qt.AlignCenter)
            if mark is not None and np.atleast_2d(mark)[r, c]:
                item.setBackground(QBrush(MARK))
            self.setItem(r, c, item)
        self.resizeColumnsToContents()
        self.resizeRowsToContents()
        width = sum(self.columnWidth(c) for c in range(arr.shape[1])) + 2 * self.frameWidth()
        height = sum(self.rowHeight(r) for r in range(arr.shape[0])) + 2 * self.frameWidth()
        self._content = (width + 2, height + 2)
        self.setMaximumSize(width + 2, height + 2)
        self.setMinimumSize(min(width + 2, 640), min(height + 2, 300))
        self.updateGeometry()

    def sizeHint(self):
        return QSize(*self._content) if hasattr(self, "_content") else super().sizeHint()

    def texts(self) -> list[list[str]]:
        """The cell texts, row by row (what a person reads)."""
        return [[self.item(r, c).text() for c in range(self.columnCount())] for r in range(self.rowCount())]
