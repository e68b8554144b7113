"""Stable names for tests and screen readers, and selectable text labels."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str, tooltip: str | None = None, accessible: str | None = None) -> W:
    """Give ``widget`` a stable objectName, an accessible name and (optionally) a tooltip; returns it."""
    widget.setObjectName(name)
    widget.setAccessibleName(accessible or name)
    if tooltip:
        widget.setToolTip(tooltip)
    return widget


def text_label(text: str = "", name: str | None = None, *, wrap: bool = True, selectable: bool = True,
               label_class: type[QLabel] = QLabel) -> QLabel:
    """A label (a ``label_class``) that wraps and whose text can be selected and copied."""
    label = label_class(text)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(label.textInteractionFlags() | Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        named(label, name)
    return label
