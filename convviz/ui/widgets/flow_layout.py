"""A layout that puts its items in a row and wraps them onto more rows when the width runs out
(Qt's Flow Layout example), so a row of controls or boxes still fits a narrow window or big
presentation fonts.

Each item is as wide as it would like (its size hint), never wider than the row and never narrower
than its minimum; items whose height follows their width (word-wrapped labels, flows inside) get the
height they need at that width. With ``stretch`` the items of a row share its spare width (in
proportion to their stretch factors) and are as tall as the row; with ``uniform`` every item is as wide
as the widest would like, so the rows are a grid of equal tiles (pictures that wrap: the last row's
tiles as large as the others); with ``grow_last_row`` the last row takes any height the layout is given
beyond what it needs; with ``centred`` (no stretch) each item is centred in its row's height (a label beside
a taller spin box or button).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QLayout, QLayoutItem, QSizePolicy, QWidget

from .naming import text_label


class _PlacingLayout(QLayout):
    """A layout over a list of items whose height follows its width: a subclass places them in ``_place``."""

    def __init__(self, parent: QWidget | None, spacing: int):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, move=True)

    def _place(self, rect: QRect, *, move: bool) -> int:
        """Lay the items out in ``rect`` (only measure unless ``move``); the height they take."""
        raise NotImplementedError


class FlowLayout(_PlacingLayout):
    """Items left to right, wrapping; its minimum width is its widest item's minimum."""

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 6, stretch: bool = False,
                 uniform: bool = False, grow_last_row: bool = False, centred: bool = False):
        super().__init__(parent, spacing)
        self._factors: list[int] = []
        self._stretch = stretch
        self._uniform = uniform
        self._grow_last_row = grow_last_row
        self._centred = centred

    def add(self, *widgets: QWidget) -> FlowLayout:
        """Add ``widgets`` in order (each with stretch factor 1); returns the layout."""
        for widget in widgets:
            self.addWidget(widget)
        return self

    # -- QLayout ---------------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:
        super().addItem(item)
        self._factors.append(1)

    def addWidget(self, widget: QWidget, stretch: int = 1) -> None:  # noqa: N802 (Qt's name)
        """Add ``widget``; with ``stretch`` on, it takes ``stretch`` shares of its row's spare width (0: none)."""
        super().addWidget(widget)
        self._factors[-1] = max(0, int(stretch))

    def takeAt(self, index: int) -> QLayoutItem | None:
        if not 0 <= index < len(self._items):
            return None
        del self._factors[index]
        return self._items.pop(index)

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
        height = item.heightForWidth(width) if item.hasHeightForWidth() else item.sizeHint().height()
        return max(height, item.minimumSize().height())

    def _place(self, rect: QRect, *, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        rows = self.rows(area.width())
        laid = []
        for row in rows:
            widths = [w for _, w, _ in row] if self._uniform else self._widths(row, area.width())
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
                    top = y + (height - h) // 2 if self._centred else y
                    item.setGeometry(QRect(QPoint(x, top), QSize(w, h)))
                    x += w + self._spacing
                y += height + self._spacing
        return needed + m.top() + m.bottom()


def flow_row(*widgets: QWidget, spacing: int = 6, stretch: bool = False, uniform: bool = False) -> QWidget:
    """A widget holding ``widgets`` in a :class:`FlowLayout` (its height follows its width)."""
    holder = QWidget()
    layout = FlowLayout(holder, spacing=spacing, stretch=stretch, uniform=uniform)
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
    label = text_label(text, name, selectable=selectable, label_class=LineLabel)
    assert isinstance(label, LineLabel)
    return label


class PairColumns(_PlacingLayout):
    """Rows of two cells (a pair: conv and dense, A and W) that wrap in three steps as the width shrinks:

    - *table*: the rows' titles in a column, then the two cells side by side (columns aligned);
    - *pairs*: each title on its own line above its two cells, side by side;
    - *stacked*: one column; row by row (title, left, right), or, with ``by_column``, each run of pair rows
      as all its left cells then all its right cells (each under its own title: ``right_title``).

    A *span* row (a sentence) takes the width the cells take. Heights follow widths (wrapped labels).
    """

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 6, column_gap: int = 24,
                 by_column: bool = False):
        super().__init__(parent, spacing)
        #: each row: {"title", "left", "right", "right_title"} → index in ``_items`` (or None)
        self._rows: list[dict[str, int | None]] = []
        self._widgets: list[QWidget] = []   # widgets added before the layout has a parent have no other owner
        self._gap, self._by_column = column_gap, by_column

    def add_pair(self, left: QWidget, right: QWidget, title: QWidget | None = None,
                 right_title: QWidget | None = None) -> None:
        """A row of two cells, with an optional title (and a title for ``right`` when stacked by column)."""
        self._rows.append({k: self._add(w) for k, w in (("title", title), ("left", left), ("right", right),
                                                           ("right_title", right_title))})

    def add_span(self, widget: QWidget, title: QWidget | None = None) -> None:
        """A row of one widget as wide as the cells, with an optional title."""
        self._rows.append({"title": self._add(title), "left": self._add(widget), "right": None, "right_title": None})

    def _add(self, widget: QWidget | None) -> int | None:
        if widget is None:
            return None
        self._widgets.append(widget)
        super().addWidget(widget)
        return len(self._items) - 1

    def takeAt(self, index: int) -> QLayoutItem | None:
        if not 0 <= index < len(self._items):
            return None
        self._rows = [{k: (None if i == index else i - (i > index) if i is not None else None)
                       for k, i in row.items()} for row in self._rows]
        return self._items.pop(index)

    def sizeHint(self) -> QSize:
        title, left, right = self._columns()
        width = title + (self._gap if title else 0) + left + (self._gap + right if right else 0)
        return QSize(width, self.heightForWidth(width))

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        return size

    # -- placing ---------------------------------------------------------------------------
    def _item(self, row: dict[str, int | None], key: str) -> QLayoutItem | None:
        index = row[key]
        item = self._items[index] if index is not None else None
        return item if item is not None and not item.isEmpty() else None

    def _columns(self) -> tuple[int, int, int]:
        """Preferred widths of the titles', the left and the right column (0 when empty)."""
        widths = {"title": 0, "left": 0, "right": 0}
        for row in self._rows:
            for key in ("title", "left", "right") if row["right"] is not None else ("title",):
                item = self._item(row, key)
                widths[key] = max(widths[key], item.sizeHint().width() if item else 0)
        return widths["title"], widths["left"], widths["right"]

    def mode(self, width: int) -> str:
        """``"table"``, ``"pairs"`` or ``"stacked"`` at ``width`` pixels."""
        title, left, right = self._columns()
        if not right:
            return "stacked"
        if title and title + left + right + 2 * self._gap <= width:
            return "table"
        return "pairs" if left + right + self._gap + (self._indent() if title else 0) <= width else "stacked"

    def _lines(self, width: int, mode: str) -> list[list[tuple[QLayoutItem, int, int, bool]]]:
        """Lines of (item, x offset, cell width, fill the cell) in reading order."""
        title_w, left_w, _ = self._columns()
        x0 = title_w + self._gap if mode == "table" else 0
        body = width - x0
        right_x = x0 + left_w + self._gap
        titled = title_w > 0
        lines: list[list[tuple[QLayoutItem, int, int, bool]]] = []
        rights: list[list[tuple[QLayoutItem, int, int, bool]]] = []
        for row in self._rows:
            title, left, right = (self._item(row, k) for k in ("title", "left", "right"))
            pair = row["right"] is not None
            if not pair or not self._by_column or mode != "stacked":
                lines += rights
                rights = []
            line = [(title, 0, title_w, False)] if title and mode == "table" else []
            if title and mode != "table":
                lines.append([(title, 0, width, True)])
            # cells set in under their titles (and a pair without one, e.g. column headings, in line with them)
            indent = self._indent() if mode != "table" and titled and (title or pair) else 0
            if pair and mode != "stacked":
                line += [(it, x, w, False) for it, x, w in ((left, x0 + indent, left_w),
                                                            (right, right_x + indent, width - right_x - indent))
                         if it]
            elif left:   # a span (beside its title in a table; else the whole width), or a stacked pair's left
                line.append((left, x0, body, not pair) if title and mode == "table" else
                            (left, indent, width - indent, not pair))
            if line:
                lines.append(line)
            if pair and mode == "stacked" and right:
                right_title = self._item(row, "right_title")
                cells = ([[(right_title, 0, width, True)]] if right_title and self._by_column else []) + \
                    [[(right, indent, width - indent, False)]]
                (rights if self._by_column else lines).extend(cells)
        return lines + rights

    def _indent(self) -> int:
        """How far a cell is set in under its own title (one line's height in the parent's font)."""
        parent = self.parentWidget()
        return parent.fontMetrics().height() if parent is not None else 12

    def _place(self, rect: QRect, *, move: bool) -> int:
        mode = self.mode(rect.width())
        lines = self._lines(rect.width(), mode)
        placed = {id(item) for line in lines for item, *_ in line}
        y = rect.y()
        for n, line in enumerate(lines):
            sizes = []
            for item, _, w, fill in line:
                w = max(w if fill else min(item.sizeHint().width(), w), item.minimumSize().width())
                h = item.heightForWidth(w) if item.hasHeightForWidth() else item.sizeHint().height()
                sizes.append(QSize(w, max(h, item.minimumSize().height())))
            if move:
                for (item, x, _, _), size in zip(line, sizes):
                    item.setGeometry(QRect(QPoint(rect.x() + x, y), size))
            y += max(s.height() for s in sizes) + (self._spacing if n < len(lines) - 1 else 0)
        if move:   # a right cell's own title is drawn only when stacked by column
            for item in self._items:
                if id(item) not in placed and not item.isEmpty():
                    item.setGeometry(QRect(rect.topLeft(), QSize(0, 0)))
        return y - rect.y()
