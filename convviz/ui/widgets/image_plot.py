"""One image in a locked-aspect view with row 0 at the top, coloured as convviz colours values."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsRectItem

from convviz.model import display_rgb


class ImagePlot(pg.GraphicsLayoutWidget):
    """``show_values`` draws signed data with the diverging map and the rest in grey; ``show_rgb`` draws bytes."""

    def __init__(self, title: str = "", parent=None):
        super().__init__(parent)
        self.setBackground("w")
        self.plot = self.addPlot(title=title)
        self.plot.setAspectLocked(True)
        self.plot.invertY(True)
        self.plot.hideAxis("bottom")
        self.plot.hideAxis("left")
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.image = pg.ImageItem()
        self.plot.addItem(self.image)
        # a thin frame, so a white image still shows its edges on the white background
        self.frame = QGraphicsRectItem(0, 0, 1, 1)
        pen = pg.mkPen((150, 150, 150), width=1)
        pen.setCosmetic(True)
        self.frame.setPen(pen)
        self.plot.addItem(self.frame)
        self.values: np.ndarray | None = None

    def show_values(self, values, *, levels=None) -> None:
        """Draw ``values`` (2-D) with the diverging map for signed data, grey otherwise."""
        self.values = np.asarray(values)
        self.show_rgb(display_rgb(self.values, levels=levels))

    def show_rgb(self, rgb: np.ndarray) -> None:
        self.image.setImage(np.ascontiguousarray(rgb), autoLevels=False, levels=(0, 255))
        h, w = rgb.shape[:2]
        self.frame.setRect(0, 0, w, h)
        self.plot.setRange(xRange=(0, w), yRange=(0, h), padding=0.02)

    def set_title(self, text: str) -> None:
        self.plot.setTitle(text)
