"""The "Filter bank" tab: a colour input, a bank of filters, one feature map each, and chained layers.

The bank follows the document's image (grey → C_in = 1, colour → C_in = 3) and
its padding, stride, dilation and border mode (for layer 1). Maps are computed
in a worker with :func:`~convviz.model.conv_layer`; only filters whose weights
changed are convolved again (:class:`~convviz.model.bank.MapCalculator`).
"""

from __future__ import annotations

import html
import os

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

import convviz.ui  # noqa: F401  (row-major pyqtgraph before any item is made)

from ...io.banks import (
    BANK_FILE_FILTER,
    BankFileError,
    bank_to_json,
    export_maps_npy,
    export_maps_png,
    load_bank,
    network_from_json,
    save_bank,
)
from ...model import format_number
from ...model.bank import (
    ACTIVATION_LABELS,
    LayerSettings,
    Network,
    channel_names,
    decompose,
    default_bank,
    strongest_pixel,
)
from ...model.colour import display_rgb, lookup_table
from ..worker import LatestResultRunner
from ..costs_common import named
from .decomposition_view import DecompositionView
from .filter_editor import FilterEditor
from .jobs import MapJob, MapRequest, MapResult, colormap_for
from .lesson_bank import VIEWS, check_index, check_layer, check_pixel, names_rebuild, network_from_settings, view_index
from .map_grid import ColourBar, FeatureMapGrid
from .receptive_view import ReceptiveFieldView
from .shortcuts import add_shortcut
from .stack_view import FeatureStackView

RECEPTIVE_THUMB_SIDE = 768  # the receptive-field view shows the input sampled down to this side
DOC_SETTINGS = ("padding", "stride", "dilation", "padding_mode")


def _plain(v: float):
    """A whole float as an int (JSON and lesson files write biases as numbers)."""
    v = float(v)
    return int(v) if v.is_integer() else v


def _hw(pair) -> str:
    return f"{pair[0]}×{pair[1]}"


def shape_lines(shapes, network: Network, first: LayerSettings) -> list[str]:
    """One line per layer: input, bank (and HWIO), output, with the settings."""
    lines = []
    for i, s in enumerate(shapes):
        st = network.settings_for(i, first)
        h, w, c = s.input_shape
        ci, kh, kw, co = s.bank_shape
        oh, ow, _ = s.output_shape
        pad = st.padding if isinstance(st.padding, str) else _hw(st.padding)
        lines.append(f"Layer {i + 1}: input <b>{h}×{w}×{c}</b> &nbsp;*&nbsp; bank <b>{ci}×{kh}×{kw}×{co}</b> "
                     f"(HWIO array {s.hwio_shape}) &nbsp;→&nbsp; output <b>{oh}×{ow}×{co}</b> "
                     f"&nbsp;<span style='color:gray'>[padding {pad}, stride {_hw(st.stride)}, dilation "
                     f"{_hw(st.dilation)}, {ACTIVATION_LABELS[network[i].activation]}]</span>")
    return lines


class BankPanel(QWidget):
    """Build a bank of filters for the document's image and see every feature map it makes."""

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.setObjectName("bankPanel")
        self.setAccessibleName("Filter bank")
        self.doc = document
        self._input = self.doc.input_image()
        self.network = Network((default_bank(self._c_in()),))
        self.layer_index = 0
        self.filter_index = 0
        self.pixel = (0, 0)
        self.result: MapResult | None = None
        self._auto_pixel = True
        self._pristine = True  # the default bank, not edited or loaded yet
        self.shapes = []
        self._closed = False
        self._stale: str | None = None  # "image" / "settings": the document changed while hidden
        self.worker = LatestResultRunner(self)
        self.worker.finished.connect(self._show_result)
        self.worker.failed.connect(lambda m: self._say(f"Could not compute the maps: {m}"))
        self.job = MapJob()
        self._build()
        self._connect_document()
        self._pixel_to_centre()
        self._refresh_editor()
        self._request()

    # -- building -----------------------------------------------------------------
    def _build(self) -> None:
        self.open_button = self._button("bankOpenImage", "Open image…", "Open a photo (colour or grey) as the input "
                                        "image of every tab", self._open_image_dialog, None)
        self.load_button = self._button("bankLoad", "Load bank…", "Load a bank from a JSON file", self._load_dialog,
                                        None)
        self.save_button = self._button("bankSave", "Save bank…", "Save the bank (every layer) as JSON",
                                        self._save_dialog, None)
        self.png_button = self._button("bankExportPng", "Export maps as PNGs…", "Write each map of the shown layer "
                                       "as a PNG in a folder, with the colours shown", self._export_png_dialog, None)
        self.npy_button = self._button("bankExportNpy", "Export .npy…", "Write the shown layer's maps as one "
                                       "(H', W', C_out) NumPy array", self._export_npy_dialog, None)
        self.reset_button = self._button("bankReset", "Default bank", "Replace the bank by the default one: Sobel x, "
                                         "Sobel y, a colour difference and a blur, with ReLU", self.reset_bank, None)
        self.shared_box = named(QCheckBox("One colour scale for all maps"), "bankSharedScale",
                                 "On: every map uses the same colours for the same value, so maps can be compared. "
                                 "Off: each map is scaled to its own range.", "Shared colour scale")
        self.shared_box.setChecked(True)
        self.shared_box.toggled.connect(lambda _: self._request())
        top = QHBoxLayout()
        for b in (self.open_button, self.load_button, self.save_button, self.png_button, self.npy_button,
                  self.reset_button):
            top.addWidget(b)
        top.addStretch(1)
        top.addWidget(self.shared_box)

        self.shapes_label = named(QLabel(), "bankShapes", "The shape at every stage, updated with padding and "
                                   "stride: input H×W×C_in, bank C_in×K×K×C_out, output H'×W'×C_out", "Shapes")
        self.shapes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.shapes_label.setWordWrap(True)
        self.status = named(QLabel(), "bankStatus", "What the panel last did or refused", "Status")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)

        # left: layers and the filter editor
        self.layer_box = named(QComboBox(), "bankLayerBox", "Which layer the editor and the maps show",
                                "Layer")
        self.layer_box.currentIndexChanged.connect(self._layer_chosen)
        self.add_layer_button = self._button("bankAddLayer", "Add layer", "Add a conv layer on top: its input is the "
                                             "last layer's maps (C_in = previous C_out)", self.add_layer, None)
        self.remove_layer_button = self._button("bankRemoveLayer", "Remove layer", "Remove the shown layer "
                                                "(layer 1 stays)", self.remove_layer, None)
        layer_row = QHBoxLayout()
        layer_row.addWidget(self.layer_box, 1)
        layer_row.addWidget(self.add_layer_button)
        layer_row.addWidget(self.remove_layer_button)
        self.follow_label = QLabel()
        self.follow_label.setWordWrap(True)
        self.layer_padding = named(QComboBox(), "bankLayerPadding", "Padding of this layer (layer 1 follows the "
                                    "Filter view)", "Layer padding")
        for p in ("valid", "same", "full"):
            self.layer_padding.addItem(p, p)
        self.layer_padding.currentIndexChanged.connect(self._layer_settings_edited)
        self.layer_stride = named(QSpinBox(), "bankLayerStride", "Stride of this layer", "Layer stride")
        self.layer_stride.setRange(1, 8)
        self.layer_stride.valueChanged.connect(self._layer_settings_edited)
        self.settings_form = QWidget()
        form = QFormLayout(self.settings_form)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Padding:", self.layer_padding)
        form.addRow("Stride:", self.layer_stride)
        self.editor = FilterEditor()
        self.editor.layerEdited.connect(self._layer_edited)
        self.editor.filterSelected.connect(self._filter_chosen)
        self.editor.message.connect(self._say)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 4, 0)
        lv.addLayout(layer_row)
        lv.addWidget(self.follow_label)
        lv.addWidget(self.settings_form)
        lv.addWidget(self.editor, 1)

        # right: the pixel and the views
        self.row_spin = named(QSpinBox(), "bankPixelRow", "Row of the output pixel that the channel sums and the "
                               "receptive field explain (or click the enlarged map)", "Pixel row")
        self.col_spin = named(QSpinBox(), "bankPixelCol", "Column of the output pixel that the channel sums and the "
                               "receptive field explain (or click the enlarged map)", "Pixel column")
        for s in (self.row_spin, self.col_spin):
            s.valueChanged.connect(self._pixel_edited)
        pixel_row = QHBoxLayout()
        self.pixel_title = QLabel()
        pixel_row.addWidget(self.pixel_title)
        pixel_row.addWidget(QLabel("row"))
        pixel_row.addWidget(self.row_spin)
        pixel_row.addWidget(QLabel("col"))
        pixel_row.addWidget(self.col_spin)
        pixel_row.addStretch(1)

        self.grid = FeatureMapGrid()
        self.grid.mapClicked.connect(self._map_clicked)
        self.colour_bar = ColourBar("bankColourBar")
        grid_page = QWidget()
        gv = QVBoxLayout(grid_page)
        gv.setContentsMargins(0, 0, 0, 0)
        gv.addWidget(self.grid, 1)
        gv.addWidget(self.colour_bar)

        self.enlarged = pg.PlotWidget()
        self.enlarged.setObjectName("featureMapEnlarged")
        self.enlarged.setAccessibleName("Enlarged feature map")
        self.enlarged.setToolTip("The chosen map at full size. Click a pixel to explain it.")
        self.enlarged.setAspectLocked(True)
        self.enlarged.invertY(True)
        self.enlarged.setMenuEnabled(False)
        self.enlarged_image = pg.ImageItem()
        self.enlarged.addItem(self.enlarged_image)
        self.enlarged_marker = pg.ScatterPlotItem(size=12, pen=pg.mkPen((255, 200, 0), width=2), brush=None,
                                                  symbol="s")
        self.enlarged.addItem(self.enlarged_marker)
        self.enlarged.scene().sigMouseClicked.connect(self._enlarged_clicked)
        self.enlarged_bar = ColourBar("bankEnlargedColourBar")
        self.enlarged_title = QLabel()
        big_page = QWidget()
        bv = QVBoxLayout(big_page)
        bv.setContentsMargins(0, 0, 0, 0)
        bv.addWidget(self.enlarged_title)
        bv.addWidget(self.enlarged, 1)
        bv.addWidget(self.enlarged_bar)

        self.stack = FeatureStackView()
        self.decomposition = DecompositionView()
        self.receptive = ReceptiveFieldView()
        self.tabs = named(QTabWidget(), "bankViews", "Feature maps, one enlarged, the stack, the channel sums of "
                           "one pixel and its receptive field", "Bank views")
        self.tabs.addTab(grid_page, "Feature maps")
        self.tabs.addTab(big_page, "Enlarged")
        self.tabs.addTab(self.stack, "Stack H'×W'×C_out")
        self.tabs.addTab(self.decomposition, "Channel sums σ(W*x+b)")
        self.tabs.addTab(self.receptive, "Receptive field")
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(4, 0, 0, 0)
        rv.addLayout(pixel_row)
        rv.addWidget(self.tabs, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("bankSplitter")
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([430, 700])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.shapes_label)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)

    def _button(self, name, text, tip, slot, shortcut):
        b = named(QPushButton(text), name, tip, text.rstrip("…"))
        b.clicked.connect(lambda _=False: slot())
        if shortcut:
            add_shortcut(self, shortcut, slot)
        return b

    # -- document ------------------------------------------------------------------
    def _connect_document(self) -> None:
        ev = self.doc.events
        ev.image.connect(self._image_changed)
        ev.gray.connect(self._image_changed)
        for name in DOC_SETTINGS:
            getattr(ev, name).connect(self._settings_changed)

    def _disconnect_document(self) -> None:
        ev = self.doc.events
        for name in ("image", "gray") + DOC_SETTINGS:
            try:
                getattr(ev, name).disconnect(self._image_changed if name in ("image", "gray")
                                             else self._settings_changed)
            except (ValueError, RuntimeError):
                pass

    def _c_in(self) -> int:
        return 1 if self._input.ndim == 2 else self._input.shape[2]

    def first_settings(self) -> LayerSettings:
        return LayerSettings.of_document(self.doc)

    def _image_changed(self, *_):
        if self._closed:
            return
        if not self.isVisible():  # hidden tab: catch up when shown (or when asked for results)
            self._stale = "image"
            return
        self._follow_image()

    def _settings_changed(self, *_):
        if self._closed:
            return
        if not self.isVisible():
            self._stale = self._stale or "settings"
            return
        self._follow_settings()

    def _catch_up(self) -> None:
        """Follow the document changes made while the panel was hidden."""
        stale, self._stale = self._stale, None
        if self._closed or stale is None:
            return
        if stale == "image":
            self._follow_image()
        else:
            self._follow_settings()

    def showEvent(self, event):
        super().showEvent(event)
        self._catch_up()

    def _follow_image(self) -> None:
        self._input = self.doc.input_image()
        self._input.flags.writeable = False
        if self._pristine and len(self.network) == 1 and self.network[0].in_channels != self._c_in():
            # nothing edited yet: the default bank made for this kind of image is more useful than an adapted one
            self.network = Network((default_bank(self._c_in()),))
            self.filter_index = 0
            kind = "colour" if self._c_in() == 3 else "grey"
            self._say(f"Default bank for a {kind} image: {', '.join(self.network[0].names)}, with ReLU.")
        else:
            network, messages = self.network.adapted_to(self._c_in())
            self.network = network
            if messages:
                self._say(" ".join(messages))
        self._refresh_editor()
        self._pixel_to_centre()
        self._request()

    def _follow_settings(self) -> None:
        self._refresh_layer_controls()
        self._request()

    # -- state changes ------------------------------------------------------------------
    def set_network(self, network: Network, message: str = "") -> None:
        """Show ``network`` (adapted to the image's channels) and compute its maps."""
        self._catch_up()
        network, messages = network.adapted_to(self._c_in())
        self._pristine = False
        self.network = network
        self.layer_index = min(self.layer_index, len(network) - 1)
        self.filter_index = min(self.filter_index, network[self.layer_index].out_channels - 1)
        self._say(" ".join([message] + messages).strip())
        self._refresh_editor()
        self._pixel_to_centre()
        self._request()

    def reset_bank(self) -> None:
        self.layer_index = 0
        self.filter_index = 0
        self.set_network(Network((default_bank(self._c_in()),)), "Default bank: Sobel x, Sobel y, "
                         "a colour difference (colour images) and a blur, with ReLU.")
        self._pristine = True

    def add_layer(self) -> None:
        self._catch_up()
        try:
            network, messages = self.network.appended()
        except ValueError as exc:
            self._say(str(exc))
            return
        self.network = network
        self._pristine = False
        self.layer_index = len(network) - 1
        self.filter_index = 0
        c_in = network[-1].in_channels
        self._say(f"Added layer {len(network)}: its input is layer {len(network) - 1}'s {c_in} maps, so each of its "
                  f"filters has {c_in} slices. " + " ".join(messages))
        self._refresh_editor()
        self._pixel_to_centre()
        self._request()

    def remove_layer(self) -> None:
        self._catch_up()
        if self.layer_index == 0:
            self._say("Layer 1 reads the image and stays; remove the layers above it instead.")
            return
        network, messages = self.network.removed(self.layer_index)
        self.network = network
        self.layer_index = min(self.layer_index, len(network) - 1)
        self.filter_index = 0
        self._say(" ".join(["Removed a layer."] + messages))
        self._refresh_editor()
        self._pixel_to_centre()
        self._request()

    def _layer_edited(self, layer, message: str) -> None:
        self._pristine = False
        before_c_out = self.network[self.layer_index].out_channels
        network, messages = self.network.with_layer(self.layer_index, layer)
        self.network = network
        self.filter_index = self.editor.current
        if message or messages:
            self._say(" ".join([message] + messages).strip())
        if layer.out_channels != before_c_out:
            self._refresh_layer_box()
        self._request()

    def _filter_chosen(self, index: int) -> None:
        self.filter_index = index
        self.grid.select(index)
        self._request()

    def _layer_chosen(self, index: int) -> None:
        if index < 0 or index == self.layer_index:
            return
        self.layer_index = index
        self.filter_index = 0
        self._refresh_editor()
        self._pixel_to_centre()
        self._request()

    def _layer_settings_edited(self, *_):
        if self.layer_index == 0:
            return
        layer = self.network[self.layer_index]
        settings = LayerSettings(self.layer_padding.currentData(), self.layer_stride.value(), 1, "zeros")
        network, _ = self.network.with_layer(self.layer_index, layer.with_settings(settings))
        self.network = network
        self._pixel_to_centre()
        self._request()

    def _map_clicked(self, index: int) -> None:
        self.filter_index = index
        self.editor.set_layer(self.network[self.layer_index], index)
        self.tabs.setCurrentIndex(1)
        self._request()

    def _pixel_edited(self, *_):
        self._auto_pixel = False
        self.pixel = (self.row_spin.value(), self.col_spin.value())
        self._show_pixel()

    def _enlarged_clicked(self, event) -> None:
        if self.result is None:
            return
        pos = self.enlarged.getPlotItem().vb.mapSceneToView(event.scenePos())
        self.select_pixel(int(np.floor(pos.y())), int(np.floor(pos.x())))

    def select_pixel(self, row: int, col: int) -> None:
        """Explain output pixel (row, col) of the shown layer (ignored outside the map)."""
        self._catch_up()
        if 0 <= row <= self.row_spin.maximum() and 0 <= col <= self.col_spin.maximum():
            with QSignalBlocker(self.row_spin), QSignalBlocker(self.col_spin):
                self.row_spin.setValue(row)
                self.col_spin.setValue(col)
            self._pixel_edited()

    # -- refreshing controls ---------------------------------------------------------------
    def _refresh_editor(self) -> None:
        self._refresh_layer_box()
        self.editor.set_layer(self.network[self.layer_index], self.filter_index)
        self._refresh_layer_controls()

    def _refresh_layer_box(self) -> None:
        with QSignalBlocker(self.layer_box):
            self.layer_box.clear()
            for i, layer in enumerate(self.network.layers):
                src = "image" if i == 0 else f"layer {i} maps"
                self.layer_box.addItem(f"Layer {i + 1}: {layer.in_channels} channel(s) ({src}) → "
                                       f"{layer.out_channels} maps", i)
            self.layer_box.setCurrentIndex(self.layer_index)
        self.remove_layer_button.setEnabled(self.layer_index > 0)

    def _refresh_layer_controls(self) -> None:
        first = self.layer_index == 0
        self.settings_form.setVisible(not first)
        if first:
            s = self.first_settings()
            pad = s.padding if isinstance(s.padding, str) else _hw(s.padding)
            self.follow_label.setText(f"Layer 1 slides as the Filter view says: padding {pad}, stride "
                                      f"{_hw(s.stride)}, dilation {_hw(s.dilation)}, border {s.padding_mode}.")
        else:
            s = self.network[self.layer_index].settings
            self.follow_label.setText(f"Layer {self.layer_index + 1} reads the {self.network[self.layer_index].in_channels}"
                                      f" maps of layer {self.layer_index}.")
            with QSignalBlocker(self.layer_padding), QSignalBlocker(self.layer_stride):
                idx = self.layer_padding.findData(s.padding if isinstance(s.padding, str) else "valid")
                self.layer_padding.setCurrentIndex(idx)
                self.layer_stride.setValue(s.stride[0])

    def _pixel_to_centre(self) -> None:
        try:
            shapes = self.network.stage_shapes(self._input.shape, self.first_settings())
        except ValueError:
            return
        oh, ow, _ = shapes[self.layer_index].output_shape
        with QSignalBlocker(self.row_spin), QSignalBlocker(self.col_spin):
            self.row_spin.setRange(0, oh - 1)
            self.col_spin.setRange(0, ow - 1)
            self.row_spin.setValue(oh // 2)
            self.col_spin.setValue(ow // 2)
        self.pixel = (oh // 2, ow // 2)
        self._auto_pixel = True  # the first maps choose the strongest response of the chosen filter

    # -- computing ------------------------------------------------------------------------------
    def _request(self) -> None:
        if self._closed:
            return
        first = self.first_settings()
        try:
            self.shapes = self.network.stage_shapes(self._input.shape, first)
        except ValueError as exc:
            self.shapes_label.setText(f"<span style='color:#c00'>{html.escape(str(exc))}</span>")
            self._say(f"The maps cannot be computed: {exc}")
            return
        self.shapes_label.setText("<br>".join(shape_lines(self.shapes, self.network, first)))
        oh, ow, _ = self.shapes[self.layer_index].output_shape
        with QSignalBlocker(self.row_spin), QSignalBlocker(self.col_spin):
            self.row_spin.setRange(0, oh - 1)
            self.col_spin.setRange(0, ow - 1)
        self.pixel = (self.row_spin.value(), self.col_spin.value())
        req = MapRequest(self.network, self._input, first, self.layer_index, self.filter_index,
                         self.shared_box.isChecked())
        self.worker.submit(self.job, req)

    def wait_for_maps(self, timeout_ms: int = 20_000) -> bool:
        """Block until the newest request's maps are shown (tests and scripts)."""
        self._catch_up()
        from PySide6.QtCore import QCoreApplication, QElapsedTimer, QThread
        timer = QElapsedTimer()
        timer.start()
        while self.worker.pending and timer.elapsed() < timeout_ms:
            QThread.msleep(5)
            QCoreApplication.processEvents()
        return not self.worker.pending

    def _show_result(self, result: MapResult) -> None:
        if self._closed:
            return
        self.result = result
        req = result.request
        layer = req.network[req.layer]
        shown = result.stages[req.layer]
        names = layer.names
        shape = result.shapes[req.layer].output_shape
        captions, tips = [], []
        for i, ((lo, hi), lv) in enumerate(zip(result.ranges, result.levels)):
            captions.append(f"{format_number(lo, 3)} … {format_number(hi, 3)}")
            tips.append(f"Map {i + 1} of {len(names)}: {names[i]}, {shape[0]}×{shape[1]}, values "
                        f"{format_number(lo)} to {format_number(hi)}. Click to enlarge.")
        self.grid.set_maps(result.thumbs, [f"{i + 1}. {n}" for i, n in enumerate(names)], captions, tips)
        self.grid.select(self.filter_index)
        if req.shared_scale:
            self.colour_bar.set_scale(result.levels[0], colormap_for(result.levels[0]), " (shared by every map)")
            self.colour_bar.show()
        else:
            self.colour_bar.hide()
        self.stack.set_maps(result.thumbs, names, shape)
        done = len(result.recomputed)
        precision = ("float32 for display (the image is large; the channel sums are float64)"
                     if result.dtype == np.float32 else "float64")
        self._say_compute(f"Layer {req.layer + 1}: {len(names)} maps of {shape[0]}×{shape[1]}; convolved "
                          f"{done} of {len(names)} again in {result.elapsed * 1000:.0f} ms, {precision}.")
        self._show_enlarged()
        if self._auto_pixel and req.layer == self.layer_index:
            self._auto_pixel = False
            fi = min(self.filter_index, len(shown.maps) - 1)
            kh, kw = req.network[req.layer].kernel_hw
            if result.strongest is not None and fi == min(req.filter, len(shown.maps) - 1):
                r, c = result.strongest  # found in the worker
            else:
                r, c = strongest_pixel(shown.maps[fi], margin=max(kh, kw))
            with QSignalBlocker(self.row_spin), QSignalBlocker(self.col_spin):
                self.row_spin.setValue(r)
                self.col_spin.setValue(c)
            self.pixel = (r, c)
        self._show_pixel()

    def _show_enlarged(self) -> None:
        result = self.result
        req = result.request
        i = min(self.filter_index, len(result.stages[req.layer].maps) - 1)
        values = result.stages[req.layer].maps[i]
        levels = result.levels[i]
        cmap = colormap_for(levels)
        self.enlarged_image.setImage(values, levels=levels, lut=lookup_table(cmap), autoLevels=False)
        self.enlarged_bar.set_scale(levels, cmap)
        name = req.network[req.layer].names[i]
        self.enlarged_title.setText(f"Map {i + 1}: <b>{html.escape(name)}</b> — {values.shape[0]}×{values.shape[1]}"
                                    " (click a pixel to explain it)")

    def _show_pixel(self) -> None:
        result = self.result
        if result is None:
            return
        req = result.request
        if req.network is not self.network or req.layer != self.layer_index:
            return  # a newer request is on its way
        r, c = self.pixel
        self.pixel_title.setText(f"Output pixel of layer {req.layer + 1}:")
        self.enlarged_marker.setData([c + 0.5], [r + 0.5])
        layer = req.network[req.layer]
        fi = min(self.filter_index, layer.out_channels - 1)
        x = self._input if req.layer == 0 else result.stages[req.layer - 1].maps
        settings = req.network.settings_for(req.layer, req.first)
        try:
            d = decompose(x, layer, fi, (r, c), settings)
        except ValueError as exc:
            self.decomposition.clear(str(exc))
            return
        maps = result.stages[req.layer].maps
        names = channel_names(layer.in_channels) if req.layer == 0 else \
            tuple(f"{i + 1}. {n}" for i, n in enumerate(req.network[req.layer - 1].names))
        dtype = "float32" if maps[fi].dtype == np.float32 else "float64"
        partial_thumbs = result.partial_thumbs if req.filter == fi else []
        self.decomposition.show_decomposition(
            d, filter_name=layer.names[fi], channel_names=names, partial_thumbs=partial_thumbs,
            map_hw=maps[fi].shape, output_thumb=result.thumbs[fi], map_value=float(maps[fi][r, c]), map_dtype=dtype)
        regions = req.network.receptive_field((r, c), req.layer, req.first)
        key = (id(self._input), self._input.shape)
        if self.receptive._image_key != key:
            # a thumbnail is all the small view can show (a full-size colour map of a photo costs seconds)
            h, w = self._input.shape[:2]
            step = max(1, -(-max(h, w) // RECEPTIVE_THUMB_SIDE))
            thumb = display_rgb(self._input[::step, ::step], clip_to_image_range=True)
            self.receptive.set_image(thumb, key, (h, w))
        labels = [f"Layer {i + 1}" for i in range(req.layer + 1)]
        self.receptive.set_regions(regions, self._input.shape[:2], req.layer, (r, c), labels)

    # -- messages --------------------------------------------------------------------------
    def _say(self, text: str) -> None:
        self._message = text
        self._update_status()

    def _say_compute(self, text: str) -> None:
        self._compute_message = text
        self._update_status()

    _message = ""
    _compute_message = ""

    def _update_status(self) -> None:
        parts = [p for p in (self._message, self._compute_message) if p]
        self.status.setText("  ·  ".join(parts))

    # -- lessons and sessions (convviz.ui.classroom) ------------------------------------------
    def lesson_settings(self) -> dict:
        """The bank and what is shown, as simple values (see :mod:`.lesson_bank`); ``filters`` only when
        those names rebuild layer 1 exactly, ``activation`` only when every layer has the same."""
        self._catch_up()  # adapted to today's image even while hidden
        first = self.network[0]
        out: dict = {"layers": len(self.network), "layer": self.layer_index + 1,
                     "selected_filter": self.filter_index, "pixel": [int(self.pixel[0]), int(self.pixel[1])],
                     "view": VIEWS[self.tabs.currentIndex()], "shared_scale": self.shared_box.isChecked()}
        if names_rebuild(first):
            out["filters"] = first.names
        if len({layer.activation for layer in self.network.layers}) == 1:
            out["activation"] = first.activation
        biases = [_plain(b) for b in first.biases()]
        out["bias"] = biases[0] if len(set(biases)) == 1 else biases
        return out

    def apply_lesson_settings(self, settings: dict) -> None:
        """Set the bank and view from a slide or session: ``filters``, ``layers``, ``activation``, ``bias``,
        ``layer`` (1-based), ``selected_filter``, ``pixel`` [row, col], ``view``, ``shared_scale``.

        Unknown keys are ignored; a bad value raises ``ValueError`` and nothing changes.
        """
        self._catch_up()
        structural = any(k in settings for k in ("filters", "layers", "activation", "bias"))
        network = network_from_settings(self.network, settings, self._c_in()) if structural else self.network
        network, _ = network.adapted_to(self._c_in())
        layer = check_layer(settings["layer"], len(network)) if "layer" in settings else \
            min(self.layer_index, len(network) - 1)
        chosen = check_index(settings["selected_filter"], "\"selected_filter\"", network[layer].out_channels) \
            if "selected_filter" in settings else min(self.filter_index, network[layer].out_channels - 1)
        view = view_index(settings["view"]) if "view" in settings else None
        pixel = None
        if "pixel" in settings:
            shapes = network.stage_shapes(self._input.shape, self.first_settings())
            pixel = check_pixel(settings["pixel"], shapes[layer].output_shape[:2])
        # everything checked: apply
        if "shared_scale" in settings:
            with QSignalBlocker(self.shared_box):
                self.shared_box.setChecked(bool(settings["shared_scale"]))
        if structural or layer != self.layer_index or chosen != self.filter_index:
            self.layer_index, self.filter_index = layer, chosen
            self.set_network(network, "Set up by the lesson." if structural else "")
        else:
            self._request()
        if view is not None:
            self.tabs.setCurrentIndex(view)
        if pixel is not None:
            self.select_pixel(*pixel)

    def bank_json(self) -> dict:
        """The whole bank (every layer) in the bank JSON schema of :mod:`convviz.io.banks`."""
        self._catch_up()  # adapted to today's image even while hidden
        return bank_to_json(self.network)

    def apply_bank_json(self, data) -> None:
        """Show the bank ``data`` (bank JSON schema); ``ValueError`` on a malformed one, and nothing changes.

        The shown layer, filter and an explicitly chosen pixel stay when the new bank has them.
        """
        network = network_from_json(data)
        pixel, keep_pixel = self.pixel, not self._auto_pixel
        self.set_network(network, f"Restored a bank of {len(network)} layer(s).")
        if keep_pixel:
            self.select_pixel(*pixel)

    # -- files -----------------------------------------------------------------------------
    def open_image(self, path) -> bool:
        """Load an image file into the document (every tab follows); a bad file leaves everything as it is."""
        from ...io.images import load_image
        try:
            image = load_image(path)
            self.doc.apply(image=image, image_name=os.path.basename(os.fspath(path)))
        except ValueError as exc:
            self._say(str(exc))
            return False
        self._say(f"Opened {os.path.basename(os.fspath(path))} ({'×'.join(map(str, image.shape))}).")
        return True

    def save_bank(self, path) -> bool:
        try:
            save_bank(path, self.network)
        except ValueError as exc:
            self._say(str(exc))
            return False
        self._say(f"Saved the bank ({len(self.network)} layer(s)) to {os.fspath(path)}.")
        return True

    def load_bank(self, path) -> bool:
        """Load a bank file; a malformed one is refused with a message and the current bank stays."""
        try:
            network = load_bank(path)
        except BankFileError as exc:
            self._say(f"{exc}. The current bank stays.")
            return False
        self.layer_index = 0
        self.filter_index = 0
        note = "" if network[0].settings == self.first_settings() else \
            " Layer 1 slides as the Filter view says (the file's layer-1 padding/stride are not applied)."
        self.set_network(network, f"Loaded {os.path.basename(os.fspath(path))}: {len(network)} layer(s).{note}")
        return True

    def shown_maps(self):
        """``(maps, names, levels)`` of the shown layer, as last computed (None before the first result)."""
        self._catch_up()
        if self.result is None:
            return None
        req = self.result.request
        return self.result.stages[req.layer].maps, req.network[req.layer].names, self.result.levels

    def export_pngs(self, folder) -> bool:
        shown = self.shown_maps()
        if shown is None:
            return False
        maps, names, levels = shown
        try:
            paths = export_maps_png(folder, maps, names, levels=list(levels))
        except ValueError as exc:
            self._say(str(exc))
            return False
        self._say(f"Wrote {len(paths)} PNGs to {os.fspath(folder)}.")
        return True

    def export_npy(self, path) -> bool:
        shown = self.shown_maps()
        if shown is None:
            return False
        maps = np.stack(shown[0], axis=-1)
        try:
            export_maps_npy(path, maps)
        except ValueError as exc:
            self._say(str(exc))
            return False
        self._say(f"Wrote {os.fspath(path)}: shape {maps.shape}, {maps.dtype}.")
        return True

    def _open_image_dialog(self) -> None:
        from ...io.images import IMAGE_FILE_FILTER
        path, _ = QFileDialog.getOpenFileName(self, "Open image", "", IMAGE_FILE_FILTER)
        if path:
            self.open_image(path)

    def _load_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load filter bank", "", BANK_FILE_FILTER)
        if path:
            self.load_bank(path)

    def _save_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save filter bank", "bank.json", BANK_FILE_FILTER)
        if path:
            self.save_bank(path)

    def _export_png_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder for the map PNGs")
        if folder:
            self.export_pngs(folder)

    def _export_npy_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export maps", "maps.npy", "NumPy arrays (*.npy)")
        if path:
            self.export_npy(path)

    # -- closing ------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop the worker and stop following the document (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self._disconnect_document()
        self.worker.shutdown()

    def closeEvent(self, event):
        self.shutdown()
        super().closeEvent(event)
