"""The step-through player tab: the kernel sliding over the input, one multiply-add at a time.

The panel follows the document (kernel, padding, stride, dilation, padding mode, flip, grey)
and animates a region of it (the whole input when it is small, a crop around a click on
photos). Every number comes from :func:`convviz.model.steps` on that region
(:mod:`convviz.model.player_region`); the panel only draws.

Public API for lessons: :meth:`set_step`, :attr:`step_index`, :attr:`step_count`,
:meth:`play`, :meth:`pause`, :meth:`set_region`, :meth:`set_lecture_mode`.
"""

from __future__ import annotations

import weakref

import numpy as np
from PySide6.QtCore import QEvent, QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
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

import convviz.ui  # noqa: F401  (pyqtgraph/row-major configuration, once)
from convviz.model import ConvDocument, display_levels, display_rgb, format_number
from convviz.model.player_region import (
    DEFAULT_CROP_SIDE,
    busiest_crop,
    contributions,
    default_crop,
    partial_sum,
    player_region,
    region_around,
    region_grid,
    region_output,
    region_similarity,
    region_steps,
    window_cells,
)
from convviz.ui.clicker_keys import yield_to_window

from .clock import StepClock
from .controls import PlayerControls
from .grid_view import CellGrid
from .numeric_editor import LECTURE_IMAGE, LECTURE_KERNEL, LECTURE_NAME, NumericInput
from .overview import RegionOverview
from .source import CHANNELS, Prepared, SourcePreparer, prepare
from .texts import cell_number, expression_text, product_cell, similarity_lines

#: the side column is this many "x" wide (230 px at 9 pt), so it grows with presentation fonts
SIDE_COLUMN_CHARS = 36


def _diverging_rgb(values: np.ndarray) -> np.ndarray:
    """Colours for signed numbers: diverging map with symmetric levels (0 in the middle)."""
    finite = values[np.isfinite(values)]
    m = float(np.abs(finite).max()) if finite.size else 0.0
    return display_rgb(values, colormap="coolwarm", levels=(-m, m) if m > 0 else (-1.0, 1.0))


def _texts(values: np.ndarray) -> list[list[str]]:
    return [[cell_number(v) for v in row] for row in values.tolist()]


def _num(v: int) -> str:
    return str(v).replace("-", "−")


def _span(a: int, b: int) -> str:
    """``3``, ``0–4`` or ``−2 to 13`` (a dash between signed numbers would read as a minus)."""
    if a == b:
        return _num(a)
    return f"{_num(a)} to {_num(b)}" if min(a, b) < 0 else f"{a}–{b}"


class PlayerPanel(QWidget):
    """Step through a convolution of ``document``; a tab of the main window."""

    def __init__(self, document: ConvDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("playerPanel")
        self.setAccessibleName("Step-through player")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._doc = document
        self._crop_request: tuple[int, int, int, int] | None = None
        self._center: tuple[int, int] | None = None
        self._region_side = DEFAULT_CROP_SIDE
        self._channel: int | None = None
        self._prepared: Prepared | None = None
        self._image_hw = document.image.shape[:2]
        self._preparer = SourcePreparer(self)
        self._preparer.ready.connect(self._on_prepared)
        self._preparer.failed.connect(self._on_prepare_failed)
        self._build_key: tuple | None = None
        self._region = None
        self._seq = None
        self._grid = self._in_image = self._output = None
        self._similarity: np.ndarray | None = None
        self._index = 0
        self._phase: int | None = None  # products revealed in lecture mode; None = all
        self._lecture = False
        self._inspected: tuple[int, int] | None = None
        self._error: str | None = None
        self._pending = False
        self._clock = StepClock(self)
        self._clock.tick.connect(self._on_tick)
        self._build_ui()
        self._connect()
        self._connect_document()
        self._rebuild()

    # ================================================================== public API
    @property
    def step_index(self) -> int:
        """Index of the shown step in the region's row-major order (0-based)."""
        self._flush()
        return self._index

    @property
    def step_count(self) -> int:
        self._flush()
        return 0 if self._seq is None else len(self._seq)

    @property
    def region(self):
        """The :class:`~convviz.model.player_region.PlayerRegion` animated (``None`` on error)."""
        self._flush()
        return self._region

    @property
    def steps(self):
        """The region's lazy :class:`~convviz.model.StepSequence` (``None`` on error)."""
        self._flush()
        return self._seq

    @property
    def current_step(self):
        self._flush()
        return None if self._seq is None or len(self._seq) == 0 else self._seq[self._index]

    @property
    def lecture_mode(self) -> bool:
        return self._lecture

    @property
    def revealed_products(self) -> int:
        """How many products the lecture mode shows for the current step (all outside it)."""
        n = 0 if self._seq is None else int(self._seq.kernel.size)
        return n if self._phase is None else self._phase

    def is_playing(self) -> bool:
        return self._clock.is_running()

    def set_step(self, index: int, revealed: int | None = None) -> None:
        """Show step ``index`` (clamped); in lecture mode ``revealed`` products (default all)."""
        self._flush()
        if self.step_count == 0:
            return
        self._index = int(min(max(index, 0), self.step_count - 1))
        n = int(self._seq.kernel.size)
        self._phase = None if (not self._lecture or revealed is None or revealed >= n) else max(0, int(revealed))
        self._show_step()

    def play(self) -> None:
        self._flush()
        if self.step_count == 0 or self.is_playing():
            return
        if self._at_end() and not self._controls.loop_check.isChecked():
            self._go_first()
        self._clock.start()
        self._controls.show_playing(True)

    def pause(self) -> None:
        self._clock.stop()
        self._controls.show_playing(False)

    def toggle_play(self) -> None:
        self.pause() if self.is_playing() else self.play()

    def step_forward(self) -> bool:
        """One step (or, in lecture mode, one product) forward; False at the end."""
        self._flush()
        if self.step_count == 0:
            return False
        n = int(self._seq.kernel.size)
        if self._lecture and self._phase is not None and self._phase < n:
            self._phase += 1
            if self._phase >= n:
                self._phase = None
        elif self._index < self.step_count - 1:
            self._index += 1
            self._phase = 0 if self._lecture else None
        else:
            return False
        self._show_step()
        return True

    def step_back(self) -> bool:
        """One step (or product) back; False at the start."""
        self._flush()
        if self.step_count == 0:
            return False
        n = int(self._seq.kernel.size)
        if self._lecture and (self._phase is None or self._phase > 0):
            self._phase = (n - 1) if self._phase is None else self._phase - 1
        elif self._index > 0:
            self._index -= 1
            self._phase = None
        else:
            return False
        self._show_step()
        return True

    def set_region(self, row: int, col: int, h: int, w: int) -> None:
        """Animate the crop ``(row, col, h, w)`` of the image (moved inside it)."""
        self._flush()
        self._crop_request = (int(row), int(col), int(h), int(w))
        self._center = (int(row) + int(h) // 2, int(col) + int(w) // 2)
        self._rebuild(keep_step=False)

    def set_lecture_mode(self, on: bool) -> None:
        """Reveal one product at a time before the sum (True) or whole steps (False)."""
        on = bool(on)
        with QSignalBlocker(self._controls.lecture_check):
            self._controls.lecture_check.setChecked(on)
        if on == self._lecture:
            return
        self._lecture = on
        self._phase = 0 if on else None
        if self.step_count:
            self._show_step()

    def set_speed(self, steps_per_second: float) -> None:
        self._controls.speed_spin.setValue(steps_per_second)

    def set_channel(self, channel: int | None) -> None:
        """Step through the luminance (``None``) or channel 0/1/2 of a colour image."""
        index = next(i for i, (_, c) in enumerate(CHANNELS) if c == channel)
        self._channel_box.setCurrentIndex(index)

    def inspect_input(self, grid_row: int, grid_col: int) -> list[int]:
        """Highlight every output the shown-grid cell contributes to; returns their step indices."""
        self._flush()
        if self._region is None:
            return []
        if self._inspected == (grid_row, grid_col):
            self._inspected = None
        else:
            self._inspected = (grid_row, grid_col)
        self._show_inspection()
        return [] if self._inspected is None else contributions(self._region, self._seq, grid_row, grid_col)

    def show_similarity_map(self, on: bool) -> None:
        self._controls.similarity_check.setChecked(bool(on))

    # lessons and sessions (convviz.ui.classroom): step, lecture_mode, region [r, c, h, w], similarity_map
    def lesson_settings(self) -> dict:
        """The player's position as simple values, for session files."""
        out = {"step": self.step_index, "lecture_mode": self.lecture_mode,
               "similarity_map": self._controls.similarity_check.isChecked()}
        if self._crop_request is not None and self._region is not None:
            out["region"] = list(self._region.crop)
        return out

    def apply_lesson_settings(self, settings: dict) -> None:
        """Set up the player from a lesson slide or a session; unknown keys are ignored."""
        if "lecture_mode" in settings:
            self.set_lecture_mode(bool(settings["lecture_mode"]))
        if "similarity_map" in settings:
            self.show_similarity_map(bool(settings["similarity_map"]))
        region = settings.get("region")
        if isinstance(region, (list, tuple)) and len(region) == 4:
            self.set_region(*(int(v) for v in region))
        if "step" in settings:
            self.set_step(int(settings["step"]))

    # ================================================================== widgets
    def _build_ui(self) -> None:
        self._source_label = QLabel()
        self._source_label.setObjectName("playerSourceLabel")
        self._source_label.setAccessibleName("What is being stepped through")
        self._source_label.setWordWrap(True)
        self._source_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._input_grid = CellGrid("Input")
        self._input_grid.setObjectName("playerInputGrid")
        self._input_grid.setAccessibleName("Input grid with the kernel window")
        self._input_grid.setToolTip("The (padded) input: the orange window is the kernel, hatched cells are "
                                    "padding. Click a pixel to see every output it contributes to.")
        self._output_grid = CellGrid("Output")
        self._output_grid.setObjectName("playerOutputGrid")
        self._output_grid.setAccessibleName("Output grid")
        self._output_grid.setToolTip("Outputs fill in as the kernel slides; the red frame is the cell being "
                                     "written. Click an output to jump to its step.")
        self._similarity_grid = CellGrid("Cosine similarity")
        self._similarity_grid.setObjectName("similarityMapView")
        self._similarity_grid.setAccessibleName("Cosine similarity map")
        self._similarity_grid.setToolTip("Cosine similarity of every patch with the kernel (normalised "
                                         "cross-correlation): 1 where the patch looks like the kernel.")
        self._similarity_grid.hide()
        self._products_grid = CellGrid("Products: patch value × weight", max_cell=120)
        self._products_grid.setObjectName("productsGrid")
        self._products_grid.setAccessibleName("Products grid")
        self._products_grid.setToolTip("Each tap: the input value under it × the kernel weight = the product")
        self._sum_label = QLabel()
        self._sum_label.setObjectName("sumLabel")
        self._sum_label.setAccessibleName("Sum of the products")
        self._sum_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._readout = QLabel()
        self._readout.setObjectName("stepReadout")
        self._readout.setAccessibleName("Step readout")
        self._readout.setToolTip("The current step's arithmetic, its dot product, lengths, "
                                 "cosine similarity and Pearson correlation")
        self._readout.setWordWrap(True)  # text() stays the exact expression; Qt breaks the lines
        self._readout.setTextFormat(Qt.TextFormat.PlainText)
        self._readout.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # The readout changes every step: inside a scroll area its new text re-lays out only
        # itself, not the whole panel (a QLabel's setText would otherwise cost a frame).
        self._readout_area = QScrollArea()
        self._readout_area.setObjectName("stepReadoutArea")
        self._readout_area.setWidget(self._readout)
        self._readout_area.setWidgetResizable(True)
        self._readout_area.setFrameShape(QFrame.Shape.NoFrame)
        self._readout_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._inspect_label = QLabel()
        self._inspect_label.setObjectName("inspectLabel")
        self._inspect_label.setAccessibleName("Inspected input pixel")
        self._inspect_label.setWordWrap(True)
        self._inspect_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._controls = PlayerControls()

        # side column: region, channel, numbers
        self._overview = RegionOverview()
        self._overview.setObjectName("regionOverview")
        self._overview.setAccessibleName("Region overview")
        self._overview.setToolTip("The whole image; the orange frame is the region being stepped. "
                                  "Click to move it.")
        self._region_spin = QSpinBox()
        self._region_spin.setObjectName("regionSizeSpin")
        self._region_spin.setAccessibleName("Region size")
        self._region_spin.setToolTip("Side of the region animated on large images (pixels)")
        self._region_spin.setRange(4, 32)
        self._region_spin.setValue(self._region_side)
        self._channel_box = QComboBox()
        self._channel_box.setObjectName("channelBox")
        self._channel_box.setAccessibleName("Channel")
        self._channel_box.setToolTip("With a colour image and a 2-D kernel, step through the luminance "
                                     "or one colour channel")
        for text, channel in CHANNELS:
            self._channel_box.addItem(text, channel)
        self._numeric = NumericInput()
        self._region_box = QGroupBox("Region of the image")
        self._region_box.setObjectName("regionBox")
        region_layout = QVBoxLayout(self._region_box)
        region_layout.addWidget(self._overview)
        size_row = QFormLayout()
        size_row.addRow("Region size", self._region_spin)
        region_layout.addLayout(size_row)
        source_box = QGroupBox("Colour images")
        QFormLayout(source_box).addRow("Step through", self._channel_box)
        numeric_box = QGroupBox("Numeric input")
        QVBoxLayout(numeric_box).addWidget(self._numeric)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self._region_box)
        side_layout.addWidget(source_box)
        side_layout.addWidget(numeric_box, 1)
        self._side = side

        outputs = QWidget()
        outputs_layout = QHBoxLayout(outputs)
        outputs_layout.setContentsMargins(0, 0, 0, 0)
        outputs_layout.addWidget(self._output_grid)
        outputs_layout.addWidget(self._similarity_grid)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.setObjectName("playerGridSplitter")
        top.addWidget(self._input_grid)
        top.addWidget(outputs)
        top.setSizes([560, 440])
        arithmetic = QWidget()
        arithmetic_layout = QVBoxLayout(arithmetic)
        arithmetic_layout.setContentsMargins(0, 0, 0, 0)
        arithmetic_layout.addWidget(self._products_grid, 1)
        arithmetic_layout.addWidget(self._sum_label)
        words = QWidget()
        words_layout = QVBoxLayout(words)
        words_layout.setContentsMargins(0, 0, 0, 0)
        words_layout.addWidget(self._readout_area, 1)
        words_layout.addWidget(self._inspect_label)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(arithmetic)
        bottom.addWidget(words)
        bottom.setSizes([350, 650])
        vertical = QSplitter(Qt.Orientation.Vertical)
        vertical.addWidget(top)
        vertical.addWidget(bottom)
        vertical.setSizes([600, 300])
        for splitter in (top, bottom, vertical):
            splitter.setChildrenCollapsible(False)
        main = QWidget()
        main_layout = QVBoxLayout(main)
        main_layout.setContentsMargins(0, 0, 0, 0)
        main_layout.addWidget(self._source_label)
        main_layout.addWidget(vertical, 1)
        main_layout.addWidget(self._controls)
        outer = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(main)
        outer.addWidget(side)
        outer.setSizes([1100, 260])
        outer.setCollapsible(0, False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(outer)
        self._controls.speed_spin.setValue(self._clock.speed)
        self._apply_fonts()

    def _apply_fonts(self) -> None:
        """Readout and sum larger than the panel's font, which follows the application font
        (presentation mode scales it), and a side column wide enough for its words."""
        base = QFont(self.font())
        big = QFont(base)
        if base.pointSizeF() > 0:
            big.setPointSizeF(max(base.pointSizeF(), 9.0) * 1.25)
        else:
            big.setPixelSize(round(max(base.pixelSize(), 12) * 1.25))
        self._readout.setFont(big)
        sum_font = QFont(big)
        sum_font.setBold(True)
        if big.pointSizeF() > 0:
            sum_font.setPointSizeF(big.pointSizeF() * 1.3)
        else:
            sum_font.setPixelSize(round(big.pixelSize() * 1.3))
        self._sum_label.setFont(sum_font)
        # three lines and a half; more scroll (a taller minimum over-fills the panel with presentation
        # fonts and a lesson bar, and the labels below would be drawn over it)
        self._readout_area.setMinimumHeight(int(self._readout.fontMetrics().lineSpacing() * 3.6))
        self._side.setMinimumWidth(max(230, self.fontMetrics().horizontalAdvance("x") * SIDE_COLUMN_CHARS))

    def event(self, event):
        result = super().event(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange) and hasattr(self, "_side"):
            self._apply_fonts()
        return result

    def _connect(self) -> None:
        c = self._controls
        c.play_button.clicked.connect(lambda: self.toggle_play())
        c.forward_button.clicked.connect(self._user_forward)
        c.back_button.clicked.connect(self._user_back)
        c.first_button.clicked.connect(self._go_first)
        c.last_button.clicked.connect(self._go_last)
        c.slider.valueChanged.connect(lambda v: self.set_step(v))
        c.speed_spin.valueChanged.connect(self._clock.set_speed)
        c.lecture_check.toggled.connect(self.set_lecture_mode)
        c.similarity_check.toggled.connect(self._on_similarity_toggled)
        self._output_grid.cellClicked.connect(self._on_output_clicked)
        self._similarity_grid.cellClicked.connect(self._on_output_clicked)
        self._input_grid.cellClicked.connect(lambda r, col: self.inspect_input(r, col))
        self._overview.regionClicked.connect(self._on_overview_clicked)
        self._region_spin.valueChanged.connect(self._on_region_size)
        self._channel_box.currentIndexChanged.connect(self._on_channel)
        self._numeric.imageEdited.connect(self._on_numeric_edit)
        self._numeric.lectureExampleRequested.connect(self.load_lecture_example)
        self._numeric.cropRequested.connect(self._on_crop_to_numbers)
        keys = [
            (Qt.Key.Key_Space, self.toggle_play), (Qt.Key.Key_Right, self._user_forward),
            (Qt.Key.Key_PageDown, self._user_forward), (Qt.Key.Key_Left, self._user_back),
            (Qt.Key.Key_PageUp, self._user_back), (Qt.Key.Key_Home, self._go_first),
            (Qt.Key.Key_End, self._go_last),
        ]
        self._shortcuts = []
        for key, slot in keys:
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)
            self._shortcuts.append(yield_to_window(sc))  # during a lesson Page Up/Down change slides

    def _connect_document(self) -> None:
        ref = weakref.ref(self)

        def on_change(*_):
            panel = ref()
            if panel is not None:
                panel._on_document_changed()

        self._doc_callback = on_change
        self._doc.events.connect(on_change)
        doc = self._doc
        self.destroyed.connect(lambda *_: doc.events.disconnect(on_change))

    # ================================================================== building
    def _source(self) -> Prepared | None:
        """The prepared 2-D picture for today's image and channel; ``None`` while a worker makes it."""
        doc = self._doc
        p = self._prepared
        if p is not None and p.matches(doc.image, doc.gray, self._channel):
            return p
        if self._preparer.is_large(doc.image):
            pending = self._preparer.pending()
            if not (pending and pending[0] is doc.image and pending[1:] == (doc.gray, self._channel)):
                self._preparer.request(doc.image, doc.gray, self._channel, self._region_side)
            return None
        self._prepared = prepare(doc.image, doc.gray, self._channel, self._region_side)
        return self._prepared

    def _on_prepared(self, prepared: Prepared) -> None:
        self._prepared = prepared
        self._build_key = None
        self._rebuild(keep_step=False)

    def _on_prepare_failed(self, message: str) -> None:
        self._set_error(message)

    def _kernel(self) -> np.ndarray:
        k = self._doc.kernel
        return k[::-1, ::-1] if self._doc.flip else k

    def _state_key(self) -> tuple:
        d = self._doc
        return (id(d.image), id(d.kernel), d.padding, d.stride, d.dilation, d.padding_mode, d.flip, d.gray,
                d.preset, d.image_name, self._channel, self._crop_request, self._region_side)

    def _on_document_changed(self) -> None:
        # A document change arrives as one signal per field, possibly while apply() is still
        # setting the others: rebuild once, after the last one (or at the next public call).
        # A hidden tab only remembers it: it rebuilds when shown (showEvent) or asked.
        if not self._pending:
            self._pending = True
            if self.isVisible():
                QTimer.singleShot(0, self, self._flush)

    def _flush(self) -> None:
        """Catch up with the document now if it changed since the last rebuild."""
        if not self._pending:
            return
        self._pending = False
        hw = self._doc.image.shape[:2]
        if hw != self._image_hw:  # another picture: the old crop means nothing there
            self._image_hw = hw
            self._crop_request = None
            self._center = None
        self._rebuild()

    def _rebuild(self, keep_step: bool = True) -> None:
        key = self._state_key()
        if key == self._build_key:
            return
        self._build_key = key
        doc = self._doc
        self._numeric.set_image(doc.image)
        self._channel_box.setEnabled(doc.is_colour and not doc.gray)
        previous = (self._index, self._region.crop if self._region else None)
        prepared = self._source()
        if prepared is None:
            h, w = doc.image.shape[:2]
            self._set_error(f"preparing the {h}×{w} image in the background…", prefix="Please wait:")
            self._build_key = None  # build again when the worker is done
            return
        source, words = prepared.source, prepared.words
        try:
            kernel = self._kernel()
            if self._crop_request is not None:
                crop = self._crop_request
            elif self._center is not None:
                crop = default_crop(source.shape, self._center, self._region_side)
            else:  # nothing picked yet: start where the picture has something to show
                crop = (prepared.busiest if prepared.side == self._region_side
                        else busiest_crop(source, self._region_side))
                self._center = (crop[0] + crop[2] // 2, crop[1] + crop[3] // 2)
            region = player_region(source.shape, kernel.shape, doc.padding, stride=doc.stride,
                                   dilation=doc.dilation, crop=crop)
            grid, in_image = region_grid(source, region, doc.padding_mode)
            seq = region_steps(grid, kernel, region)
            output = region_output(grid, kernel, region)
        except ValueError as exc:
            self._set_error(str(exc))
            return
        self._error = None
        self._region, self._grid, self._in_image, self._seq, self._output = region, grid, in_image, seq, output
        self._similarity = None
        self._inspected = None
        if not (keep_step and previous[1] == region.crop):
            self._index = 0
        self._index = min(self._index, len(seq) - 1)
        self._phase = 0 if self._lecture else None
        self._set_enabled(True)
        self._show_static(source, words)
        self._show_step()

    def _set_error(self, message: str, prefix: str = "Cannot step through these settings:") -> None:
        self.pause()
        self._error = message
        self._region = self._seq = self._grid = self._in_image = self._output = None
        self._similarity = None
        self._index, self._phase = 0, None
        self._source_label.setText(f"{prefix} {message}")
        self._readout.setText("")
        self._sum_label.setText("")
        empty = np.zeros((0, 0, 3), dtype=np.uint8)
        for g in (self._input_grid, self._output_grid, self._products_grid, self._similarity_grid):
            g.set_cells(empty)
            g.set_window(None, None)
            g.set_current(None)
            g.set_marked(())
        self._set_enabled(False)

    def _set_enabled(self, on: bool) -> None:
        c = self._controls
        for w in (c.first_button, c.back_button, c.play_button, c.forward_button, c.last_button, c.slider):
            w.setEnabled(on)

    def _show_static(self, source: np.ndarray, words: str) -> None:
        """Everything that stays the same while stepping: the grids' numbers, titles and the labels."""
        doc, region = self._doc, self._region
        pads = region.pads
        padding_cells = ~self._in_image
        in_values = self._grid
        levels = display_levels(source if source.size <= 1 << 16 else in_values)
        self._input_grid.set_cells(display_rgb(in_values, levels=levels), _texts(in_values), padding_cells)
        (r0, c0), (r1, c1) = region.image_position(0, 0), region.image_position(*[n - 1 for n in region.grid_shape])
        pad_words = "" if not any(pads) else f" (hatched: {doc.padding_mode} padding)"
        self._input_grid.set_title(f"Input rows {_span(r0, r1)}, cols {_span(c0, c1)}{pad_words}")
        out = self._output
        out_rgb = _diverging_rgb(out) if np.nanmin(out) < 0 else display_rgb(out)
        self._output_grid.set_cells(out_rgb, _texts(out))
        oh, ow = region.out_hw
        if region.is_whole:
            self._output_grid.set_title(f"Output {oh}×{ow}")
        else:
            self._output_grid.set_title(
                f"Output rows {_span(region.out_rows.start, region.out_rows.stop - 1)}, cols "
                f"{_span(region.out_cols.start, region.out_cols.stop - 1)} of {oh}×{ow}")
        if self._controls.similarity_check.isChecked():
            self._show_similarity()
        h, w = source.shape
        kh, kw = doc.kernel.shape
        crop = region.crop
        where = (f"the whole {h}×{w} input" if region.is_whole else
                 f"region rows {crop[0]}–{crop[0] + crop[2] - 1}, cols {crop[1]}–{crop[1] + crop[3] - 1} of the "
                 f"{h}×{w} input ({region.step_count} of {oh * ow} outputs; the full output is computed as usual)")
        name = f"'{doc.preset}' " if doc.preset else ""
        flip = ("true convolution: the kernel is flipped ↕↔ before sliding (the products use the flipped "
                "weights)" if doc.flip else "cross-correlation (the kernel is not flipped, as in deep learning)")
        padding = doc.padding if isinstance(doc.padding, str) else f"{doc.padding[0]}×{doc.padding[1]}"
        self._source_label.setText(
            f"Stepping through {words} '{doc.image_name}': {where}. Kernel {name}{kh}×{kw}, padding {padding} "
            f"({doc.padding_mode}), stride {doc.stride[0]}×{doc.stride[1]}, dilation "
            f"{doc.dilation[0]}×{doc.dilation[1]}; {flip}.")
        self._region_box.setVisible(not (crop[2] == h and crop[3] == w))
        if self._region_box.isVisibleTo(self):
            self._overview.set_image(doc.image if (doc.is_colour and not doc.gray and self._channel is None)
                                     else source)
        self._overview.set_crop(crop)
        c = self._controls
        with QSignalBlocker(c.slider):
            c.slider.setMaximum(max(0, len(self._seq) - 1))
        self._show_inspection()

    def _show_similarity(self) -> None:
        if self._region is None:
            return
        if self._similarity is None:
            self._similarity = region_similarity(self._grid, self._kernel(), self._region)
        sim = self._similarity
        rgb = display_rgb(sim, colormap="coolwarm", levels=(-1.0, 1.0))
        rgb[~np.isfinite(sim)] = (200, 200, 200)
        texts = [[format_number(v, 2) if np.isfinite(v) else "–" for v in row] for row in sim.tolist()]
        self._similarity_grid.set_cells(rgb, texts)

    # ================================================================== one step
    def _show_step(self) -> None:
        if self._seq is None:
            return
        region, i = self._region, self._index
        step = self._seq[i]
        n = int(step.kernel.size)
        revealed = n if self._phase is None else self._phase
        complete = revealed >= n
        kh, kw = step.kernel.shape
        rows, cols = window_cells(region, i)
        self._input_grid.set_window(rows, cols)
        out_cell = divmod(i, region.output_shape[1])
        self._output_grid.set_current(out_cell)
        self._output_grid.set_filled(i + 1 if complete else i)
        self._similarity_grid.set_current(out_cell)
        self._similarity_grid.set_filled(i + 1 if complete else i)
        products = step.products
        self._products_grid.set_cells(_diverging_rgb(products),
                                      [[product_cell(step, r * kw + c) for c in range(kw)] for r in range(kh)])
        self._products_grid.set_filled(None if complete else revealed)
        if self._lecture and 0 < revealed <= n and not complete:
            tr, tc = divmod(revealed - 1, kw)
            self._products_grid.set_accent((tr, tc))
            self._input_grid.set_accent((int(rows[tr]), int(cols[tc])))
        else:
            self._products_grid.set_accent(None)
            self._input_grid.set_accent(None)
        if complete:
            self._sum_label.setText(f"Sum = {format_number(step.value)}")
        else:
            self._sum_label.setText(f"Sum so far = {format_number(partial_sum(step, revealed))}  "
                                    f"({revealed} of {n} products)")
        self._readout.setText(self._readout_text(step, revealed))
        c = self._controls
        with QSignalBlocker(c.slider):
            c.slider.setValue(i)
        c.position_label.setText(f"step {i + 1} / {len(self._seq)}")

    def _readout_text(self, step, revealed: int) -> str:
        region = self._region
        out_r, out_c = region.output_position(step.index)
        rows, cols = window_cells(region, step.index)
        (a, b), (c, d) = region.image_position(rows[0], cols[0]), region.image_position(rows[-1], cols[-1])
        lines = [f"Step {step.index + 1} of {len(self._seq)}: output ({out_r}, {out_c}) from the window over "
                 f"input rows {_span(a, c)}, cols {_span(b, d)}"
                 + (" (flipped kernel)" if self._doc.flip else ""),
                 expression_text(step, revealed)]
        if revealed >= step.kernel.size:
            lines += similarity_lines(step)
        else:
            lines.append("Lecture mode: → reveals the next product; the sum and the similarity follow.")
        return "\n".join(lines)

    def _show_inspection(self) -> None:
        if self._inspected is None or self._region is None:
            self._input_grid.set_marked(())
            self._output_grid.set_marked(())
            self._similarity_grid.set_marked(())
            self._inspect_label.setText("Click an input pixel to see every output it contributes to; "
                                        "click an output to jump to its step.")
            return
        gr, gc = self._inspected
        if not (gr < self._grid.shape[0] and gc < self._grid.shape[1]):
            self._inspected = None
            return self._show_inspection()
        region = self._region
        hits = contributions(region, self._seq, gr, gc)
        ow = region.output_shape[1]
        cells = [divmod(j, ow) for j in hits]
        self._input_grid.set_marked([(gr, gc)])
        self._output_grid.set_marked(cells)
        self._similarity_grid.set_marked(cells)
        r, c = region.image_position(gr, gc)
        what = "Input pixel" if self._in_image[gr, gc] else "Padding cell"
        outs = ", ".join(f"({region.out_rows.start + a}, {region.out_cols.start + b})" for a, b in cells[:12])
        more = f" and {len(cells) - 12} more" if len(cells) > 12 else ""
        self._inspect_label.setText(
            f"{what} ({r}, {c}) = {format_number(self._grid[gr, gc])} contributes to {len(cells)} output"
            f"{'' if len(cells) == 1 else 's'}{': ' + outs + more if cells else ''} (marked in blue).")

    # ================================================================== reactions
    def _at_end(self) -> bool:
        return self._index >= self.step_count - 1 and self._phase is None

    def _user_forward(self) -> None:
        self.pause()
        self.step_forward()

    def _user_back(self) -> None:
        self.pause()
        self.step_back()

    def _go_first(self) -> None:
        self.set_step(0, 0 if self._lecture else None)

    def _go_last(self) -> None:
        self.set_step(self.step_count - 1)

    def _on_tick(self) -> None:
        if self.step_forward():
            return
        if self._controls.loop_check.isChecked():
            self._go_first()
        else:
            self.pause()

    def _on_output_clicked(self, row: int, col: int) -> None:
        self.pause()
        self.set_step(row * self._region.output_shape[1] + col)

    def _on_similarity_toggled(self, on: bool) -> None:
        self._similarity_grid.setVisible(on)
        if on:
            self._show_similarity()
            if self._seq is not None:
                self._show_step()
                self._show_inspection()

    def _on_overview_clicked(self, row: int, col: int) -> None:
        self._center = (row, col)
        self._crop_request = region_around(self._doc.image.shape[:2], (row, col), self._region_side)
        self._rebuild(keep_step=False)

    def _on_region_size(self, side: int) -> None:
        self._region_side = int(side)
        if self._region is not None and not self._region.is_whole:
            h, w = self._region.image_hw
            center = self._center or (h // 2, w // 2)
            self._crop_request = region_around((h, w), center, self._region_side)
        self._rebuild(keep_step=False)

    def _on_channel(self, index: int) -> None:
        self._channel = self._channel_box.itemData(index)
        self._rebuild()

    def _apply(self, **changes) -> bool:
        try:
            self._doc.apply(**changes)
        except ValueError as exc:
            self._numeric.revert()
            self._numeric.show_error(str(exc))
            return False
        return True

    def _on_numeric_edit(self, image: np.ndarray) -> None:
        self._apply(image=image)

    def load_lecture_example(self) -> None:
        """The lecture's 4×4 input with kernel [[1, 0], [0, 2]], valid padding, in the document."""
        self._crop_request = None
        self._center = None
        self._apply(image=LECTURE_IMAGE, kernel=LECTURE_KERNEL, padding="valid", preset=None,
                    image_name=LECTURE_NAME, stride=(1, 1), dilation=(1, 1), flip=False)
        self.set_step(0, 0 if self._lecture else None)

    def _on_crop_to_numbers(self, rows: int, cols: int) -> None:
        prepared = self._source()
        if self._region is None or prepared is None:
            return
        source = prepared.source
        r0, c0 = self._region.crop[:2]
        block = np.rint(source[r0:r0 + rows, c0:c0 + cols])
        self._crop_request = None
        self._center = None
        self._apply(image=block, image_name=f"numbers from {self._doc.image_name} ({r0}, {c0})")

    # ================================================================== lifetime
    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._flush()  # catch up with document changes made while hidden
        # When the tab is shown, take the keyboard focus (unless a child already has it), so a
        # presenter's clicker (PageDown/PageUp) and Space drive the player at once.
        QTimer.singleShot(0, self, self._take_focus)

    def _take_focus(self) -> None:
        focus = QApplication.focusWidget()
        if self.isVisible() and (focus is None or not (focus is self or self.isAncestorOf(focus))):
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def hideEvent(self, event) -> None:
        self.pause()
        super().hideEvent(event)

    def closeEvent(self, event) -> None:
        self.pause()
        self._preparer.wait()
        super().closeEvent(event)
