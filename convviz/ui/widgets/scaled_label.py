"""A label whose font is a fixed multiple of its parent's, so it grows with presentation mode's fonts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from .font_fit import FollowsParentFont
from .naming import named


class ScaledLabel(FollowsParentFont, QLabel):
    """A selectable, word-wrapped label ``scale`` times its parent's font, following it when it changes
    (presentation mode makes every font larger)."""

    def __init__(self, name: str, scale: float, text: str = "", parent: QWidget | None = None):
        super().__init__(text, parent)
        named(self, name)
        self._scale = float(scale)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.watch_parent_font()
        self._rescale()

    def _rescale(self) -> None:
        parent = self.parentWidget()
        font = QFont(parent.font() if parent is not None else QApplication.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * self._scale)
        else:
            font.setPixelSize(round(font.pixelSize() * self._scale))
        self.setFont(font)

    parent_font_changed = parent_replaced = _rescale
