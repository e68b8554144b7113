"""What the widgets whose font follows presentation mode share: hearing the parent's font change, and the
largest font size that fits.

A widget with a font of its own (a scaled label, a table that shrinks its numbers) is not sent the
application's new font; only its parent is (a ``FontChange``). :class:`FollowsParentFont` watches the
parent, whichever it is, and calls :meth:`~FollowsParentFont.parent_font_changed`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QWidget

#: the smallest font (pt) a fitting table or grid shrinks to before it scrolls sideways in itself
FLOOR_POINTS = 8.0


def largest_fitting_points(start: float, fits: Callable[[float], bool], *, step: float,
                           floor: float = FLOOR_POINTS) -> float:
    """The first size from ``start`` down by ``step`` to ``floor`` (``floor`` included) for which
    ``fits(points)`` is true; ``floor`` when none is. ``fits`` is called last with the size returned."""
    points = start
    while not fits(points) and points > floor:
        points = max(floor, points - step)
    return points


def bold_within(font: QFont, text: str, room: float, smallest: float) -> QFont:
    """``font`` in bold, smaller (down to ``smallest`` of its size) when ``text`` is wider than ``room`` pixels."""
    out = QFont(font)
    out.setBold(True)
    wide = QFontMetrics(out).horizontalAdvance(text)
    if wide > room > 0:
        scale = max(smallest, room / wide)
        if out.pointSizeF() > 0:
            out.setPointSizeF(out.pointSizeF() * scale)
        else:
            out.setPixelSize(max(1, round(out.pixelSize() * scale)))
    return out


class FollowsParentFont:
    """Mixin for a QWidget (listed before the Qt class): :meth:`parent_font_changed` is called when its
    parent's font changes, :meth:`parent_replaced` when it gets a new parent. Call :meth:`watch_parent_font`
    once at the end of ``__init__``."""

    _font_parent: QWidget | None = None

    def watch_parent_font(self) -> bool:
        """Watch the current parent (and stop watching the one before); True when the parent is new."""
        parent = self.parentWidget()  # type: ignore[attr-defined]
        if parent is self._font_parent:
            return False
        if self._font_parent is not None:
            self._font_parent.removeEventFilter(self)  # type: ignore[arg-type]
        self._font_parent = parent
        if parent is not None:
            parent.installEventFilter(self)  # type: ignore[arg-type]
        return True

    def parent_font_changed(self) -> None:
        """The parent's font changed: follow it."""

    def parent_replaced(self) -> None:
        """A new parent (whose font may differ) is watched."""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ParentChange and self.watch_parent_font():
            self.parent_replaced()
        return super().event(event)  # type: ignore[misc]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self._font_parent and watched is not None:
            if event.type() == QEvent.Type.FontChange:
                self.parent_font_changed()
            return False
        return super().eventFilter(watched, event)  # type: ignore[misc]
