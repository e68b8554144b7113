"""Cost panel: what a conv layer costs next to a dense layer with the same input and output.

Every number comes from :func:`convviz.model.layer_costs` (and, for the chained layers,
:func:`convviz.model.layer_stack.stack_costs`).
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

from convviz.model import LayerCosts, layer_costs

from .costs_chart import CostChart
from .costs_common import DocumentLink, bytes_text, count_text, named, ratio_text, text_label
from .costs_stack import LayerStackTable

PADDINGS = ("valid", "same", "full")
#: the lecture's example: a 32×32 colour image, 64 filters of 5×5, valid padding, no bias
LECTURE = dict(h=32, w=32, c=3, kh=5, kw=5, filters=64, padding="valid", stride=1, dilation=1, bias=False)
LECTURE_SHORTCUT = "Ctrl+Shift+X"  # Ctrl+Shift+L is Reset layout, Alt+L the Lessons menu


class CostPanel(QWidget):
    """Parameters, multiply-adds and memory of a conv layer against the equivalent dense layer."""

    panel_key = "costs"

    def __init__(self, document, parent=None):
        super().__init__(parent)
        named(self, "costPanel", None, "Costs of a convolution layer")
        self.document = document
        self.costs: LayerCosts | None = None
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
        self.stack.setMinimumHeight(140)
        stack_box = QGroupBox("Layers in a row (each layer's output is the next layer's input; "
                              "input = the size above)")
        QVBoxLayout(stack_box).addWidget(self.stack)

        top = QHBoxLayout()
        top.addWidget(controls, 0)
        top.addWidget(results, 1)
        top.addWidget(self.chart, 1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(top)
        layout.addWidget(stack_box, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self.link = DocumentLink(self, document, ("image", "kernel", "padding", "stride", "dilation", "gray"),
                                 self._follow_document)
        self.link.dirty = False
        # Ctrl+Shift+X ("example"): Ctrl+Shift+L is the window's Reset layout, Alt+L opens the Lessons menu
        self.lecture_shortcut = QShortcut(QKeySequence(LECTURE_SHORTCUT), self)
        self.lecture_shortcut.activated.connect(self.show_lecture_example)
        self.recompute()

    # -- building ----------------------------------------------------------------------
    def _spin(self, key: str, low: int, high: int, value: int, tip: str, label: str) -> QSpinBox:
        spin = named(QSpinBox(), f"cost{key}Spin", tip, label)
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setKeyboardTracking(False)
        spin.setGroupSeparatorShown(True)
        spin.valueChanged.connect(self._edited)
        self.spins[key] = spin
        return spin

    def _build_controls(self) -> QWidget:
        box = QGroupBox("The layer")
        form = QFormLayout(box)
        size = QHBoxLayout()
        size.addWidget(self._spin("H", 1, 100_000, 32, "Input height H in pixels.", "Input height"))
        size.addWidget(QLabel("×"))
        size.addWidget(self._spin("W", 1, 100_000, 32, "Input width W in pixels.", "Input width"))
        size.addWidget(QLabel("×"))
        size.addWidget(self._spin("C", 1, 4096, 3, "Input channels C_in (3 for a colour image).",
                                  "Input channels"))
        form.addRow("Input H × W × C_in", size)
        kernel = QHBoxLayout()
        kernel.addWidget(self._spin("KH", 1, 63, 5, "Kernel height K.", "Kernel height"))
        kernel.addWidget(QLabel("×"))
        kernel.addWidget(self._spin("KW", 1, 63, 5, "Kernel width K.", "Kernel width"))
        kernel.addStretch(1)
        form.addRow("Kernel K × K", kernel)
        form.addRow("Filters C_out", self._spin("Filters", 1, 4096, 64,
                                                "How many kernels the layer has: one output channel each.",
                                                "Filters"))
        self.padding_box = named(QComboBox(), "costPaddingBox",
                                 "valid: no padding; same: output as large as the input; full: every overlap.",
                                 "Padding")
        for name in PADDINGS:
            self.padding_box.addItem(name, name)
        self.padding_box.currentIndexChanged.connect(self._edited)
        form.addRow("Padding", self.padding_box)
        form.addRow("Stride", self._spin("Stride", 1, 64, 1, "Step between kernel positions.", "Stride"))
        form.addRow("Dilation", self._spin("Dilation", 1, 64, 1, "Spacing between kernel taps.", "Dilation"))
        self.bias_box = named(QCheckBox("one bias per filter / per output"), "costBiasBox",
                              "Count one bias per filter (conv) and one per output (dense).", "Bias")
        self.bias_box.setChecked(True)
        self.bias_box.toggled.connect(self._edited)
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
        self.follow_box.toggled.connect(self._follow_toggled)
        form.addRow(self.follow_box)
        return box

    def _build_results(self) -> QWidget:
        box = QGroupBox("What it costs")
        grid = QGridLayout(box)
        self.labels: dict[str, QLabel] = {}

        def add(row, key, title, col=1, span=2):
            label = text_label("", f"cost{key}")
            self.labels[key] = label
            if title:
                grid.addWidget(QLabel(title), row, 0, Qt.AlignTop)
            grid.addWidget(label, row, col, 1, span)

        add(0, "OutputShape", "Output H′ × W′ × C_out")
        grid.addWidget(QLabel(""), 1, 0)
        grid.addWidget(_bold("conv layer"), 2, 1)
        grid.addWidget(_bold("dense layer"), 2, 2)
        for row, (key, title) in enumerate((("Params", "Parameters"), ("Formula", "Formula"),
                                            ("Macs", "Multiply-adds"), ("Memory", "Weight memory (float32)")),
                                           start=3):
            grid.addWidget(QLabel(title), row, 0, Qt.AlignTop)
            for col, which in ((1, "Conv"), (2, "Dense")):
                label = text_label("", f"cost{which}{key}")
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

    # -- state -------------------------------------------------------------------------
    def settings(self) -> dict:
        """The layer as set in the controls: h, w, c, kh, kw, filters, padding, stride, dilation, bias."""
        s = {k.lower(): spin.value() for k, spin in self.spins.items()}
        return dict(h=s["h"], w=s["w"], c=s["c"], kh=s["kh"], kw=s["kw"], filters=s["filters"],
                    padding=self.padding_box.currentData(), stride=s["stride"], dilation=s["dilation"],
                    bias=self.bias_box.isChecked())

    def set_settings(self, **values) -> None:
        """Put ``values`` (keys as :meth:`settings`) into the controls without one update per control."""
        blockers = [QSignalBlocker(w) for w in (*self.spins.values(), self.padding_box, self.bias_box)]
        for key, value in values.items():
            if key == "padding":
                self._set_padding(value)
            elif key == "bias":
                self.bias_box.setChecked(bool(value))
            else:
                spin = self.spins[{"h": "H", "w": "W", "c": "C", "kh": "KH", "kw": "KW"}.get(key, key.capitalize())]
                spin.setValue(int(value))
        del blockers
        self.recompute()

    def lesson_settings(self) -> dict:
        """The panel's state for sessions and lessons (JSON-friendly)."""
        s = self.settings()
        if not isinstance(s["padding"], str):
            s["padding"] = list(s["padding"])
        s["follow"] = self.follow_box.isChecked()
        return s

    def apply_lesson_settings(self, settings: dict) -> None:
        """Restore :meth:`lesson_settings` (unknown keys are ignored)."""
        known = {k: v for k, v in settings.items() if k in self.settings()}
        if isinstance(known.get("padding"), list):
            known["padding"] = tuple(known["padding"])
        if "follow" in settings:
            with QSignalBlocker(self.follow_box):
                self.follow_box.setChecked(bool(settings["follow"]))
        self.set_settings(**known)
        self._follow_document()

    def _set_padding(self, padding) -> None:
        index = self.padding_box.findData(padding) if isinstance(padding, str) else -1
        if index < 0:
            # an explicit (ph, pw) from the document gets its own entry
            while self.padding_box.count() > len(PADDINGS):
                self.padding_box.removeItem(len(PADDINGS))
            ph, pw = padding if not isinstance(padding, int) else (padding, padding)
            self.padding_box.addItem(f"{ph}, {pw} pixels", (int(ph), int(pw)))
            index = len(PADDINGS)
        self.padding_box.setCurrentIndex(index)

    def show_lecture_example(self) -> None:
        """32×32×3 → 64 filters of 5×5, valid, no bias: 4,800 vs 154,140,672 parameters."""
        with QSignalBlocker(self.follow_box):
            self.follow_box.setChecked(False)
        self.set_settings(**LECTURE)

    def _follow_toggled(self, on: bool) -> None:
        if on:
            self._follow_document()

    def _follow_document(self) -> None:
        if not self.follow_box.isChecked():
            return
        doc = self.document
        h, w = doc.image.shape[:2]
        c = 1 if (doc.image.ndim == 2 or doc.gray) else doc.image.shape[2]
        kh, kw = doc.kernel.shape
        self.set_settings(h=h, w=w, c=c, kh=kh, kw=kw, padding=doc.padding, stride=doc.stride[0],
                          dilation=doc.dilation[0])

    def _edited(self, *args) -> None:
        if self.follow_box.isChecked() and self.sender() is not self.spins["Filters"] and \
                self.sender() is not self.bias_box:
            with QSignalBlocker(self.follow_box):
                self.follow_box.setChecked(False)     # the user took over
        self.recompute()

    def showEvent(self, event):
        super().showEvent(event)
        self.link.shown()

    # -- results -----------------------------------------------------------------------
    def recompute(self) -> None:
        s = self.settings()
        try:
            self.costs = layer_costs((s["h"], s["w"], s["c"]), (s["kh"], s["kw"]), s["filters"], s["padding"],
                                     stride=s["stride"], dilation=s["dilation"], bias=s["bias"])
            self.error = ""
        except ValueError as err:
            self.costs, self.error = None, str(err)
        self._show(self.costs)
        self.stack.set_input((s["h"], s["w"], s["c"]), s["bias"])

    def _show(self, c: LayerCosts | None) -> None:
        self.error_label.setText(self.error)
        if c is None:
            for label in self.labels.values():
                label.setText("—")
            self.ratio_label.setText("")
            self.explain_label.setText("")
            return
        oh, ow, f = c.output_shape
        h, w, cin = c.input_shape
        self.labels["OutputShape"].setText(f"<b>{oh} × {ow} × {f}</b>  ({count_text(c.outputs)} numbers)")
        self.labels["ConvParams"].setText(f"<b>{count_text(c.conv_params)}</b>")
        self.labels["DenseParams"].setText(f"<b>{count_text(c.dense_params)}</b>")
        self.labels["ConvFormula"].setText(
            _formula_lines(f"C_in·K·K·C_out{' + C_out' if c.bias else ''}", c.conv_formula()))
        self.labels["DenseFormula"].setText(
            _formula_lines(f"inputs·outputs{' + outputs' if c.bias else ''}", c.dense_formula()))
        self.labels["ConvMacs"].setText(count_text(c.conv_macs))
        self.labels["DenseMacs"].setText(count_text(c.dense_macs))
        self.labels["ConvMemory"].setText(bytes_text(c.conv_bytes))
        self.labels["DenseMemory"].setText(bytes_text(c.dense_bytes))
        for key, n in (("ConvMemory", c.conv_bytes), ("DenseMemory", c.dense_bytes)):
            self.labels[key].setToolTip(f"{count_text(n)} bytes: 4 bytes per float32 weight")
        self.ratio_label.setText(f"The dense layer needs <b>{ratio_text(c.ratio)}</b> as many weights.")
        self.explain_label.setText(
            f"The conv layer reuses the same {c.filters} small kernels ({c.kernel_size[0]}×{c.kernel_size[1]}"
            f"×{cin}) at every position. A dense layer joins each of the {count_text(c.inputs)} input numbers "
            f"({h}×{w}×{cin}) to each of the {count_text(c.outputs)} output numbers with its own weight.")
        self.chart.set_values((c.conv_params, c.conv_macs, c.conv_bytes),
                              (c.dense_params, c.dense_macs, c.dense_bytes))


def _formula_lines(symbols: str, formula: str) -> str:
    """The formula in symbols, then each ``= …`` step of the model's formula on its own unbroken line."""
    lines = [symbols] + [f"= {part}" for part in formula.split(" = ")]
    return "<br>".join(f"<nobr>{line}</nobr>" for line in lines)


def _bold(text: str) -> QLabel:
    label = QLabel(f"<b>{text}</b>")
    return label
