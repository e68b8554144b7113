"""A row of widgets that wraps onto more rows when the width runs out (Qt's flow layout), so the
lecture buttons and the phase chips stay on screen with presentation fonts on a small projector."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    """Items left to right at their preferred sizes, wrapping; as narrow as its widest item.

    With ``stretch`` the items of each row share out the row's spare width (chips of a strip)."""

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 6, stretch: bool = False):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self._stretch = stretch
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

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
        visible = [i.sizeHint() for i in self._items if not i.isEmpty()]
        width = sum(s.width() for s in visible) + self._gap * max(0, len(visible) - 1)
        return QSize(width, max((s.height() for s in visible), default=0))

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize().expandedTo(item.sizeHint().boundedTo(item.maximumSize())))
        return size

    def rows(self, width: int) -> list[list[QLayoutItem]]:
        """The items of each row at ``width`` pixels."""
        rows: list[list[QLayoutItem]] = [[]]
        x = 0
        for item in self._items:
            if item.isEmpty():
                continue
            w = item.sizeHint().width()
            if rows[-1] and x + w > width:
                rows.append([])
                x = 0
            rows[-1].append(item)
            x += w + self._gap
        return rows

    def _place(self, rect: QRect, *, move: bool) -> int:
        y = rect.y()
        for row in self.rows(rect.width()):
            if not row:
                continue
            height = max(item.sizeHint().height() for item in row)
            spare = rect.width() - sum(i.sizeHint().width() for i in row) - self._gap * (len(row) - 1)
            extra = spare // len(row) if self._stretch and spare > 0 else 0
            x = rect.x()
            for item in row:
                w = item.sizeHint().width() + extra
                if move:
                    item.setGeometry(QRect(QPoint(x, y), QSize(w, height)))
                x += w + self._gap
            y += height + self._gap
        return max(0, y - self._gap - rect.y())


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
