"""One K×K slice of a filter as an editable grid (one cell per weight, EditRole data a float), and the
grids of one filter's slices (side by side, or one with a channel chooser when there are many)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...model import format_number
from ...model.bank import BankFilter, channel_names
from ...model.numbers import parse_number
from ..widgets import named
from ..widgets.flow_layout import FlowLayout

CELL = 34
#: up to this many input channels every slice has its own grid; above it one grid and a channel chooser
MAX_SIDE_BY_SIDE = 4


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


class SliceGrids(QWidget):
    """The slices of one filter: a grid per input channel (up to :data:`MAX_SIDE_BY_SIDE`), else the one
    chosen; emits ``weightEdited(grid, row, col, value)`` and ``refused(message)``."""

    weightEdited = Signal(int, int, int, float)
    refused = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._layout = FlowLayout(self, spacing=10, centred=True)    # as many side by side as the column has room for
        self._grids: list[SliceGrid] = []
        self._labels: list[QLabel] = []
        self._last = 0

    def grids(self) -> list[SliceGrid]:
        return list(self._grids)

    def last_grid(self) -> int:
        """The grid last clicked or edited (the first one otherwise)."""
        return min(self._last, len(self._grids) - 1)

    def show_filter(self, f: BankFilter, channel: int | None = None) -> None:
        """Every slice of ``f`` side by side (``channel`` None), or only slice ``channel``."""
        c_in = f.in_channels
        names = channel_names(c_in)
        wanted = c_in if channel is None else 1
        if len(self._grids) != wanted or (self._grids and self._grids[0].values().shape != f.kernel_hw):
            self._make(wanted, names if channel is None else None)
        if channel is None:
            for c, (grid, label) in enumerate(zip(self._grids, self._labels)):
                grid.set_values(f.slice(c))
                label.setText(f"<b>{names[c]}</b>")
        else:
            self._grids[0].set_values(f.slice(channel))
            self._labels[0].setText(f"<b>{names[channel]}</b> of {c_in}")

    def _make(self, count: int, names) -> None:
        while self._layout.count():
            w = self._layout.takeAt(0).widget()
            if w is not None:
                w.setParent(None)
                w.deleteLater()
        self._grids, self._labels = [], []
        for i in range(count):
            name = names[i] if names is not None else "channel"
            grid = SliceGrid(f"bankSliceGrid{i}", f"Slice for input channel {name}")
            grid.weightEdited.connect(lambda r, c, v, i=i: self.weightEdited.emit(i, r, c, v))
            grid.refused.connect(self.refused)
            grid.currentCellChanged.connect(lambda *_, i=i: setattr(self, "_last", i))
            label = QLabel()
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            cell = QWidget()
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(label)
            column.addWidget(grid)
            self._layout.addWidget(cell)
            self._grids.append(grid)
            self._labels.append(label)
        self.updateGeometry()
