"""The input and output images: pyqtgraph plots, row 0 at the top, aspect locked, linked.

Both views use input-pixel coordinates (see :mod:`convviz.model.view_geometry`):
the output image is placed over the input so each output pixel sits on the
centre of the kernel window that produced it, and the two views can share
zoom and pan. The input view draws the padding as a dashed, tinted border.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

import convviz.ui  # noqa: F401  (row-major pyqtgraph before any item is made)
from convviz.model.colour import COLORMAP_STOPS
from convviz.model.view_geometry import Rect, pixel_at

from ..plot_fonts import set_plot_title

PADDING_FILL = QColor(255, 170, 0, 70)
PADDING_EDGE = QColor(255, 140, 0)


def make_colormap(name: str) -> pg.ColorMap:
    """The pyqtgraph colour map for one of :data:`convviz.model.colour.COLORMAP_STOPS`."""
    stops = COLORMAP_STOPS[name]
    return pg.ColorMap([p for p, _ in stops], [c for _, c in stops], name=name)


class ImagePane(pg.PlotWidget):
    """One image in a plot with pixel axes; reports the point under the mouse.

    ``hovered`` carries the view point ``(x, y)`` in input-pixel coordinates, or
    ``None`` when the mouse leaves the plot; :meth:`pixel_at` turns a point into
    ``(row, col)`` of the shown array.
    """

    hovered = Signal(object)

    def __init__(self, object_name: str, title: str, parent=None):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setAccessibleName(title)
        self.setBackground("#202124")
        self.setMinimumSize(160, 160)
        plot = self.getPlotItem()
        set_plot_title(plot, title, 10)
        plot.showGrid(False, False)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        self.view_box = plot.getViewBox()
        self.view_box.invertY(True)
        self.view_box.setAspectLocked(True)
        self.image_item = pg.ImageItem(axisOrder="row-major")
        plot.addItem(self.image_item)
        self.rect = Rect(0, 0, 1, 1)
        self.values: np.ndarray | None = None
        self.drawn_bytes = False  # the item shows bytes made in a worker, not ``values``
        self.scene().sigMouseMoved.connect(self._mouse_moved)

    def _add_colour_bar(self, *, interactive: bool, tip: str) -> pg.ColorBarItem:
        """A horizontal colour bar below the plot; both views get one so their plots stay the same size."""
        bar = pg.ColorBarItem(values=(0, 255), colorMap=make_colormap("grey"), interactive=interactive,
                              width=12, rounding=1e-9, colorMapMenu=False, orientation="horizontal")
        plot = self.getPlotItem()
        plot.layout.addItem(bar, 5, 1)
        plot.layout.setRowFixedHeight(4, 10)
        bar.setToolTip(tip)
        return bar

    def set_title(self, text: str) -> None:
        set_plot_title(self, text, 10)  # 10 pt, scaled with the application font (presentation mode)

    def show_values(self, values: np.ndarray, rect: Rect, *, levels, colormap: pg.ColorMap | None,
                    display: np.ndarray | None = None) -> None:
        """Draw ``values`` ((H, W) through ``colormap`` or (H, W, 3) RGB) scaled by ``levels`` into ``rect``.

        ``display``: ``values`` already scaled by ``levels`` to uint8 (made in a worker), drawn as is;
        :attr:`values` (the readout) stays ``values``.
        """
        self.values = values
        self.rect = rect
        item = self.image_item
        self.drawn_bytes = display is not None
        if display is not None:
            item.setImage(display, autoLevels=False, levels=(0, 255))
        else:
            item.setImage(values, autoLevels=False, levels=tuple(levels))
        if values.ndim == 2 and colormap is not None:
            item.setColorMap(colormap)
        else:
            item.setLookupTable(None)
        item.setRect(QRectF(rect.x, rect.y, rect.width, rect.height))

    def set_levels(self, levels, colormap: pg.ColorMap | None) -> None:
        """Change levels (and for 2-D values the colour map) without new data."""
        if self.values is None:
            return
        if self.drawn_bytes:  # the bytes were scaled for other levels: draw the values themselves
            self.drawn_bytes = False
            self.image_item.setImage(self.values, autoLevels=False, levels=tuple(levels))
        else:
            self.image_item.setLevels(tuple(levels))
        if self.values.ndim == 2 and colormap is not None:
            self.image_item.setColorMap(colormap)

    def pixel_at(self, x: float, y: float) -> tuple[int, int] | None:
        """``(row, col)`` of the shown array under view point ``(x, y)``."""
        if self.values is None:
            return None
        return pixel_at(x, y, self.rect, self.values.shape[:2])

    def _mouse_moved(self, scene_pos: QPointF) -> None:
        if not self.view_box.sceneBoundingRect().contains(scene_pos):
            self.hovered.emit(None)
            return
        point = self.view_box.mapSceneToView(scene_pos)
        self.hovered.emit((point.x(), point.y()))

    def leaveEvent(self, event):
        self.hovered.emit(None)
        super().leaveEvent(event)


class InputView(ImagePane):
    """The input image with its padding drawn as a tinted, dashed border."""

    def __init__(self, parent=None):
        super().__init__("inputView", "Input", parent)
        self.padding_item = QGraphicsPathItem()
        pen = QPen(PADDING_EDGE)
        pen.setStyle(Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        pen.setWidthF(1.5)
        self.padding_item.setPen(pen)
        self.padding_item.setBrush(QBrush(PADDING_FILL))
        self.padding_item.setZValue(10)
        self.getPlotItem().addItem(self.padding_item)
        self.padding_label = pg.TextItem(color=PADDING_EDGE, anchor=(0, 1))
        self.padding_label.setZValue(11)
        self.getPlotItem().addItem(self.padding_label)
        self.padded = Rect(0, 0, 1, 1)
        self.colour_bar = self._add_colour_bar(interactive=False, tip="Input values 0 (black) to 255 (white)")

    def set_padding(self, padded: Rect, image_hw, label: str) -> None:
        """Tint the area between the image ``(H, W)`` and ``padded`` and write ``label`` above it."""
        if (padded, tuple(image_hw), label) == getattr(self, "_padding_shown", None):
            return  # e.g. a kernel edit of the same size: nothing to redraw
        self._padding_shown = (padded, tuple(image_hw), label)
        self.padded = padded
        h, w = image_hw
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.OddEvenFill)
        path.addRect(QRectF(padded.x, padded.y, padded.width, padded.height))
        path.addRect(QRectF(0, 0, w, h))
        self.padding_item.setPath(path)
        self.padding_item.setVisible(padded != Rect(0, 0, w, h))
        self.padding_label.setText(label)
        self.padding_label.setPos(padded.x, padded.y)

    def fit(self) -> None:
        """Zoom so the padded image fills the view."""
        p = self.padded
        self.view_box.setRange(QRectF(p.x, p.y, p.width, p.height), padding=0.02)


class OutputView(ImagePane):
    """The output image with an interactive colour bar (drag its ends to change the levels)."""

    levelsDragged = Signal(float, float)

    def __init__(self, parent=None):
        super().__init__("outputView", "Output", parent)
        self.colour_bar = self._add_colour_bar(
            interactive=True, tip="Colour levels of the output: drag the ends of the bar to change them")
        self.colour_bar.sigLevelsChanged.connect(self._bar_dragged)
        self._setting_bar = False

    def show_output(self, values, rect: Rect, *, levels, colormap_name: str, display=None) -> None:
        cmap = make_colormap(colormap_name)
        self.show_values(values, rect, levels=levels, colormap=cmap, display=display)
        self._sync_bar(levels, cmap)

    def set_output_levels(self, levels, colormap_name: str) -> None:
        cmap = make_colormap(colormap_name)
        self.set_levels(levels, cmap)
        self._sync_bar(levels, cmap)

    def _sync_bar(self, levels, cmap) -> None:
        self._setting_bar = True
        try:
            self.colour_bar.setColorMap(cmap if self.values is None or self.values.ndim == 2
                                        else make_colormap("grey"))
            self.colour_bar.setLevels(tuple(float(v) for v in levels), update_items=False)
        finally:
            self._setting_bar = False

    def _bar_dragged(self, bar) -> None:
        if not self._setting_bar:
            lo, hi = bar.levels()
            self.levelsDragged.emit(float(lo), float(hi))
