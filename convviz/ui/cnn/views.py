"""The small views of the Learn from labels tab; they only draw what they are given.

- :class:`MosaicView` — many small maps (filters, feature maps) as one picture, numbered, one framed;
- :class:`ProbabilityView` — the softmax probabilities of one image as bars;
- :class:`CurveView` — a curve over epochs (the loss, the test accuracy).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QGraphicsRectItem

from convviz.model.cnn_view import axis_top, tile_at

from ..widgets import ImagePlot, named

TEXT_COLOUR = (60, 60, 60)
SELECTED_COLOUR = (255, 170, 0)
LINE_COLOUR = (200, 60, 40, 160)
#: curves of up to this many points draw a dot at each (stepping by hand)
FEW_POINTS = 60
BAR_COLOUR, TRUE_COLOUR, WRONG_COLOUR = (150, 150, 150), (46, 160, 67), (214, 39, 40)


class MosaicView(ImagePlot):
    """Tiles drawn as one RGB picture (:func:`~convviz.model.cnn_view.mosaic_rgb`), each numbered above
    its top-left corner; :meth:`select` frames one. ``tileClicked(int)`` when a tile is clicked."""

    tileClicked = Signal(int)

    def __init__(self, title: str, name: str, tooltip: str, parent=None):
        super().__init__(title, parent)
        named(self, name, tooltip, title)
        self.setMinimumSize(160, 130)
        self.frame.setVisible(False)   # the gaps between the tiles are the background
        self._title = title
        self._labels: list[pg.TextItem] = []
        self._layout: tuple | None = None            # (count, tile_hw, columns, gap)
        self.selection = QGraphicsRectItem(0, 0, 1, 1)
        pen = pg.mkPen(SELECTED_COLOUR, width=3)
        pen.setCosmetic(True)
        self.selection.setPen(pen)
        self.selection.setVisible(False)
        self.plot.addItem(self.selection)
        self.selected: int | None = None
        self.plot.scene().sigMouseClicked.connect(self._clicked)

    def sizeHint(self) -> QSize:
        return QSize(240, 150)

    def show_tiles(self, rgb: np.ndarray, origins, tile_hw: tuple[int, int], columns: int, gap: int, *,
                   values: np.ndarray | None = None, numbered: bool = True) -> None:
        """Draw the mosaic ``rgb`` whose tiles start at ``origins``; ``values`` are kept for tests."""
        self.values = values
        self.show_rgb(rgb)
        h, w = rgb.shape[:2]
        self.plot.setRange(xRange=(0, w), yRange=(-max(gap, 1), h), padding=0.02)
        self._layout = (len(origins), tile_hw, columns, gap)
        texts = [str(i + 1) for i in range(len(origins))] if numbered else []
        while len(self._labels) < len(texts):
            label = pg.TextItem("", color=TEXT_COLOUR, anchor=(0, 1))
            self.plot.addItem(label)
            self._labels.append(label)
        for i, label in enumerate(self._labels):
            if i < len(texts):
                label.setText(texts[i])
                label.setPos(origins[i][1], origins[i][0])
            label.setVisible(i < len(texts))
        self.select(self.selected)

    def clear_tiles(self, text: str) -> None:
        self.values = None
        self._layout = None
        self.image.clear()
        for label in self._labels:
            label.setVisible(False)
        self.selection.setVisible(False)
        self.set_title(text)

    def select(self, index: int | None) -> None:
        """Frame tile ``index`` (None: no frame)."""
        self.selected = index
        layout = self._layout
        if index is None or layout is None or index >= layout[0]:
            self.selection.setVisible(False)
            return
        count, (h, w), columns, gap = layout
        r, c = (index // columns) * (h + gap), (index % columns) * (w + gap)
        self.selection.setRect(c, r, w, h)
        self.selection.setVisible(True)

    def set_title(self, text: str) -> None:
        if text != self._title:   # a new title re-lays the plot out: only on a change
            self._title = text
            super().set_title(text)

    def title(self) -> str:
        return self._title

    def _clicked(self, event) -> None:
        if self._layout is None:
            return
        point = self.plot.vb.mapSceneToView(event.scenePos())
        count, tile_hw, columns, gap = self._layout
        index = tile_at(point.y(), point.x(), count, tile_hw, columns, gap)
        if index is not None:
            self.tileClicked.emit(index)


class DigitView(ImagePlot):
    """One small image (a test digit), happy to be small."""

    def sizeHint(self) -> QSize:
        return QSize(150, 150)


class _Plot(pg.PlotWidget):
    def __init__(self, title: str, name: str, tooltip: str, parent=None):
        super().__init__(parent)
        named(self, name, tooltip, title)
        self.setBackground("w")
        self.setTitle(title, color=TEXT_COLOUR)
        for axis in ("left", "bottom"):
            self.getAxis(axis).setPen(TEXT_COLOUR)
            self.getAxis(axis).setTextPen(TEXT_COLOUR)
            self.getAxis(axis).enableAutoSIPrefix(False)   # 0.1 … 0.4, never "×0.001"
        self.setMenuEnabled(False)
        self.setMouseEnabled(False, False)
        self.hideButtons()
        self.setMinimumSize(160, 130)

    def sizeHint(self) -> QSize:
        return QSize(300, 280)


class ProbabilityView(_Plot):
    """One bar per class, the height its probability (0–1); the true label's bar green, the answer's red
    when it is wrong. ``values`` holds the probabilities drawn."""

    def __init__(self, parent=None):
        super().__init__("Probabilities", "cnnProbabilityPlot",
                         "What the network thinks the chosen test image is (softmax): one bar per digit, they add "
                         "up to 1. Green: the true digit; red: a wrong answer.", parent)
        self.setYRange(0, 1.12, padding=0)
        self.getAxis("left").setTicks([[(v, f"{v:g}") for v in (0, 0.2, 0.4, 0.6, 0.8, 1.0)]])
        self.setLabel("bottom", "digit")
        self.bars: pg.BarGraphItem | None = None
        self.answer = pg.TextItem("", color=TEXT_COLOUR, anchor=(0.5, 1))
        self.addItem(self.answer)
        self.values: np.ndarray | None = None
        self.values_drawn: np.ndarray = np.zeros(0)

    def show_probabilities(self, probabilities: np.ndarray, label: int, classes: tuple[str, ...]) -> None:
        p = np.asarray(probabilities, dtype=np.float64)
        self.values = p
        predicted = int(np.argmax(p))
        colours = [BAR_COLOUR] * len(p)
        colours[label] = TRUE_COLOUR
        if predicted != label:
            colours[predicted] = WRONG_COLOUR
        x = np.arange(len(p), dtype=np.float64)
        brushes = [pg.mkBrush(c) for c in colours]
        if self.bars is None or len(self.values_drawn) != len(p):
            if self.bars is not None:
                self.removeItem(self.bars)
            self.bars = pg.BarGraphItem(x=x, height=p, width=0.7, brushes=brushes, pens=[pg.mkPen(None)] * len(p))
            self.addItem(self.bars)
            self.getAxis("bottom").setTicks([[(i, c) for i, c in enumerate(classes)]])
            self.setXRange(-0.6, len(p) - 0.4, padding=0)
        else:
            self.bars.setOpts(height=p, brushes=brushes)
        self.values_drawn = p
        self.answer.setText(f"{100 * p[predicted]:.0f} %")
        self.answer.setPos(predicted, p[predicted] + 0.01)


class CurveView(_Plot):
    """A thin curve (e.g. every mini-batch's loss) and dots (e.g. each epoch's value) over epochs."""

    def __init__(self, title: str, name: str, tooltip: str, *, y_label: str, y_range=None, guide: float | None = None,
                 parent=None):
        super().__init__(title, name, tooltip, parent)
        self.setLabel("bottom", "epoch")
        self.setLabel("left", y_label)
        self.showGrid(x=False, y=True, alpha=0.25)
        self._y_range = y_range
        if y_range is not None:
            self.setYRange(*y_range, padding=0)
        if guide is not None:
            self.addItem(pg.InfiniteLine(guide, angle=0, pen=pg.mkPen((120, 120, 120), width=1, dash=[4, 4])))
        self.line = self.plot([], [], pen=pg.mkPen(LINE_COLOUR, width=1))
        self.line.setDownsampling(auto=True, method="peak")
        self.line.setClipToView(True)
        self.dots = self.plot([], [], pen=pg.mkPen((40, 90, 200), width=2), symbol="o", symbolSize=7,
                              symbolBrush=(40, 90, 200), symbolPen=None)
        self.now = self.plot([], [], pen=None, symbol="o", symbolSize=9, symbolBrush=None,
                             symbolPen=pg.mkPen((40, 90, 200), width=2))
        self.line_values: np.ndarray = np.zeros((2, 0))
        self.dot_values: np.ndarray = np.zeros((2, 0))
        self._ranges: tuple | None = None

    def show_curves(self, line_xy=None, dots_xy=None, now_xy=None, *, x_max: float = 1.0) -> None:
        """``line_xy``, ``dots_xy``: ``(x, y)`` arrays; ``now_xy``: one ``(x, y)`` point, hollow. The axes change
        only when ``x_max`` or the rounded-up top of the values does (redrawing axes is the slow part)."""
        self.line_values = np.zeros((2, 0)) if line_xy is None else np.asarray(line_xy, dtype=np.float64)
        self.dot_values = np.zeros((2, 0)) if dots_xy is None else np.asarray(dots_xy, dtype=np.float64)
        few = self.line_values.shape[1] <= FEW_POINTS
        self.line.setData(*self.line_values, symbol="o" if few else None, symbolSize=4, symbolBrush=LINE_COLOUR,
                          symbolPen=None)
        self.dots.setData(*self.dot_values)
        self.now.setData(*(([now_xy[0]], [now_xy[1]]) if now_xy is not None else ([], [])))
        y_range = self._y_range or (0.0, axis_top(np.concatenate([self.line_values[1], self.dot_values[1]])))
        ranges = (max(x_max, 1.0), tuple(y_range))
        if ranges != self._ranges:
            self._ranges = ranges
            self.setXRange(0, ranges[0], padding=0.02)
            self.setYRange(*ranges[1], padding=0)
