"""The Filter tab: input and output views, the kernel editor, the convolution settings and the colours.

Data flows one way: a control edits the document (or :class:`~convviz.model.states.FilterState`)
through the undo stack → it emits → the output is computed in the worker
(:func:`convviz.model.filter_output.compute_output`, newest edit wins) → the views redraw.
Unlike the other tabs, the Filter tab computes whenever the document changes, visible or not:
its output is the window's output (status bar, exports, screenshots).
"""

from __future__ import annotations

import time
from functools import partial

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QProgressBar, QScrollArea, QSplitter, QVBoxLayout, QWidget

from convviz.model import padding_amounts
from convviz.model.bank.texts import ordinal
from convviz.model.filter_output import (
    LARGE_PIXELS,
    ComputedOutput,
    PreparedInput,
    WholeOutputCost,
    compute_output,
    exact_values,
    is_quick,
    output_rgb,
    prepare_input,
    preview_every,
)
from convviz.model.magnifier_texts import channel_names
from convviz.model.view_geometry import Rect, output_rect, padded_rect

from ..panel import Panel
from ..widgets import mark_editing_chrome, named
from ..worker import LatestResultRunner
from .colour_controls import ColourControls
from .hover import FilterHover
from .image_views import InputView, OutputView, make_colormap
from .kernel_editor import KernelEditor
from .layout import FilterLayout
from .magnifier import Magnifier
from .settings_panel import SettingsPanel

COMPUTED_FIELDS = ("image", "kernel", "padding", "stride", "dilation", "padding_mode", "flip", "gray")


def _same_state(a: tuple, b: tuple) -> bool:
    """Equal compute states: arrays by identity (the document replaces, never edits, them), the rest by value."""
    return all((x is y) if hasattr(x, "shape") else (x == y) for x, y in zip(a, b))


class FilterPanel(FilterLayout, Panel):
    """Input and output side by side, kernel and settings in a column beside them."""

    key, title, shortcut = "filter", "Filter", "Ctrl+1"
    outputShown = Signal()      # after each newest output is drawn
    message = Signal(str)       # a line for the status bar

    def __init__(self, workspace, parent=None, **kwargs):
        super().__init__(workspace, parent, **kwargs)
        named(self, "filterPanel", None, "Filter")
        self.runner = LatestResultRunner(self)
        self.runner.finished.connect(self._computed)
        self.compute_seconds = 0.0          # how long the output shown took to compute
        self.whole_cost = WholeOutputCost()  # what the next whole output of this image should take
        self.runner.failed.connect(self._compute_failed)
        self.input_runner = LatestResultRunner(self)  # prepares large input images for drawing
        self.input_runner.finished.connect(self._draw_input)
        self.input_runner.failed.connect(self.message)
        self.output: ComputedOutput | None = None
        self.output_levels: tuple[float, float] = (0.0, 1.0)
        self.output_colormap = "grey"
        self._submitted_state: tuple | None = None
        self._job: tuple | None = None   # (image, kernel, kwargs) of the newest computation
        self._input_preview = False      # the input view shows a reduced decode of a file being opened
        self._fit_pending = True
        self.hover = FilterHover(self)
        self._build()
        doc = self.document
        self._observe(doc.events.image, self._image_replaced)   # first: a new image's output is framed
        for name in COMPUTED_FIELDS:
            self._observe(getattr(doc.events, name), self._schedule_compute)
            self._observe(getattr(doc.events, name), lambda *_: self.hover.refresh())
        for name in ("image", "gray"):
            self._observe(getattr(doc.events, name), self._show_input)
        for name in ("image", "kernel", "padding", "dilation", "padding_mode"):
            self._observe(getattr(doc.events, name), self._show_padding)

    def _build(self) -> None:
        self.input_view = InputView()
        self.output_view = OutputView()
        self.output_view.setXLink(self.input_view)
        self.output_view.setYLink(self.input_view)
        self.input_view.setToolTip("The input image; the dashed, tinted border is the padding. "
                                   "Scroll to zoom, drag to pan (the output follows)")
        self.output_view.setToolTip("The output, each pixel drawn over the centre of its kernel window. "
                                    "Scroll to zoom, drag to pan (the input follows)")
        self.input_view.hovered.connect(self._hovered)
        self.output_view.hovered.connect(self._hovered)
        self.output_view.levelsDragged.connect(lambda lo, hi: self.colour_controls.set_manual_levels(lo, hi))

        self.view_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.view_splitter.setObjectName("viewSplitter")
        self.view_splitter.addWidget(self.input_view)
        self.view_splitter.addWidget(self.output_view)
        self.view_splitter.setChildrenCollapsible(False)

        self.kernel_editor = KernelEditor(self.editor)
        self.kernel_editor.message.connect(self.message)
        self.settings_panel = SettingsPanel(self.editor)
        self.colour_controls = ColourControls(self.state, self.edit)
        self.magnifier = Magnifier()
        self.magnifier.channelChosen.connect(
            lambda i: self.edit(f"Magnifier channel {channel_names(4)[i]}", magnifier_channel=i))

        controls = QWidget()
        controls.setObjectName("controlsColumn")
        column = QVBoxLayout(controls)
        column.setContentsMargins(6, 6, 6, 6)
        for title, widget, name in (("Kernel", self.kernel_editor, "kernelGroup"),
                                    ("Convolution", self.settings_panel, "settingsGroup"),
                                    ("Output colours", self.colour_controls, "colourGroup")):
            group = QGroupBox(title, controls)
            group.setObjectName(name)
            if name != "kernelGroup":      # presentation mode keeps the kernel (preset and weights) only
                mark_editing_chrome(group)
            box = QVBoxLayout(group)
            box.setContentsMargins(6, 6, 6, 6)
            box.addWidget(widget)
            column.addWidget(group)
        column.addStretch(1)
        self.controls_scroll = QScrollArea()
        self.controls_scroll.setObjectName("controlsScroll")
        self.controls_scroll.setWidget(controls)
        self.controls_scroll.setWidgetResizable(True)
        self.controls_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.controls_scroll.setMinimumWidth(controls.minimumSizeHint().width() + 20)

        self.filter_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.filter_splitter.setObjectName("filterTab")
        self.filter_splitter.setAccessibleName("Filter")
        self.view_area = QSplitter(Qt.Orientation.Vertical)   # the images, the magnifier under them
        self.view_area.setObjectName("viewArea")
        self.view_area.addWidget(self.view_splitter)
        self.view_area.addWidget(self.magnifier)
        self.view_area.setStretchFactor(0, 1)
        self.view_area.setStretchFactor(1, 0)
        self.view_area.setCollapsible(0, False)
        self.filter_splitter.addWidget(self.view_area)
        self.filter_splitter.addWidget(self.controls_scroll)
        self.filter_splitter.setStretchFactor(0, 1)
        self.filter_splitter.setStretchFactor(1, 0)
        self.filter_splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_splitter)

        # status-bar pieces: the window puts them in its status bar
        self.input_readout = named(QLabel(), "inputReadout", "Input value under the cursor")
        self.output_readout = named(QLabel(), "outputReadout", "Output value under the cursor")
        self.output_info = named(QLabel(), "outputInfo", "Output size and how long it took to compute")
        self.busy_indicator = named(QProgressBar(), "busyIndicator", "Computing the output…", "Computing")
        self.busy_indicator.setRange(0, 0)
        self.busy_indicator.setMaximumWidth(90)
        self.busy_indicator.setMaximumHeight(14)
        self.busy_indicator.hide()
        self.runner.busyChanged.connect(self._busy_changed)

    # -- state -----------------------------------------------------------------------
    def refresh(self) -> None:
        """The colour state changed (or the tab is shown): recolour the output (a new scale needs new
        automatic levels: computed again in the worker)."""
        self.colour_controls.show_state()
        self.hover.refresh()
        if self.output is not None and self.output.scale != self.state.scale:
            self.recompute()
        else:
            self._recolour_output()

    def start(self) -> None:
        """Draw the input and padding and submit the first output (the window calls it once built)."""
        self._show_input()
        self._show_padding()
        self.recompute()

    # -- computing and drawing ---------------------------------------------------------
    def _compute_state(self) -> tuple:
        doc = self.document
        return (doc.image, doc.kernel, doc.padding, doc.stride, doc.dilation, doc.padding_mode, doc.flip, doc.gray)

    def _schedule_compute(self, *_args) -> None:
        """A computed field changed: submit at once (``ConvDocument.apply`` sets every field before it
        emits, so the first signal of a change sees the whole new state; the later ones find it submitted)."""
        if self._submitted_state is not None and _same_state(self._submitted_state, self._compute_state()):
            return
        self.recompute()

    @property
    def computing(self) -> bool:
        """True while a document change has not yet been drawn as output."""
        return self.runner.pending

    def recompute(self) -> None:
        """Compute the output for the document as it is now: at once when that takes a few milliseconds
        (:func:`~convviz.model.filter_output.is_quick`), else in the worker (newest wins). A large output
        is first computed as an exact preview (every s-th pixel), drawn, then computed whole."""
        doc = self.document
        self._submitted_state = self._compute_state()  # holds the arrays, so identity comparison is safe
        self._job = (doc.image, doc.kernel, doc.conv_kwargs())
        try:
            output_hw = doc.output_shape()
        except ValueError:
            output_hw = None                           # the worker says why
        if output_hw is not None and is_quick(doc.image.shape, doc.kernel, output_hw):
            self._compute_now()
            return
        every = 1 if output_hw is None else preview_every(
            output_hw, self.whole_cost.expected(doc.image, doc.kernel, output_hw))
        self.runner.submit(compute_output, *self._job, self.state.scale, every, cancelled=True)

    def _compute_now(self) -> None:
        """A few milliseconds of work, done here (handing it to the worker would cost as much); any
        older job still in the worker is forgotten."""
        self.runner.cancel()
        start = time.perf_counter()
        try:
            result = compute_output(*self._job, self.state.scale, 1)
        except ValueError as exc:
            self._job = None
            self._compute_failed(str(exc))
            return
        self.compute_seconds = time.perf_counter() - start
        assert result is not None
        self._show_output(result)

    def _computed(self, result: ComputedOutput) -> None:
        self.compute_seconds = self.runner.last_elapsed
        self.whole_cost.measured(result, self.compute_seconds)
        self._show_output(result)

    def _show_output(self, result: ComputedOutput) -> None:
        if result.preview and self._job is not None:   # now the whole output, superseded by any newer edit
            self.runner.submit(compute_output, *self._job, result.scale, 1, cancelled=True)
        elif not result.preview:
            self._job = None
        self.output = result
        rect = output_rect(result.image_hw, result.kernel_hw, result.padding, stride=result.stride,
                           dilation=result.dilation)
        self.output_levels, self.output_colormap = self.colour_controls.choose(result.values, result.auto_levels)
        display = result.display if result.drawn_levels == tuple(self.output_levels) else None
        self.output_view.show_output(result.values, rect, levels=self.output_levels,
                                     colormap_name=self.output_colormap, display=display,
                                     value_range=result.value_range,
                                     reduced=result.reduced if display is not None else None,
                                     sample_step=result.sample_step, full_hw=result.values_hw)
        h, w = result.full_hw or result.values.shape[:2]
        kind = " × 3 channels" if result.values.ndim == 3 else ""
        note = f" (preview: every {ordinal(result.every)} pixel; computing the rest…)" if result.preview else ""
        self.output_view.set_title(f"Output {w}×{h}{kind}{note}")
        self.output_info.setText(f"Output {w}×{h}{kind} · {self.compute_seconds * 1000:.1f} ms"
                                 + (" (preview)" if result.preview else ""))
        if result.preview:
            return
        self._bytes_for_levels()
        if self._fit_pending:
            self._fit_pending = False
            self._show_padding()    # framed with the new image's padding (its own observer may come later)
            self._arrange_views()
            self.input_view.fit()
        self.outputShown.emit()

    def _recolour_output(self) -> None:
        if self.output is None:
            return
        self.output_levels, self.output_colormap = self.colour_controls.choose(self.output.values,
                                                                             self.output.auto_levels)
        self.output_view.set_output_levels(self.output_levels, self.output_colormap)
        self._bytes_for_levels()

    def _bytes_for_levels(self) -> None:
        """A photo-sized output keeps only a screen's worth of float32 values: at levels other than its
        bytes' it is drawn from those at once, and its whole bytes at the new levels follow from the worker."""
        out = self.output
        if (out is None or out.preview or out.sample_step == 1 or out.source is None
                or out.drawn_levels == tuple(self.output_levels) or self._job is not None):
            return
        image, kernel, kwargs = out.source
        levels = tuple(self.output_levels)
        self._job = (image, kernel, kwargs)
        self.runner.submit(partial(compute_output, levels=levels), image, kernel, kwargs, out.scale, 1,
                           cancelled=True)

    def displayed_output_rgb(self):
        """The output as the view colours it: ``(H', W', 3)`` uint8."""
        if self.output is None:
            raise ValueError("There is no output yet.")
        return output_rgb(self.output, self.output_colormap, self.output_levels)

    def exact_output(self) -> np.ndarray:
        """The whole output in float64, exactly (see :func:`~convviz.model.filter_output.exact_values`)."""
        if self.output is None:
            raise ValueError("The output is still being computed; try again in a moment.")
        return exact_values(self.output)

    def _compute_failed(self, message: str) -> None:
        self.output_info.setText("Output could not be computed")
        self.message.emit(f"The output could not be computed: {message}")

    def _busy_changed(self, busy: bool) -> None:
        self.busy_indicator.setVisible(busy)
        if busy:
            self.output_info.setText("Computing…")

    def _image_replaced(self, *_args) -> None:
        self._fit_pending = True

    def _show_input(self, *_args) -> None:
        doc = self.document
        h, w = doc.image.shape[:2]
        if h * w <= LARGE_PIXELS:
            self._draw_input(prepare_input(doc.image, doc.gray, display=False))
        else:  # luminance and bytes of a photo take a while: in the worker, then drawn
            self.input_runner.submit(prepare_input, doc.image, doc.gray)

    def show_input_preview(self, pixels, full_hw, name: str) -> None:
        """A reduced decode of the file being opened, drawn over its full size until the whole image
        arrives (the document still holds the previous image; no number is read from this)."""
        h, w = full_hw
        self._input_preview = True
        self.input_view.show_values(pixels, Rect(0, 0, w, h), levels=(0.0, 255.0),
                                    colormap=make_colormap("grey") if pixels.ndim == 2 else None, display=pixels)
        self.input_view.set_title(f"Opening {name} ({w}×{h})…")
        self.input_view.fit()

    def _draw_input(self, prepared: PreparedInput) -> None:
        doc = self.document
        if prepared.image is not doc.image or prepared.gray != doc.gray:
            return  # the document moved on; its own input is on its way
        shown = prepared.values
        self._input_preview = False
        h, w = shown.shape[:2]
        self.input_view.show_values(shown, Rect(0, 0, w, h), levels=(0.0, 255.0),
                                    colormap=make_colormap("grey") if shown.ndim == 2 else None,
                                    display=prepared.display, reduced=prepared.reduced)
        if shown.ndim == 3 or not doc.is_colour:
            kind, full = ("colour" if shown.ndim == 3 else "grey"), None
        else:   # short enough for a 1280×800 projector; the whole story in the tooltip
            kind, full = "grey (luminance)", "grey (luminance of a colour image: 0.299 R + 0.587 G + 0.114 B)"
        self.input_view.set_title(f"Input {w}×{h} {kind}", f"Input {w}×{h} {full}" if full else None)

    def _show_padding(self, *_args) -> None:
        doc = self.document
        hw = doc.image.shape[:2]
        top, bottom, left, right = padding_amounts(doc.kernel.shape, doc.padding, dilation=doc.dilation)
        padded = padded_rect(hw, doc.kernel.shape, doc.padding, dilation=doc.dilation)
        if (top, bottom, left, right) == (0, 0, 0, 0):
            label = ""
        elif len({top, bottom, left, right}) == 1:
            label = f"padding {top} px, {doc.padding_mode}"
        else:
            label = f"padding ↑{top} ↓{bottom} ←{left} →{right} px, {doc.padding_mode}"
        self.input_view.set_padding(padded, hw, label)

    def _hovered(self, point) -> None:
        """The pointer is at view point ``point`` (or left the views): readouts, magnifier, marks."""
        self.hover.hovered(point)

    def shutdown(self) -> None:
        self.runner.shutdown()
        self.input_runner.shutdown()
        self.kernel_editor.shutdown()
