"""The right side of the Filter bank tab: the explained pixel and the five views of the shown layer
(feature maps, one enlarged, the stack, the channel sums of one pixel, its receptive field)."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QTabWidget, QVBoxLayout, QWidget

from ...model.bank.display import MapResult, PixelExplanation, colormap_for
from ...model.bank.lesson import VIEWS
from ...model.bank.texts import enlarged_title, map_caption, map_tooltip
from ..widgets import named
from .decomposition_view import DecompositionView
from .enlarged_view import EnlargedMap
from .map_grid import ColourBar, FeatureMapGrid
from .receptive_view import ReceptiveFieldView
from .stack_view import FeatureStackView

TAB_TITLES = {"maps": "Feature maps", "enlarged": "Enlarged", "stack": "Stack H'×W'×C_out",
              "channel sums": "Channel sums σ(W*x+b)", "receptive field": "Receptive field"}


class MapViews(QWidget):
    """Draws what it is given; asks with ``pixelChosen(row, col)``, ``mapClicked(index)`` and
    ``viewChosen(name)`` (a name of :data:`~convviz.model.bank.lesson.VIEWS`)."""

    pixelChosen = Signal(int, int)
    mapClicked = Signal(int)
    viewChosen = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.row_spin = named(QSpinBox(), "bankPixelRow", "Row of the output pixel that the channel sums and the "
                              "receptive field explain (or click the enlarged map)", "Pixel row")
        self.col_spin = named(QSpinBox(), "bankPixelCol", "Column of the output pixel that the channel sums and "
                              "the receptive field explain (or click the enlarged map)", "Pixel column")
        for s in (self.row_spin, self.col_spin):
            s.valueChanged.connect(lambda _=0: self.pixelChosen.emit(self.row_spin.value(), self.col_spin.value()))
        self.pixel_title = QLabel()
        pixel_row = QHBoxLayout()
        pixel_row.addWidget(self.pixel_title)
        pixel_row.addWidget(QLabel("row"))
        pixel_row.addWidget(self.row_spin)
        pixel_row.addWidget(QLabel("col"))
        pixel_row.addWidget(self.col_spin)
        pixel_row.addStretch(1)

        self.grid = FeatureMapGrid()
        self.grid.mapClicked.connect(self.mapClicked)
        self.colour_bar = ColourBar("bankColourBar")
        grid_page = QWidget()
        gv = QVBoxLayout(grid_page)
        gv.setContentsMargins(0, 0, 0, 0)
        gv.addWidget(self.grid, 1)
        gv.addWidget(self.colour_bar)
        self.enlarged = EnlargedMap()
        self.enlarged.pixelClicked.connect(self.pixelChosen)
        self.stack = FeatureStackView()
        self.decomposition = DecompositionView()
        self.receptive = ReceptiveFieldView()
        self.tabs = named(QTabWidget(), "bankViews", "Feature maps, one enlarged, the stack, the channel sums of "
                          "one pixel and its receptive field", "Bank views")
        for view, page in zip(VIEWS, (grid_page, self.enlarged, self.stack, self.decomposition, self.receptive)):
            self.tabs.addTab(page, TAB_TITLES[view])
        self.tabs.currentChanged.connect(lambda i: self.viewChosen.emit(VIEWS[i]) if i >= 0 else None)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addLayout(pixel_row)
        layout.addWidget(self.tabs, 1)

    def show_view(self, name: str) -> None:
        with QSignalBlocker(self.tabs):
            self.tabs.setCurrentIndex(VIEWS.index(name))

    def show_result(self, result: MapResult) -> None:
        """The shown layer's maps: the grid (and its shared colour scale), the stack and the chosen map enlarged."""
        req, i = result.request, result.chosen
        names = req.network[req.layer].names
        shape = result.shapes[req.layer].output_shape
        self.grid.set_maps(result.thumbs, [f"{n + 1}. {name}" for n, name in enumerate(names)],
                           [map_caption(r) for r in result.ranges],
                           [map_tooltip(n, names, shape, r) for n, r in enumerate(result.ranges)])
        self.grid.select(i)
        if req.shared_scale:
            self.colour_bar.set_scale(result.levels[0], colormap_for(result.levels[0]), " (shared by every map)")
        self.colour_bar.setVisible(req.shared_scale)
        self.stack.set_maps(result.thumbs, names, shape)
        values = result.shown.maps[i]
        self.enlarged.show_map(values, result.levels[i], enlarged_title(i, names[i], values.shape))

    def clear(self) -> None:
        """Draw nothing and keep nothing of the last result (its image and maps can then be freed)."""
        self.grid.set_maps([], [], [], [])
        self.stack.clear()
        self.enlarged.clear()
        self.decomposition.clear("")
        self.receptive.clear()

    def show_pixel(self, result: MapResult, pixel, explained: PixelExplanation | None, problem: str = "") -> None:
        """The explained pixel of ``result``'s shown layer: the spin boxes, the marker on the enlarged map,
        the channel sums and the receptive field (or ``problem`` when it cannot be explained)."""
        req, i = result.request, result.chosen
        map_hw = result.shown.maps[i].shape
        self.pixel_title.setText(f"Output pixel of layer {req.layer + 1}:")
        with QSignalBlocker(self.row_spin), QSignalBlocker(self.col_spin):
            self.row_spin.setRange(0, map_hw[0] - 1)
            self.col_spin.setRange(0, map_hw[1] - 1)
            self.row_spin.setValue(pixel[0])
            self.col_spin.setValue(pixel[1])
        self.enlarged.mark(*pixel)
        if explained is None:
            self.decomposition.clear(problem)
            return
        self.decomposition.show_decomposition(
            explained.decomposition, filter_name=explained.filter_name, channel_names=explained.channel_names,
            partial_thumbs=result.partial_thumbs, map_hw=map_hw, output_thumb=result.thumbs[i],
            map_value=explained.map_value, map_dtype=explained.map_dtype)
        image_hw = result.input.shape[:2]
        self.receptive.set_image(result.input_thumb, result.input, image_hw)
        self.receptive.set_regions(explained.regions, image_hw, req.layer, explained.pixel)
