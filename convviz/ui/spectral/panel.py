"""Separable and frequency: is the Filter tab's kernel a column times a row (and what two 1-D passes save), what
it does to each frequency, the convolution theorem on the picture, and a depthwise-separable layer's cost.

Every number comes from :mod:`convviz.model.separable`, :mod:`convviz.model.frequency` and
:func:`convviz.model.costs.separable_costs` through :mod:`convviz.model.spectral_view`.
State: :class:`~convviz.model.states.spectral.SpectralState`.
"""

from __future__ import annotations

import weakref

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from convviz.model.costs import separable_costs
from convviz.model.spectral_view import (
    FrequencyView,
    SeparableCheck,
    TheoremView,
    cost_sentence,
    depthwise_rows,
    depthwise_sentence,
    difference_sentence,
    effective_kernel,
    frequency_sentence,
    frequency_view,
    rank_sentence,
    separable_check,
    theorem_sentence,
    theorem_view,
)
from convviz.model.states.spectral import (
    MAX_CHANNELS,
    MAX_LAYER_KERNEL,
    MAX_MULTIPLIER,
    MAX_SIDE,
    MAX_SPECTRUM_CROP,
    MIN_SPECTRUM_CROP,
    RESPONSE_SIZES,
)
from convviz.model.step_view import levels_of

from ..panel import Panel
from ..widgets import ImagePlot, NumberGrid, mark_editing_chrome, named, text_label
from ..widgets.captioned_plot import CaptionedPlot
from ..widgets.error_label import ErrorLabel
from ..widgets.page_body import columns, page_body
from ..widgets.scaled_label import ScaledLabel
from ..widgets.section_box import SectionBox
from ..widgets.setting_boxes import choice_box, number_spin

#: the layer's settings: field → (objectName, label, highest value, tooltip)
LAYER_SPINS = {
    "h": ("spectralLayerHSpin", "H", MAX_SIDE, "Input height."),
    "w": ("spectralLayerWSpin", "W", MAX_SIDE, "Input width."),
    "c": ("spectralLayerCSpin", "C in", MAX_CHANNELS, "Input channels."),
    "k": ("spectralLayerKSpin", "K", MAX_LAYER_KERNEL, "Kernel side (K×K)."),
    "filters": ("spectralLayerFiltersSpin", "C out", MAX_CHANNELS, "Output channels (filters)."),
    "multiplier": ("spectralLayerMultiplierSpin", "× per channel", MAX_MULTIPLIER,
                   "Depthwise filters per input channel (the depth multiplier)."),
}


def _plot(name: str, title: str, high: float = 3.5, least: int = 90) -> CaptionedPlot:
    """An image plot named ``name`` under the caption ``title`` (its ``.plot``)."""
    return CaptionedPlot(named(ImagePlot(), name, None, title), title, high=high, least=least)


def _sign(text: str) -> QLabel:
    label = ScaledLabel("spectralSign", 2.0, text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


class SpectralPanel(Panel):
    """Separable kernels, the frequency view, the convolution theorem and depthwise-separable costs."""

    key, title, shortcut = "spectral", "Separable and frequency", "Ctrl+Alt+2"
    document_fields = ("image", "kernel", "padding", "stride", "dilation", "padding_mode", "flip")

    def __init__(self, workspace, parent=None, **kwargs):
        super().__init__(workspace, parent, **kwargs)
        named(self, "spectralPanel", None, "Separable kernels and the frequency view")
        self.check: SeparableCheck | None = None
        self.frequency: FrequencyView | None = None
        self.theorem: TheoremView | None = None
        self.costs = None
        self._drawn: dict[str, tuple] = {}
        self._picture_error = self._costs_error = ""

        # -- separable --------------------------------------------------------------------------
        sep_box = SectionBox("Is the Filter tab's kernel a column × a row?")
        sep_box.setToolTip("The Filter tab's kernel as it slides over the image (flipped when it convolves).")
        self.kernel_grid = NumberGrid("spectralKernelGrid", "The kernel as it slides over the image.", "Kernel")
        self.column_grid = NumberGrid("spectralColumnGrid", "The column of the first singular pair.", "Column")
        self.row_grid = NumberGrid("spectralRowGrid", "The row of the first singular pair.", "Row")
        for grid in (self.kernel_grid, self.column_grid, self.row_grid):
            grid.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.equals_label = _sign("=")
        grids = QHBoxLayout()
        for widget in (self.kernel_grid, self.equals_label, self.column_grid, _sign("×"), self.row_grid):
            grids.addWidget(widget, 0, Qt.AlignmentFlag.AlignVCenter)
        grids.addStretch(1)
        self.rank_label = text_label("", "spectralRank")
        self.cost_label = text_label("", "spectralCost")
        pass_views = {key: _plot(f"spectral{name}View", title) for key, name, title in (
            ("column", "ColumnPass", "column pass"), ("two_pass", "TwoPass", "then row pass"),
            ("direct", "Direct", "2-D at once"))}
        self.pass_plots = {key: view.plot for key, view in pass_views.items()}
        plots = QHBoxLayout()
        for view in pass_views.values():
            plots.addWidget(view)
        self.difference_label = text_label("", "spectralDifference")
        sl = sep_box.content
        sl.addLayout(grids)
        sl.addWidget(self.rank_label)
        sl.addWidget(self.cost_label)
        sl.addLayout(plots, 1)
        sl.addWidget(self.difference_label)

        # -- depthwise-separable ------------------------------------------------------------------
        dw_box = SectionBox("Depthwise-separable layer (MobileNet): cost against a standard layer (“same” padding)")
        self.layer_spins: dict[str, QSpinBox] = {}
        spins_row = mark_editing_chrome(QWidget())
        spins = QHBoxLayout(spins_row)
        spins.setContentsMargins(0, 0, 0, 0)
        for field, (name, label, high, tip) in LAYER_SPINS.items():
            spin = number_spin(name, 1, high, tip, label, lambda v, f=field, t=label: self.set_setting(f, v, t))
            spins.addWidget(QLabel(label))
            spins.addWidget(spin)
            self.layer_spins[field] = spin
        self.bias_box = named(QCheckBox("bias"), "spectralLayerBiasBox", "Every layer has one bias per filter.", "Bias")
        self.bias_box.toggled.connect(lambda on: self.set_setting("bias", on, "Bias"))
        spins.addWidget(self.bias_box)
        spins.addStretch(1)
        self.cost_table = text_label("", "spectralLayerTable")
        self.depthwise_label = text_label("", "spectralDepthwise")
        dl = dw_box.content
        dl.addWidget(spins_row)
        dl.addWidget(self.cost_table)
        dl.addWidget(self.depthwise_label)

        # -- frequency response -----------------------------------------------------------------
        freq_box = SectionBox("What the kernel does to each frequency")
        self.size_box = choice_box("spectralResponseSizeBox", {n: f"{n}×{n}" for n in RESPONSE_SIZES},
                                   "The grid the response is computed on.", "Response size",
                                   lambda n: self.set_setting("response_size", n, "Response size"))
        self.response_view = _plot("spectralResponseView", "|frequency response|", high=6.5, least=150)
        self.response_plot = self.response_view.plot
        self.frequency_label = text_label("", "spectralFrequency")
        fl = QGridLayout()
        freq_box.content.addLayout(fl)
        fl.addWidget(self.response_view, 0, 0, 3, 1)
        fl.addWidget(mark_editing_chrome(self.size_box), 0, 1)
        fl.addWidget(self.frequency_label, 1, 1)
        fl.setColumnStretch(0, 1)
        fl.setColumnStretch(1, 1)
        fl.setRowStretch(2, 1)

        # -- convolution theorem ------------------------------------------------------------------
        theorem_box = SectionBox("Convolution theorem: image spectrum × kernel spectrum = output spectrum")
        self.crop_spin = number_spin("spectralCropSpin", MIN_SPECTRUM_CROP, MAX_SPECTRUM_CROP,
                                     "Side of the centre crop of the picture.", "Crop",
                                     lambda v: self.set_setting("crop", v, "Spectrum crop"))
        theorem_views = {key: _plot(f"spectral{name}SpectrumView", title) for key, name, title in (
            ("image", "Image", "image"), ("kernel", "Kernel", "kernel"), ("output", "Output", "output"))}
        self.theorem_plots = {key: view.plot for key, view in theorem_views.items()}
        row = QHBoxLayout()
        row.addWidget(theorem_views["image"], 1)
        row.addWidget(_sign("×"))
        row.addWidget(theorem_views["kernel"], 1)
        row.addWidget(_sign("="))
        row.addWidget(theorem_views["output"], 1)
        self.theorem_label = text_label("", "spectralTheorem")
        crop_widget = mark_editing_chrome(QWidget())
        crop_row = QHBoxLayout(crop_widget)
        crop_row.setContentsMargins(0, 0, 0, 0)
        crop_row.addWidget(QLabel("Centre crop"))
        crop_row.addWidget(self.crop_spin)
        crop_row.addStretch(1)
        tl = theorem_box.content
        tl.addWidget(crop_widget)
        tl.addLayout(row, 1)
        tl.addWidget(self.theorem_label)

        self.error_label = ErrorLabel("spectralError")
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(sep_box, 3)
        left.addWidget(dw_box, 2)
        right.addWidget(freq_box, 2)
        right.addWidget(theorem_box, 3)
        layout = page_body(self)
        layout.addWidget(self.error_label)
        layout.addWidget(columns((left, 3), (right, 2)), 1)
        self.refresh()

    def set_setting(self, field: str, value, text: str) -> bool:
        ok = self.edit(text, **{field: value})
        if not ok:
            self.refresh_now()
        return ok

    # -- drawing -------------------------------------------------------------------------
    def refresh(self) -> None:
        st, doc = self.state, self.document
        with QSignalBlocker(self.size_box):
            self.size_box.setCurrentIndex(self.size_box.findData(st.response_size))
        with QSignalBlocker(self.crop_spin):
            self.crop_spin.setValue(st.crop)
        for field, spin in self.layer_spins.items():
            with QSignalBlocker(spin):
                spin.setValue(getattr(st, field))
        with QSignalBlocker(self.bias_box):
            self.bias_box.setChecked(st.bias)
        kernel = effective_kernel(doc.kernel, doc.flip)
        # each part is recomputed and redrawn only when what it shows changed (a layer spin leaves the FFTs alone)
        picture_key = (doc.image, doc.kernel, doc.flip, doc.padding, doc.stride, doc.dilation, doc.padding_mode,
                       st.crop)
        if self._changed("picture", picture_key):
            self._picture_error = ""
            self.theorem = self.check = None
            try:
                self.theorem = theorem_view(doc.image, doc.kernel, st.crop, flip=doc.flip)
                conv = dict(padding=doc.padding, stride=doc.stride, dilation=doc.dilation,
                            padding_mode=doc.padding_mode)
                self.check = separable_check(kernel, self.theorem.crop, conv)
            except ValueError as exc:
                self._picture_error = str(exc)
            self._draw_separable(kernel)
            self._draw_theorem()
        if self._changed("frequency", (doc.kernel, doc.flip, st.response_size)):
            self.frequency = frequency_view(kernel, max(st.response_size, *kernel.shape))
            self._draw_frequency()
        if self._changed("costs", (st.h, st.w, st.c, st.k, st.filters, st.multiplier, st.bias)):
            self._costs_error = ""
            try:
                shape, k, filters = st.layer()
                self.costs = separable_costs(shape, k, filters, "same", bias=st.bias, depth_multiplier=st.multiplier)
            except ValueError as exc:
                self.costs = None
                self._costs_error = str(exc)
            self._draw_costs()
        self.error_label.setText(" ".join(e for e in (self._picture_error, self._costs_error) if e))

    def _changed(self, part: str, key: tuple) -> bool:
        """True (and remembered) when ``key`` differs from the last one drawn for ``part``; arrays by identity,
        remembered weakly (a previous picture is not kept alive by the memory of having drawn it)."""
        old = self._drawn.get(part)
        same = old is not None and len(old) == len(key) and all(
            (a() is b) if isinstance(a, weakref.ref) else (not isinstance(b, np.ndarray) and a == b)
            for a, b in zip(old, key))
        self._drawn[part] = tuple(weakref.ref(v) if isinstance(v, np.ndarray) else v for v in key)
        return not same

    def _draw_separable(self, kernel: np.ndarray) -> None:
        self.kernel_grid.show_array(kernel)
        c = self.check
        if c is None:
            for label in (self.rank_label, self.cost_label, self.difference_label):
                label.setText("")
            return
        self.column_grid.show_array(c.column[:, None])
        self.row_grid.show_array(c.row[None, :])
        self.equals_label.setText("=" if c.rank <= 1 else "≈")
        self.rank_label.setText(rank_sentence(c))
        self.cost_label.setText(cost_sentence(c))
        levels = levels_of(c.two_pass_output, c.direct)
        self.pass_plots["column"].show_values(c.after_column)
        self.pass_plots["two_pass"].show_values(c.two_pass_output, levels=levels)
        self.pass_plots["direct"].show_values(c.direct, levels=levels)
        self.difference_label.setText(difference_sentence(c))

    def _draw_frequency(self) -> None:
        f = self.frequency
        self.response_plot.show_values(f.magnitude, levels=(0.0, max(f.max_gain, 1e-12)))
        n = f.magnitude.shape[0]
        self.response_view.set_caption(f"|frequency response| {n}×{n}")
        self.frequency_label.setText(frequency_sentence(f) + " The middle is zero frequency; the further out, the "
                                     "finer the detail.")

    def _draw_theorem(self) -> None:
        t = self.theorem
        if t is None:
            self.theorem_label.setText("")
            return
        self.theorem_plots["image"].show_values(t.image_log)
        self.theorem_plots["kernel"].show_values(t.kernel_log)
        self.theorem_plots["output"].show_values(t.output_log)
        self.theorem_label.setText(theorem_sentence(t))

    def _draw_costs(self) -> None:
        s = self.costs
        if s is None:
            self.cost_table.setText("")
            self.depthwise_label.setText("")
            return
        rows = "".join(f"<tr><td>{name}</td><td align='right'>{params}</td><td align='right'>{macs}</td></tr>"
                       for name, params, macs in depthwise_rows(s))
        self.cost_table.setText("<table cellspacing='0' cellpadding='3'><tr><th align='left'>layer</th>"
                                "<th align='right'>parameters</th><th align='right'>multiply-adds</th></tr>"
                                f"{rows}</table>")
        self.depthwise_label.setText(depthwise_sentence(s))


__all__ = ["SpectralPanel"]
