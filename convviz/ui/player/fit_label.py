"""A word-wrapped label whose font shrinks until its longest word fits its width (the player's sum)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

#: the font never shrinks below this share of its own size
SMALLEST = 0.5


class FitLabel(QLabel):
    """A label that wraps at spaces and, when a word is still wider than the label, draws in a
    smaller font (down to :data:`SMALLEST` of :meth:`set_base_font`'s), so nothing is cut off."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._base = QFont(self.font())
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_base_font(self, font: QFont) -> None:
        """The font the label draws in when its text fits."""
        self._base = QFont(font)
        self._fit()

    def base_font(self) -> QFont:
        return QFont(self._base)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        font = QFont(self._base)
        words = self.text().split()
        room = self.contentsRect().width() - 4
        widest = max((QFontMetricsF(font).horizontalAdvance(w) for w in words), default=0.0)
        if widest > room > 0:
            scale = max(SMALLEST, room / widest)
            if font.pointSizeF() > 0:
                font.setPointSizeF(font.pointSizeF() * scale)
            else:
                font.setPixelSize(max(1, round(font.pixelSize() * scale)))
        if font != self.font():
            self.setFont(font)
