"""A loss curve: the loss of every iteration on a log axis labelled at powers of ten (10², 10³, …).

Reusable by any tab that trains something (:meth:`LossCurveView.show_history` takes the losses).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from convviz.model.decade_ticks import decade_range, decade_ticks, power_of_ten_text

from ..widgets import named
from .plot_titles import RefitsTitle, TitleFitter

#: curves up to this many iterations also draw a dot per iteration (stepping by hand)
STEP_DOTS = 60
CURVE_COLOUR = (200, 60, 40)
TEXT_COLOUR = (60, 60, 60)


class DecadeAxis(pg.AxisItem):
    """In log mode: major ticks and labels at whole powers of ten, minor ticks (2…9) without labels."""

    def logTickValues(self, minVal, maxVal, size, stdTicks):
        step, major, minor = decade_ticks(minVal, maxVal)
        return [(float(step), major), (None, minor)]

    def logTickStrings(self, values, scale, spacing):
        if spacing is None:
            return ["" for _ in values]
        return [power_of_ten_text(round(v)) for v in values]


class LossCurveView(RefitsTitle, pg.PlotWidget):
    """The loss per iteration (log scale, whole decades), one dot per iteration while there are few."""

    def __init__(self, name: str = "learnLossPlot", title: str = "Loss (MSE, log scale)",
                 tooltip: str = "The loss (MSE) of every iteration, on a log scale.", parent=None):
        super().__init__(parent, axisItems={"left": DecadeAxis("left")})
        named(self, name, tooltip, "Loss curve")
        self.setBackground("w")          # as the image views beside it
        self.setTitle(title, color=TEXT_COLOUR)
        self._fitter = TitleFitter(self, self.getPlotItem(), title)
        for axis in ("left", "bottom"):
            self.getAxis(axis).setPen(TEXT_COLOUR)
            self.getAxis(axis).setTextPen(TEXT_COLOUR)
        self.setLogMode(x=False, y=True)
        self.setLabel("bottom", "iteration")
        self.showGrid(x=False, y=True, alpha=0.25)
        self.setMenuEnabled(False)
        self.curve = self.plot([], [], pen=pg.mkPen(CURVE_COLOUR, width=2))
        self.curve.setDownsampling(auto=True, method="peak")
        self.curve.setClipToView(True)
        self.setMinimumSize(200, 150)

    def show_history(self, history) -> None:
        """Draw ``history`` (one loss per iteration; non-finite and non-positive values leave gaps)."""
        h = np.asarray(history, dtype=np.float64)
        y = np.where(np.isfinite(h) & (h > 0), h, np.nan)
        dots = len(y) <= STEP_DOTS
        self.curve.setData(np.arange(len(y), dtype=np.float64), y, connect="finite",
                           symbol="o" if dots else None, symbolSize=6, symbolBrush=CURVE_COLOUR, symbolPen=None)
        self.setXRange(0, max(len(y) - 1, 10), padding=0.02)
        # whole decades, so the axis always shows at least two powers of ten
        self.setYRange(*decade_range(y), padding=0.04)
