"""Bar chart of conv vs dense costs on a log scale (bar heights are log10 of the counts)."""

from __future__ import annotations

import math

import pyqtgraph as pg

from .costs_common import short_count

CONV_COLOUR = (31, 119, 180)
DENSE_COLOUR = (255, 127, 14)
SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
CATEGORIES = ("Parameters", "Multiply-adds", "Memory (bytes)")
BAR_WIDTH = 0.36


def power_label(exponent: int) -> str:
    """``6`` → ``10⁶``."""
    return "10" + str(exponent).translate(SUPERSCRIPT)


class CostChart(pg.PlotWidget):
    """Conv (blue) and dense (orange) bars for parameters, multiply-adds and memory, log10 heights."""

    def __init__(self, parent=None):
        super().__init__(parent, background="w")
        self.setMenuEnabled(False)
        self.setMouseEnabled(False, False)
        self.hideButtons()
        item = self.getPlotItem()
        item.showGrid(y=True, alpha=0.25)
        item.setLabel("left", "how many (log scale)")
        bottom = item.getAxis("bottom")
        bottom.setTicks([[(i, name) for i, name in enumerate(CATEGORIES)]])
        self.legend = item.addLegend(offset=(10, 5))
        self.conv_bars = pg.BarGraphItem(x=[], height=[], width=BAR_WIDTH, brush=CONV_COLOUR, name="conv layer")
        self.dense_bars = pg.BarGraphItem(x=[], height=[], width=BAR_WIDTH, brush=DENSE_COLOUR, name="dense layer")
        self.addItem(self.conv_bars)
        self.addItem(self.dense_bars)
        self.value_labels: list[pg.TextItem] = []
        self.heights: tuple[list[float], list[float]] = ([], [])

    def set_values(self, conv: tuple[int, int, int], dense: tuple[int, int, int]) -> None:
        """Show ``(params, macs, bytes)`` of the conv layer and of the dense layer."""
        conv_h = [math.log10(max(v, 1)) for v in conv]
        dense_h = [math.log10(max(v, 1)) for v in dense]
        self.heights = (conv_h, dense_h)
        xs = list(range(len(CATEGORIES)))
        self.conv_bars.setOpts(x=[x - BAR_WIDTH / 2 for x in xs], height=conv_h, width=BAR_WIDTH)
        self.dense_bars.setOpts(x=[x + BAR_WIDTH / 2 for x in xs], height=dense_h, width=BAR_WIDTH)
        for label in self.value_labels:
            self.removeItem(label)
        self.value_labels = []
        for x, values, heights, colour in ((-BAR_WIDTH / 2, conv, conv_h, CONV_COLOUR),
                                           (BAR_WIDTH / 2, dense, dense_h, DENSE_COLOUR)):
            for i, (value, h) in enumerate(zip(values, heights)):
                label = pg.TextItem(short_count(value), color=colour, anchor=(0.5, 1.0))
                label.setPos(i + x, h)
                self.addItem(label)
                self.value_labels.append(label)
        top = max(conv_h + dense_h + [1.0])
        ceiling = math.ceil(top * 1.12 + 0.3)
        step = max(1, math.ceil(ceiling / 8))
        self.getPlotItem().getAxis("left").setTicks(
            [[(e, power_label(e)) for e in range(0, ceiling + 1, step)]])
        self.setXRange(-0.6, len(CATEGORIES) - 0.4, padding=0)
        self.setYRange(0, ceiling, padding=0)
