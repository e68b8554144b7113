"""The plots of the Learn from labels tab; they only draw what they are given.

- :class:`ProbabilityView` — the softmax probabilities of one image as bars;
- :class:`CurveView` — a curve over epochs (the loss, the test accuracy).

Their titles, ticks and axis labels follow the widget's font (which presentation mode scales and the
panel caps on a short view), the title shrinking to the plot's width. The pictures are in
:mod:`.mosaic_view`.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QSize, QTimer
from PySide6.QtGui import QFont, QFontMetricsF

from convviz.model.cnn_view import axis_top

from ..widgets import named

TEXT_COLOUR = (60, 60, 60)
#: the title is this many times the widget's font, down to TITLE_SHRINK of that when wider than the plot
TITLE_SCALE, TITLE_SHRINK = 1.15, 0.6
LINE_COLOUR = (200, 60, 40, 160)
#: curves of up to this many points draw a dot at each (stepping by hand)
FEW_POINTS = 60
BAR_COLOUR, TRUE_COLOUR, WRONG_COLOUR = (150, 150, 150), (46, 160, 67), (214, 39, 40)


class _Plot(pg.PlotWidget):
    """A white plot whose title, ticks and axis labels are drawn in the widget's font."""

    def __init__(self, title: str, name: str, tooltip: str, parent=None):
        super().__init__(parent)
        named(self, name, tooltip, title)
        self.setBackground("w")
        self._title = title
        self._fit_pending = False
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

    def title(self) -> str:
        return self._title

    def fit_fonts(self) -> None:
        """Ticks and axis labels in the widget's font; the title a little larger, shrunk to the plot's width."""
        self._fit_pending = False
        font = QFont(self.font())
        item = self.getPlotItem()
        for name in ("left", "bottom"):
            axis = self.getAxis(name)
            if axis.style.get("tickFont") != font:
                axis.setStyle(tickFont=QFont(font))
            if axis.label is not None and axis.label.font() != font:
                axis.label.setFont(QFont(font))
                axis._updateLabel()      # re-measures the axis for the label's new height
        points = font.pointSizeF() if font.pointSizeF() > 0 else font.pixelSize() * 72 / max(1, self.logicalDpiY())
        points *= TITLE_SCALE
        item.setTitle(self._title, size=f"{points:.1f}pt", color=TEXT_COLOUR)
        left = self.getAxis("left")
        room = self.width() - (left.width() if left.isVisible() else 0) - 16
        wide = item.titleLabel.item.boundingRect().width()
        if wide > room > 0:
            points *= max(TITLE_SHRINK, room / wide)
            item.setTitle(self._title, size=f"{points:.1f}pt", color=TEXT_COLOUR)
        height = int(item.titleLabel.item.boundingRect().height() + 0.999)
        item.titleLabel.setMaximumHeight(height)
        item.layout.setRowFixedHeight(0, height)
        # lay the plot out in the view again: a title that was wider (before this fit) widened it
        QTimer.singleShot(0, self, lambda: pg.GraphicsView.resizeEvent(self, None))

    def _fit_later(self) -> None:
        """Fit once the plot has laid itself out (and after the window's plot fonts followed a font change)."""
        if not self._fit_pending:
            self._fit_pending = True
            QTimer.singleShot(0, self, self.fit_fonts)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if hasattr(self, "_fit_pending"):
            self._fit_later()

    def event(self, event) -> bool:
        result = super().event(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange, QEvent.Type.Show,
                            QEvent.Type.Polish) and hasattr(self, "_fit_pending"):
            self._fit_later()
        return result


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

    def fit_fonts(self) -> None:
        """As every plot, and room above a bar of 1 for the answer's percentage in that font."""
        super().fit_fonts()
        font = QFont(self.font())
        self.answer.setFont(font)
        box = self.getPlotItem().vb.height()
        share = min(0.5, (QFontMetricsF(font).height() + 4) / box) if box > 0 else 0.1
        self.setYRange(0, max(1.12, 1 / (1 - share)), padding=0)

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
