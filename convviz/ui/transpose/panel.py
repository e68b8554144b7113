"""Transposed convolution: each input value scatters a copy of the kernel onto the output (overlaps add up),
stepped like the player; beside it the same output as an ordinary convolution of the zero-inserted, padded
input with the flipped kernel; the output-size formula; and the checkerboard that uneven overlaps leave when
a 3×3 kernel upsamples a real picture ×2.

Every number comes from :mod:`convviz.model.transpose` through :mod:`convviz.model.transpose_view`.
State: :class:`~convviz.model.states.transpose.TransposeState`.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from convviz.model.states.transpose import (
    CHECKER_KERNELS,
    MAX_T_DILATION,
    MAX_T_PADDING,
    MAX_T_STRIDE,
    TRANSPOSE_INPUTS,
    TRANSPOSE_KERNELS,
)
from convviz.model.step_view import cell_texts, grid_rgb, levels_of
from convviz.model.transpose_view import (
    Checkerboard,
    ImageCrops,
    ScatterFrame,
    ZeroInsertedView,
    checkerboard,
    checkerboard_sentence,
    equality_sentence,
    image_crops,
    scatter_frame,
    scatter_sentence,
    size_formulas,
    transpose_operands,
    zero_inserted_view,
)

from ..panel import Panel
from ..widgets import CellGrid, ImagePlot, mark_editing_chrome, named, text_label
from ..widgets.captioned_plot import CaptionedPlot
from ..widgets.error_label import ErrorLabel
from ..widgets.font_sized import font_sized
from ..widgets.grid_cells import show_cells, show_title
from ..widgets.page_body import columns, page_body
from ..widgets.prepared_result import PreparedResult
from ..widgets.scaled_label import ScaledLabel
from ..widgets.section_box import SectionBox
from ..widgets.setting_boxes import choice_box, number_spin
from ..widgets.step_bar import FrameStepping, StepBar

#: settings whose change starts the scatter again at the first input pixel
RESTARTING = ("input", "kernel", "stride", "padding", "output_padding", "dilation")


def _grid(name: str, title: str, tip: str, high: float = 4) -> CellGrid:
    """A cell grid at least ``high`` text lines high (it grows with presentation fonts; title words never cut)."""
    grid = named(CellGrid(title), name, tip, title)
    font_sized(grid, high, 90, title=grid.title)
    return grid


class TransposePanel(FrameStepping, Panel):
    """The scatter, the zero-inserted equivalent, the size formula and the checkerboard."""

    key, title, shortcut = "transpose", "Transposed conv", "Ctrl+Alt+1"
    document_fields = ("image", "kernel")

    def __init__(self, workspace, parent=None, **kwargs):
        super().__init__(workspace, parent, **kwargs)
        named(self, "transposePanel", None, "Transposed convolution")
        self.frame: ScatterFrame | None = None
        self.equivalent: ZeroInsertedView | None = None
        self.board: Checkerboard | None = None
        self.crops: ImageCrops | None = None
        self._board_drawn: tuple | None = None
        self.prepared = PreparedResult(image_crops, self)
        self.prepared.ready.connect(self.mark_stale)
        self._observe(self.document.events.image, self._picture_replaced)

        intro = text_label("<b>Transposed convolution</b> goes the other way from a convolution: each input value "
                           "multiplies the whole kernel and adds it onto a larger output — with stride 2 the output "
                           "is about twice the size (upsampling, as in decoders and GANs).", "transposeIntro")
        self.input_box = self._combo("transposeInputBox", TRANSPOSE_INPUTS, "input", "What is scattered.", "Input")
        self.kernel_box = self._combo("transposeKernelBox", TRANSPOSE_KERNELS, "kernel",
                                      "The weights each input value multiplies.", "Kernel")
        self.spins = {field: self._spin(field, *spec) for field, spec in (
            ("stride", ("transposeStrideSpin", 1, MAX_T_STRIDE, "Stride S: how far apart the copies land.",
                        "Stride")),
            ("padding", ("transposePaddingSpin", 0, MAX_T_PADDING, "Padding P: rows and columns cropped from each "
                         "side of the scatter.", "Padding")),
            ("output_padding", ("transposeOutputPaddingSpin", 0, MAX_T_STRIDE - 1, "Output padding: extra rows "
                                "and columns at the bottom and right (smaller than the stride or the dilation).",
                                "Output padding")),
            ("dilation", ("transposeDilationSpin", 1, MAX_T_DILATION, "Dilation D: spacing between kernel taps.",
                          "Dilation")))}
        controls_row = mark_editing_chrome(QWidget())   # presentation mode gives the grids its room
        controls = QHBoxLayout(controls_row)
        controls.setContentsMargins(0, 0, 0, 0)
        for text, widget in (("Input", self.input_box), ("Kernel", self.kernel_box),
                             ("Stride S", self.spins["stride"]), ("Padding P", self.spins["padding"]),
                             ("Output padding", self.spins["output_padding"]), ("Dilation D", self.spins["dilation"])):
            controls.addWidget(QLabel(text))
            controls.addWidget(widget)
        controls.addStretch(1)

        # -- the scatter ---------------------------------------------------------------------
        scatter_box = SectionBox("Scatter: each input value × the kernel, added onto the canvas")
        self.input_grid = _grid("transposeInputGrid", "Input x", "The input; the red cell scatters now.")
        self.kernel_grid = _grid("transposeKernelGrid", "Kernel w", "The kernel (not flipped: it is copied as is).")
        self.contribution_grid = _grid("transposeContributionGrid", "x value × w",
                                       "What the current input value adds to the canvas.")
        self.canvas_grid = _grid("transposeCanvasGrid", "Canvas", "The output so far: every copy added so far. "
                                 "Hatched cells are cropped by the padding (or receive nothing: output padding).", 7)
        self.step_text = ScaledLabel("transposeStepText", 1.3)
        self.step_bar = StepBar(self, "transpose", self.move_step, self.jump)
        top = QHBoxLayout()
        for grid in (self.input_grid, self.kernel_grid, self.contribution_grid):
            top.addWidget(grid)
        sl = scatter_box.content
        sl.addLayout(top, 2)
        sl.addWidget(self.canvas_grid, 4)
        sl.addWidget(self.step_text)
        sl.addWidget(self.step_bar)

        # -- the same as a convolution --------------------------------------------------------
        same_box = SectionBox("The same output: an ordinary convolution")
        self.zero_grid = _grid("transposeZeroInsertedGrid", "Zero-inserted, padded input",
                               "The input with S−1 zeros between pixels and D·(K−1)−P padding around (hatched).")
        self.flipped_grid = _grid("transposeFlippedGrid", "Flipped kernel", "The kernel turned half a turn.")
        self.result_grid = _grid("transposeResultGrid", "Its correlation", "correlate(zero-inserted, flipped kernel)")
        self.equal_label = text_label("", "transposeEqual")
        self.formula_label = text_label("", "transposeFormula")   # wraps only before a sign (size_formulas)
        self.formula_label.setStyleSheet("font-family: monospace;")
        gl = QGridLayout()
        same_box.content.addLayout(gl)
        gl.addWidget(self.zero_grid, 0, 0)
        gl.addWidget(self.flipped_grid, 0, 1)
        gl.addWidget(self.result_grid, 0, 2)
        gl.addWidget(self.equal_label, 1, 0, 1, 3)
        gl.addWidget(self.formula_label, 2, 0, 1, 3)
        gl.setColumnStretch(0, 3)
        gl.setColumnStretch(1, 1)
        gl.setColumnStretch(2, 2)

        # -- the checkerboard ------------------------------------------------------------------
        checker_box = SectionBox("Checkerboard: upsample the picture ×2 with a 3×3 kernel (stride 2)")
        self.checker_box = self._combo("transposeCheckerBox", CHECKER_KERNELS, "checker",
                                       "The 3×3 kernel of the demonstration.", "Checkerboard kernel")
        checker_views = {key: CaptionedPlot(named(ImagePlot(), f"transposeChecker{key.capitalize()}View", None,
                                                  title), title, high=5.5, least=120)
                         for key, title in (("crop", "picture"), ("upsampled", "upsampled ×2"),
                                            ("coverage", "weight received"))}
        self.checker_plots = {key: view.plot for key, view in checker_views.items()}
        plots = QHBoxLayout()
        for view in checker_views.values():
            plots.addWidget(view)
        self.checker_label = text_label("", "transposeCheckerText")
        cl = checker_box.content
        kernel_row = mark_editing_chrome(QWidget())
        row = QHBoxLayout(kernel_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Kernel"))
        row.addWidget(self.checker_box)
        row.addStretch(1)
        cl.addWidget(kernel_row)
        cl.addLayout(plots, 1)
        cl.addWidget(self.checker_label)

        self.error_label = ErrorLabel("transposeError")
        right = QVBoxLayout()
        right.addWidget(same_box, 3)
        right.addWidget(checker_box, 2)
        layout = page_body(self)
        layout.addWidget(mark_editing_chrome(intro))
        layout.addWidget(controls_row)
        layout.addWidget(self.error_label)
        layout.addWidget(columns((scatter_box, 1), (right, 1)), 1)
        self.refresh()

    def _combo(self, name, items: dict, field: str, tip: str, accessible: str):
        return choice_box(name, items, tip, accessible, lambda key: self.set_setting(field, key, accessible))

    def _spin(self, field: str, name, low, high, tip: str, accessible: str):
        return number_spin(name, low, high, tip, accessible, lambda v: self.set_setting(field, v, accessible))

    # -- edits ---------------------------------------------------------------------------
    def set_setting(self, field: str, value, text: str) -> bool:
        """One setting as one undo step (the scatter starts again); refused values leave the state as it was."""
        changes = {field: value}
        if field in RESTARTING:
            changes["step"] = 0
        if field in ("stride", "dilation"):   # keep the output padding allowed
            s = value if field == "stride" else self.state.stride
            d = value if field == "dilation" else self.state.dilation
            if self.state.output_padding >= max(s, d):
                changes["output_padding"] = max(s, d) - 1
        ok = self.edit(text, **changes)
        if not ok:
            self.refresh_now()
        return ok

    def _picture_replaced(self, *_args) -> None:
        """A hidden tab keeps nothing of a previous picture (it prepares the new one when shown)."""
        if not self._is_visible():
            self.prepared.forget()
            self.crops = self._board_drawn = None

    def wait_for_image(self, timeout_s: float = 10.0) -> bool:
        """Tests and exports: wait for the worker's crops of a large picture, then refresh."""
        self.prepared.wait(timeout_s)
        self.refresh_now()
        return self.crops is not None

    # -- drawing -------------------------------------------------------------------------
    def refresh(self) -> None:
        st, doc = self.state, self.document
        for box, value in ((self.input_box, st.input), (self.kernel_box, st.kernel), (self.checker_box, st.checker)):
            with QSignalBlocker(box):
                box.setCurrentIndex(box.findData(value))
        for field, spin in self.spins.items():
            with QSignalBlocker(spin):
                spin.setValue(getattr(st, field))
        self.error_label.setText("")
        h, w = doc.image.shape[:2]
        self.crops = self.prepared.get((doc.image,), (), h * w, doc.image)
        if self.crops is None:
            self.error_label.setText(self.prepared.error or "Preparing the picture …")
        try:
            x, k = transpose_operands(st.input, st.kernel, self.crops, doc.kernel)
            settings = st.transpose_kwargs()
            self.frame = scatter_frame(x, k, st.step, **settings)
            self.equivalent = zero_inserted_view(x, k, self.frame.output, **settings)
        except ValueError as exc:
            self.frame = self.equivalent = None
            self.error_label.setText(str(exc))
        else:
            self._draw_scatter(x, k, settings)
        if self.crops is not None:
            drawn = (self.crops, st.checker)
            if self._board_drawn is None or self._board_drawn[0] is not drawn[0] or self._board_drawn[1] != drawn[1]:
                self.board = checkerboard(self.crops.checker, st.checker)
                self._draw_checkerboard()
                self._board_drawn = drawn   # stepping the scatter does not redraw the pictures

    def _draw_scatter(self, x, k, settings: dict) -> None:
        f, z = self.frame, self.equivalent
        show_cells(self.input_grid, f.input_rgb, f.input_texts)
        self.input_grid.set_current(f.step.in_index)
        show_cells(self.kernel_grid, grid_rgb(k), f.kernel_texts)
        show_title(self.contribution_grid, f"{f.input_texts[f.step.in_index[0]][f.step.in_index[1]]} × w")
        show_cells(self.contribution_grid, f.contribution_rgb, f.contribution_texts)
        oh, ow = f.output.shape
        ch, cw = f.canvas.shape
        show_title(self.canvas_grid, f"Canvas {ch}×{cw} → output {oh}×{ow} (hatched: cropped)"
                   if f.canvas_padding.any() else f"Canvas = output {oh}×{ow}")
        show_cells(self.canvas_grid, f.canvas_rgb, f.canvas_texts, f.canvas_padding)
        self.canvas_grid.set_window(f.step.rows, f.step.cols)
        self.step_text.setText(scatter_sentence(f))
        self.step_bar.show_position(f.step.index, f.count)
        levels = levels_of(z.array, f.output)
        show_cells(self.zero_grid, grid_rgb(z.array, levels), cell_texts(z.array), z.inserted)
        show_cells(self.flipped_grid, grid_rgb(z.flipped), cell_texts(z.flipped))
        show_cells(self.result_grid, grid_rgb(z.result, levels), cell_texts(z.result))
        self.equal_label.setText(equality_sentence(z))
        self.formula_label.setText(size_formulas(x.shape, k.shape, **settings))

    def _draw_checkerboard(self) -> None:
        b = self.board
        self.checker_plots["crop"].show_values(b.crop)
        self.checker_plots["upsampled"].show_values(b.upsampled)
        self.checker_plots["coverage"].show_values(b.coverage, levels=(0.0, float(b.coverage.max())))
        self.checker_label.setText(checkerboard_sentence(b, self.state.checker))

    def closeEvent(self, event) -> None:
        self.prepared.shutdown()
        super().closeEvent(event)
