"""One K×K slice of a filter as an editable grid (one cell per weight, EditRole data a float)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from ...model import format_number
from ...model.numbers import parse_number
from ..widgets import named

CELL = 34


class SliceGrid(QTableWidget):
    """Edits one K×K slice; emits ``weightEdited(row, col, value)`` and ``refused(message)``."""

    weightEdited = Signal(int, int, float)
    refused = Signal(str)

    def __init__(self, object_name: str, title: str, parent=None):
        super().__init__(parent)
        named(self, object_name, f"{title}: one weight per cell. Type a number (or a fraction like 1/9) and press "
              "Enter.", title)
        self.horizontalHeader().setVisible(False)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._values = np.zeros((0, 0))
        self.itemChanged.connect(self._item_changed)

    def values(self) -> np.ndarray:
        return self._values.copy()

    def set_values(self, values: np.ndarray) -> None:
        """Show ``values`` (K×K) without emitting anything."""
        v = np.asarray(values, dtype=np.float64)
        texts = [[format_number(w, 3) for w in row] for row in v]
        metrics = self.fontMetrics()
        col_w = max(CELL, max(metrics.horizontalAdvance(t) for row in texts for t in row) + 12)
        row_h = metrics.height() + 10
        with QSignalBlocker(self):
            if v.shape != self._values.shape:
                self.setRowCount(v.shape[0])
                self.setColumnCount(v.shape[1])
            for i in range(v.shape[0]):
                self.setRowHeight(i, row_h)
            for j in range(v.shape[1]):
                self.setColumnWidth(j, col_w)
            self.setFixedSize(v.shape[1] * col_w + 4, v.shape[0] * row_h + 4)
            m = float(np.abs(v).max()) if v.size else 0.0
            for (r, c), w in np.ndenumerate(v):
                item = self.item(r, c)
                if item is None:
                    item = QTableWidgetItem()
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    self.setItem(r, c, item)
                item.setData(Qt.ItemDataRole.EditRole, float(w))
                item.setText(texts[r][c])
                item.setBackground(_tint(w, m))
        self._values = v.copy()

    def _item_changed(self, item: QTableWidgetItem) -> None:
        r, c = item.row(), item.column()
        raw = item.data(Qt.ItemDataRole.EditRole)
        try:
            value = parse_number(str(raw))  # typed text; a spin-box editor's float reads back the same
        except ValueError as exc:
            self.set_values(self._values)  # the previous value stays
            self.refused.emit(f"{exc} The weight stays {format_number(self._values[r, c])}.")
            return
        new = self._values.copy()
        new[r, c] = value
        self.set_values(new)
        self.weightEdited.emit(r, c, value)


def _tint(w: float, m: float) -> QColor:
    """Light red for positive, light blue for negative weights, stronger for larger ones."""
    if m == 0 or w == 0:
        return QColor(255, 255, 255)
    t = min(1.0, abs(w) / m) * 0.45
    if w > 0:
        return QColor(255, int(255 * (1 - t)), int(255 * (1 - t)))
    return QColor(int(255 * (1 - t)), int(255 * (1 - t * 0.6)), 255)
