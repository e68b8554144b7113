"""Costs: what a conv layer costs next to a dense layer with the same input and output.

Every number comes from :func:`convviz.model.layer_costs` (with its groups),
:func:`convviz.model.costs.separable_costs` (standard vs depthwise-separable) and, for the chained layers,
:func:`convviz.model.layer_stack.stack_costs`, written by :mod:`convviz.model.costs_view` and
:mod:`convviz.model.groups_view`.
State: :class:`~convviz.model.states.costs.CostsState` (the layer and its groups, following the document,
the chain).
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
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
from convviz.model.costs_view import chart_series
from convviz.model.groups_view import costs_of, groups_choices, groups_note
from convviz.model.states.costs import LECTURE, PADDINGS, costed_layer, take_over

from ..panel import Panel
from ..widgets import mark_editing_chrome, named
from ..widgets.flow_layout import FlowLayout, flow_row
from .channel_grid import ChannelsBox
from .chart import CostChart
from .layer_table import LayerStackTable
from .results_box import ResultsBox
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
        self.results = ResultsBox()
        self.labels, self.ratio_label = self.results.labels, self.results.ratio_label
        self.explain_label, self.error_label = self.results.explain_label, self.results.error_label
        self.chart = named(CostChart(), "costChart",
                           "Bar heights are powers of ten: each grid line is ten times the one below.",
                           "Cost bar chart")
        self.stack = LayerStackTable()
        self.stack.layersEdited.connect(lambda text, specs: self.edit(text, layers=specs))
        stack_box = QGroupBox("Layers in a row")
        stack_box.setToolTip("Each layer's output is the next layer's input; the first layer's input is the "
                             "size set above.")
        QVBoxLayout(stack_box).addWidget(self.stack)
        self.separable_box = SeparableBox()
        self.channels_box = ChannelsBox()

        # boxes side by side on a wide screen, wrapping onto more rows with presentation fonts on a small one;
        # the chart takes the height of its row, the bottom row what the page has left
        top = FlowLayout(spacing=8, stretch=True)
        bottom = FlowLayout(spacing=8, stretch=True, grow_last_row=True)
        body = QWidget()
        layout = QVBoxLayout(body)
        for flow, stretch in ((top, 0), (bottom, 1)):
            holder = QWidget()
            holder.setLayout(flow)
            policy = QSizePolicy(QSizePolicy.Preferred, QSizePolicy.Preferred)
            policy.setHeightForWidth(True)
            holder.setSizePolicy(policy)
            layout.addWidget(holder, stretch)
        top.addWidget(controls, 1)
        top.addWidget(self.results, 2)
        top.addWidget(self.chart, 2)
        bottom.addWidget(stack_box, 0)
        bottom.addWidget(self.separable_box, 4)   # most of the spare width, so its row titles need not wrap
        bottom.addWidget(self.channels_box, 1)
        scroll = named(QScrollArea(), "costPanelScroll")
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
        form.setRowWrapPolicy(QFormLayout.WrapLongRows)   # a field under its label when the row is too narrow
        size = QHBoxLayout()
        for i, key in enumerate(("H", "W", "C")):
            if i:
                size.addWidget(QLabel("×"))
            size.addWidget(self._spin(key))
        size.addStretch(1)
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
        steps = QHBoxLayout()   # one row for both, so the top row leaves the layer table its height at 1280×800
        steps.addWidget(self._spin("Stride"))
        steps.addWidget(QLabel("Dilation"))
        steps.addWidget(self._spin("Dilation"))
        steps.addStretch(1)
        form.addRow("Stride", steps)
        self.bias_box = named(QCheckBox("one bias per filter / per output"), "costBiasBox",
                              "Count one bias per filter (conv) and one per output (dense).", "Bias")
        self.bias_box.toggled.connect(lambda on: self._layer_edited("Bias", bias=on))
        form.addRow("Bias", self.bias_box)
        self.lecture_button = named(QPushButton("Lecture example"),
                                    "costLectureButton",
                                    f"32×32×3 input, 64 filters of 5×5, valid padding, no bias ({LECTURE_SHORTCUT}).",
                                    "Lecture example")
        self.lecture_button.clicked.connect(self.show_lecture_example)

        self.follow_box = named(QCheckBox("Follow the image and kernel"), "costFollowBox",
                                "Take H, W, C from the loaded image and the kernel size, padding, stride "
                                "and dilation from the Filter view; the filter count stays yours.",
                                "Follow the document")
        self.follow_box.toggled.connect(
            lambda on: self.edit("Follow the image and kernel", follow=True) if on else
            self._layer_edited("Stop following", follow=False))
        # presentation mode hides both: the lesson sets the layer
        form.addRow(mark_editing_chrome(flow_row(self.lecture_button, self.follow_box)))
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
        self.results.show_costs(c, self.error)
        if c is not None and self.separable is not None:
            self.chart.set_series(chart_series(c, self.separable))
