"""Sizes that follow the font, so grids and pictures grow with presentation mode's fonts (×1.5 … ×3) instead
of being squeezed to a sliver under text that grew, and a grid's title never has a word cut off."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QWidget

_ATTR = "_convviz_font_sized"


class _FontSized(QObject):
    def __init__(self, widget: QWidget, high: float, least: int, most: float | None,
                 title: Callable[[], str] | None):
        super().__init__(widget)
        self.widget, self.high, self.least, self.most, self.title = widget, high, least, most, title
        widget.installEventFilter(self)
        self.apply()

    def apply(self) -> None:
        line = QFontMetrics(self.widget.font()).height()
        width = self.least
        if self.title is not None:
            bold = QFont(self.widget.font())
            bold.setBold(True)
            metrics = QFontMetrics(bold)
            width = max(width, max((metrics.horizontalAdvance(w) for w in self.title().split()), default=0) + 14)
        height = max(self.least, round(self.high * line))
        if self.most is not None:
            self.widget.setMaximumHeight(max(height, round(self.most * line)))
        self.widget.setMinimumSize(width, height)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.widget and event.type() == QEvent.Type.FontChange:
            self.apply()
        return False


def font_sized(widget: QWidget, high: float, least: int = 80, *, most: float | None = None,
               title: Callable[[], str] | None = None) -> QWidget:
    """Keep ``widget`` at least ``high`` text lines of its font high (and ``least`` pixels high and wide), at
    most ``most`` lines high when given; with ``title`` (a function returning the title it draws) at least as
    wide as the title's longest word in bold, so a narrow widget wraps its title between words instead of
    cutting a word. Returns ``widget``."""
    setattr(widget, _ATTR, _FontSized(widget, high, least, most, title))
    return widget


def refit(widget: QWidget) -> None:
    """Apply :func:`font_sized` again (after the widget's title changed)."""
    fitter = getattr(widget, _ATTR, None)
    if fitter is not None:
        fitter.apply()
