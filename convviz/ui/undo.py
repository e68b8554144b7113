"""Undo and redo of every user edit: each action is one QUndoCommand holding snapshots.

Views never call ``doc.apply`` or ``state.apply`` for a user's edit directly: they call
:meth:`DocumentEditor.edit` (the document) or :meth:`DocumentEditor.edit_state` (a tab's
evented state, see :mod:`convviz.model.states`), which check the change and push a
command holding the changed fields before and after. Arrays are read-only and replaced,
never edited, so a snapshot is just references.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from convviz.model.panel_state import same_value

__all__ = ["DocumentEditor", "FieldChange", "same_value"]


class FieldChange(QUndoCommand):
    """One user action on one target (the document or a panel state): fields before and after."""

    def __init__(self, editor: DocumentEditor, target: Any, before: dict, after: dict, text: str):
        super().__init__(text)
        self._editor, self.target, self.before, self.after = editor, target, before, after

    def redo(self):
        self._editor._apply(self.target, self.after)

    def undo(self):
        self._editor._apply(self.target, self.before)


class DocumentEditor(QObject):
    """Applies user edits to the document and to panel states through one ``QUndoStack``.

    ``refused(message)`` is emitted when a change cannot be made (the target stays as it
    was), e.g. a kernel larger than the padded image.
    """

    refused = Signal(str)

    def __init__(self, document, stack: QUndoStack | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self.stack = stack if stack is not None else QUndoStack(self)

    def edit(self, text: str, /, **changes) -> bool:
        """Make document ``changes`` as one undo step named ``text``; False (and ``refused``) if refused."""
        return self.edit_state(self.document, text, **changes)

    def edit_state(self, target, text: str, /, **changes) -> bool:
        """Make ``changes`` to ``target`` (anything with ``checked``/``apply``) as one undo step."""
        try:
            new = target.checked(**changes)
        except ValueError as exc:
            self.refused.emit(str(exc))
            return False
        before = {name: getattr(target, name) for name in new}
        if all(same_value(before[name], new[name]) for name in new):
            return True
        self.stack.push(FieldChange(self, target, before, new, text))
        return True

    def _apply(self, target, values: dict) -> None:
        try:
            target.apply(**values)
        except ValueError as exc:  # e.g. an undo step that no longer fits a newer image
            self.refused.emit(str(exc))
