"""The player's widgets and how they are laid out; it draws what the model computed.

:class:`PlayerView` holds the grids (input, output, similarity, products), the sum, the
readout, the inspection line, the transport bar and the side column (region overview and
size, channel, numeric input). It draws a :class:`~convviz.model.player_frames.PlayerBuild`
and its :class:`~convviz.model.player_frames.StepFrame` s; it changes nothing itself: the
panel connects its widgets to the state.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QSignalBlocker, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from convviz.model.player_frames import GridCells, Inspection, StepFrame
from convviz.model.player_source import CHANNELS
from convviz.model.states.player import MAX_REGION_SIDE, MIN_REGION_SIDE

from ..widgets import CellGrid, mark_editing_chrome, named, text_label
from .controls import PlayerControls
from .fit_label import FitLabel
from .numeric_editor import NumericInput
from .overview import RegionOverview

#: the side column is this many "x" wide (230 px at 9 pt), so it grows with presentation fonts
SIDE_COLUMN_CHARS = 36
_EMPTY = np.zeros((0, 0, 3), dtype=np.uint8)
#: fonts relative to the panel's: the readout, the sum (relative to the readout), the sentence above the grids
READOUT_SCALE, SUM_SCALE, SOURCE_SCALE = 1.25, 1.3, 0.85
#: the readout's font is at most the view's height over this many (pixels)
LINES_PER_VIEW = 30


def _capped(font: QFont, pixels: float, dpi: float) -> QFont:
    """``font``, or at most ``pixels`` high on a ``dpi`` screen (``pixels`` 0: no cap)."""
    if pixels <= 0:
        return font
    out = QFont(font)
    if out.pointSizeF() > 0:
        out.setPointSizeF(min(out.pointSizeF(), pixels * 72 / dpi))
    else:
        out.setPixelSize(min(out.pixelSize(), max(1, int(pixels))))
    return out


def _scaled(font: QFont, factor: float) -> QFont:
    out = QFont(font)
    if out.pointSizeF() > 0:
        out.setPointSizeF(out.pointSizeF() * factor)
    else:
        out.setPixelSize(max(1, round(out.pixelSize() * factor)))
    return out


def _grid(title: str, name: str, tip: str, accessible: str, **kwargs) -> CellGrid:
    return named(CellGrid(title, **kwargs), name, tip, accessible)


def _vbox(*widgets, stretch_first: bool = False) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for i, w in enumerate(widgets):
        layout.addWidget(w, 1 if (i == 0 and stretch_first) else 0)
    return box


def _splitter(orientation, widgets, sizes, name: str | None = None) -> QSplitter:
    splitter = QSplitter(orientation)
    if name:
        splitter.setObjectName(name)
    for w in widgets:
        splitter.addWidget(w)
    splitter.setSizes(sizes)
    splitter.setChildrenCollapsible(False)
    return splitter


class PlayerView(QWidget):
    """Every widget of the player tab, laid out; draws builds, frames, inspections and messages."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.source_label = named(text_label(selectable=False), "playerSourceLabel", None,
                                  "What is being stepped through")
        self.source_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.input_grid = _grid("Input", "playerInputGrid", "The (padded) input: the orange window is the kernel, "
                                "hatched cells are padding. Click a pixel to see every output it contributes to.",
                                "Input grid with the kernel window")
        self.kernel_grid = _grid("Kernel", "playerKernelGrid", "The kernel as it slides (flipped for true "
                                 "convolution): its weights are also written under the window on the input.",
                                 "Kernel grid")
        self.output_grid = _grid("Output", "playerOutputGrid", "Outputs fill in as the kernel slides; the red frame "
                                 "is the cell being written. Click an output to jump to its step.", "Output grid")
        self.similarity_grid = _grid("Cosine similarity", "similarityMapView", "Cosine similarity of every patch "
                                     "with the kernel (normalised cross-correlation): 1 where the patch looks like "
                                     "the kernel.", "Cosine similarity map")
        self.similarity_grid.hide()
        self.products_grid = _grid("Products", "productsGrid", "Each tap: the input value under it × the kernel "
                                   "weight = the product; they add up to the sum below", "Products grid", max_cell=120)
        self.sum_label = named(FitLabel(), "sumLabel", None, "Sum of the products")
        self.sum_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.readout = named(QLabel(), "stepReadout", "The current step's arithmetic, its dot product, lengths, "
                             "cosine similarity and Pearson correlation", "Step readout")
        self.readout.setWordWrap(True)  # text() stays the exact expression; Qt breaks the lines
        self.readout.setTextFormat(Qt.TextFormat.PlainText)
        self.readout.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # The readout changes every step: inside a scroll area its new text re-lays out only
        # itself, not the whole panel (a QLabel's setText would otherwise cost a frame).
        self.readout_area = named(QScrollArea(), "stepReadoutArea", None, "Step readout area")
        self.readout_area.setWidget(self.readout)
        self.readout_area.setWidgetResizable(True)
        self.readout_area.setFrameShape(QFrame.Shape.NoFrame)
        self.readout_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.inspect_label = named(text_label(selectable=False), "inspectLabel", None, "Inspected input pixel")
        self.inspect_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.controls = PlayerControls()
        self._build_side()

        outputs = QWidget()
        outputs_layout = QHBoxLayout(outputs)
        outputs_layout.setContentsMargins(0, 0, 0, 0)
        outputs_layout.addWidget(self.output_grid)
        outputs_layout.addWidget(self.similarity_grid)
        # the kernel beside the input, the products under it and their sum: the middle column
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.kernel_grid, 2)
        middle_layout.addWidget(self.products_grid, 3)
        middle_layout.addWidget(self.sum_label)
        top = _splitter(Qt.Orientation.Horizontal, (self.input_grid, middle, outputs), [440, 300, 400],
                        "playerGridSplitter")
        bottom = _vbox(self.readout_area, self.inspect_label, stretch_first=True)
        self.steps_view = _splitter(Qt.Orientation.Vertical, (top, bottom), [640, 200], "playerStepsSplitter")
        main = QWidget()
        main_layout = QVBoxLayout(main)
        main_layout.setContentsMargins(0, 0, 0, 0)
        main_layout.addWidget(self.source_label)
        main_layout.addWidget(self.steps_view, 1)
        main_layout.addWidget(self.controls)
        outer = _splitter(Qt.Orientation.Horizontal, (main, self.side), [1100, 260])
        outer.setCollapsible(1, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(outer)
        self._applied_cap = 0.0
        self.apply_fonts()

    def _build_side(self) -> None:
        """The side column: the region (overview and size), the channel and the numeric input."""
        self.overview = named(RegionOverview(), "regionOverview", "The whole image; the orange frame is the region "
                              "being stepped. Click to move it.", "Region overview")
        self.region_spin = named(QSpinBox(), "regionSizeSpin", "Side of the region animated on large images "
                                 "(pixels)", "Region size")
        self.region_spin.setRange(MIN_REGION_SIDE, MAX_REGION_SIDE)
        self.channel_box = named(QComboBox(), "channelBox", "With a colour image and a 2-D kernel, step through "
                                 "the luminance or one colour channel", "Channel")
        for text, channel in CHANNELS:
            self.channel_box.addItem(text, channel)
        self.numeric = NumericInput()
        self.region_box = named(QGroupBox("Region of the image"), "regionBox", None, "Region of the image")
        region_layout = QVBoxLayout(self.region_box)
        region_layout.addWidget(self.overview)
        size_row = QFormLayout()
        size_row.addRow("Region size", self.region_spin)
        region_layout.addLayout(size_row)
        source_box = QGroupBox("Colour images")
        QFormLayout(source_box).addRow("Step through", self.channel_box)
        numeric_box = QGroupBox("Numeric input")
        QVBoxLayout(numeric_box).addWidget(self.numeric)
        self.side = mark_editing_chrome(QWidget())   # presentation mode gives the grids its room
        side_layout = QVBoxLayout(self.side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.region_box)
        side_layout.addWidget(source_box)
        side_layout.addWidget(numeric_box, 1)

    # -- fonts -----------------------------------------------------------------------------
    def apply_fonts(self) -> None:
        """Readout and sum larger than the panel's font, which follows the application font
        (presentation mode scales it), the sentence above the grids a little smaller, and a side
        column wide enough for its words. On a short view (big presentation fonts on a small
        projector) the words are capped to a share of its height, so the grids keep their room."""
        base = QFont(self.font())
        if base.pointSizeF() > 0:
            base.setPointSizeF(max(base.pointSizeF(), 9.0))
        cap, dpi = self._line_cap(), max(1, self.logicalDpiY())
        big = _capped(_scaled(base, READOUT_SCALE), cap, dpi)
        self.readout.setFont(big)
        sum_font = _capped(_scaled(_scaled(base, READOUT_SCALE), SUM_SCALE), cap * SUM_SCALE, dpi)
        sum_font.setBold(True)
        self.sum_label.set_base_font(sum_font)
        self.source_label.setFont(_capped(_scaled(QFont(self.font()), SOURCE_SCALE), cap * SOURCE_SCALE, dpi))
        for widget in (*self._grids(), self.controls):  # grid titles (the numbers are sized by the cells)
            widget.setFont(_capped(QFont(self.font()), cap, dpi))
        # three lines and a half; more scroll (a taller minimum over-fills the panel with presentation
        # fonts and a lesson bar, and the labels below would be drawn over it)
        self.readout_area.setMinimumHeight(int(self.readout.fontMetrics().lineSpacing() * 3.6))
        self.side.setMinimumWidth(max(230, self.fontMetrics().horizontalAdvance("x") * SIDE_COLUMN_CHARS))

    def _line_cap(self) -> float:
        """The largest readout font (pixels) for this view's height (0: no view yet, no cap)."""
        return self.height() / LINES_PER_VIEW if self.height() > 100 else 0.0

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if hasattr(self, "side") and round(self._line_cap()) != round(self._applied_cap):
            self._applied_cap = self._line_cap()
            self.apply_fonts()

    def event(self, event):
        result = super().event(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange) and hasattr(self, "side"):
            self.apply_fonts()
        return result

    # -- drawing ---------------------------------------------------------------------------
    def _grids(self) -> tuple[CellGrid, ...]:
        return self.input_grid, self.kernel_grid, self.output_grid, self.products_grid, self.similarity_grid

    def show_message(self, text: str) -> None:
        """Nothing to step through: say why, empty the grids, switch the transport off."""
        self.source_label.setText(text)
        self.readout.setText("")
        self.sum_label.setText("")
        for g in self._grids():
            g.set_cells(_EMPTY)
            g.set_window(None, None)
            g.set_current(None)
            g.set_marked(())
        self.set_transport_enabled(False)

    def set_transport_enabled(self, on: bool) -> None:
        c = self.controls
        for w in (c.first_button, c.back_button, c.play_button, c.forward_button, c.last_button, c.slider):
            w.setEnabled(on)

    def show_grids(self, source_text: str, shown_input: GridCells, shown_output: GridCells, count: int,
                   kernel: GridCells | None = None, window_labels: list[list[str]] | None = None) -> None:
        """What stays while stepping: the input (with the weights written under the window), kernel
        and output grids, their titles, the sentence above."""
        self.source_label.setText(source_text)
        self.input_grid.set_cells(shown_input.colours, shown_input.texts, shown_input.padding)
        self.input_grid.set_title(shown_input.title)
        self.input_grid.set_window_labels(window_labels, shown_input.exact_texts)
        if kernel is not None:
            self.kernel_grid.set_cells(kernel.colours, kernel.texts)
            self.kernel_grid.set_title(kernel.title)
        self.output_grid.set_cells(shown_output.colours, shown_output.texts)
        self.output_grid.set_title(shown_output.title)
        with QSignalBlocker(self.controls.slider):
            self.controls.slider.setMaximum(max(0, count - 1))
        self.controls.set_count(count)
        self.set_transport_enabled(True)

    def show_similarity(self, cells: GridCells | None) -> None:
        """The cosine-similarity grid beside the output (``None``: hidden)."""
        self.similarity_grid.setVisible(cells is not None)
        if cells is not None:
            self.similarity_grid.set_cells(cells.colours, cells.texts)

    def show_overview(self, picture: np.ndarray | None, crop: tuple[int, int, int, int], visible: bool) -> None:
        """The region box (only when the region is part of the image): thumbnail and frame."""
        self.region_box.setVisible(visible)
        if picture is not None:
            self.overview.set_image(picture)
        self.overview.set_crop(crop)

    def show_frame(self, frame: StepFrame) -> None:
        """One position: the window, the output being written, the products, sum and readout."""
        rows, cols = frame.window
        self.input_grid.set_window(rows, cols)
        for grid in (self.output_grid, self.similarity_grid):
            grid.set_current(frame.out_cell)
            grid.set_filled(frame.filled)
        self.products_grid.set_cells(frame.products.colours, frame.products.texts,
                                     short_texts=frame.products.short_texts)
        self.products_grid.set_filled(None if frame.complete else frame.revealed)
        self.products_grid.set_accent(frame.product_accent)
        self.input_grid.set_accent(frame.input_accent)
        self.sum_label.setText(frame.sum_text)
        self.readout.setText(frame.readout)
        c = self.controls
        with QSignalBlocker(c.slider):
            c.slider.setValue(frame.index)
        c.position_label.setText(frame.position_text)

    def show_inspection(self, inspection: Inspection | None) -> None:
        """Mark the inspected cell and every output it contributes to (``None``: no marks)."""
        marked = [] if inspection is None else inspection.outputs
        self.input_grid.set_marked([] if inspection is None else [inspection.cell])
        self.output_grid.set_marked(marked)
        self.similarity_grid.set_marked(marked)
        # the hint (also in the grids' tooltips) gives way to the grids when nothing is inspected
        self.inspect_label.setText("" if inspection is None else inspection.text)
        self.inspect_label.setVisible(inspection is not None)
