"""A panel's content that fills the page instead of growing to its preferred height.

The window puts each panel in a resizable scroll area, which sizes a panel whose layout has
height-for-width (any word-wrapped label) to that height — and a box layout's height-for-width is
its items' *preferred* heights, so grids and plots that would like to be large push the panel past
the page and a scroll bar appears. Laying the content out in a :class:`Body` (no height-for-width,
a minimum height that counts its wrapped labels) makes the scroll area size the panel to the page,
down to that minimum.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QVBoxLayout, QWidget


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
