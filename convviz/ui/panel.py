"""The base every tab uses: its state, refresh only when visible, lesson hooks.

A panel is a ``QWidget`` bound to the window's :class:`~convviz.model.workspace.Workspace`:
the document every tab shares, and its own evented state (``workspace.states[key]``).
The life of an edit::

    widget signal ─► self.edit(text, field=value)      (one undo step, through the editor)
                  ─► state emits                        (psygnal, Qt-free)
                  ─► self.mark_stale()                  (connected for you)
                  ─► self.refresh()                     (now if visible, else when next shown)
                  ─► slow work? self.runner.submit(...) ─► the result is drawn

A new panel is a copy of a small one (``convviz/ui/flip/panel.py``)::

    class FlipPanel(Panel):
        key, title, shortcut = "flip", "Correlation vs convolution", "Ctrl+7"
        document_fields = ("kernel", "flip")      # document changes that make it stale

        def __init__(self, workspace, parent=None):
            super().__init__(workspace, parent)
            ...build widgets; connect them to self.edit(...)...
            self.refresh()

        def refresh(self):                         # draw self.document and self.state
            ...

Lessons and sessions talk to ``workspace.states[key]`` (``settings()`` /
``changes_from()``), never to widgets; ``lesson_settings`` / ``apply_lesson_settings``
below are the same through the panel, for callers that hold one.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtWidgets import QWidget

from convviz.model import ConvDocument
from convviz.model.panel_state import PanelState
from convviz.model.workspace import Workspace

from .undo import DocumentEditor


class Panel(QWidget):
    """Base of every tab. Subclasses set ``key``, ``title``, ``shortcut``, ``document_fields``
    and implement :meth:`refresh`."""

    key: ClassVar[str] = ""
    title: ClassVar[str] = ""
    shortcut: ClassVar[str] = ""
    #: the document fields this panel draws; a change to one makes the panel stale
    document_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, workspace: Workspace | ConvDocument, parent: QWidget | None = None, *,
                 editor: DocumentEditor | None = None):
        super().__init__(parent)
        if isinstance(workspace, ConvDocument):  # a panel on its own (tests, notebooks): its own workspace
            workspace = Workspace(workspace)
        self.workspace = workspace
        self.document: ConvDocument = workspace.document
        self.editor = editor if editor is not None else DocumentEditor(self.document, parent=self)
        self.state: PanelState | None = workspace.states.get(self.key)
        self._stale = True
        self._connections: list[tuple[Any, Any]] = []
        for name in self.document_fields:
            self._observe(getattr(self.document.events, name), self._on_document_changed)
        if self.state is not None:
            for name in self.state.field_names():
                self._observe(getattr(self.state.events, name), self._on_state_changed)  # type: ignore[attr-defined]
        connections = self._connections
        self.destroyed.connect(lambda *_: _disconnect(connections))

    # -- for subclasses ----------------------------------------------------------------
    def refresh(self) -> None:
        """Draw the document and the state. Called only while visible (or when asked)."""

    def edit(self, text: str, /, **changes) -> bool:
        """Change this panel's state as one undo step; False if refused (``editor.refused`` says why)."""
        assert self.state is not None, f"{type(self).__name__} has no state"
        return self.editor.edit_state(self.state, text, **changes)

    def edit_document(self, text: str, /, **changes) -> bool:
        """Change the shared document as one undo step."""
        return self.editor.edit(text, **changes)

    def mark_stale(self) -> None:
        """Something this panel draws changed: refresh now if visible, else when next shown."""
        self._stale = True
        if self._is_visible():
            self.refresh_now()

    def refresh_now(self) -> None:
        """Refresh at once, visible or not (lessons, exports and tests that need the result now)."""
        self._stale = False
        self.refresh()

    @property
    def stale(self) -> bool:
        return self._stale

    # -- lesson and session hooks (the state's JSON form) ------------------------------
    def lesson_settings(self) -> dict:
        return self.state.settings() if self.state is not None else {}

    def apply_lesson_settings(self, settings: dict) -> None:
        """Set the state from a slide's or session's JSON; ``ValueError`` changes nothing."""
        if self.state is None:
            return
        self.state.apply(**self.state.changes_from(settings))

    # -- machinery ---------------------------------------------------------------------
    def _on_document_changed(self, *_args) -> None:
        self.mark_stale()

    def _on_state_changed(self, *_args) -> None:
        self.mark_stale()

    def _observe(self, signal, slot) -> None:
        signal.connect(slot)
        self._connections.append((signal, slot))

    def _is_visible(self) -> bool:
        try:
            return self.isVisible()
        except RuntimeError:  # the C++ object is gone
            _disconnect(self._connections)
            return False

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh_now()


def _disconnect(connections: list) -> None:
    for signal, slot in connections:
        try:
            signal.disconnect(slot)
        except (ValueError, RuntimeError):
            pass
    connections.clear()
