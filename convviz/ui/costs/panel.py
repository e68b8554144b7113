"""Costs: what a conv layer costs next to a dense layer with the same input and output.

Every number comes from :func:`convviz.model.layer_costs` (with its groups),
:func:`convviz.model.costs.separable_costs` (standard vs depthwise-separable) and, for the chained layers,
:func:`convviz.model.layer_stack.stack_costs`, written by :mod:`convviz.model.costs_view` and
:mod:`convviz.model.groups_view`.
State: :class:`~convviz.model.states.costs.CostsState` (the layer and its groups, following the document,
the chain).
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from convviz.model import LayerCosts
from convviz.model.costs import SeparableCosts
from convviz.model.costs_view import (
    chart_series,
    conv_formula_lines,
    dense_formula_lines,
    explanation,
    memory_tooltip,
    output_text,
    ratio_sentence,
)
from convviz.model.groups_view import costs_of, groups_choices, groups_note
from convviz.model.states.costs import LECTURE, PADDINGS, costed_layer, take_over
from convviz.model.units import bytes_text, count_text

from ..panel import Panel
from ..widgets import named, text_label
from .channel_grid import ChannelsBox
from .chart import CostChart
from .layer_table import LayerStackTable
from .separable_box import SeparableBox

LECTURE_SHORTCUT = "Ctrl+Shift+X"  # Ctrl+Shift+L is Reset layout, Alt+L the Lessons menu
#: spin key → (state field, low, high, tooltip, accessible name)
SPINS = {
    "H": ("h", 1, 100_000, "Input height H in pixels.", "Input height"),
    "W": ("w", 1, 100_000, "Input width W in pixels.", "Input width"),
    "C": ("c", 1, 4096, "Input channels C_in (3 for a colour image).", "Input channels"),
    "KH": ("kh", 1, 63, "Kernel height K.", "Kernel height"),
    "KW": ("kw", 1, 63, "Kernel width K.", "Kernel width"),
    "Filters": ("filters", 1, 4096, "How many kernels the layer has: one output channel each.", "Filters"),
    "Stride": ("stride", 1, 64, "Step between kernel positions.", "Stride"),
    "Dilation": ("dilation", 1, 64, "Spacing between kernel taps.", "Dilation"),
}


class CostPanel(Panel):
    """Parameters, multiply-adds and memory of a conv layer against the equivalent dense layer."""

    key, title, shortcut = "costs", "Costs", "Ctrl+4"
    panel_key = key
    document_fields = ("image", "kernel", "padding", "stride", "dilation", "gray")

    def __init__(self, workspace, parent=None, **kwargs):
        super().__init__(workspace, parent, **kwargs)
        named(self, "costPanel", None, "Costs of a convolution layer")
        self.costs: LayerCosts | None = None
        self.separable: SeparableCosts | None = None
        self.error = ""
        self.spins: dict[str, QSpinBox] = {}
        controls = self._build_controls()
        results = self._build_results()
        self.chart = named(CostChart(), "costChart",
                           "Bar heights are powers of ten: each grid line is ten times the one below.",
                           "Cost bar chart")
        self.chart.setMinimumHeight(220)
        # the chart takes the height the controls and results need, not its own (tall) size hint,
        # so the layer table and its Add/Remove buttons fit at 1280×800
        self.chart.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Ignored)
        self.stack = LayerStackTable()
        # the table takes the height left over (at least its header and two layers; more rows scroll), not
        # its own size hint, so the window needs no scroll bar at 1280×800, with a lesson on screen too
        self.stack.table.setMinimumHeight(96)
        self.stack.table.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Ignored)
        self.stack.layersEdited.connect(lambda text, specs: self.edit(text, layers=specs))
        stack_box = QGroupBox("Layers in a row (input: the size above)")
        stack_box.setToolTip("Each layer's output is the next layer's input; the first layer's input is the "
                             "size set above.")
        QVBoxLayout(stack_box).addWidget(self.stack)
        self.separable_box = SeparableBox()
        self.channels_box = ChannelsBox()
        bottom = QHBoxLayout()
        bottom.addWidget(stack_box, 2)
        bottom.addWidget(self.separable_box, 0)
        bottom.addWidget(self.channels_box, 1)

        top = QHBoxLayout()
        top.addWidget(controls, 0)
        top.addWidget(results, 1)
        top.addWidget(self.chart, 1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(top)
        layout.addLayout(bottom, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        # Ctrl+Shift+X ("example"): Ctrl+Shift+L is the window's Reset layout, Alt+L opens the Lessons menu
        self.lecture_shortcut = QShortcut(QKeySequence(LECTURE_SHORTCUT), self)
        self.lecture_shortcut.activated.connect(self.show_lecture_example)
        self.refresh()

    # -- building ----------------------------------------------------------------------
    def _spin(self, key: str) -> QSpinBox:
        field, low, high, tip, label = SPINS[key]
        spin = named(QSpinBox(), f"cost{key}Spin", tip, label)
        spin.setRange(low, high)
        spin.setKeyboardTracking(False)
        spin.setGroupSeparatorShown(True)
        spin.valueChanged.connect(lambda value, f=field, t=label: self._layer_edited(t, **{f: value}))
        self.spins[key] = spin
        return spin

    def _build_controls(self) -> QWidget:
        box = QGroupBox("The layer")
        form = QFormLayout(box)
        size = QHBoxLayout()
        for i, key in enumerate(("H", "W", "C")):
            if i:
                size.addWidget(QLabel("×"))
            size.addWidget(self._spin(key))
        form.addRow("Input H × W × C_in", size)
        kernel = QHBoxLayout()
        kernel.addWidget(self._spin("KH"))
        kernel.addWidget(QLabel("×"))
        kernel.addWidget(self._spin("KW"))
        kernel.addStretch(1)
        form.addRow("Kernel K × K", kernel)
        form.addRow("Filters C_out", self._spin("Filters"))
        self.groups_box = named(QComboBox(), "costGroupsBox",
                                "Groups G: each filter sees C_in/G input channels (1 is standard convolution, "
                                "C_in is depthwise). Only divisors of C_in that also divide the filters.",
                                "Groups")
        self.groups_box.currentIndexChanged.connect(
            lambda i: self.edit("Groups", groups=self.groups_box.itemData(i)) if i >= 0 else None)
        form.addRow("Groups G", self.groups_box)
        self.padding_box = named(QComboBox(), "costPaddingBox",
                                 "valid: no padding; same: output as large as the input; full: every overlap.",
                                 "Padding")
        for name in PADDINGS:
            self.padding_box.addItem(name, name)
        self.padding_box.currentIndexChanged.connect(
            lambda i: self._layer_edited("Padding", padding=self.padding_box.itemData(i)))
        form.addRow("Padding", self.padding_box)
        form.addRow("Stride", self._spin("Stride"))
        form.addRow("Dilation", self._spin("Dilation"))
        self.bias_box = named(QCheckBox("one bias per filter / per output"), "costBiasBox",
                              "Count one bias per filter (conv) and one per output (dense).", "Bias")
        self.bias_box.toggled.connect(lambda on: self._layer_edited("Bias", bias=on))
        form.addRow("Bias", self.bias_box)
        self.lecture_button = named(QPushButton("Lecture example: 32×32×3, 64 filters of 5×5"),
                                    "costLectureButton",
                                    f"32×32×3 input, 64 filters of 5×5, valid padding, no bias ({LECTURE_SHORTCUT}).",
                                    "Lecture example")
        self.lecture_button.clicked.connect(self.show_lecture_example)
        form.addRow(self.lecture_button)
        self.follow_box = named(QCheckBox("Follow the current image and kernel"), "costFollowBox",
                                "Take H, W, C from the loaded image and the kernel size, padding, stride "
                                "and dilation from the Filter view; the filter count stays yours.",
                                "Follow the document")
        self.follow_box.toggled.connect(
            lambda on: self.edit("Follow the image and kernel", follow=True) if on else
            self._layer_edited("Stop following", follow=False))
        form.addRow(self.follow_box)
        return box

    def _build_results(self) -> QWidget:
        box = QGroupBox("What it costs")
        grid = QGridLayout(box)
        self.labels: dict[str, QLabel] = {}
        grid.addWidget(QLabel("Output H′ × W′ × C_out"), 0, 0, Qt.AlignTop)
        self.labels["OutputShape"] = text_label("", "costOutputShape")
        grid.addWidget(self.labels["OutputShape"], 0, 1, 1, 2)
        grid.addWidget(QLabel(""), 1, 0)
        grid.addWidget(QLabel("<b>conv layer</b>"), 2, 1)
        grid.addWidget(QLabel("<b>dense layer</b>"), 2, 2)
        for row, (key, title) in enumerate((("Params", "Parameters"), ("Formula", "Formula"),
                                            ("Macs", "Multiply-adds"), ("Memory", "Weight memory (float32)")),
                                           start=3):
            grid.addWidget(QLabel(title), row, 0, Qt.AlignTop)
            for col, which in ((1, "Conv"), (2, "Dense")):
                label = text_label("", f"cost{which}{key}", wrap=key != "Formula")   # formulas: whole lines
                self.labels[f"{which}{key}"] = label
                grid.addWidget(label, row, col, Qt.AlignTop)
        self.ratio_label = text_label("", "costRatio")
        self.ratio_label.setStyleSheet("font-size: 15pt;")
        grid.addWidget(self.ratio_label, 8, 0, 1, 3)
        self.explain_label = text_label("", "costExplanation")
        grid.addWidget(self.explain_label, 9, 0, 1, 3)
        self.error_label = text_label("", "costError")
        self.error_label.setStyleSheet("color: #b00020;")
        grid.addWidget(self.error_label, 10, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(11, 1)
        return box

    # -- edits -------------------------------------------------------------------------
    def settings(self) -> dict:
        """The layer as costed: h, w, c, kh, kw, filters, padding, stride, dilation, bias
        (the document's values while following it) and groups (resolved to an int)."""
        return costed_layer(self.state, self.document)

    def show_lecture_example(self) -> None:
        """32×32×3 → 64 filters of 5×5, valid, no bias: 4,800 vs 154,140,672 parameters."""
        self.edit("Lecture example", follow=False, **LECTURE)

    def _layer_edited(self, text: str, **changes) -> None:
        """A control of the layer changed: while following, the user takes the layer over (one undo step)."""
        self.edit(text, **take_over(self.state, self.document, **changes))

    # -- drawing -----------------------------------------------------------------------
    def refresh(self) -> None:
        s = self.settings()
        self._show_controls(s)
        try:
            self.costs, self.separable = costs_of(s)
            self.error = ""
        except ValueError as err:
            self.costs, self.separable, self.error = None, None, str(err)
        self._show(self.costs)
        self.separable_box.show_costs(self.separable)
        self.channels_box.show_groups(self.costs, groups_note(self.state.groups, s["c"], s["filters"], s["groups"]))
        self.stack.show_layers(self.state.layers, (s["h"], s["w"], s["c"]), s["bias"])

    def _show_controls(self, s: dict) -> None:
        for key, spin in self.spins.items():
            with QSignalBlocker(spin):
                spin.setValue(int(s[SPINS[key][0]]))
        with QSignalBlocker(self.padding_box):
            self._set_padding(s["padding"])
        with QSignalBlocker(self.groups_box):
            self._set_groups(s["c"], s["filters"], s["groups"])
        for box, on in ((self.bias_box, s["bias"]), (self.follow_box, self.state.follow)):
            with QSignalBlocker(box):
                box.setChecked(bool(on))

    def _set_padding(self, padding) -> None:
        while self.padding_box.count() > len(PADDINGS):
            self.padding_box.removeItem(len(PADDINGS))
        index = self.padding_box.findData(padding) if isinstance(padding, str) else -1
        if index < 0:  # an explicit (ph, pw) gets its own entry
            ph, pw = padding
            self.padding_box.addItem(f"{ph}, {pw} pixels", (int(ph), int(pw)))
            index = len(PADDINGS)
        self.padding_box.setCurrentIndex(index)

    def _set_groups(self, c_in: int, filters: int, groups: int) -> None:
        """The divisors of C_in (those not dividing the filters greyed out), ``groups`` chosen."""
        choices = groups_choices(c_in, filters)
        box = self.groups_box
        if [(box.itemText(i), box.itemData(i)) for i in range(box.count())] != [(g.label, g.value) for g in choices]:
            self.groups_box.clear()
            for g in choices:
                self.groups_box.addItem(g.label, g.value)
        model = self.groups_box.model()
        for i, g in enumerate(choices):
            item = model.item(i)
            item.setEnabled(g.enabled)
            item.setToolTip(g.tooltip)
        self.groups_box.setCurrentIndex(next(i for i, g in enumerate(choices) if g.groups == groups))

    def _show(self, c: LayerCosts | None) -> None:
        self.error_label.setText(self.error)
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
        if self.separable is not None:
            self.chart.set_series(chart_series(c, self.separable))


def _unbroken_lines(lines: list[str]) -> str:
    """Each line on its own, never broken inside."""
    return "<br>".join(f"<nobr>{line}</nobr>" for line in lines)
