"""A keyboard shortcut that works while focus is anywhere inside one widget."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


def add_shortcut(owner: QWidget, keys: str, slot: Callable[[], object]) -> QAction:
    """Call ``slot`` when ``keys`` are pressed with focus in ``owner`` or one of its children."""
    action = QAction(owner)
    action.setShortcut(QKeySequence(keys))
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.triggered.connect(lambda _=False: slot())
    owner.addAction(action)
    return action
