"""The receptive field of one output pixel, traced back through every layer to the input image:
zoomed onto the field (full-resolution pixels around it) or on the whole image; the mouse wheel
zooms and dragging moves in either."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QCheckBox, QGraphicsRectItem, QLabel, QVBoxLayout, QWidget

from ...model.bank import Region
from ...model.bank.texts import receptive_lines, zoom_note
from ..widgets import named

STAGE_COLOURS = [(255, 200, 0), (0, 200, 255), (255, 80, 200), (120, 255, 80), (255, 120, 40),
                 (160, 120, 255), (255, 255, 255), (0, 0, 0)]


class ReceptiveFieldView(QWidget):
    """``bankReceptiveField``: the input image with a rectangle around what the pixel sees; asks with
    ``zoomToggled(on)`` when the zoom box is ticked."""

    zoomToggled = Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        named(self, "bankReceptiveField", "The input pixels one output pixel depends on, traced back layer by layer.",
              "Receptive field")
        self.zoom_box = named(QCheckBox("Zoom onto the field"), "bankZoomField", "On: the pixels around the field at "
                              "full resolution. Off: the whole image. Scroll to zoom and drag to move either way.",
                              "Zoom onto the receptive field")
        self.zoom_box.toggled.connect(self.zoomToggled)
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
        layout.addWidget(self.zoom_box)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.text)
        self._shown: tuple | None = None     # (image key, zoom window or None): what the image item shows

    def set_zoom(self, on: bool) -> None:
        with QSignalBlocker(self.zoom_box):
            self.zoom_box.setChecked(on)

    def show_field(self, key, thumb: np.ndarray, image_hw, regions: list[Region], stage: int, out_index,
                   zoom: tuple[Region, np.ndarray] | None = None) -> None:
        """``regions[i]`` is what the pixel sees in layer ``i``'s input (``regions[0]`` in image pixels).

        Without ``zoom`` the whole image is shown as ``thumb`` (uint8, a thumbnail of the ``image_hw``
        image); with ``zoom`` = ``(window, picture)`` the ``picture`` of the image pixels in ``window``.
        ``key`` (compared by identity) is the image: the picture is replaced only when it or the window changes.
        """
        h, w = int(image_hw[0]), int(image_hw[1])
        window = None if zoom is None else zoom[0]
        if self._shown is None or self._shown[0] is not key or self._shown[1] != window:
            self._shown = (key, window)
            picture = thumb if zoom is None else zoom[1]
            rect = QRectF(0, 0, w, h) if window is None else \
                QRectF(window.left, window.top, window.size[1], window.size[0])
            self.image.setImage(picture, autoLevels=False, levels=(0, 255))
            self.image.setRect(rect)
            self.plot.getPlotItem().vb.setRange(rect=rect, padding=0.02)
        for r in self.rects:
            self.plot.removeItem(r)
        first = regions[0]
        rect_item = QGraphicsRectItem(QRectF(first.left, first.top, first.size[1], first.size[0]))
        pen = QPen(QColor(*STAGE_COLOURS[stage % len(STAGE_COLOURS)]), 3)
        pen.setCosmetic(True)
        rect_item.setPen(pen)
        self.plot.addItem(rect_item)
        self.rects = [rect_item]
        lines = receptive_lines(regions, (h, w), stage, out_index)
        lines.append(zoom_note(window, (h, w)))
        self.text.setText("<br>".join(lines))

    def clear(self) -> None:
        """Draw nothing and keep nothing of the last image (a new image item: pyqtgraph keeps its buffers)."""
        self.plot.removeItem(self.image)
        self.image = _image_item()
        self.plot.addItem(self.image)
        for r in self.rects:
            self.plot.removeItem(r)
        self.rects = []
        self.text.setText("")
        self._shown = None


def _image_item() -> pg.ImageItem:
    item = pg.ImageItem(axisOrder="row-major")
    item.setZValue(-1)   # under the rectangles
    return item
