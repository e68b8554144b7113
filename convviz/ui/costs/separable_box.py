"""Standard K×K conv against depthwise K×K + pointwise 1×1: weights, parameters and multiply-adds of each,
the separable pair's share of the standard layer and MobileNet's ``1/C_out + 1/K²``.

A view: :meth:`SeparableBox.show_costs` draws what :mod:`convviz.model.groups_view` writes.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel

from convviz.model.costs import SeparableCosts
from convviz.model.groups_view import mobilenet_row, mobilenet_sentence, saving_row, separable_rows

from ..widgets import named
from ..widgets.flow_layout import line_label

#: the comparison's rows (label keys: ``labels["<Row><Column>"]``, row titles ``labels["<Row>Title"]``)
ROWS = ("Standard", "Depthwise", "Pointwise", "Separable", "Saving", "MobileNet")
COLUMNS = ("Title", "Weights", "Params", "Macs")


class SeparableBox(QGroupBox):
    """The comparison table; the MobileNet row's tooltip says it in a sentence."""

    def __init__(self, parent=None):
        super().__init__("Standard vs depthwise + pointwise", parent)
        named(self, "costSeparableBox", "A standard K×K conv layer against depthwise K×K (one filter per input "
              "channel) followed by pointwise 1×1 (MobileNet's depthwise-separable convolution).",
              "Standard vs depthwise-separable")
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(3)
        for col, title in enumerate(("weights", "parameters", "multiply-adds"), start=1):
            header = line_label(f"<b>{title}</b>", selectable=False)
            header.setAlignment(Qt.AlignRight | Qt.AlignBottom)
            grid.addWidget(header, 0, col)
        self.labels: dict[str, QLabel] = {}
        for row, key in enumerate(ROWS, start=1):
            for col, column in enumerate(COLUMNS):
                label = line_label("", f"costSeparable{key}{column}")   # wraps only when the box is narrow
                label.setAlignment((Qt.AlignLeft if col == 0 else Qt.AlignRight) | Qt.AlignVCenter)
                self.labels[f"{key}{column}"] = label
                grid.addWidget(label, row, col)
        self.labels["SavingTitle"].setText("separable / standard")
        grid.setColumnStretch(0, 1)
        grid.setRowStretch(len(ROWS) + 1, 1)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """Little wider than the least it needs (its row titles wrap), so it shares a row with the layer table."""
        hint = super().sizeHint()
        least = self.minimumSizeHint().width() + 2 * self.fontMetrics().averageCharWidth()
        return QSize(min(hint.width(), least), hint.height())

    def show_costs(self, s: SeparableCosts | None) -> None:
        """Draw the comparison ``s``; dashes when the layer does not fit (None)."""
        if s is None:
            for key, label in self.labels.items():
                if key != "SavingTitle":
                    label.setText("—" if not key.endswith("Title") else "")
            self.labels["MobileNetTitle"].setToolTip("")
            return
        rows = separable_rows(s) + [("separable / standard", "", *saving_row(s)), mobilenet_row(s)]
        for key, row in zip(ROWS, rows):
            for column, text in zip(COLUMNS, row):
                self.labels[f"{key}{column}"].setText(text)
        sentence = mobilenet_sentence(s)
        for column in COLUMNS:
            self.labels[f"MobileNet{column}"].setToolTip(sentence)
