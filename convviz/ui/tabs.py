"""The window's tabs: the Filter tab, then one tab per registered panel, built when first shown.

A tab's page is an empty widget until its tab is shown (or a lesson, session or test asks for
the panel); then the panel class is constructed as ``cls(workspace, page, editor=editor)``.
Every panel sits in a scroll area that fills its page: a tab whose controls need more room than
the screen has (big presentation fonts on a 1024×768 projector) scrolls instead of making the
whole window wider than the screen (a tab widget is as wide as its widest page).
A panel that raises while being built leaves a note in its tab instead (logged), and the
window carries on.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QTabWidget, QVBoxLayout, QWidget

log = logging.getLogger(__name__)


class PanelTabs(QTabWidget):
    """Tabs whose panels are built on demand; ``panels`` holds those built so far (not the Filter tab)."""

    def __init__(self, workspace, editor, parent=None):
        super().__init__(parent)
        self.setObjectName("panelTabs")
        self.setAccessibleName("Panels")
        self.workspace, self.editor = workspace, editor
        self.panels: dict[str, QWidget] = {}
        self.panel_pages: dict[str, QWidget] = {}
        self._classes: dict[str, type] = {}
        self._titles: dict[str, str] = {}
        self.currentChanged.connect(self._tab_changed)

    def add_built(self, panel: QWidget, tooltip: str) -> QWidget:
        """The first tab: a panel built at once (the Filter tab); returns its page."""
        page = QWidget()
        page.setObjectName(f"{panel.key}Page")
        page.setAccessibleName(panel.title)
        page.setProperty("panelKey", panel.key)
        QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
        page.layout().addWidget(_scrolled(panel))
        self.built_page = page
        index = self.addTab(page, panel.title)
        self.setTabToolTip(index, tooltip)
        return page

    def add_panel(self, cls: type) -> None:
        """A tab for panel class ``cls`` (its ``key``, ``title``, ``shortcut``), built when first shown."""
        page = QWidget()
        page.setObjectName(f"{cls.key}Page")
        page.setAccessibleName(cls.title)
        page.setProperty("panelKey", cls.key)
        QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
        self.panel_pages[cls.key] = page
        self._classes[cls.key] = cls
        self._titles[cls.key] = cls.title
        index = self.addTab(page, cls.title)
        self.setTabToolTip(index, f"{cls.title} ({cls.shortcut})" if cls.shortcut else cls.title)

    def panel_keys(self) -> list[str]:
        """Keys of every registered panel (built or not), in tab order."""
        return list(self.panel_pages)

    def panel(self, key: str, create: bool = True) -> QWidget | None:
        """The panel for ``key``; built now if it was not yet and ``create`` (None if unknown or broken)."""
        widget = self.panels.get(key)
        if widget is None and create and key in self._classes:
            widget = self._build(key)
        return widget

    def _build(self, key: str) -> QWidget | None:
        cls = self._classes.pop(key)
        page = self.panel_pages[key]
        try:
            widget = cls(self.workspace, page, editor=self.editor)
        except Exception:  # a broken panel must not take the window down
            log.exception("convviz: the %r panel (%s) could not be built", key, cls.__name__)
            note = QLabel(f"The {self._titles[key]} panel could not be built; the log says why.", page)
            note.setObjectName(f"{key}PanelError")
            note.setAlignment(Qt.AlignmentFlag.AlignCenter)
            page.layout().addWidget(note)
            if page.isVisible():
                note.show()
            return None
        if not widget.objectName():
            widget.setObjectName(key)
        if not widget.accessibleName():
            widget.setAccessibleName(self._titles[key])
        area = _scrolled(widget)
        page.layout().addWidget(area)
        if page.isVisible():
            area.show()
            widget.show()
        self.panels[key] = widget
        return widget

    def key_of(self, page: QWidget | None) -> str:
        """``"filter"`` or the key of the panel whose page is ``page``."""
        return next((k for k, p in self.panel_pages.items() if p is page), "filter")

    def _tab_changed(self, index: int) -> None:
        key = self.widget(index).property("panelKey") if index >= 0 else None
        if key and key in self.panel_pages:
            self.panel(str(key))


def _scrolled(panel: QWidget) -> QScrollArea:
    """``panel`` in a frameless scroll area that resizes it to fill the page when there is room."""
    area = QScrollArea()
    area.setObjectName(f"{panel.objectName() or 'panel'}Scroll")
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setWidget(panel)
    return area
