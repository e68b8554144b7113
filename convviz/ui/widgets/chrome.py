"""Editing chrome: widgets that only matter while editing, hidden by presentation mode.

A panel marks its editing-only controls (spin boxes, action buttons, settings groups) with
:func:`mark_editing_chrome`; presentation mode (``ui/classroom/presentation.py``) hides every
marked widget that is visible and shows it again on leaving, so the pictures and numbers a
lecture is about get the space. Tool bars are editing chrome unless marked otherwise.
"""

from __future__ import annotations

from PySide6.QtWidgets import QToolBar, QWidget

CHROME_PROPERTY = "convvizEditingChrome"


def mark_editing_chrome(widget: QWidget, chrome: bool = True) -> QWidget:
    """Say whether presentation mode hides ``widget``; returns it."""
    widget.setProperty(CHROME_PROPERTY, bool(chrome))
    return widget


def is_editing_chrome(widget: QWidget) -> bool:
    value = widget.property(CHROME_PROPERTY)
    if value is not None:
        return bool(value)
    return isinstance(widget, QToolBar)
