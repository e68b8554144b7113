"""A panel's content that fills the page instead of growing to its preferred height.

The window puts each panel in a resizable scroll area, which sizes a panel whose layout has
height-for-width (any word-wrapped label) to that height — and a box layout's height-for-width is
its items' *preferred* heights, so grids and plots that would like to be large push the panel past
the page and a scroll bar appears. Laying the content out in a :class:`Body` (no height-for-width,
a minimum height that counts its wrapped labels) makes the scroll area size the panel to the page,
down to that minimum.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from ..widgets import named


class Body(QWidget):
    """A container that does not report height-for-width to the layouts above it; its minimum height is its
    layout's minimum for the width it has (wrapped labels included), so a small page scrolls instead of
    drawing labels over each other."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return False

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        hint = super().minimumSizeHint()
        layout = self.layout()
        if layout is not None and layout.hasHeightForWidth() and self.width() > 0:
            hint.setHeight(max(hint.height(), layout.minimumHeightForWidth(self.width())))
        return hint

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()   # the minimum height depends on the width


def page_body(panel: QWidget) -> QVBoxLayout:
    """Give ``panel`` a :class:`Body` filling it; returns the body's layout for the panel's content."""
    outer = QVBoxLayout(panel)
    outer.setContentsMargins(0, 0, 0, 0)
    body = Body(panel)
    body.setObjectName(f"{panel.objectName() or 'panel'}Body")
    outer.addWidget(body)
    return QVBoxLayout(body)


class ErrorLabel(QLabel):
    """A red, selectable, word-wrapped message that takes no room while it is empty."""

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        named(self, name)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet("color: #b00020;")
        self.setVisible(False)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        self.setVisible(bool(text))


class ScaledLabel(QLabel):
    """A selectable, word-wrapped label ``scale`` times its parent's font, following it when it changes
    (presentation mode makes every font larger)."""

    def __init__(self, name: str, scale: float, text: str = "", parent: QWidget | None = None):
        super().__init__(text, parent)
        named(self, name)
        self._scale = float(scale)
        self._watched: QWidget | None = None
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._follow_parent()

    def _follow_parent(self) -> None:
        parent = self.parentWidget()
        if parent is not self._watched:
            if self._watched is not None:
                self._watched.removeEventFilter(self)
            self._watched = parent
            if parent is not None:
                parent.installEventFilter(self)
        self._rescale()

    def _rescale(self) -> None:
        parent = self.parentWidget()
        font = QFont(parent.font() if parent is not None else QApplication.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * self._scale)
        else:
            font.setPixelSize(round(font.pixelSize() * self._scale))
        self.setFont(font)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ParentChange:
            self._follow_parent()
        return super().event(event)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if watched is self._watched and event.type() == QEvent.Type.FontChange:
            self._rescale()
        return False


def show_cells(grid, colours: np.ndarray, texts: list[list[str]], padding: np.ndarray | None = None) -> bool:
    """``grid.set_cells(...)`` unless the grid already shows exactly these cells (a step that only moves the
    window or the filled count then repaints nothing else); True when it was redrawn."""
    shown = getattr(grid, "_convviz_cells", None)
    if shown is not None and shown[1] == texts and np.array_equal(shown[0], colours) and (
            (shown[2] is None and padding is None) or
            (shown[2] is not None and padding is not None and np.array_equal(shown[2], padding))):
        return False
    grid._convviz_cells = (colours, texts, padding)
    grid.set_cells(colours, texts, padding)
    return True
