"""A word-wrapped label whose font shrinks until its longest word fits its width and the text its
lines (the player's sum)."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QFontMetricsF
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

#: the font never shrinks below this share of its own size
SMALLEST = 0.5
#: the text is made to fit in this many lines (when the font need not shrink below SMALLEST)
LINES = 2


class FitLabel(QLabel):
    """A label that wraps at spaces and, when a word is still wider than the label or the text needs
    more than :data:`LINES` lines, draws in a smaller font (down to :data:`SMALLEST` of
    :meth:`set_base_font`'s), so nothing is cut off."""

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

    def _lines(self, font: QFont, room: int) -> int:
        """Lines the text takes at ``room`` pixels wide in ``font`` (Qt's own word wrap)."""
        metrics = QFontMetrics(font)
        rect = metrics.boundingRect(QRect(0, 0, room, 100_000), int(Qt.TextFlag.TextWordWrap), self.text())
        return round(rect.height() / max(1, metrics.lineSpacing()))

    def _fit(self) -> None:
        font = QFont(self._base)
        room = self.contentsRect().width() - 4
        words = self.text().split()
        scale = 1.0
        if room > 0 and words:
            widest = max(QFontMetricsF(font).horizontalAdvance(w) for w in words)
            scale = min(1.0, room / widest) if widest > 0 else 1.0
            while scale > SMALLEST and self._lines(_scaled(font, scale), room) > LINES:
                scale *= 0.92
        font = _scaled(font, max(SMALLEST, scale))
        if font != self.font():
            self.setFont(font)


def _scaled(font: QFont, scale: float) -> QFont:
    out = QFont(font)
    if scale < 1:
        if out.pointSizeF() > 0:
            out.setPointSizeF(out.pointSizeF() * scale)
        else:
            out.setPixelSize(max(1, round(out.pixelSize() * scale)))
    return out
