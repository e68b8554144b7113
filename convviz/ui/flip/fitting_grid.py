"""A number grid whose numbers grow with the application font (presentation mode ×1.5 … ×3) and shrink,
down to a readable floor, to the width it is given — every number whole, never cut to "…".

Columns are as wide as their widest number in the font used, computed from the font's metrics
(no elision); the grid's height follows its width (a narrower grid uses a smaller font).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QHeaderView, QSizePolicy

from ..widgets import NumberGrid
from ..widgets.font_fit import FLOOR_POINTS, FollowsParentFont, largest_fitting_points

#: the usual (unscaled) number size, in points
NORMAL_POINTS = 12.0
#: horizontal room around a number in a cell: the style sheet's padding (2 × 6 px), the style's text
#: margins (2 × 3 px), the grid line and a pixel to spare; vertical: padding (2 × 2 px), line, spare
CELL_PAD_X, CELL_PAD_Y = 22, 8
MARKED_TEXT = QColor(0, 0, 0)


class FittingNumberGrid(FollowsParentFont, NumberGrid):
    """A :class:`~convviz.ui.widgets.NumberGrid` sized by its font: ``NORMAL_POINTS`` or the application
    font if larger, smaller (down to ``FLOOR_POINTS``) when the width it has is too small; below that it
    scrolls rather than cut a number."""

    def __init__(self, name: str, tooltip: str, accessible: str, parent=None):
        super().__init__(name, tooltip, accessible, parent)
        for header in (self.horizontalHeader(), self.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            header.setMinimumSectionSize(1)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.points = self.preferred_points()
        self._fitting = False
        self.watch_parent_font()

    # -- sizes -----------------------------------------------------------------------------
    @staticmethod
    def preferred_points() -> float:
        """The numbers' size when there is room: the application font's, at least ``NORMAL_POINTS``."""
        return max(NORMAL_POINTS, QApplication.font().pointSizeF())

    def _font(self, points: float) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(points)
        return font

    def _sections(self, points: float) -> tuple[list[int], int]:
        """Column widths and the row height at ``points``."""
        metrics = QFontMetrics(self._font(points))
        texts = self.texts()
        columns = [max((metrics.horizontalAdvance(row[c]) for row in texts), default=0) + CELL_PAD_X
                   for c in range(self.columnCount())]
        return columns, metrics.height() + CELL_PAD_Y

    def content_size(self, points: float) -> QSize:
        """The whole grid at ``points``, frame included."""
        columns, row = self._sections(points)
        frame = 2 * self.frameWidth()
        return QSize(sum(columns) + frame, row * self.rowCount() + frame)

    def points_for(self, width: int) -> float:
        """The largest size (in half points) from the preferred one down to the floor whose grid fits ``width``."""
        return largest_fitting_points(self.preferred_points(), lambda p: self.content_size(p).width() <= width,
                                      step=0.5)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self.content_size(self.preferred_points())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        smallest = self.content_size(FLOOR_POINTS)
        return QSize(min(smallest.width(), 160), min(smallest.height(), 120))

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        points = self.points_for(width)
        size = self.content_size(points)
        scroll = self.horizontalScrollBar().sizeHint().height() if size.width() > width else 0
        return size.height() + scroll

    # -- drawing ---------------------------------------------------------------------------
    def show_array(self, values, mark=None) -> None:
        super().show_array(values, mark)
        if mark is not None:   # dark numbers on the light mark, also in the high-contrast (dark) theme
            for (r, c), marked in np.ndenumerate(np.atleast_2d(mark)):
                if marked:
                    self.item(r, c).setForeground(QBrush(MARKED_TEXT))
        self.setMinimumSize(0, 0)
        self.setMaximumSize(self.sizeHint())
        self._fit()
        self.updateGeometry()

    def _fit(self) -> None:
        """Use the size that fits the current width; set every column and row from its metrics."""
        if self._fitting:
            return
        self._fitting = True
        try:
            self.points = self.points_for(self.width())
            self.setFont(self._font(self.points))
            columns, row = self._sections(self.points)
            for c, w in enumerate(columns):
                self.setColumnWidth(c, w)
            for r in range(self.rowCount()):
                self.setRowHeight(r, row)
        finally:
            self._fitting = False

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit()

    # the application font reaches this grid only through its parent: a widget with a style sheet gets no
    # ApplicationFontChange, and one with a font size of its own no FontChange
    def parent_font_changed(self) -> None:
        if not self._fitting:
            self.setMaximumSize(self.sizeHint())
            self._fit()
            self.updateGeometry()
