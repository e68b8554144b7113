"""The kernel as an editable table: one cell per weight, edits as undo steps.

:class:`KernelTableModel` exposes ``doc.kernel`` one cell per weight
(``EditRole`` a float, ``DisplayRole`` the number as a person writes it).
``setData`` accepts numbers and fractions such as ``1/9`` (parsed by
:func:`convviz.model.numbers.parse_number`); other text is refused with
``refused(message)``, the cell flashes red and the previous value stays; a number that parses
emits ``accepted()`` (so a refusal hint can go). Every change goes through the
:class:`~convviz.ui.undo.DocumentEditor`, so it is one undo step.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLineEdit, QStyledItemDelegate

from convviz.model import format_number
from convviz.model.numbers import HINT, parse_number

REFUSED_COLOUR = QColor(230, 60, 60, 170)


class KernelTableModel(QAbstractTableModel):
    """The document's kernel as an editable table; edits become undo steps."""

    refused = Signal(str)
    accepted = Signal()     # a typed number was parsed (the edit itself may still be refused by the document)

    def __init__(self, editor, parent=None):
        super().__init__(parent)
        self.editor = editor
        self.doc = editor.document
        self._shape = self.doc.kernel.shape
        self.flash_cell: tuple[int, int] | None = None
        self.doc.events.kernel.connect(self._kernel_changed)

    # -- reading --------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else self.doc.kernel.shape[0]

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else self.doc.kernel.shape[1]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        value = float(self.doc.kernel[r, c])
        if role == Qt.ItemDataRole.DisplayRole:
            return format_number(value)
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"Weight at row {r}, column {c}: {value!r}\n"
                    "Type a number or a fraction such as 1/9 or -2/16, then Enter.")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole and self.flash_cell == (r, c):
            return REFUSED_COLOUR
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return str(section)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{'Row' if orientation == Qt.Orientation.Vertical else 'Column'} {section} of the kernel"
        return None

    def flags(self, index):
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    # -- writing --------------------------------------------------------------------
    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        r, c = index.row(), index.column()
        try:
            if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
                number = float(value)
                if not np.isfinite(number):
                    raise ValueError(f"{value!r} is not a finite number: {HINT}.")
            else:
                number = parse_number(str(value))
        except ValueError as exc:
            self.flash(r, c)
            self.refused.emit(f"Kernel cell ({r}, {c}) kept {format_number(self.doc.kernel[r, c])}: {exc}")
            return False
        self.accepted.emit()
        kernel = np.array(self.doc.kernel)
        kernel[r, c] = number
        return self.editor.edit(f"Set kernel weight ({r}, {c}) to {format_number(number)}",
                                kernel=kernel, preset=None)

    def flash(self, r: int, c: int) -> None:
        self.flash_cell = (r, c)
        idx = self.index(r, c)
        self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.BackgroundRole])

    def clear_flash(self) -> None:
        if self.flash_cell is not None:
            idx = self.index(*self.flash_cell)
            self.flash_cell = None
            self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.BackgroundRole])

    def _kernel_changed(self, kernel, old=None) -> None:
        if kernel.shape != self._shape:
            self.beginResetModel()
            self._shape = kernel.shape
            self.flash_cell = None
            self.endResetModel()
            return
        changed = np.argwhere(kernel != old) if old is not None and old.shape == kernel.shape else None
        if changed is None:
            top, bottom = (0, 0), (kernel.shape[0] - 1, kernel.shape[1] - 1)
        elif len(changed):   # only the cells that changed are drawn again (one, for a typed weight)
            top, bottom = tuple(changed.min(axis=0)), tuple(changed.max(axis=0))
        else:
            return
        self.dataChanged.emit(self.index(int(top[0]), int(top[1])), self.index(int(bottom[0]), int(bottom[1])))


class CellDelegate(QStyledItemDelegate):
    """A plain line editor (so fractions can be typed); unchanged text is not written back."""

    def createEditor(self, parent, option, index):
        editor = QLineEdit(parent)
        editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        editor.setToolTip("A number or a fraction such as 1/9; Enter to accept, Esc to cancel")
        return editor

    def setEditorData(self, editor, index):
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        editor.setText(text)
        editor.setProperty("originalText", text)
        editor.selectAll()

    def setModelData(self, editor, model, index):
        if editor.text() != editor.property("originalText"):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
