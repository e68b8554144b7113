"""A layout that puts its items in a row and wraps them onto more rows when the width runs out
(Qt's Flow Layout example), so a row of controls or boxes still fits a narrow window or big
presentation fonts.

Each item is as wide as it would like (its size hint), never wider than the row and never narrower
than its minimum; items whose height follows their width (word-wrapped labels, flows inside) get the
height they need at that width. With ``stretch`` the items of a row share its spare width (in
proportion to their stretch factors) and are as tall as the row; with ``uniform`` every item is as wide
as the widest would like, so the rows are a grid of equal tiles (pictures that wrap: the last row's
tiles as large as the others); with ``grow_last_row`` the last row takes any height the layout is given
beyond what it needs.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QLayout, QLayoutItem, QSizePolicy, QWidget

from .naming import named


class FlowLayout(QLayout):
    """Items left to right, wrapping; its minimum width is its widest item's minimum."""

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 6, stretch: bool = False,
                 uniform: bool = False, grow_last_row: bool = False):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._factors: list[int] = []
        self._spacing = spacing
        self._stretch = stretch
        self._uniform = uniform
        self._grow_last_row = grow_last_row
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    # -- QLayout ---------------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)
        self._factors.append(1)

    def addWidget(self, widget: QWidget, stretch: int = 1) -> None:  # noqa: N802 (Qt's name)
        """Add ``widget``; with ``stretch`` on, it takes ``stretch`` shares of its row's spare width (0: none)."""
        super().addWidget(widget)
        self._factors[-1] = max(0, int(stretch))

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        if not 0 <= index < len(self._items):
            return None
        del self._factors[index]
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
        """Every item on one row."""
        shown = [item.sizeHint() for item in self._items if not item.isEmpty()]
        m = self.contentsMargins()
        width = sum(s.width() for s in shown) + self._spacing * max(0, len(shown) - 1)
        return QSize(width, max((s.height() for s in shown), default=0)) + QSize(m.left() + m.right(),
                                                                                 m.top() + m.bottom())

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    # -- placing ---------------------------------------------------------------------------
    def rows(self, width: int) -> list[list[tuple[QLayoutItem, int, int]]]:
        """The visible items of each row at ``width`` pixels (margins excluded): (item, width, stretch factor)."""
        rows: list[list[tuple[QLayoutItem, int, int]]] = []
        shown = [(item, factor) for item, factor in zip(self._items, self._factors) if not item.isEmpty()]
        if self._uniform and shown:
            tile = max(max(min(item.sizeHint().width(), width), item.minimumSize().width()) for item, _ in shown)
            per_row = max(1, min(len(shown), (width + self._spacing) // (tile + self._spacing)))
            if self._stretch:
                tile = max(tile if per_row == 1 else 0, (width - self._spacing * (per_row - 1)) // per_row)
            return [[(item, min(tile, item.maximumSize().width()), 0) for item, _ in shown[i:i + per_row]]
                    for i in range(0, len(shown), per_row)]
        x = None
        for item, factor in shown:
            w = max(min(item.sizeHint().width(), width), item.minimumSize().width())
            if x is None or x + w > width:   # the first item, or one that does not fit: a new row
                rows.append([])
                x = 0
            rows[-1].append((item, w, factor))
            x += w + self._spacing
        return rows

    def _widths(self, row: list[tuple[QLayoutItem, int, int]], width: int) -> list[int]:
        """The row's widths, its spare width shared out by stretch factor when stretching."""
        widths = [w for _, w, _ in row]
        factors = [f for _, _, f in row]
        spare = width - sum(widths) - self._spacing * (len(row) - 1)
        if not self._stretch or spare <= 0 or not sum(factors):
            return widths
        shares = [spare * f // sum(factors) for f in factors]
        shares[max(range(len(row)), key=lambda i: factors[i])] += spare - sum(shares)
        return [min(w + s, item.maximumSize().width()) for (item, _, _), w, s in zip(row, widths, shares)]

    @staticmethod
    def _height(item: QLayoutItem, width: int) -> int:
        if item.hasHeightForWidth():
            return max(item.heightForWidth(width), item.minimumSize().height())
        return item.sizeHint().height()

    def _place(self, rect: QRect, *, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        rows = self.rows(area.width())
        laid = []
        for row in rows:
            widths = self._widths(row, area.width())
            laid.append((row, widths, max(self._height(item, w) for (item, _, _), w in zip(row, widths))))
        needed = sum(h for _, _, h in laid) + self._spacing * max(0, len(laid) - 1)
        if move:
            y = area.y()
            for i, (row, widths, height) in enumerate(laid):
                if self._grow_last_row and i == len(laid) - 1:
                    height = max(height, area.height() - needed + height)
                x = area.x()
                for (item, _, _), w in zip(row, widths):
                    h = height if self._stretch else self._height(item, w)
                    item.setGeometry(QRect(QPoint(x, y), QSize(w, h)))
                    x += w + self._spacing
                y += height + self._spacing
        return needed + m.top() + m.bottom()


def flow_row(*widgets: QWidget, spacing: int = 6, stretch: bool = False) -> QWidget:
    """A widget holding ``widgets`` in a :class:`FlowLayout` (its height follows its width)."""
    holder = QWidget()
    layout = FlowLayout(holder, spacing=spacing, stretch=stretch)
    for widget in widgets:
        layout.addWidget(widget)
    policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(True)
    holder.setSizePolicy(policy)
    return holder


class LineLabel(QLabel):
    """A word-wrapped label that would like its text on one line: a flow or a column gives it the whole
    line when there is room and wraps it when not (a plain wrapped label asks for an arbitrary width)."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        doc = QTextDocument()
        doc.setDefaultFont(self.font())
        doc.setDocumentMargin(0)
        if "<" in self.text() and self.textFormat() != Qt.TextFormat.PlainText:
            doc.setHtml(self.text())
        else:
            doc.setPlainText(self.text())
        m = self.contentsMargins()
        width = math.ceil(doc.idealWidth()) + 2 * self.margin() + m.left() + m.right() + 1
        return QSize(width, self.heightForWidth(width))


def line_label(text: str = "", name: str | None = None, *, selectable: bool = True) -> LineLabel:
    """A word-wrapped :class:`LineLabel` whose text can be selected (as :func:`~convviz.ui.widgets.text_label`)."""
    label = LineLabel(text)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(label.textInteractionFlags() | Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        named(label, name)
    return label
