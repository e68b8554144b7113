"""Table of chained conv layers: kernel, filters, stride and padding per layer, edited in place, and each
layer's and the chain's parameters, multiply-adds, memory and receptive field.

A view: :meth:`LayerStackTable.show_layers` draws the layers it is given; an edit, Add or Remove emits
``layersEdited(text, specs)`` with the whole new chain, and the panel makes it one undo step.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from convviz.model.costs_view import chain_costs, stack_row_texts, stack_total
from convviz.model.layer_stack import ConvLayerSpec, StackCosts
from convviz.model.states.costs import (
    MAX_FILTERS,
    MAX_LAYER_KERNEL,
    MAX_LAYER_STRIDE,
    MAX_LAYERS,
    NEW_LAYER,
    PADDINGS,
)

from ..widgets import named, text_label
from ..widgets.flow_layout import FlowLayout
from .fitting_table import FittingTable

EDIT_COLUMNS = ("Kernel", "Filters", "Stride", "Padding")
RESULT_COLUMNS = ("Output", "Parameters", "Multiply-adds", "Memory", "Receptive field")
_FIELDS = ("kernel_size", "filters", "stride", "padding")


class LayerStackTable(QWidget):
    """The chain of conv layers on an ``(H, W, C)`` input, as :meth:`show_layers` was last given it."""

    #: (undo text, the new tuple of ConvLayerSpec)
    layersEdited = Signal(str, object)

    def __init__(self, parent=None):
        super().__init__(parent)
        named(self, "layerStack", "Chain of conv layers: each layer's output is the next layer's input.",
              "Layer stack")
        self.input_shape = (32, 32, 3)
        self.bias = True
        self.result: StackCosts | None = None
        self.error = ""
        self._specs: tuple[ConvLayerSpec, ...] = ()
        # the layers (edited in place) and their costs: two tables side by side, the costs under the layers when
        # the width is too small (presentation fonts on a small screen)
        self.table = named(FittingTable(0, len(EDIT_COLUMNS)), "layerStackTable",
                           "One row per layer; edit kernel size, filters, stride and padding in place.",
                           "Layer stack table")
        self.cost_table = named(FittingTable(0, len(RESULT_COLUMNS)), "layerStackCosts",
                                "Each layer's output, parameters, multiply-adds, weight memory and receptive field.",
                                "Layer costs table")
        # long headers on two lines, so the costs fit beside the layers on more screens
        for table, headers in ((self.table, EDIT_COLUMNS),
                               (self.cost_table, [h.replace("-", "-\n").replace(" ", "\n") for h in RESULT_COLUMNS])):
            table.setHorizontalHeaderLabels(list(headers))
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
            table.setSelectionBehavior(QTableWidget.SelectRows)
            table.setSelectionMode(QTableWidget.SingleSelection)
            table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.cost_table.fitted.connect(self._match_rows)
        self.table.fitted.connect(self._match_rows)
        self.table.currentCellChanged.connect(lambda row, *_: self._select(self.cost_table, row))
        self.cost_table.currentCellChanged.connect(lambda row, *_: self._select(self.table, row))
        self.add_button = named(QPushButton("Add layer"), "addLayerButton",
                                "Add a layer after the selected one (a copy of it), or at the end.")
        self.remove_button = named(QPushButton("Remove layer"), "removeLayerButton",
                                   "Remove the selected layer (or the last one).")
        self.add_button.clicked.connect(self.add_layer)
        self.remove_button.clicked.connect(self.remove_layer)
        self.total_label = text_label("", "layerStackTotal")
        self.error_label = text_label("", "layerStackError")
        self.error_label.setStyleSheet("color: #b00020;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        tables = QWidget()
        flow = FlowLayout(tables, spacing=0)
        flow.addWidget(self.table)
        flow.addWidget(self.cost_table)
        policy = QSizePolicy(QSizePolicy.Preferred, QSizePolicy.Preferred)
        policy.setHeightForWidth(True)
        tables.setSizePolicy(policy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(tables)
        layout.addLayout(buttons)
        layout.addWidget(self.total_label)
        layout.addWidget(self.error_label)
        layout.addStretch(1)

    # -- reading -----------------------------------------------------------------------
    def specs(self) -> list[ConvLayerSpec]:
        """The layers as drawn."""
        return list(self._specs)

    def editor(self, row: int, column: str):
        """The spin box or combo box of ``column`` (one of EDIT_COLUMNS) in layer ``row``."""
        return self.table.cellWidget(row, EDIT_COLUMNS.index(column))

    def cell_text(self, row: int, column: str) -> str:
        item = self.cost_table.item(row, RESULT_COLUMNS.index(column))
        return item.text() if item else ""

    # -- edits (emitted, never applied here) ---------------------------------------------
    def add_layer(self) -> None:
        specs = list(self._specs)
        if len(specs) >= MAX_LAYERS:
            return
        row = self.table.currentRow()
        row = row if 0 <= row < len(specs) else len(specs) - 1
        specs.insert(row + 1, specs[row] if specs else NEW_LAYER)
        self.layersEdited.emit("Add a layer", tuple(specs))

    def remove_layer(self) -> None:
        specs = list(self._specs)
        if not specs:
            return
        row = self.table.currentRow()
        del specs[row if 0 <= row < len(specs) else len(specs) - 1]
        self.layersEdited.emit("Remove a layer", tuple(specs))

    def _cell_edited(self, widget: QWidget, column: int, value) -> None:
        row = next((r for r in range(self.table.rowCount()) if self.table.cellWidget(r, column) is widget), -1)
        if not 0 <= row < len(self._specs):
            return
        values = [getattr(self._specs[row], name) for name in _FIELDS]
        values[column] = value
        specs = list(self._specs)
        specs[row] = ConvLayerSpec(*values)
        self.layersEdited.emit(f"Layer {row + 1}: {EDIT_COLUMNS[column].lower()}", tuple(specs))

    # -- drawing -----------------------------------------------------------------------
    def show_layers(self, specs, input_shape, bias: bool) -> None:
        """Draw ``specs`` on ``input_shape`` ``(H, W, C)`` with their costs from the model."""
        self._specs = tuple(specs)
        self.input_shape, self.bias = tuple(input_shape), bool(bias)
        if self.table.rowCount() != len(self._specs):
            self.table.setRowCount(0)
            for row in range(len(self._specs)):
                self._insert_row(row)
        for row, spec in enumerate(self._specs):
            for column, name in enumerate(_FIELDS):
                widget = self.table.cellWidget(row, column)
                with QSignalBlocker(widget):
                    value = getattr(spec, name)
                    if isinstance(widget, QComboBox):
                        widget.setCurrentIndex(widget.findData(value))
                    else:
                        widget.setValue(int(value))
        self.result, rows, self.error = chain_costs(self.input_shape, list(self._specs), bias=self.bias)
        self.cost_table.setRowCount(len(self._specs))
        for r in range(len(self._specs)):
            texts = stack_row_texts(rows[r]) if r < len(rows) else ("—",) * len(RESULT_COLUMNS)
            for i, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.cost_table.setItem(r, i, item)
        self.total_label.setText(stack_total(self.result, len(self._specs), self.input_shape))
        self.error_label.setText(self.error)
        self.error_label.setVisible(bool(self.error))
        self.remove_button.setEnabled(len(self._specs) > 0)
        self.add_button.setEnabled(len(self._specs) < MAX_LAYERS)
        self.table.fit()
        self.cost_table.fit()

    def _match_rows(self) -> None:
        """The costs' rows as tall as the layers' (spin boxes), so side by side they read as one table."""
        height = self.table.rowHeight(0) if self.table.rowCount() else 0
        if height != self.cost_table.row_height:
            self.cost_table.row_height = height
            self.cost_table.fit()

    @staticmethod
    def _select(table: QTableWidget, row: int) -> None:
        """Select layer ``row`` in ``table`` too (Add and Remove act on the selected layer)."""
        if row != table.currentRow() and 0 <= row < table.rowCount():
            with QSignalBlocker(table):
                table.setCurrentCell(row, 0)
            table.selectRow(row)

    def _insert_row(self, row: int) -> None:
        self.table.insertRow(row)
        widgets = (self._spin(1, MAX_LAYER_KERNEL, "Kernel side K (a K×K kernel)."),
                   self._spin(1, MAX_FILTERS, "Filters: how many kernels, i.e. output channels."),
                   self._spin(1, MAX_LAYER_STRIDE, "Stride: step between kernel positions."),
                   QComboBox())
        padding = widgets[3]
        for name in PADDINGS:
            padding.addItem(name, name)
        padding.setToolTip("Padding: valid (none), same (output as large as the input), full.")
        for column, widget in enumerate(widgets):
            widget.setAccessibleName(f"Layer {EDIT_COLUMNS[column].lower()}")
            self.table.setCellWidget(row, column, widget)
            if isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(
                    lambda i, w=widget, c=column: self._cell_edited(w, c, w.itemData(i)))
            else:
                widget.valueChanged.connect(lambda v, w=widget, c=column: self._cell_edited(w, c, v))

    def _spin(self, low: int, high: int, tip: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setToolTip(tip)
        spin.setKeyboardTracking(False)
        return spin
