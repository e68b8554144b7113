"""What a conv layer costs next to the dense layer with the same input and output: parameters (with their
formula), multiply-adds and weight memory of each, the ratio and what it means.

A view: :meth:`ResultsBox.show_costs` draws what :mod:`convviz.model.costs_view` writes. Its rows are a
:class:`~convviz.ui.widgets.flow_layout.PairColumns`: a table on a wide screen; with presentation fonts on a
small one each row's title goes above its two cells, then the conv layer's cells go above the dense layer's.
"""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout

from convviz.model import LayerCosts
from convviz.model.costs_view import (
    conv_formula_lines,
    dense_formula_lines,
    explanation,
    memory_tooltip,
    output_text,
    ratio_sentence,
)
from convviz.model.units import bytes_text, count_text

from ..widgets import named, text_label
from ..widgets.flow_layout import PairColumns, line_label
from ..widgets.scaled_label import ScaledLabel

#: label key → row title (labels["Conv<key>"] and labels["Dense<key>"])
ROWS = (("Params", "Parameters"), ("Formula", "Formula"), ("Macs", "Multiply-adds"),
        ("Memory", "Weight memory (float32)"))


class ResultsBox(QGroupBox):
    """The conv layer's and the dense layer's costs; ``labels`` by key (``OutputShape``, ``ConvParams``, …)."""

    def __init__(self, parent=None):
        super().__init__("What it costs", parent)
        named(self, "costResultsBox", "The conv layer against a dense layer joining every input number to every "
              "output number.", "What it costs")
        self.labels: dict[str, QLabel] = {"OutputShape": line_label("", "costOutputShape")}
        rows = PairColumns(by_column=True, spacing=4)
        rows.add_span(self.labels["OutputShape"], line_label("Output H′ × W′ × C_out", selectable=False))
        rows.add_pair(line_label("<b>conv layer</b>", selectable=False),
                      line_label("<b>dense layer</b>", selectable=False))
        for key, title in ROWS:
            for which in ("Conv", "Dense"):
                self.labels[f"{which}{key}"] = line_label("", f"cost{which}{key}")
            rows.add_pair(self.labels[f"Conv{key}"], self.labels[f"Dense{key}"],
                          line_label(title, selectable=False), line_label(title, selectable=False))
        self.ratio_label = ScaledLabel("costRatio", 1.5)
        self.explain_label = text_label("", "costExplanation")
        self.error_label = text_label("", "costError")
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(rows)
        for label in (self.ratio_label, self.explain_label, self.error_label):
            layout.addWidget(label)
        layout.addStretch(1)

    def show_costs(self, c: LayerCosts | None, error: str = "") -> None:
        """Draw ``c`` (dashes when the layer does not fit: None) and ``error``."""
        self.error_label.setText(error)
        self.error_label.setVisible(bool(error))
        if c is None:
            for label in self.labels.values():
                label.setText("—")
            self.ratio_label.setText("")
            self.explain_label.setText("")
            return
        self.labels["OutputShape"].setText(output_text(c))
        self.labels["ConvParams"].setText(f"<b>{count_text(c.conv_params)}</b>")
        self.labels["DenseParams"].setText(f"<b>{count_text(c.dense_params)}</b>")
        self.labels["ConvFormula"].setText(_unbroken_lines(conv_formula_lines(c)))
        self.labels["DenseFormula"].setText(_unbroken_lines(dense_formula_lines(c)))
        self.labels["ConvMacs"].setText(count_text(c.conv_macs))
        self.labels["DenseMacs"].setText(count_text(c.dense_macs))
        for key, n in (("ConvMemory", c.conv_bytes), ("DenseMemory", c.dense_bytes)):
            self.labels[key].setText(bytes_text(n))
            self.labels[key].setToolTip(memory_tooltip(n))
        self.ratio_label.setText(ratio_sentence(c))
        self.explain_label.setText(explanation(c))


def _unbroken_lines(lines: list[str]) -> str:
    """Each line on its own, never broken inside."""
    return "<br>".join(f"<nobr>{line}</nobr>" for line in lines)
