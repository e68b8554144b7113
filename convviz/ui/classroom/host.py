"""What the classroom features need from the main window, in one adapter.

Lessons, sessions, autosave and export talk to a :class:`WindowHost`, never to the window's
internals, so the window can change without breaking them. Panels take part through a small
protocol: a panel may implement ``apply_lesson_settings(settings: dict)`` (a lesson slide or a
session sets it up) and ``lesson_settings() -> dict`` (what a session saves; simple JSON values).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QTabWidget, QWidget

from convviz.model import ConvDocument

FILTER_KEY = "filter"


class WindowHost:
    """Adapter over the main window: its document, its panels (by key) and where its image came from."""

    def __init__(self, window: QWidget):
        self.window = window
        self._image_source: dict | None = None
        self._image = None
        self._sample_checked: tuple | None = None  # (image, sample_source of it)

    # -- the document ------------------------------------------------------------
    @property
    def document(self) -> ConvDocument:
        doc = getattr(self.window, "document", None)
        if callable(doc):
            doc = doc()
        if not isinstance(doc, ConvDocument):
            doc = getattr(self.window, "doc", None)
        return doc

    def _editor(self):
        return getattr(self.window, "editor", None)

    def apply_document(self, changes: dict, text: str = "Lesson slide") -> None:
        """Apply ``changes`` as one (undoable, when the window has an undo stack) change; ValueError if refused."""
        if not changes:
            return
        doc = self.document
        new = doc.checked(**changes)  # raises before anything changes
        editor = self._editor()
        if editor is not None and hasattr(editor, "edit"):
            if not editor.edit(text, **new):
                raise ValueError("the window refused the change")
        else:
            doc.apply(**new)

    # -- image source (for sessions and "copy as code") ------------------------------
    def set_image_source(self, source: dict | None) -> None:
        """Remember where the document's current image came from (``{"path": …}``, ``{"sample": …}``)."""
        self._image_source = dict(source) if source else None
        self._image = self.document.image if source else None

    def image_source(self) -> dict | None:
        """Where the current image came from, if it is still the image that was loaded from there."""
        path = getattr(self.window, "image_path", None)
        if callable(path):
            path = path()
        if path:
            return file_source(path)
        doc = self.document
        if self._image_source is not None and self._image is doc.image:
            return dict(self._image_source)
        # decoding the sample to compare costs a file read: do it once per image, not on every autosave
        if self._sample_checked is None or self._sample_checked[0] is not doc.image:
            self._sample_checked = (doc.image, sample_source(doc))
        found = self._sample_checked[1]
        return dict(found) if found else None

    # -- panels ------------------------------------------------------------------------
    def tabs(self) -> QTabWidget | None:
        tabs = getattr(self.window, "tabs", None)
        if isinstance(tabs, QTabWidget):
            return tabs
        return self.window.findChild(QTabWidget, "panelTabs") or self.window.findChild(QTabWidget)

    def _panels(self) -> dict[str, QWidget]:
        """Every panel by key, in tab order: the window's ``panels`` dict, else keys from objectNames."""
        tabs = self.tabs()
        known = getattr(self.window, "panels", None)
        known = known if isinstance(known, dict) else {}
        by_widget = {id(w): k for k, w in known.items()}
        out: dict[str, QWidget] = {}
        for i in range(tabs.count() if tabs is not None else 0):
            w = tabs.widget(i)
            key = by_widget.get(id(w)) or _key_of(w)
            if key:
                out[key] = w
        for key, w in known.items():
            out.setdefault(key, w)
        return out

    def _window_keys(self) -> list[str]:
        """Keys of the panels the window builds on demand (its ``panel_keys()``), if it has that API."""
        keys = getattr(self.window, "panel_keys", None)
        return list(keys()) if callable(keys) and callable(getattr(self.window, "panel", None)) else []

    def has_panel(self, key: str) -> bool:
        """True when the window has a panel for ``key`` (built or not), without building it."""
        return key in self._window_keys() or key in self._panels()

    def panel(self, key: str, create: bool = True) -> QWidget | None:
        """The panel widget for ``key`` (a :data:`convviz.ui.panels.PANELS` key, or ``"filter"``).

        A window that builds its panels on demand (``window.panel(key, create)``) builds it now
        unless ``create`` is False (then None while it was never shown).
        """
        if key in self._window_keys():
            return self.window.panel(key, create=create)
        return self._panels().get(key)

    def panel_keys(self) -> list[str]:
        return list(self._panels())

    def current_panel(self) -> str | None:
        tabs = self.tabs()
        current = tabs.currentWidget() if tabs is not None else None
        return next((k for k, w in self._panels().items() if w is current), None)

    def show_panel(self, key: str) -> bool:
        tabs, widget = self.tabs(), self.panel(key)
        if tabs is None or widget is None:
            return False
        index = tabs.indexOf(widget)
        if index < 0:  # the panel sits inside a page of the tab widget
            parent = widget.parentWidget()
            while parent is not None and tabs.indexOf(parent) < 0:
                parent = parent.parentWidget()
            if parent is None:
                return False
            index = tabs.indexOf(parent)
        tabs.setCurrentIndex(index)
        return True

    def apply_panel_settings(self, key: str, settings: dict) -> bool:
        widget = self.panel(key)
        method = getattr(widget, "apply_lesson_settings", None)
        if method is None:
            return False
        method(dict(settings))
        return True

    def panel_settings(self) -> dict:
        """``{key: settings}`` of every built panel that implements ``lesson_settings()``."""
        out = {}
        for key in self.panel_keys():  # panels never built have their defaults: nothing to save
            method = getattr(self.panel(key, create=False), "lesson_settings", None)
            if method is not None:
                out[key] = dict(method())
        return out


def _key_of(widget: QWidget | None) -> str | None:
    """A panel's key: its ``panel_key`` attribute, or its objectName without a ``Panel``/``Tab`` suffix."""
    if widget is None:
        return None
    key = getattr(widget, "panel_key", None) or widget.property("panelKey")
    if key:
        return str(key)
    name = widget.objectName()
    for suffix in ("Panel", "Tab", "Page"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name or None


def file_source(path) -> dict:
    """``{"sample": name}`` for a bundled sample image file, else ``{"path": absolute}``."""
    from pathlib import Path

    from convviz.paths import resource_path

    resolved = Path(path).resolve()
    try:
        is_sample = resolved.parent == resource_path("images").resolve()
    except FileNotFoundError:
        is_sample = False
    return {"sample": resolved.name} if is_sample else {"path": str(resolved)}


def sample_source(doc: ConvDocument) -> dict | None:
    """``{"sample": name}`` when the document shows a bundled sample image unchanged, else None."""
    from convviz.io import load_image
    from convviz.paths import resource_path

    name = doc.image_name
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    try:
        path = resource_path("images", name)
        if not path.is_file():
            return None
        pixels = load_image(path)
    except (OSError, ValueError):
        return None
    if pixels.shape == doc.image.shape and bool(np.array_equal(pixels, doc.image)):
        return {"sample": name}
    return None
