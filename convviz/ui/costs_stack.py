"""Table of chained conv layers: the user edits kernel, filters, stride and padding per layer
and reads each layer's and the stack's parameters, multiply-adds, memory and receptive field."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from convviz.model.layer_stack import ConvLayerSpec, StackCosts, stack_costs

from .costs_common import bytes_text, count_text, named, text_label

EDIT_COLUMNS = ("Kernel", "Filters", "Stride", "Padding")
RESULT_COLUMNS = ("Output", "Parameters", "Multiply-adds", "Memory", "Receptive field")
PADDINGS = ("valid", "same", "full")
DEFAULT_LAYERS = (ConvLayerSpec(5, 64, 1, "valid"), ConvLayerSpec(3, 128, 2, "same"))
MAX_LAYERS = 12


class LayerStackTable(QWidget):
    """Editable chain of conv layers on an ``(H, W, C)`` input; emits ``changed`` after every edit."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        named(self, "layerStack", "Chain of conv layers: each layer's output is the next layer's input.",
              "Layer stack")
        self.input_shape = (32, 32, 3)
        self.bias = True
        self.result: StackCosts | None = None
        self.error = ""
        self.table = named(QTableWidget(0, len(EDIT_COLUMNS) + len(RESULT_COLUMNS)), "layerStackTable",
                           "One row per layer; edit kernel size, filters, stride and padding in place.",
                           "Layer stack table")
        self.table.setHorizontalHeaderLabels(EDIT_COLUMNS + RESULT_COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.total_label)
        layout.addWidget(self.error_label)
        for spec in DEFAULT_LAYERS:
            self._insert_row(self.table.rowCount(), spec)
        self.recompute()

    # -- reading and editing the layers -----------------------------------------------
    def specs(self) -> list[ConvLayerSpec]:
        out = []
        for row in range(self._layer_rows()):
            kernel, filters, stride, padding = (self.table.cellWidget(row, c) for c in range(4))
            out.append(ConvLayerSpec(kernel.value(), filters.value(), stride.value(), padding.currentData()))
        return out

    def editor(self, row: int, column: str):
        """The spin box or combo box of ``column`` (one of EDIT_COLUMNS) in layer ``row``."""
        return self.table.cellWidget(row, EDIT_COLUMNS.index(column))

    def set_input(self, input_shape, bias: bool) -> None:
        self.input_shape, self.bias = tuple(input_shape), bool(bias)
        self.recompute()

    def add_layer(self) -> None:
        if self._layer_rows() >= MAX_LAYERS:
            self.error_label.setText(f"At most {MAX_LAYERS} layers.")
            return
        specs = self.specs()
        row = self.table.currentRow()
        row = row if 0 <= row < len(specs) else len(specs) - 1
        spec = specs[row] if specs else ConvLayerSpec(3, 16, 1, "same")
        self._insert_row(row + 1, spec)
        self.recompute()

    def remove_layer(self) -> None:
        n = self._layer_rows()
        if n == 0:
            return
        row = self.table.currentRow()
        self.table.removeRow(row if 0 <= row < n else n - 1)
        self.recompute()

    def _layer_rows(self) -> int:
        return self.table.rowCount()

    def _insert_row(self, row: int, spec: ConvLayerSpec) -> None:
        self.table.insertRow(row)
        kernel = self._spin(1, 31, spec.kernel_size, "Kernel side K (a K×K kernel).")
        filters = self._spin(1, 4096, spec.filters, "Filters: how many kernels, i.e. output channels.")
        stride = self._spin(1, 16, spec.stride, "Stride: step between kernel positions.")
        padding = QComboBox()
        for name in PADDINGS:
            padding.addItem(name, name)
        padding.setCurrentIndex(PADDINGS.index(spec.padding))
        padding.setToolTip("Padding: valid (none), same (output as large as the input), full.")
        padding.currentIndexChanged.connect(self.recompute)
        for column, widget in enumerate((kernel, filters, stride, padding)):
            widget.setAccessibleName(f"Layer {EDIT_COLUMNS[column].lower()}")
            self.table.setCellWidget(row, column, widget)

    def _spin(self, low: int, high: int, value: int, tip: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(int(value))
        spin.setToolTip(tip)
        spin.setKeyboardTracking(False)
        spin.valueChanged.connect(self.recompute)
        return spin

    # -- results ---------------------------------------------------------------------
    def recompute(self, *args) -> None:
        specs = self.specs()
        self.error = ""
        try:
            self.result = stack_costs(self.input_shape, specs, bias=self.bias)
            rows = self.result.layers
        except ValueError as err:
            self.result, rows, self.error = None, self._rows_until_error(specs), str(err)
        first = len(EDIT_COLUMNS)
        for r in range(len(specs)):
            if r < len(rows):
                layer = rows[r]
                c = layer.costs
                texts = ("×".join(str(v) for v in c.output_shape), count_text(c.conv_params),
                         count_text(c.conv_macs), bytes_text(c.conv_bytes),
                         f"{layer.receptive_field[0]}×{layer.receptive_field[1]}")
            else:
                texts = ("—",) * len(RESULT_COLUMNS)
            for i, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(r, first + i, item)
        h, w, c = self.input_shape
        if self.result is not None:
            s = self.result
            rf = s.receptive_field
            self.total_label.setText(
                f"<b>Total for {len(specs)} layer(s)</b> on {h}×{w}×{c}: "
                f"<b>{count_text(s.total_params)}</b> parameters, {count_text(s.total_macs)} multiply-adds, "
                f"{bytes_text(s.total_bytes)} of weights; one output pixel of the last layer sees "
                f"{rf[0]}×{rf[1]} input pixels.")
        else:
            self.total_label.setText(f"<b>Total</b>: — (fix the layer below) on {h}×{w}×{c}.")
        self.error_label.setText(self.error)
        self.remove_button.setEnabled(len(specs) > 0)
        self.add_button.setEnabled(len(specs) < MAX_LAYERS)
        self.changed.emit()

    def _rows_until_error(self, specs):
        """The layers that still work, before the first one that does not."""
        for n in range(len(specs) - 1, -1, -1):
            try:
                return stack_costs(self.input_shape, specs[:n], bias=self.bias).layers
            except ValueError:
                continue
        return ()

    def cell_text(self, row: int, column: str) -> str:
        item = self.table.item(row, len(EDIT_COLUMNS) + RESULT_COLUMNS.index(column))
        return item.text() if item else ""
