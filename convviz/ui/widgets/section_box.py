"""A framed section of a tab whose title wraps, so the section can be narrower than its title.

A ``QGroupBox`` is never narrower than its title on one line; at presentation fonts (×3) a sentence-long title
is wider than a 1024-pixel projector, and the tab scrolls sideways. :class:`SectionBox` draws the same frame with
the title as a bold word-wrapped label inside it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QVBoxLayout, QWidget

from .flow_layout import line_label


class SectionBox(QGroupBox):
    """A group box titled ``title`` (bold, wrapping when the box is narrow); lay its content out in
    :attr:`content` (a ``QVBoxLayout`` under the title)."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(title)
        self.heading = line_label()
        self.content = QVBoxLayout(self)
        self.content.setContentsMargins(8, 6, 8, 6)   # the title is inside: no room kept for a frame title
        self.content.addWidget(self.heading, 0, Qt.AlignmentFlag.AlignTop)
        self.set_title(title)

    def set_title(self, title: str) -> None:
        self.heading.setText(f"<b>{title}</b>")
        self.setAccessibleName(title)

    def title_text(self) -> str:
        return self.accessibleName()
