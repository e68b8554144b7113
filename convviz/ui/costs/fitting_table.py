"""A table that keeps to the width it has: in the application's font when its columns fit, in a smaller one
(down to a floor) when they do not — presentation fonts on a small screen shrink it rather than make the
page scroll sideways. It is as tall as its header and all its rows.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QHeaderView, QSizePolicy, QTableWidget

from ..widgets.font_fit import FollowsParentFont, largest_fitting_points


class FittingTable(FollowsParentFont, QTableWidget):
    """A table in the application's font when its columns fit its width, in a smaller one (down to
    :data:`~convviz.ui.widgets.font_fit.FLOOR_POINTS`) when they do not; as wide as its columns would like
    in the application's font and as tall as its header and rows in the font it uses. ``fitted`` is emitted
    after each fit."""

    fitted = Signal()

    def __init__(self, rows: int, columns: int, parent=None):
        super().__init__(rows, columns, parent)
        self._fitting = False
        self._preferred_width = 0
        #: every row this tall when set (rows beside another table's), else as tall as their contents
        self.row_height = 0
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        self.watch_parent_font()

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
            largest_fitting_points(QApplication.font().pointSizeF(), self._fits_at, step=1.0)
            rows = sum(self.rowHeight(r) for r in range(self.rowCount()))
            self.setFixedHeight(self.horizontalHeader().sizeHint().height() + rows + 2 * self.frameWidth()
                                + (self.horizontalScrollBar().sizeHint().height()
                                   if self.content_width() > self.width() else 0))
        finally:
            self._fitting = False
        self.updateGeometry()
        self.fitted.emit()

    def _fits_at(self, points: float) -> bool:
        """Set the font to ``points`` and the sections to their contents; whether the columns fit the width."""
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
        return self.content_width() <= self.width()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(self._preferred_width or super().sizeHint().width(), self.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(min(self._preferred_width or 200, 200), self.height())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.fit()

    # the application font reaches a widget with a font of its own only through its parent's FontChange
    parent_font_changed = fit
