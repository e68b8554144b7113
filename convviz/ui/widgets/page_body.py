"""A panel's content that fills the page instead of growing to its preferred height.

The window puts each panel in a resizable scroll area, which sizes a panel whose layout has
height-for-width (any word-wrapped label) to that height — and a box layout's height-for-width is
its items' *preferred* heights, so grids and plots that would like to be large push the panel past
the page and a scroll bar appears. Laying the content out in a :class:`Body` (no height-for-width,
a minimum height that counts its wrapped labels) makes the scroll area size the panel to the page,
down to that minimum. :func:`columns` puts parts of a page side by side, or under each other when the page is
too narrow for them (a projector at large presentation fonts).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLayout, QSizePolicy, QVBoxLayout, QWidget

from .flow_layout import FlowLayout


class Body(QWidget):
    """A container that does not report height-for-width to the layouts above it; its minimum height is its
    layout's minimum for the width it has (wrapped labels included), so a small page scrolls instead of
    drawing labels over each other."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return False

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        hint = super().minimumSizeHint()
        layout = self.layout()
        if layout is not None and layout.hasHeightForWidth():
            width = self.width()
            if not self.testAttribute(Qt.WidgetAttribute.WA_Resized) and self.parentWidget() is not None:
                width = self.parentWidget().width()     # not laid out yet: it will fill its parent
            width = max(width, hint.width())
            hint.setHeight(max(hint.height(), layout.minimumHeightForWidth(width)))
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


class Column(Body):
    """A :class:`Body` that would like its minimum size, so that in :func:`columns` parts stand side by side
    whenever their minimum widths fit, share the spare width and height, and wrap under each other otherwise."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self.minimumSizeHint()


def columns(*parts: tuple[QWidget | QLayout, int]) -> QWidget:
    """A widget holding ``parts`` (a widget or a layout, and its share of the spare width) side by side, each
    part under the one before when the width runs out; the last row takes any spare height (add it to the page
    with a stretch)."""
    holder = QWidget()
    flow = FlowLayout(holder, spacing=8, stretch=True, grow_last_row=True)
    for part, share in parts:
        column = Column()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        if isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
        flow.addWidget(column, share)
    policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
    policy.setHeightForWidth(True)
    holder.setSizePolicy(policy)
    return holder
