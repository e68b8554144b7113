"""The "Filter bank" tab: a colour input, a bank of filters, one feature map each, and chained layers.

State: :class:`~convviz.model.states.bank.BankState` (the bank, the shown layer, the selected
filter, the explained pixel, the view, the colour scale); every edit is one undo step. The bank is
shown for the document's image (grey → C_in = 1, colour → C_in = 3) and layer 1 slides as the
document says (padding, stride, dilation, border mode). Maps are computed in the panel's worker
(:mod:`.jobs`); only filters whose weights changed are convolved again
(:class:`~convviz.model.bank.MapCalculator`).
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from ...model.bank import LayerSettings, Network
from ...model.bank.display import (
    INPUT_THUMB_SIDE,
    THUMB_SIDE,
    MapRequest,
    MapResult,
    explain_pixel,
    input_shape,
    picture_side,
)
from ...model.bank.receptive import zoom_picture, zoom_window
from ...model.bank.sampled import FullMap
from ...model.bank.texts import compute_summary, default_bank_note, shape_lines
from ...model.colour import SCALE_LABELS
from ..panel import Panel
from ..widgets import mark_editing_chrome, named
from ..widgets.flow_layout import FlowLayout
from .edits import BankEdits
from .files import BankFiles
from .jobs import MapRunner
from .layer_controls import LayerControls
from .map_views import MapViews
from .view_bar import ViewBar

__all__ = ["RECEPTIVE_THUMB_SIDE", "BankPanel"]

RECEPTIVE_THUMB_SIDE = INPUT_THUMB_SIDE  # the receptive-field view shows the input sampled down to this side


class FillSplitter(QSplitter):
    """A splitter whose preferred height is its minimum: a tab in a scroll area is laid out by its
    height-for-width (the sum of preferred heights), which large pictures would push past the screen."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(super().sizeHint().width(), self.minimumSizeHint().height())


class BankPanel(BankEdits, BankFiles, Panel):
    """Build a bank of filters for the document's image and see every feature map it makes."""

    key, title, shortcut = "bank", "Filter bank", "Ctrl+3"
    document_fields = ("image", "gray", "padding", "stride", "dilation", "padding_mode")

    def __init__(self, workspace, parent=None, **kwargs):
        super().__init__(workspace, parent, **kwargs)
        named(self, "bankPanel", None, "Filter bank")
        self.result: MapResult | None = None
        self.shapes: list = []
        self._closed = False
        self._holding = False     # whether the worker (or the views) may hold maps of the shown image
        self._editing = False
        self._message = self._compute_message = ""
        self._bank: tuple | None = None           # (stored network, C_in, the network shown for them)
        self._pixel_drawn: tuple | None = None    # (result, pixel, zoom) drawn in the channel sums and receptive field
        self._thumb_side = THUMB_SIDE             # transient: follows the size the grid draws the maps at
        self.maps = MapRunner(self)
        self.maps.finished.connect(self._show_result)
        self.maps.failed.connect(lambda m: self.say(f"Could not compute the maps: {m}"))
        self.editor.refused.connect(self._refused)
        self._build()
        self._draw_controls()  # the controls show the bank at once; the maps are computed when the tab is shown

    # -- building -----------------------------------------------------------------------
    def _build(self) -> None:
        b = self._button
        self.open_button = b("bankOpenImage", "Open image…", "Open a photo (colour or grey) as the input image of "
                             "every tab", self._open_image_dialog)
        self.load_button = b("bankLoad", "Load bank…", "Load a bank from a JSON file", self._load_dialog)
        self.save_button = b("bankSave", "Save bank…", "Save the bank (every layer) as JSON", self._save_dialog)
        self.png_button = b("bankExportPng", "Export maps as PNGs…", "Write each map of the shown layer as a PNG "
                            "in a folder, with the colours shown", self._export_png_dialog)
        self.npy_button = b("bankExportNpy", "Export .npy…", "Write the shown layer's maps as one (H', W', C_out) "
                            "NumPy array", self._export_npy_dialog)
        self.reset_button = b("bankReset", "Default bank", "Replace the bank by the default one: Sobel x, Sobel y, "
                              "a colour difference and a blur, with ReLU", self.reset_bank)
        self.file_bar = mark_editing_chrome(QWidget())         # files: hidden in presentation mode
        self.file_bar.setObjectName("bankFileBar")
        FlowLayout(self.file_bar, centred=True).add(self.open_button, self.load_button, self.save_button,
                                                    self.png_button, self.npy_button, self.reset_button)

        self.view_bar = ViewBar()
        v = self.view_bar
        v.layerChosen.connect(lambda i: self._edit(f"Show layer {i + 1}", layer_index=i, filter_index=0, pixel=None))
        v.addLayer.connect(self.add_layer)
        v.removeLayer.connect(self.remove_layer)
        v.scaleChosen.connect(lambda s: self._edit(f"Colours: {SCALE_LABELS[s]}", scale=s))
        v.sharedToggled.connect(
            lambda on: self._edit("One colour scale" if on else "A colour scale per map", shared_scale=on))
        self.layer_box, self.shared_box, self.scale_box = v.layer_box, v.shared_box, v.scale_box
        self.shapes_label = named(QLabel(), "bankShapes", "The shape at every stage, updated with padding and "
                                  "stride: input (H, W, C_in), bank (H, W, C_in, C_out) with PyTorch's weight shape "
                                  "(C_out, C_in, H, W), output (H', W', C_out)", "Shapes")
        self.shapes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.shapes_label.setWordWrap(True)
        self.status = named(QLabel(), "bankStatus", "What the panel last did or refused", "Status")
        self.compute_label = named(QLabel(), "bankComputeSummary", "What the last computation did, how long it "
                                   "took and in which precision", "Computation")
        for label in (self.status, self.compute_label):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
        self.status.hide()                          # shown while it has something to say
        mark_editing_chrome(self.compute_label)     # timings are not for the lecture

        self.layers = LayerControls()
        self.layers.settingsEdited.connect(self._layer_settings_edited)
        self.layers.groupsEdited.connect(self._groups_edited)
        self.filter_editor = self.layers.filter_editor
        self.filter_editor.layerEdited.connect(self._layer_edited)
        self.filter_editor.filterSelected.connect(lambda i: self._edit("Select filter", filter_index=i))
        self.filter_editor.message.connect(self.say)
        self.layer_stride, self.layer_padding = self.layers.layer_stride, self.layers.layer_padding

        self.views = MapViews()
        self.views.pixelChosen.connect(self.select_pixel)
        self.views.mapClicked.connect(lambda i: self._edit("Enlarge map", filter_index=i, view="enlarged"))
        self.views.viewChosen.connect(lambda view: self._edit(f"Show {view}", view=view))
        self.views.zoomToggled.connect(
            lambda on: self._edit("Zoom onto the field" if on else "Show the whole image", zoom_field=on))
        self.views.sideWanted.connect(self._side_wanted)
        v = self.views
        self.row_spin, self.col_spin, self.tabs, self.grid = v.row_spin, v.col_spin, v.tabs, v.grid
        self.enlarged, self.stack, self.decomposition, self.receptive = v.enlarged, v.stack, v.decomposition, \
            v.receptive

        splitter = FillSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("bankSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.layers)
        splitter.addWidget(self.views)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([400, 800])
        layout = QVBoxLayout(self)
        layout.addWidget(self.file_bar)
        layout.addWidget(self.view_bar)
        layout.addWidget(self.shapes_label)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.compute_label)

    def _button(self, name: str, text: str, tip: str, slot) -> QPushButton:
        button = named(QPushButton(text), name, tip, text.rstrip("…"))
        button.clicked.connect(lambda _=False: slot())
        return button

    # -- what is shown ---------------------------------------------------------------------
    def _input_shape(self) -> tuple[int, ...]:
        return input_shape(self.document.image.shape, self.document.gray)

    def first_settings(self) -> LayerSettings:
        """How layer 1 slides: as the document says."""
        return LayerSettings.of_document(self.document)

    @property
    def network(self) -> Network:
        """The bank as shown on the document's image (the stored one adapted to its channels)."""
        shape = self._input_shape()
        c_in = 1 if len(shape) == 2 else shape[2]
        stored = self.state.network
        if self._bank is None or self._bank[0] is not stored or self._bank[1] != c_in:
            network, notes = self.state.network_for(c_in)
            if self._bank is not None and self._bank[1] != c_in:   # another kind of image: say what that did
                self.say(" ".join(notes) if notes else default_bank_note(network[0]) if stored is None else
                         f"Layer 1 reads {c_in} channel(s) again: the bank is back as it was made.")
            self._bank = (stored, c_in, network)
        return self._bank[2]

    @property
    def layer_index(self) -> int:
        return self.state.selection(self.network)[0]

    @property
    def filter_index(self) -> int:
        return self.state.selection(self.network)[1]

    @property
    def pixel(self) -> tuple[int, int]:
        """The explained output pixel of the shown layer: the chosen one if it fits the map, else the
        strongest response of the newest maps, else the centre."""
        if not self.shapes:
            return (0, 0)
        oh, ow, _ = self.shapes[min(self.layer_index, len(self.shapes) - 1)].output_shape
        chosen = self.state.pixel
        if chosen is not None and chosen[0] < oh and chosen[1] < ow:
            return chosen
        if self._result_is_newest():
            return self.result.strongest
        return (oh // 2, ow // 2)

    # -- drawing --------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self._closed:
            return
        request = self._draw_controls()
        if request is None:
            self.maps.forget()
            return
        self._holding = True       # the worker keeps this image's maps until released
        self.maps.request(request)
        self._show_pixel()

    def _draw_controls(self) -> MapRequest | None:
        """Show the state in the controls and the shapes; the request for the maps (None if they cannot be made)."""
        doc, state = self.document, self.state
        network, shape, first = self.network, self._input_shape(), self.first_settings()
        layer_i, filter_i = state.selection(network)
        self.view_bar.show_state(network, layer_i, state.scale, state.shared_scale)
        groups = state.groups_for(network)
        self.layers.show_layer(network, layer_i, filter_i, first, groups[layer_i])
        self.views.show_view(state.view)
        self.receptive.set_zoom(state.zoom_field)
        try:
            self.shapes = network.stage_shapes(shape, first)
        except ValueError as exc:
            self.shapes = []
            self.shapes_label.setText(f"<span style='color:#c00'>{html.escape(str(exc))}</span>")
            self.say(f"The maps cannot be computed: {exc}")
            return None
        self.shapes_label.setText("<br>".join(shape_lines(self.shapes, network, first)))
        if self.grid.isVisible():   # pictures as large as the grid will draw them, from the first request
            side = self.grid.fit_for(network[layer_i].out_channels, self.shapes[layer_i].output_shape).side
            self._thumb_side = picture_side(self.shapes[layer_i].output_shape, side)
        return MapRequest(network, doc.image, doc.gray, first, layer_i, filter_i, state.shared_scale, state.scale,
                          self._thumb_side, groups, full_map=state.view == "enlarged")

    def _show_result(self, result: MapResult) -> None:
        if self._closed:
            return
        self.result = result
        self.views.show_result(result)
        req = result.request
        self._say_compute(compute_summary(req.layer, len(result.shown.maps), result.shapes[req.layer].output_shape,
                                          len(result.recomputed), result.elapsed, result.dtype == np.float32,
                                          result.step))
        if self._result_is_newest() and not self.stale and self.pixel != self.state.pixel:
            # no pixel chosen, or it no longer fits: the maps choose the strongest response (not a user edit)
            self.state.apply(pixel=self.pixel)
        self._show_pixel()

    def _show_pixel(self) -> None:
        """The channel sums and the receptive field of the explained pixel, from the newest maps."""
        result = self.result
        if not self._result_is_newest():
            return  # a newer request is on its way
        pixel, zoom_on = self.pixel, self.state.zoom_field
        drawn = self._pixel_drawn
        if drawn is not None and drawn[0] is result and drawn[1:] == (pixel, zoom_on):
            return
        self._pixel_drawn = (result, pixel, zoom_on)
        try:
            explained = explain_pixel(result, pixel)
        except ValueError as exc:
            self.views.show_pixel(result, pixel, None, str(exc))
            return
        zoom = None
        if zoom_on:
            window = zoom_window(explained.regions[0], result.input.shape[:2])
            zoom = (window, zoom_picture(result.input, window))
        self.views.show_pixel(result, pixel, explained, zoom=zoom)

    def _result_is_newest(self) -> bool:
        """Whether the maps shown are those of the newest request (its pictures may still be resized)."""
        last, result = self.maps.last, self.result
        return result is not None and last is not None and result.request.maps_key() == last.maps_key()

    def _side_wanted(self, side: int) -> None:
        """The grid draws the maps ``side`` pixels large: make their pictures that large (only recoloured)."""
        if not self.shapes:
            return
        wanted = picture_side(self.shapes[min(self.layer_index, len(self.shapes) - 1)].output_shape, side)
        if wanted != self._thumb_side:
            self._thumb_side = wanted
            self.mark_stale()

    def _on_document_changed(self, *args) -> None:
        if not self._closed:
            if not self._is_visible():
                self._release_maps()   # hidden: keep nothing of the previous image (computed again when shown)
            elif self.result is not None and self.result.request.image is not self.document.image:
                self._drop_result()    # another image: its maps are coming; the old ones are not kept meanwhile
        super()._on_document_changed(*args)

    def _release_maps(self) -> None:
        """Drop the maps of the previous image or settings: the result, what the views draw and what the
        worker keeps (issue #13: nothing kept by hidden tabs for previous images)."""
        if not self._holding:
            return
        self._holding = False
        self._drop_result()
        self.maps.release()

    def _drop_result(self) -> None:
        """Forget the shown result and what the views draw of it (the worker's job forgets a previous image
        itself when it is given another)."""
        self.result = None
        self._pixel_drawn = None
        self.views.clear()

    def _catch_up(self) -> None:
        """Draw (and ask for the maps of) what changed while the panel was hidden."""
        if self.stale and not self._closed:
            self.refresh_now()

    def wait_for_maps(self, timeout_ms: int = 20_000) -> bool:
        """Block until the newest request's maps are shown (tests and scripts)."""
        self._catch_up()
        return self.maps.wait(timeout_ms)

    def shown_maps(self):
        """``(maps, names, levels)`` of the shown layer, as last computed (None before the first result).
        Maps shown sampled (a large image) are given whole, each computed when read (``np.asarray``)."""
        self._catch_up()
        if self.result is None:
            return None
        result = self.result
        req = result.request
        maps = result.shown.maps if result.sampled is None else \
            [FullMap(result.sampled, req.layer, i) for i in range(len(result.shown.maps))]
        return maps, req.network[req.layer].names, result.levels

    # -- edits (each one undo step) ---------------------------------------------------------------
    def _edit(self, text: str, message: str = "", **changes) -> bool:
        self._editing = True
        try:
            done = self.edit(text, **changes)
        finally:
            self._editing = False
        if done and message:
            self.say(message)
        elif not done and self.isVisible():
            self.filter_editor.set_layer(self.network[self.layer_index], self.filter_index, force=True)
        return done

    def _refused(self, message: str) -> None:
        if self._editing:
            self.say(message)

    # -- messages -----------------------------------------------------------------------------------
    def say(self, text: str) -> None:
        """Show what the panel did or refused (beside the last computation's summary)."""
        self._message = text
        self._update_status()

    def _say_compute(self, text: str) -> None:
        self._compute_message = text
        self._update_status()

    def _update_status(self) -> None:
        self.status.setText(self._message)
        self.status.setVisible(bool(self._message))
        self.compute_label.setText(self._compute_message)

    # -- closing ------------------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop the worker; nothing is drawn or computed afterwards (idempotent)."""
        if not self._closed:
            self._closed = True
            self.maps.shutdown()
            if getattr(self, "_image_loader", None) is not None:
                self._image_loader.shutdown()

    def closeEvent(self, event):
        self.shutdown()
        super().closeEvent(event)

