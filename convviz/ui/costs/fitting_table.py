"""A table that keeps to the width it has: in the application's font when its columns fit, in a smaller one
(down to a floor) when they do not — presentation fonts on a small screen shrink it rather than make the
page scroll sideways. It is as tall as its header and all its rows.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QHeaderView, QSizePolicy, QTableWidget, QWidget

#: the smallest font (pt) a table shrinks to before it scrolls sideways in itself
FLOOR_POINTS = 8.0


class FittingTable(QTableWidget):
    """A table in the application's font when its columns fit its width, in a smaller one (down to
    ``FLOOR_POINTS``) when they do not; as wide as its columns would like in the application's font and
    as tall as its header and rows in the font it uses. ``fitted`` is emitted after each fit."""

    fitted = Signal()

    def __init__(self, rows: int, columns: int, parent=None):
        super().__init__(rows, columns, parent)
        self._fitting = False
        self._preferred_width = 0
        #: every row this tall when set (rows beside another table's), else as tall as their contents
        self.row_height = 0
        self._watched: QWidget | None = None
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        self._watch_parent()

    def content_width(self) -> int:
        header = self.verticalHeader()
        return ((header.sizeHint().width() if not header.isHidden() else 0) + self.horizontalHeader().length()
                + 2 * self.frameWidth())

    def fit(self) -> None:
        """The largest font from the application's down to the floor whose columns fit the width."""
        if self._fitting:
            return
        self._fitting = True
        try:
            points = QApplication.font().pointSizeF()
            while True:
                font = QFont(self.font())
                font.setPointSizeF(points)
                self.setFont(font)
                self.horizontalHeader().resizeSections(QHeaderView.ResizeMode.ResizeToContents)
                if self.row_height:
                    for r in range(self.rowCount()):
                        self.setRowHeight(r, self.row_height)
                else:
                    self.verticalHeader().resizeSections(QHeaderView.ResizeMode.ResizeToContents)
                if points == QApplication.font().pointSizeF():
                    self._preferred_width = self.content_width()
                if self.content_width() <= self.width() or points <= FLOOR_POINTS:
                    break
                points = max(FLOOR_POINTS, points - 1.0)
            rows = sum(self.rowHeight(r) for r in range(self.rowCount()))
            self.setFixedHeight(self.horizontalHeader().sizeHint().height() + rows + 2 * self.frameWidth()
                                + (self.horizontalScrollBar().sizeHint().height()
                                   if self.content_width() > self.width() else 0))
        finally:
            self._fitting = False
        self.updateGeometry()
        self.fitted.emit()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(self._preferred_width or super().sizeHint().width(), self.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(min(self._preferred_width or 200, 200), self.height())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.fit()

    # the application font reaches a widget with a font of its own only through its parent's FontChange
    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ParentChange and hasattr(self, "_watched"):
            self._watch_parent()
        return super().event(event)

    def _watch_parent(self) -> None:
        parent = self.parentWidget()
        if parent is not self._watched:
            if self._watched is not None:
                self._watched.removeEventFilter(self)
            self._watched = parent
            if parent is not None:
                parent.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if watched is getattr(self, "_watched", self):
            if event.type() == QEvent.Type.FontChange:
                self.fit()
            return False
        return super().eventFilter(watched, event)


