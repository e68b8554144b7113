"""The receptive field of one output pixel, traced back through every layer to the input image."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QLabel, QVBoxLayout, QWidget

from ...model.bank import Region
from ...model.bank.texts import receptive_lines
from ..widgets import named

STAGE_COLOURS = [(255, 200, 0), (0, 200, 255), (255, 80, 200), (120, 255, 80), (255, 120, 40),
                 (160, 120, 255), (255, 255, 255), (0, 0, 0)]


class ReceptiveFieldView(QWidget):
    """``bankReceptiveField``: the input image with one rectangle per layer around what the pixel sees."""

    def __init__(self, parent=None):
        super().__init__(parent)
        named(self, "bankReceptiveField", "The input pixels one output pixel depends on, traced back layer by layer.",
              "Receptive field")
        self.plot = named(pg.PlotWidget(), "bankReceptiveFieldPlot", None, "Receptive field on the input image")
        self.plot.setAspectLocked(True)
        self.plot.invertY(True)
        self.plot.hideAxis("bottom")
        self.plot.hideAxis("left")
        self.plot.setMenuEnabled(False)
        self.image = _image_item()
        self.plot.addItem(self.image)
        self.rects: list[QGraphicsRectItem] = []
        self.text = QLabel()
        named(self.text, "bankReceptiveFieldText", None, "Receptive field sizes")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.text)
        self._image_key = None

    def set_image(self, rgb: np.ndarray, key, image_hw=None) -> None:
        """Show ``rgb`` (uint8) unless ``key`` (any object, compared by identity: the image it shows) is
        already shown; ``image_hw`` is the image's size when ``rgb`` is a thumbnail of it, so the
        rectangles stay in image pixels."""
        if key is not self._image_key:
            self._image_key = key
            self.image.setImage(rgb, autoLevels=False, levels=(0, 255))
            h, w = image_hw if image_hw is not None else rgb.shape[:2]
            self.image.setRect(QRectF(0, 0, w, h))
            self.plot.autoRange()

    def clear(self) -> None:
        """Draw nothing and keep nothing of the last image (a new image item: pyqtgraph keeps its buffers)."""
        self.plot.removeItem(self.image)
        self.image = _image_item()
        self.plot.addItem(self.image)
        for r in self.rects:
            self.plot.removeItem(r)
        self.rects = []
        self.text.setText("")
        self._image_key = None

    def set_regions(self, regions: list[Region], image_hw, stage: int, out_index) -> None:
        """``regions[i]`` is what the pixel sees in layer ``i``'s input; only ``regions[0]`` is in image pixels."""
        for r in self.rects:
            self.plot.removeItem(r)
        self.rects = []
        first = regions[0]
        rect = QGraphicsRectItem(QRectF(first.left, first.top, first.right - first.left + 1,
                                        first.bottom - first.top + 1))
        pen = QPen(QColor(*STAGE_COLOURS[stage % len(STAGE_COLOURS)]), 2)
        pen.setCosmetic(True)
        rect.setPen(pen)
        self.plot.addItem(rect)
        self.rects.append(rect)
        self.text.setText("<br>".join(receptive_lines(regions, image_hw, stage, out_index)))


def _image_item() -> pg.ImageItem:
    item = pg.ImageItem(axisOrder="row-major")
    item.setZValue(-1)   # under the rectangles
    return item
