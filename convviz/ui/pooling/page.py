"""A panel's content that fills the page instead of growing to its preferred height.

The window puts each panel in a resizable scroll area, which sizes a panel whose layout has
height-for-width (any word-wrapped label) to that height — and a box layout's height-for-width is
its items' *preferred* heights, so grids and plots that would like to be large push the panel past
the page and a scroll bar appears. Laying the content out in a :class:`Body` (no height-for-width)
makes the scroll area size the panel to the page, down to its minimum size.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..widgets import named


class Body(QWidget):
    """A plain container that does not report height-for-width to the layouts above it."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return False


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
