"""Padding, stride, dilation, border mode, correlation/convolution, colour/grey, and the output size.

Every control writes through the :class:`~convviz.ui.undo.DocumentEditor` (one
undo step each) and is refreshed, with its signals blocked, when the document changes.
The output-size lines are :func:`convviz.model.output_size_formula` with today's numbers.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QSpinBox, QWidget

from convviz.model import output_size_formula, padding_amounts
from convviz.model.limits import MAX_DILATION, MAX_PADDING, MAX_STRIDE

from ..widgets import named

PADDING_CHOICES = [
    ("valid", "valid (no padding)", "No padding: the output shrinks by D·(K−1)"),
    ("same", "same (output = input size)", "Pad D·(K−1) in total per axis (the odd pixel at the bottom/right) "
                                           "so the output has the input's size at stride 1"),
    ("full", "full (every overlap)", "Pad D·(K−1) on each side: every position where kernel and image overlap"),
    ("explicit", "explicit (rows, columns)", "Pad the number of rows and columns set below on each side"),
]
PADDING_MODE_CHOICES = [
    ("zeros", "zeros", "The border is 0 (black)"),
    ("reflect", "reflect", "The border mirrors the image without repeating the edge pixel: d c b | a b c d"),
    ("replicate", "replicate", "The border repeats the edge pixel: a a a | a b c d"),
    ("circular", "circular", "The border wraps around to the other side of the image: b c d | a b c d"),
]
MAX_EXPLICIT_PADDING = MAX_PADDING


def _combo(parent, name, accessible, tip, choices):
    box = named(QComboBox(parent), name, tip, accessible)
    for data, text, item_tip in choices:
        box.addItem(text, data)
        box.setItemData(box.count() - 1, item_tip, Qt.ItemDataRole.ToolTipRole)
    return box


def _count(n: int, plural: str) -> str:
    """``1 row``, ``2 rows``."""
    return f"{n} {plural[:-1] if n == 1 else plural}"


def _int_spin(parent, name, accessible, tip, lo, hi):
    spin = named(QSpinBox(parent), name, tip, accessible)
    spin.setRange(lo, hi)
    spin.setKeyboardTracking(False)
    return spin


class SettingsPanel(QWidget):
    """The convolution settings of the document."""

    def __init__(self, editor, parent=None):
        super().__init__(parent)
        self.setObjectName("settingsPanel")
        self.editor = editor
        self.doc = editor.document
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.padding_box = _combo(self, "paddingBox", "Padding", "How much border is added around the input "
                                  "before the kernel slides over it", PADDING_CHOICES)
        self.padding_box.activated.connect(self._padding_chosen)
        form.addRow("Pa&dding", self.padding_box)

        self.pad_rows = _int_spin(self, "padRowsSpin", "Explicit padding rows",
                                  "Rows of padding above and below (explicit padding)", 0, MAX_EXPLICIT_PADDING)
        self.pad_cols = _int_spin(self, "padColsSpin", "Explicit padding columns",
                                  "Columns of padding left and right (explicit padding)", 0, MAX_EXPLICIT_PADDING)
        self.pad_rows.valueChanged.connect(self._explicit_changed)
        self.pad_cols.valueChanged.connect(self._explicit_changed)
        row = QHBoxLayout()
        row.addWidget(self.pad_rows)
        row.addWidget(QLabel("rows", self))
        row.addWidget(self.pad_cols)
        row.addWidget(QLabel("columns", self))
        row.addStretch(1)
        form.addRow("Pad by", row)

        self.mode_box = _combo(self, "paddingModeBox", "Padding mode", "What the padding holds", PADDING_MODE_CHOICES)
        self.mode_box.activated.connect(
            lambda i: self._edit(f"Padding mode {self.mode_box.itemData(i)}", padding_mode=self.mode_box.itemData(i)))
        form.addRow("Border &mode", self.mode_box)

        self.stride_spin = _int_spin(self, "strideSpin", "Stride",
                                     "Stride: how many pixels the kernel moves between outputs", 1, MAX_STRIDE)
        self.stride_spin.valueChanged.connect(lambda v: self._edit(f"Stride {v}", stride=v))
        self.dilation_spin = _int_spin(self, "dilationSpin", "Dilation", "Dilation: spacing between kernel taps "
                                       "(1 = neighbouring pixels)", 1, MAX_DILATION)
        self.dilation_spin.valueChanged.connect(lambda v: self._edit(f"Dilation {v}", dilation=v))
        row = QHBoxLayout()
        row.addWidget(QLabel("S", self))
        row.addWidget(self.stride_spin)
        row.addWidget(QLabel("  Dilation D", self))
        row.addWidget(self.dilation_spin)
        row.addStretch(1)
        form.addRow("Stride", row)

        self.operation_box = _combo(self, "operationBox", "Operation",
                                    "Cross-correlation slides the kernel as it is (what deep-learning libraries call "
                                    "convolution); true convolution flips it by 180° first", [
                                        (False, "cross-correlation (no flip)", "Kernel used as drawn, as in PyTorch"),
                                        (True, "true convolution (flipped)", "Kernel turned by 180° before sliding"),
                                    ])
        self.operation_box.activated.connect(
            lambda i: self._edit("True convolution" if self.operation_box.itemData(i) else "Cross-correlation",
                                 flip=bool(self.operation_box.itemData(i))))
        form.addRow("&Operation", self.operation_box)

        self.colour_box = _combo(self, "colourModeBox", "Colour handling",
                                 "A colour image is filtered per channel (colour output) or converted to grey first", [
                                     (False, "each colour channel (colour output)", "R, G and B filtered separately"),
                                     (True, "grey (luminance) first", "0.299 R + 0.587 G + 0.114 B, then filtered"),
                                 ])
        self.colour_box.activated.connect(
            lambda i: self._edit("Grey input" if self.colour_box.itemData(i) else "Colour input",
                                 gray=bool(self.colour_box.itemData(i))))
        self.colour_box.setPlaceholderText("grey image: one channel")
        form.addRow("&Colour", self.colour_box)

        self.size_label = named(QLabel(self), "outputSizeLabel",
                                "⌊(N + P_total − D·(K−1) − 1)/S⌋ + 1 per axis, with today's numbers", "Output size")
        self.size_label.setTextFormat(Qt.TextFormat.RichText)
        self.size_label.setWordWrap(True)
        self.size_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Output size", self.size_label)

        for name in ("image", "kernel", "padding", "stride", "dilation", "padding_mode", "flip", "gray"):
            getattr(self.doc.events, name).connect(self.refresh)
        self.refresh()

    # -- widgets → document --------------------------------------------------------------
    def _edit(self, text: str, **changes) -> None:
        if not self.editor.edit(text, **changes):
            self._shown = None      # a refused edit: put every widget back as the document is
            self.refresh()

    def _padding_chosen(self, index: int) -> None:
        name = self.padding_box.itemData(index)
        if name == "explicit":  # start from the padding in use ("full" may pad more than explicit allows)
            padding = (min(self.pad_rows.value(), MAX_PADDING), min(self.pad_cols.value(), MAX_PADDING))
            self._edit(f"Padding {padding[0]} rows, {padding[1]} columns", padding=padding)
        else:
            self._edit(f"Padding {name}", padding=name)

    def _explicit_changed(self, _value) -> None:
        padding = (self.pad_rows.value(), self.pad_cols.value())
        self._edit(f"Padding {padding[0]} rows, {padding[1]} columns", padding=padding)

    # -- document → widgets --------------------------------------------------------------
    def refresh(self, *_args) -> None:
        doc = self.doc
        shown = (doc.image.shape, doc.kernel.shape, doc.padding, doc.stride, doc.dilation, doc.padding_mode,
                 doc.flip, doc.gray)
        if shown == getattr(self, "_shown", None):
            return      # e.g. a kernel value typed: nothing here changes (and nothing is repainted)
        self._shown = shown
        widgets = (self.padding_box, self.pad_rows, self.pad_cols, self.mode_box, self.stride_spin,
                   self.dilation_spin, self.operation_box, self.colour_box)
        for w in widgets:
            w.blockSignals(True)
        try:
            explicit = not isinstance(doc.padding, str)
            self.padding_box.setCurrentIndex(self.padding_box.findData("explicit" if explicit else doc.padding))
            top, bottom, left, right = padding_amounts(doc.kernel.shape, doc.padding, dilation=doc.dilation)
            self._show_padding(self.pad_rows, top, bottom, explicit, "rows", "above", "below")
            self._show_padding(self.pad_cols, left, right, explicit, "columns", "left", "right")
            self.mode_box.setCurrentIndex(self.mode_box.findData(doc.padding_mode))
            self.stride_spin.setValue(doc.stride[0])
            self.dilation_spin.setValue(doc.dilation[0])
            self.operation_box.setCurrentIndex(1 if doc.flip else 0)
            # a grey image has nothing to choose: the box shows its placeholder, not a colour mode
            self.colour_box.setCurrentIndex((1 if doc.gray else 0) if doc.is_colour else -1)
            self.colour_box.setEnabled(doc.is_colour)
            if not doc.is_colour:
                self.colour_box.setToolTip("The image is grey: there is one channel to filter")
            else:
                self.colour_box.setToolTip("A colour image is filtered per channel (colour output) "
                                           "or converted to grey first")
        finally:
            for w in widgets:
                w.blockSignals(False)
        self.size_label.setText(self.output_size_text())

    @staticmethod
    def _show_padding(spin: QSpinBox, before: int, after: int, explicit: bool, what: str, side_a: str,
                      side_b: str) -> None:
        """The padding in use on one axis: typed (explicit, up to MAX_PADDING a side) or what valid, same
        or full pad (up to D·(K−1), shown as is; the odd pixel of "same" as "1 / 2")."""
        spin.setMaximum(MAX_PADDING if explicit else max(MAX_PADDING, before, after))
        spin.setValue(before)
        spin.setSuffix("" if before == after else f" / {after}")
        spin.setEnabled(explicit)
        if explicit:
            spin.setToolTip(f"{what.capitalize()} of padding {side_a} and {side_b} (explicit padding, "
                            f"0–{MAX_PADDING})")
        elif before == after:
            spin.setToolTip(f"This padding adds {_count(before, what)} {side_a} and {side_b}; "
                            "choose explicit padding to type your own")
        else:
            spin.setToolTip(f"This padding adds {_count(before, what)} {side_a} and {after} {side_b} (the odd "
                            f"one {side_b}); choose explicit padding to type your own")

    def output_size_text(self) -> str:
        """Rows and columns of the output, each as the formula with today's numbers."""
        doc = self.doc
        top, bottom, left, right = padding_amounts(doc.kernel.shape, doc.padding, dilation=doc.dilation)
        (h, w), (kh, kw) = doc.image.shape[:2], doc.kernel.shape
        rows = output_size_formula(h, kh, top + bottom, doc.stride[0], doc.dilation[0])
        cols = output_size_formula(w, kw, left + right, doc.stride[1], doc.dilation[1])
        return f"rows&nbsp;&nbsp;&nbsp;&nbsp;{rows}<br>columns {cols}"
