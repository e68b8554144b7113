"""The right side of the Filter bank tab: the explained pixel and the five views of the shown layer
(feature maps, one enlarged, the stack, the channel sums of one pixel, its receptive field)."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QLabel, QSpinBox, QTabWidget, QVBoxLayout, QWidget

from ...model.bank.display import MapResult, PixelExplanation, colormap_for
from ...model.bank.lesson import VIEWS
from ...model.bank.texts import display_names, enlarged_title, map_caption, map_tooltip
from ..widgets import named
from ..widgets.flow_layout import FlowLayout
from .decomposition_view import DecompositionView
from .enlarged_view import EnlargedMap
from .map_grid import ColourBar, FeatureMapGrid
from .receptive_view import ReceptiveFieldView
from .stack_view import FeatureStackView

#: short titles, so the tab bar fits a projector at a large font
TAB_TITLES = {"maps": "Feature maps", "enlarged": "Enlarged", "stack": "Stack", "channel sums": "Channel sums",
              "receptive field": "Receptive field"}
TAB_TIPS = {"maps": "Every filter's feature map", "enlarged": "The chosen map, large: click a pixel to explain it",
            "stack": "The maps stacked into the layer's output, H'×W'×C_out",
            "channel sums": "How one output pixel is made: σ(Σ W_c * x_c + b), channel by channel",
            "receptive field": "The input pixels one output pixel sees"}

#: the views that explain one output pixel (the row and column boxes are shown with them)
PIXEL_VIEWS = ("enlarged", "channel sums", "receptive field")


class MapViews(QWidget):
    """Draws what it is given; asks with ``pixelChosen(row, col)``, ``mapClicked(index)``,
    ``viewChosen(name)`` (a name of :data:`~convviz.model.bank.lesson.VIEWS`), ``zoomToggled(on)`` and
    ``sideWanted(pixels)`` (the size the grid draws the maps at)."""

    pixelChosen = Signal(int, int)
    mapClicked = Signal(int)
    viewChosen = Signal(str)
    zoomToggled = Signal(bool)
    sideWanted = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.row_spin = named(QSpinBox(), "bankPixelRow", "Row of the output pixel that the channel sums and the "
                              "receptive field explain (or click the enlarged map)", "Pixel row")
        self.col_spin = named(QSpinBox(), "bankPixelCol", "Column of the output pixel that the channel sums and "
                              "the receptive field explain (or click the enlarged map)", "Pixel column")
        for s in (self.row_spin, self.col_spin):
            s.valueChanged.connect(lambda _=0: self.pixelChosen.emit(self.row_spin.value(), self.col_spin.value()))
        self.pixel_title = QLabel()
        self.pixel_row = pixel_row = QWidget()
        FlowLayout(pixel_row, centred=True).add(self.pixel_title, QLabel("row"), self.row_spin, QLabel("col"),
                                                self.col_spin)

        self.grid = FeatureMapGrid()
        self.grid.mapClicked.connect(self.mapClicked)
        self.grid.sideWanted.connect(self.sideWanted)
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
        self.receptive.zoomToggled.connect(self.zoomToggled)
        self.tabs = named(QTabWidget(), "bankViews", "Feature maps, one enlarged, the stack, the channel sums of "
                          "one pixel and its receptive field", "Bank views")
        self.tabs.setUsesScrollButtons(True)
        for view, page in zip(VIEWS, (grid_page, self.enlarged, self.stack, self.decomposition, self.receptive)):
            i = self.tabs.addTab(page, TAB_TITLES[view])
            self.tabs.setTabToolTip(i, TAB_TIPS[view])
        self.tabs.currentChanged.connect(lambda i: self.viewChosen.emit(VIEWS[i]) if i >= 0 else None)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(pixel_row)
        layout.addWidget(self.tabs, 1)

    def show_view(self, name: str) -> None:
        with QSignalBlocker(self.tabs):
            self.tabs.setCurrentIndex(VIEWS.index(name))
        self.pixel_row.setVisible(name in PIXEL_VIEWS)   # the maps and the stack get its height

    def show_result(self, result: MapResult) -> None:
        """The shown layer's maps: the grid (and the shared colour scale), the stack and the chosen map enlarged."""
        req, i = result.request, result.chosen
        names = req.network[req.layer].names
        shown = display_names(names)
        shape, step = result.shapes[req.layer].output_shape, result.step
        self.grid.set_maps(result.thumbs, [f"{n + 1}. {name}" for n, name in enumerate(shown)],
                           [map_caption(r, step) for r in result.ranges],
                           [map_tooltip(n, names, shape, r, step) for n, r in enumerate(result.ranges)], shape[:2])
        self.grid.select(i)
        if req.shared_scale:
            self.colour_bar.set_scale(result.levels[0], colormap_for(result.levels[0]), " (shared by every map)")
        self.colour_bar.setVisible(req.shared_scale)
        self.stack.set_maps(result.thumbs, shown, shape)
        values, drawn_step = result.enlarged_map()
        self.enlarged.show_map(values, result.levels[i], enlarged_title(i, names[i], shape, drawn_step), drawn_step)

    def clear(self) -> None:
        """Draw nothing and keep nothing of the last result (its image and maps can then be freed)."""
        self.grid.set_maps([], [], [], [])
        self.stack.clear()
        self.enlarged.clear()
        self.decomposition.clear("")
        self.receptive.clear()

    def show_pixel(self, result: MapResult, pixel, explained: PixelExplanation | None, problem: str = "",
                   zoom=None) -> None:
        """The explained pixel of ``result``'s shown layer: the spin boxes, the marker on the enlarged map,
        the channel sums and the receptive field (zoomed when ``zoom`` = ``(window, picture)`` is given),
        or ``problem`` when it cannot be explained."""
        req, i = result.request, result.chosen
        map_hw = result.map_hw     # pixels are counted on the whole map, also when it is drawn sampled
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
        self.receptive.show_field(result.input, result.input_thumb, result.input.shape[:2], explained.regions,
                                  req.layer, explained.pixel, zoom)
