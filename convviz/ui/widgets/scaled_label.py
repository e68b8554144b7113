"""A label whose font is a fixed multiple of its parent's, so it grows with presentation mode's fonts."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from .naming import named


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
