"""Which input channels each filter sees: a grid of square cells, filters across, input channels down.

Views: :class:`ChannelGridView` draws a :class:`~convviz.model.groups_view.ChannelGrid` (0 = not seen,
g + 1 = seen by a filter of group g), one colour per group, light grey where unseen;
:class:`ChannelsBox` adds the model's sentence and why the groups asked for are not the ones used.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGroupBox, QSizePolicy, QVBoxLayout, QWidget

from convviz.model.costs import LayerCosts
from convviz.model.groups_view import channel_grid, groups_sentence

from ..widgets import named, text_label

#: group colours, repeated when there are more groups (neighbouring groups always differ)
GROUP_COLOURS = ("#1f77b4", "#2ca02c", "#9467bd", "#d62728", "#8c564b", "#e377c2", "#17becf", "#bcbd22")
UNSEEN_COLOUR = "#e6e6e6"
MAX_CELL = 18


class ChannelGridView(QWidget):
    """The last grid given to :meth:`show_grid`, as large as fits (cells at most ``MAX_CELL`` px)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.seen = np.zeros((0, 0), dtype=np.int32)
        self.setMinimumSize(100, 24)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def show_grid(self, seen: np.ndarray) -> None:
        self.seen = np.asarray(seen)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(140, 50)

    def cell_colour(self, value: int) -> QColor:
        return QColor(UNSEEN_COLOUR if value == 0 else GROUP_COLOURS[(int(value) - 1) % len(GROUP_COLOURS)])

    def cell_side(self) -> float:
        rows, cols = self.seen.shape
        if not rows or not cols:
            return 0.0
        return min((self.width() - 2) / cols, (self.height() - 2) / rows, MAX_CELL)

    def paintEvent(self, event) -> None:
        rows, cols = self.seen.shape
        side = self.cell_side()
        if side <= 0:
            return
        painter = QPainter(self)
        x0 = (self.width() - side * cols) / 2
        y0 = (self.height() - side * rows) / 2
        gap = 1 if side >= 5 else 0
        painter.setPen(Qt.NoPen)
        for r in range(rows):
            for c in range(cols):
                painter.setBrush(self.cell_colour(self.seen[r, c]))
                painter.drawRect(QRectF(x0 + c * side, y0 + r * side, side - gap, side - gap))
        painter.setPen(QPen(QColor("#888888")))
        painter.setBrush(Qt.NoBrush)
        painter.drawRect(QRectF(x0 - 1, y0 - 1, side * cols + 1, side * rows + 1))
        painter.end()


class ChannelsBox(QGroupBox):
    """The conv layer's groups: the sentence, the note when the groups asked for cannot be used, the grid."""

    def __init__(self, parent=None):
        super().__init__("Channels per filter", parent)
        named(self, "costChannelsBox", "The layer's groups: filter o sees the input channels of its group.",
              "Which input channels each filter sees")
        self.sentence = text_label("", "costGroupsSentence")
        self.note = text_label("", "costGroupsNote")
        self.note.setStyleSheet("color: #b00020;")
        self.caption = text_label("", "costChannelGridCaption")
        self.grid_view = named(ChannelGridView(), "costChannelGrid",
                               "Filters across, input channels down: a coloured cell means the filter sees that "
                               "channel (one colour per group), grey that it does not.",
                               "Which channels each filter sees")
        layout = QVBoxLayout(self)
        layout.setSpacing(3)
        layout.addWidget(self.sentence)
        layout.addWidget(self.note)
        layout.addWidget(self.grid_view, 1)
        layout.addWidget(self.caption)

    def show_groups(self, c: LayerCosts | None, note: str = "") -> None:
        """Draw the groups of ``c`` (nothing when the layer does not fit) and ``note``."""
        self.note.setText(note)
        self.note.setVisible(bool(note))
        if c is None:
            self.sentence.setText("—")
            self.caption.setText("")
            self.grid_view.show_grid(np.zeros((0, 0), dtype=np.int32))
            return
        c_in = c.input_shape[2]
        grid = channel_grid(c_in, c.filters, c.groups)
        self.sentence.setText(groups_sentence(c_in, c.filters, c.groups))
        self.caption.setText(grid.caption)
        self.grid_view.show_grid(grid.seen)
