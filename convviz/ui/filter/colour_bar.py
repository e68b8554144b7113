"""A horizontal colour bar whose handles sit at the levels (pyqtgraph's ColorBarItem puts its handles at
a quarter and three quarters of the bar whatever the levels are, so they read as ±½ of the levels).

The bar shows the values from :func:`convviz.model.filter_output.colour_bar_span` (the levels and every
value, a little wider), coloured as the image is: below the low level the first colour, above the high
one the last. The two handles are the levels; dragging one recolours the bar while it moves and emits
``levelsDragged(low, high)`` when it is let go.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSignalBlocker, Signal

from convviz.model.colour import scale_to_bytes
from convviz.model.filter_output import colour_bar_span

BAR_HEIGHT = 12
HANDLE_PEN = pg.mkPen("#f0f0f0", width=2)
HANDLE_HOVER_PEN = pg.mkPen("#ffd800", width=3)
HANDLE_SHADOW_PEN = pg.mkPen("#101010", width=5)
#: samples of the gradient along the bar
SAMPLES = 512


class LevelsBar(pg.PlotItem):
    """The bar under an image plot; ``interactive`` gives it two draggable handles at the levels."""

    levelsDragged = Signal(float, float)

    def __init__(self, *, interactive: bool, tip: str):
        super().__init__()
        self.setMenuEnabled(False)
        self.hideButtons()
        self.setMouseEnabled(x=False, y=False)
        self.hideAxis("left")
        self.showAxis("bottom")
        for name in ("bottom", "top", "left", "right"):   # plain numbers; no hidden label re-set at every range
            self.getAxis(name).enableAutoSIPrefix(False)
        self.setYRange(0.0, 1.0, padding=0)
        self.layout.setRowFixedHeight(2, BAR_HEIGHT)
        self.getViewBox().setDefaultPadding(0)
        self.setToolTip(tip)
        self.gradient = pg.ImageItem(axisOrder="row-major")
        self.addItem(self.gradient)
        self.levels: tuple[float, float] = (0.0, 255.0)
        self.span: tuple[float, float] = (0.0, 255.0)
        self._ranged: tuple[float, float] | None = None     # the span the view range was last set to
        self._lut = None
        self._lut_of: pg.ColorMap | None = None     # the colour map ``_lut`` was made from
        self.handles: list[pg.InfiniteLine] = []
        self.shadows: list[pg.InfiniteLine] = []   # a dark line under each handle (seen on white too)
        if interactive:
            for _ in range(2):
                shadow = pg.InfiniteLine(angle=90, movable=False, pen=HANDLE_SHADOW_PEN)
                shadow.addMarker("<|>", size=13)
                shadow.setZValue(9)
                line = pg.InfiniteLine(angle=90, movable=True, pen=HANDLE_PEN, hoverPen=HANDLE_HOVER_PEN)
                line.addMarker("<|>", size=9)
                line.setZValue(10)
                line.setToolTip("Drag to change this level")
                line.sigPositionChanged.connect(lambda ln, s=shadow: s.setValue(ln.value()))
                line.sigPositionChanged.connect(self._handle_moving)
                line.sigPositionChangeFinished.connect(self._handle_released)
                self.addItem(shadow)
                self.addItem(line)
                self.handles.append(line)
                self.shadows.append(shadow)

    def set_levels(self, levels, colormap: pg.ColorMap, value_range=None, *, span=None) -> None:
        """Draw the bar for ``levels`` ``(low, high)`` with ``colormap``; the handles go to the levels.

        ``span``: the values the bar covers (default: :func:`colour_bar_span` of the levels and ``value_range``).
        """
        self.levels = (float(levels[0]), float(levels[1]))
        lo, hi = (float(v) for v in (span if span is not None else colour_bar_span(self.levels, value_range)))
        self.span = (lo, hi)
        if colormap is not self._lut_of:
            self._lut, self._lut_of = colormap.getLookupTable(nPts=256, alpha=False), colormap
        self._draw_gradient(self.levels)
        if (lo, hi) != self._ranged:            # the same span: no new range, no new ticks
            self._ranged = (lo, hi)
            self.gradient.setRect(QRectF(lo, 0.0, hi - lo, 1.0))
            self.setXRange(lo, hi, padding=0)
        self._place_handles()

    def _place_handles(self) -> None:
        for line, shadow, value in zip(self.handles, self.shadows, self.levels):
            with QSignalBlocker(line):      # no drag signals; the shadow follows by hand
                line.setValue(value)
            shadow.setValue(value)

    def _draw_gradient(self, levels) -> None:
        """The bar's colours, made as the image's are (its bytes at the levels through the colour map's
        table), drawn as RGB bytes (pyqtgraph's float path cost ~0.5 ms of every repaint)."""
        lo, hi = self.span
        samples = np.linspace(lo, hi, SAMPLES)[None, :]
        assert self._lut is not None
        self.gradient.setImage(self._lut[scale_to_bytes(samples, levels)], autoLevels=False, levels=None)

    def handle_levels(self) -> tuple[float, float]:
        """The handles' values, low first (a handle dragged past the other swaps them)."""
        a, b = (float(line.value()) for line in self.handles)
        return (a, b) if a <= b else (b, a)

    def _handle_moving(self, _line) -> None:
        self._draw_gradient(self.handle_levels())

    def _handle_released(self, _line) -> None:
        low, high = self.handle_levels()
        if high > low:
            self.levelsDragged.emit(low, high)
        else:
            self._restore()

    def _restore(self) -> None:
        """Both handles on one value: back to the levels in force."""
        self._place_handles()
        self._draw_gradient(self.levels)
