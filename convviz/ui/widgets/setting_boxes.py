"""The combo and spin boxes of a tab's settings row: named, and reporting the value a person chose."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QSpinBox

from .naming import named


def choice_box(name: str, items: dict[Any, str], tip: str, accessible: str,
               chosen: Callable[[Any], Any]) -> QComboBox:
    """A combo box of ``items`` (key → text shown; the key is the item's data) calling ``chosen(key)`` when the
    selection changes."""
    box = named(QComboBox(), name, tip, accessible)
    for key, text in items.items():
        box.addItem(text, key)
    box.currentIndexChanged.connect(lambda i: chosen(box.itemData(i)))
    return box


def number_spin(name: str, low: int, high: int, tip: str, accessible: str,
                chosen: Callable[[int], Any]) -> QSpinBox:
    """A spin box of ``low … high`` calling ``chosen(value)`` when a value is entered (not on every key typed)."""
    spin = named(QSpinBox(), name, tip, accessible)
    spin.setRange(low, high)
    spin.setKeyboardTracking(False)
    spin.valueChanged.connect(lambda v: chosen(int(v)))
    return spin
