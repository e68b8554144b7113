"""Rows of two cells in two aligned columns, stacked in one column when the width is too small for two.

A lecture's pairs (A and W; A * W and W * A; A ⋆ W and W ⋆ A) are read side by side on a wide
screen; with presentation fonts on a small projector the right cell goes under the left one instead
of the page scrolling sideways. A *span* row (a sentence) takes the whole width in both arrangements.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class PairColumns(QLayout):
    """Two columns as wide as their widest cells when both fit the width, else one; heights follow widths."""

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 8, column_gap: int = 24):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        #: each row: the indices of its items in ``_items`` (two for a pair, one for a span)
        self._rows: list[tuple[int, ...]] = []
        self._widgets: list[QWidget] = []
        self._spacing = spacing
        self._gap = column_gap
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def add_pair(self, left: QWidget, right: QWidget) -> None:
        """A row of two cells: side by side when there is room, else ``right`` under ``left``."""
        self.add_span(left)
        self.add_span(right)
        self._rows[-2:] = [self._rows[-2] + self._rows[-1]]

    def add_span(self, widget: QWidget) -> None:
        """A row of one widget across the whole width."""
        self._widgets.append(widget)   # a widget added before the layout has a parent has no other owner yet
        self.addWidget(widget)

    # -- QLayout ---------------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:
        """A span row (``addWidget``)."""
        self._items.append(item)
        self._rows.append((len(self._items) - 1,))

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        if not 0 <= index < len(self._items):
            return None
        rows = [tuple(i - (i > index) for i in row if i != index) for row in self._rows]
        self._rows = [row for row in rows if row]
        return self._items.pop(index)

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:
        left, right = self._columns()
        m = self.contentsMargins()
        width = max(left + self._gap + right if right else left, self._span_width())
        return QSize(width + m.left() + m.right(), self.heightForWidth(width + m.left() + m.right()))

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    # -- placing ---------------------------------------------------------------------------
    def two_columns(self, width: int) -> bool:
        """Whether ``width`` (margins excluded) holds both columns at their preferred widths."""
        left, right = self._columns()
        return bool(right) and left + self._gap + right <= width

    def _columns(self) -> tuple[int, int]:
        """The preferred widths of the left and the right column (0 when every cell there is hidden)."""
        widths = [0, 0]
        for row in self._rows:
            if len(row) == 2:
                for side, index in enumerate(row):
                    item = self._items[index]
                    if not item.isEmpty():
                        widths[side] = max(widths[side], item.sizeHint().width())
        return widths[0], widths[1]

    def _span_width(self) -> int:
        return max((self._items[row[0]].sizeHint().width() for row in self._rows
                    if len(row) == 1 and not self._items[row[0]].isEmpty()), default=0)

    @staticmethod
    def _fitted(item: QLayoutItem, width: int, fill: bool) -> QSize:
        """``item``'s size in a cell ``width`` wide (its preferred width if narrower, unless it is to ``fill`` the
        cell), its height at that width."""
        w = max(width if fill else min(item.sizeHint().width(), width), item.minimumSize().width())
        h = item.heightForWidth(w) if item.hasHeightForWidth() else item.sizeHint().height()
        return QSize(w, max(h, item.minimumSize().height()))

    def _place(self, rect: QRect, *, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        two = self.two_columns(area.width())
        left_width = self._columns()[0] if two else area.width()
        y, first = area.y(), True
        for row in self._rows:
            items = [self._items[i] for i in row if not self._items[i].isEmpty()]
            if not items:
                continue
            if len(row) == 2 and two:
                cells = [(area.x(), left_width), (area.x() + left_width + self._gap, area.width() - left_width
                                                  - self._gap)]
                lines = [list(zip([self._items[i] for i in row], cells))]
            else:
                lines = [[(item, (area.x(), area.width()))] for item in items]
            for line in lines:
                shown = [(item, x, self._fitted(item, w, len(row) == 1)) for item, (x, w) in line
                         if not item.isEmpty()]
                if not shown:
                    continue
                if not first:
                    y += self._spacing
                first = False
                if move:
                    for item, x, size in shown:
                        item.setGeometry(QRect(QPoint(x, y), size))
                y += max(size.height() for _, _, size in shown)
        return y - rect.y() + m.bottom()
