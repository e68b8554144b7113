"""Undo and redo of document edits: each user action is one QUndoCommand holding snapshots.

Views never call ``doc.apply`` for a user's edit directly: they call
:meth:`DocumentEditor.edit`, which checks the change, and pushes a command
holding the changed fields before and after (the document's arrays are
read-only, so a snapshot is just references).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack


def same_value(a, b) -> bool:
    """Field equality that understands arrays (same shape and values)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape \
            and bool(np.array_equal(a, b))
    return a == b


class DocumentChange(QUndoCommand):
    """One user action: the changed fields before and after."""

    def __init__(self, editor: DocumentEditor, before: dict, after: dict, text: str):
        super().__init__(text)
        self._editor, self.before, self.after = editor, before, after

    def redo(self):
        self._editor._apply(self.after)

    def undo(self):
        self._editor._apply(self.before)


class DocumentEditor(QObject):
    """Applies user edits to a :class:`~convviz.model.ConvDocument` through a ``QUndoStack``.

    ``refused(message)`` is emitted when a change cannot be made (the document
    stays as it was), e.g. a kernel larger than the padded image.
    """

    refused = Signal(str)

    def __init__(self, document, stack: QUndoStack | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self.stack = stack if stack is not None else QUndoStack(self)

    def edit(self, text: str, **changes) -> bool:
        """Make ``changes`` as one undo step named ``text``; False (and ``refused``) if refused."""
        try:
            new = self.document.checked(**changes)
        except ValueError as exc:
            self.refused.emit(str(exc))
            return False
        before = {name: getattr(self.document, name) for name in new}
        if all(same_value(before[name], new[name]) for name in new):
            return True
        self.stack.push(DocumentChange(self, before, new, text))
        return True

    def _apply(self, values: dict) -> None:
        try:
            self.document.apply(**values)
        except ValueError as exc:  # e.g. an undo step that no longer fits a newer image
            self.refused.emit(str(exc))
