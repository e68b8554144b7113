"""Pooling: step a max or average pool over a small crop of the image or of a feature map, see the
layer row conv → ReLU → pool with its shapes, and move the input to see the pooled output change little.

Every number comes from :mod:`convviz.model.pooling` through :mod:`convviz.model.pooling_view`
(``pool``, ``pool_steps``, ``pooled_shift_difference``). State:
:class:`~convviz.model.states.pooling.PoolingState`. Preparing the map (filtering and pooling the whole
picture) runs in the worker for large images.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QWidget

from convviz.model.pooling_view import (
    PoolFrame,
    PoolingSource,
    chain_text,
    input_title,
    invariance_sentence,
    pool_frame,
    pool_label,
    pooling_source,
    step_sentence,
)
from convviz.model.states.pooling import (
    MAX_CROP,
    MAX_POOL_PADDING,
    MAX_POOL_STRIDE,
    MAX_WINDOW,
    MIN_CROP,
    POOL_MODE_NAMES,
    POOL_SOURCES,
)
from convviz.model.step_view import levels_of

from ..panel import Panel
from ..widgets import CellGrid, ImagePlot, mark_editing_chrome, named, text_label
from ..widgets.captioned_plot import CaptionedPlot
from ..widgets.error_label import ErrorLabel
from ..widgets.font_sized import font_sized
from ..widgets.grid_cells import show_cells, show_title
from ..widgets.page_body import page_body
from ..widgets.prepared_result import PreparedResult
from ..widgets.scaled_label import ScaledLabel
from ..widgets.section_box import SectionBox
from ..widgets.setting_boxes import choice_box, number_spin
from ..widgets.step_bar import FrameStepping, StepBar

#: arrow button → (text, rows, columns, shortcut)
ARROWS = {"left": ("←", 0, -1, "Alt+Left"), "up": ("↑", -1, 0, "Alt+Up"),
          "down": ("↓", 1, 0, "Alt+Down"), "right": ("→", 0, 1, "Alt+Right")}
#: settings whose change starts the stepping again at the first window
RESTARTING = ("source", "kernel_size", "stride", "padding", "crop")


class PoolingPanel(FrameStepping, Panel):
    """Max/average pooling stepped like a convolution, the layer row and the shift (invariance) check."""

    key, title, shortcut = "pooling", "Pooling", "Ctrl+9"
    document_fields = ("image", "kernel", "preset", "padding", "stride", "dilation", "padding_mode", "flip")

    def __init__(self, workspace, parent=None, **kwargs):
        super().__init__(workspace, parent, **kwargs)
        named(self, "poolingPanel", None, "Pooling")
        self.source: PoolingSource | None = None
        self.frame: PoolFrame | None = None
        self._drawn_chain: PoolingSource | None = None
        self._difference: tuple | None = None
        self.prepared = PreparedResult(pooling_source, self)
        self.prepared.ready.connect(self.mark_stale)
        self._observe(self.document.events.image, self._picture_replaced)

        intro = text_label("<b>Pooling</b> summarises each window of a feature map by one number — its largest value "
                           "(max) or its mean (average) — so the map gets smaller and small shifts matter less.",
                           "poolingIntro")
        self.source_box = self._combo("poolingSourceBox", POOL_SOURCES, "source", "What is pooled: the image's "
                                      "luminance, or the Filter tab's output after ReLU (conv → ReLU → pool).",
                                      "Pooling source")
        self.mode_box = self._combo("poolingModeBox", POOL_MODE_NAMES, "mode", "Max pooling keeps the largest value "
                                    "of each window; average pooling their mean.", "Pooling mode")
        self.window_spin = self._spin("poolingWindowSpin", 1, MAX_WINDOW, "kernel_size",
                                      "Side of the square pooling window.", "Pooling window")
        self.stride_spin = self._spin("poolingStrideSpin", 1, MAX_POOL_STRIDE, "stride",
                                      "How far the window moves (equal to the window: side by side).", "Pooling stride")
        self.padding_spin = self._spin("poolingPaddingSpin", 0, MAX_POOL_PADDING, "padding",
                                       "Pixels added on each side (at most half the window): −∞ for max, 0 for "
                                       "average pooling.", "Pooling padding")
        self.crop_spin = self._spin("poolingCropSpin", MIN_CROP, MAX_CROP, "crop",
                                    "Side of the crop stepped through (where the map varies most).", "Crop size")
        self.count_pad_box = named(QCheckBox("Average counts padding"), "poolingCountPadBox",
                                   "Average pooling divides by the whole window (checked, PyTorch's default) or only "
                                   "by the real pixels in it.", "Average counts padding")
        self.count_pad_box.toggled.connect(lambda on: self.edit("Average counts padding", count_include_pad=on))
        controls_row = mark_editing_chrome(QWidget())   # presentation mode gives the grids its room
        controls = QHBoxLayout(controls_row)
        controls.setContentsMargins(0, 0, 0, 0)
        for text, widget in (("Pool", self.source_box), ("", self.mode_box), ("Window", self.window_spin),
                             ("Stride", self.stride_spin), ("Padding", self.padding_spin),
                             ("Crop", self.crop_spin), ("", self.count_pad_box)):
            if text:
                controls.addWidget(QLabel(text))
            controls.addWidget(widget)
        controls.addStretch(1)

        self.input_grid = named(CellGrid("Input"), "poolingInputGrid", "The crop that is pooled; the orange frame is "
                                "the window, the magenta cell the winner (max pooling).", "Pooling input")
        self.window_grid = named(CellGrid("Window"), "poolingWindowGrid", "The values the pooling sees at this step.",
                                 "Pooling window values")
        self.output_grid = named(CellGrid("Pooled output"), "poolingOutputGrid", "The pooled crop filling in; blue "
                                 "outlines mark outputs that changed when the input moved.", "Pooled output")
        self.step_text = ScaledLabel("poolingStepText", 1.4)
        grids = QHBoxLayout()
        for grid, stretch in ((self.input_grid, 5), (self.window_grid, 2), (self.output_grid, 3)):
            # a smaller page scrolls rather than squeezing the numbers away
            grids.addWidget(font_sized(grid, 9, title=grid.title), stretch)
        self.step_bar = StepBar(self, "pooling", self.move_step, self.jump)

        shift_box = SectionBox("Move the input: equivariance becomes invariance")
        self.arrow_buttons: dict[str, QPushButton] = {}
        arrows = QHBoxLayout()
        for name, (text, ddy, ddx, keys) in ARROWS.items():
            button = named(QPushButton(text), f"poolingShift{name.capitalize()}",
                           f"Move the input one pixel {name} ({keys}).", f"Move {name}")
            button.setFixedWidth(36)
            button.clicked.connect(lambda _=False, a=ddy, b=ddx: self.nudge(a, b))
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda a=ddy, b=ddx: self.nudge(a, b))
            arrows.addWidget(button)
            self.arrow_buttons[name] = button
        self.no_shift_button = named(QPushButton("No shift"), "poolingNoShift", "Put the input back.", "No shift")
        self.no_shift_button.clicked.connect(lambda: self.edit("No shift", dy=0, dx=0))
        arrows.addWidget(self.no_shift_button)
        arrows.addStretch(1)
        self.invariance_label = text_label("", "poolingInvariance")
        sl = shift_box.content
        sl.addLayout(arrows)
        sl.addWidget(self.invariance_label)
        sl.addStretch(1)

        chain_box = SectionBox("The layer row, with its shapes")
        self.chain_label = text_label("", "poolingChain")
        self.chain_plots = [named(ImagePlot(), f"poolingChainView{i}", None, f"Layer row picture {i + 1}")
                            for i in range(4)]
        self.chain_views = [CaptionedPlot(plot, high=4.5, least=90, most=6.5) for plot in self.chain_plots]
        plots = QHBoxLayout()
        for view in self.chain_views:
            plots.addWidget(view)
        cl = chain_box.content
        cl.addLayout(plots)
        cl.addWidget(self.chain_label)
        cl.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(shift_box, 2)
        bottom.addWidget(chain_box, 3)

        self.error_label = ErrorLabel("poolingError")
        layout = page_body(self)
        layout.addWidget(mark_editing_chrome(intro))
        layout.addWidget(controls_row)
        layout.addWidget(self.error_label)
        layout.addLayout(grids, 1)
        layout.addWidget(self.step_text)
        layout.addWidget(self.step_bar)
        layout.addLayout(bottom)
        self.refresh()

    def _combo(self, name, items: dict, field: str, tip: str, accessible: str):
        return choice_box(name, items, tip, accessible, lambda key: self.set_setting(field, key, accessible))

    def _spin(self, name, low, high, field: str, tip: str, accessible: str):
        return number_spin(name, low, high, tip, accessible, lambda v: self.set_setting(field, v, accessible))

    # -- edits ---------------------------------------------------------------------------
    def set_setting(self, field: str, value, text: str) -> bool:
        """Change one setting as one undo step (a smaller window takes the padding down with it)."""
        changes = {field: value}
        if field == "kernel_size":
            changes["padding"] = min(self.state.padding, int(value) // 2)
        if field in RESTARTING:
            changes["step"] = 0
        ok = self.edit(text, **changes)
        if not ok:
            self.refresh_now()   # the widget shows the state again
        return ok

    def nudge(self, ddy: int, ddx: int) -> None:
        """Move the input one pixel (buttons and Alt+arrows): one undo step; nothing at the limit."""
        change = self.state.nudged(ddy, ddx)
        if change:
            self.edit("Move the input", **change)

    # -- the map (worker for large pictures) ----------------------------------------------
    def _ensure_source(self) -> bool:
        """True when the map for today's document and settings is ready (else the worker prepares it)."""
        doc, st = self.document, self.state
        conv = dict(padding=doc.padding, stride=doc.stride, dilation=doc.dilation, padding_mode=doc.padding_mode,
                    flip=doc.flip)
        pool_kwargs = st.pool_kwargs()
        values = (doc.preset, tuple(sorted(conv.items())), st.source, st.crop, st.kernel_size,
                  tuple(sorted(pool_kwargs.items())))
        h, w = doc.image.shape[:2]
        self.source = self.prepared.get((doc.image, doc.kernel), values, h * w, doc.image, st.source, st.crop,
                                        st.kernel_size, pool_kwargs, kernel=doc.kernel, conv_kwargs=conv,
                                        kernel_name=doc.preset or "kernel")
        if self.source is None:
            self.error_label.setText(self.prepared.error or "Preparing the map …")
        return self.source is not None

    def _picture_replaced(self, *_args) -> None:
        """A hidden tab keeps nothing of a previous picture (it prepares the new one when shown)."""
        if not self._is_visible():
            self.prepared.forget()
            self.source = self._drawn_chain = self._difference = None

    def wait_for_source(self, timeout_s: float = 10.0) -> bool:
        """Tests and exports: wait for the worker, then refresh."""
        self.prepared.wait(timeout_s)
        self.refresh_now()
        return self.source is not None

    # -- drawing -------------------------------------------------------------------------
    def refresh(self) -> None:
        st = self.state
        for box, value in ((self.source_box, st.source), (self.mode_box, st.mode)):
            with QSignalBlocker(box):
                box.setCurrentIndex(box.findData(value))
        for spin, value in ((self.window_spin, st.kernel_size), (self.stride_spin, st.stride),
                            (self.padding_spin, st.padding), (self.crop_spin, st.crop)):
            with QSignalBlocker(spin):
                spin.setValue(value)
        with QSignalBlocker(self.count_pad_box):
            self.count_pad_box.setChecked(st.count_include_pad)
        self.count_pad_box.setEnabled(st.mode == "avg" and st.padding > 0)
        self.error_label.setText("")
        if not self._ensure_source():
            return
        source = self.source
        self._draw_chain(source)
        try:
            crop = source.shifted_crop(st.dy, st.dx)
            unmoved = source.shifted_crop(0, 0)
            self.frame = pool_frame(crop, unmoved, st.step, st.kernel_size, levels=levels_of(source.context()),
                                    **st.pool_kwargs())
            difference = self._shift_difference(source)
        except ValueError as exc:
            self.frame = None
            self.error_label.setText(str(exc))
            return
        f = self.frame
        show_title(self.input_grid, input_title(source, st.dy, st.dx, st.padding, st.mode))
        show_cells(self.input_grid, f.input_rgb, f.input_texts, f.input_padding)
        self.input_grid.set_window(f.window_rows, f.window_cols)
        self.input_grid.set_accent(f.winner)
        show_title(self.window_grid, f"Window at output {f.step.out_index}")
        show_cells(self.window_grid, f.window_rgb, f.window_texts, ~f.step.in_image)
        self.window_grid.set_accent(f.window_winner)
        oh, ow = f.output.shape
        show_title(self.output_grid, f"Pooled output {oh}×{ow}")
        show_cells(self.output_grid, f.output_rgb, f.output_texts)
        self.output_grid.set_filled(f.filled)
        self.output_grid.set_current(f.current)
        self.output_grid.set_marked([c for c in f.changed if c[0] * f.output.shape[1] + c[1] < f.filled])
        self.step_text.setText(step_sentence(f))
        self.step_bar.show_position(f.step.index, f.count)
        label = pool_label(st.kernel_size, st.stride, st.padding, st.mode)
        self.invariance_label.setText(invariance_sentence(difference, label, source.measured_area().shape, f))

    def _shift_difference(self, source: PoolingSource):
        """The shift numbers over the whole map (kept while only the step changes)."""
        st = self.state
        key = (source, st.dy, st.dx, st.kernel_size, tuple(sorted(st.pool_kwargs().items())))
        cached = self._difference
        if cached is None or cached[0][0] is not source or cached[0][1:] != key[1:]:
            self._difference = cached = (key, source.shift_difference(st.dy, st.dx, st.kernel_size,
                                                                      **st.pool_kwargs()))
        return cached[1]

    def _draw_chain(self, source: PoolingSource) -> None:
        if self._drawn_chain is source:
            return
        self._drawn_chain = source
        stages = source.chain
        for i, (plot, view) in enumerate(zip(self.chain_plots, self.chain_views)):
            view.setVisible(i < len(stages))
            if i < len(stages):
                plot.show_values(stages[i].picture)
                view.set_caption(stages[i].title)
        self.chain_label.setText(chain_text(source))

    def closeEvent(self, event) -> None:
        self.prepared.shutdown()
        super().closeEvent(event)
