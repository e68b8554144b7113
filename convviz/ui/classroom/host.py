"""What the classroom features need from the main window, in one adapter.

Lessons, sessions, autosave and export talk to a :class:`WindowHost`, never to the window's
internals. The window (:class:`~convviz.ui.main_window.MainWindow`) offers ``workspace``
(the document and every tab's evented state), ``editor`` (undo), ``panel(key, create)``,
``panel_keys()``, ``show_panel(key)``, ``current_panel_key()`` and ``image_path``.
Panel settings are the tabs' states (``workspace.states``), so a session saves every tab's
settings whether or not it was ever built.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QTabWidget, QWidget

from convviz.model import ConvDocument

FILTER_KEY = "filter"


class WindowHost:
    """Adapter over the main window: its workspace, its panels (by key) and where its image came from."""

    def __init__(self, window):
        self.window = window
        self.workspace = window.workspace
        self._image_source: dict | None = None
        self._image = None
        self._sample_checked: tuple | None = None  # (image, sample_source of it)

    # -- the document ------------------------------------------------------------
    @property
    def document(self) -> ConvDocument:
        return self.workspace.document

    def apply_document(self, changes: dict, text: str = "Lesson slide") -> None:
        """Apply ``changes`` as one undoable change; ``ValueError`` if refused (nothing changes)."""
        if not changes:
            return
        new = self.document.checked(**changes)  # raises before anything changes
        if not self.window.editor.edit(text, **new):
            raise ValueError("the window refused the change")

    # -- image source (for sessions and "copy as code") ------------------------------
    def set_image_source(self, source: dict | None) -> None:
        """Remember where the document's current image came from (``{"path": …}``, ``{"sample": …}``)."""
        self._image_source = dict(source) if source else None
        self._image = self.document.image if source else None

    def image_source(self) -> dict | None:
        """Where the current image came from, if it is still the image that was loaded from there."""
        path = self.window.image_path
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
    def tabs(self) -> QTabWidget:
        return self.window.tabs

    def has_panel(self, key: str) -> bool:
        """True when the window has a panel for ``key`` (built or not), without building it."""
        return key == FILTER_KEY or key in self.window.panel_keys()

    def panel(self, key: str, create: bool = True) -> QWidget | None:
        """The panel widget for ``key`` (``"filter"`` too); built now unless ``create`` is False."""
        return self.window.panel(key, create=create)

    def panel_keys(self) -> list[str]:
        return [FILTER_KEY, *self.window.panel_keys()]

    def current_panel(self) -> str | None:
        return self.window.current_panel_key()

    def show_panel(self, key: str) -> bool:
        return self.window.show_panel(key)

    def apply_panel_settings(self, key: str, settings: dict) -> bool:
        """Set a tab's state from JSON (a slide or a session); ``ValueError`` changes nothing.

        A tab without an evented state yet takes them through its ``apply_lesson_settings``."""
        state = self.workspace.states.get(key)
        if state is not None:
            state.apply(**state.changes_from(dict(settings)))
            return True
        method = getattr(self.panel(key), "apply_lesson_settings", None)
        if method is None:
            return False
        method(dict(settings))
        return True

    def panel_settings(self) -> dict:
        """``{key: settings}`` of every tab: its state's JSON (built or not), or a built panel's
        ``lesson_settings()`` for a tab without an evented state."""
        out = {key: dict(value) for key, value in self.workspace.settings().items()}
        for key in self.window.panel_keys():
            if key not in out:
                method = getattr(self.panel(key, create=False), "lesson_settings", None)
                if method is not None:
                    out[key] = dict(method())
        return out


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
