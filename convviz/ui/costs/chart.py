"""Bar chart of conv vs dense costs on a log scale (bar heights are log10 of the counts).

The legend is the plot's title line, above the bars, so it never covers a bar or its label.
"""

from __future__ import annotations

import pyqtgraph as pg

from convviz.model.costs_view import CHART_CATEGORIES, bar_heights, bar_label, log_axis

CONV_COLOUR = (31, 119, 180)
DENSE_COLOUR = (255, 127, 14)
BAR_WIDTH = 0.36


def _swatch(colour, text: str) -> str:
    hex_colour = "#{:02x}{:02x}{:02x}".format(*colour)
    return f'<span style="color:{hex_colour}; font-size:14pt">■</span>&nbsp;<span style="color:#222">{text}</span>'


LEGEND_HTML = _swatch(CONV_COLOUR, "conv layer") + "&nbsp;" * 6 + _swatch(DENSE_COLOUR, "dense layer")


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
        item.setTitle(LEGEND_HTML)
        self.legend = item.titleLabel
        item.getAxis("bottom").setTicks([[(i, name) for i, name in enumerate(CHART_CATEGORIES)]])
        self.conv_bars = pg.BarGraphItem(x=[], height=[], width=BAR_WIDTH, brush=CONV_COLOUR, name="conv layer")
        self.dense_bars = pg.BarGraphItem(x=[], height=[], width=BAR_WIDTH, brush=DENSE_COLOUR, name="dense layer")
        self.addItem(self.conv_bars)
        self.addItem(self.dense_bars)
        self.value_labels: list[pg.TextItem] = []
        self.heights: tuple[list[float], list[float]] = ([], [])

    def set_values(self, conv: tuple[int, int, int], dense: tuple[int, int, int]) -> None:
        """Show ``(params, macs, bytes)`` of the conv layer and of the dense layer."""
        conv_h, dense_h = bar_heights(conv), bar_heights(dense)
        self.heights = (conv_h, dense_h)
        xs = range(len(CHART_CATEGORIES))
        self.conv_bars.setOpts(x=[x - BAR_WIDTH / 2 for x in xs], height=conv_h, width=BAR_WIDTH)
        self.dense_bars.setOpts(x=[x + BAR_WIDTH / 2 for x in xs], height=dense_h, width=BAR_WIDTH)
        for label in self.value_labels:
            self.removeItem(label)
        self.value_labels = []
        for dx, values, heights, colour in ((-BAR_WIDTH / 2, conv, conv_h, CONV_COLOUR),
                                            (BAR_WIDTH / 2, dense, dense_h, DENSE_COLOUR)):
            for i, (value, h) in enumerate(zip(values, heights)):
                label = pg.TextItem(bar_label(value), color=colour, anchor=(0.5, 1.0))
                label.setPos(i + dx, h)
                self.addItem(label)
                self.value_labels.append(label)
        ceiling, ticks = log_axis(max(conv_h + dense_h + [1.0]))
        self.getPlotItem().getAxis("left").setTicks([ticks])
        self.setXRange(-0.6, len(CHART_CATEGORIES) - 0.4, padding=0)
        self.setYRange(0, ceiling, padding=0)
