"""The panels the main window shows as tabs beside the Filter view, in order.

Each entry names a QWidget class by import path; the window constructs it as
``cls(document, parent)`` where ``document`` is the window's
:class:`convviz.model.ConvDocument`. Adding a panel is one line here.
"""

from __future__ import annotations

from typing import NamedTuple


class PanelSpec(NamedTuple):
    key: str        # stable id, used for objectName of the tab, QSettings and lessons
    title: str      # tab text
    target: str     # "module:Class"
    shortcut: str   # View-menu shortcut, e.g. "Ctrl+2"


PANELS: list[PanelSpec] = [
]
