"""One feature map at full size, its colour scale, and a marker on the explained pixel."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ...model.bank.display import colormap_for
from ...model.colour import lookup_table
from ..widgets import named
from .map_grid import ColourBar


class EnlargedMap(QWidget):
    """``featureMapEnlarged``: the chosen map; a click on a pixel emits ``pixelClicked(row, col)``."""

    pixelClicked = Signal(int, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.plot = named(pg.PlotWidget(), "featureMapEnlarged", "The chosen map at full size. Click a pixel to "
                          "explain it.", "Enlarged feature map")
        self.plot.setAspectLocked(True)
        self.plot.invertY(True)
        self.plot.setMenuEnabled(False)
        self.image = _image_item()
        self.plot.addItem(self.image)
        self.marker = pg.ScatterPlotItem(size=12, pen=pg.mkPen((255, 200, 0), width=2), brush=None, symbol="s")
        self.plot.addItem(self.marker)
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.bar = ColourBar("bankEnlargedColourBar")
        self.title = QLabel()
        self.title.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.bar)
        self._shown = None

    def show_map(self, values: np.ndarray, levels, title: str, step: int = 1) -> None:
        """Draw ``values`` at ``levels`` with the window's colour map for them: the whole (H', W') map, or
        with ``step`` > 1 its every ``step``-th pixel drawn over the whole map's area (so clicks and the
        marker stay in the map's own pixels)."""
        if self._shown is not None and self._shown[0] is values and self._shown[1:] == (levels, title, step):
            return
        area = (values.shape[0] * step, values.shape[1] * step)
        refit = self._shown is None or self._shown[-1] != area
        self._shown = (values, levels, title, step, area)
        cmap = colormap_for(levels)
        self.image.setImage(values, levels=levels, lut=lookup_table(cmap), autoLevels=False)
        self.image.setRect(QRectF(0, 0, area[1], area[0]))
        self.bar.set_scale(levels, cmap)
        self.title.setText(title)
        if refit:   # another size of map (a new image, layer or padding): show all of it
            self.plot.getPlotItem().vb.autoRange(padding=0.02)

    def clear(self) -> None:
        """Draw nothing and keep nothing of the last map (a new image item: pyqtgraph keeps its buffers)."""
        self.plot.removeItem(self.image)
        self.image = _image_item()
        self.plot.addItem(self.image)
        self.marker.setData([], [])
        self.title.setText("")
        self._shown = None

    def mark(self, row: int, col: int) -> None:
        self.marker.setData([col + 0.5], [row + 0.5])

    def _clicked(self, event) -> None:
        if self.image.image is None:
            return
        pos = self.plot.getPlotItem().vb.mapSceneToView(event.scenePos())
        self.pixelClicked.emit(int(np.floor(pos.y())), int(np.floor(pos.x())))


def _image_item() -> pg.ImageItem:
    item = pg.ImageItem(axisOrder="row-major")
    item.setZValue(-1)   # under the marker
    return item
