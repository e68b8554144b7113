"""Bar chart of the layer's costs on a log scale (bar heights are log10 of the counts): the standard conv
layer, the grouped one (when groups > 1), depthwise + pointwise, and the dense layer.

The legend is the plot's title line, above the bars, so it never covers a bar or its label.
"""

from __future__ import annotations

import pyqtgraph as pg

from convviz.model.costs_view import (
    CHART_CATEGORIES,
    SERIES_CONV,
    SERIES_DENSE,
    SERIES_GROUPED,
    SERIES_SEPARABLE,
    bar_heights,
    bar_label,
    log_axis,
)

CONV_COLOUR = (31, 119, 180)
DENSE_COLOUR = (255, 127, 14)
SEPARABLE_COLOUR = (44, 160, 44)
GROUPED_COLOUR = (148, 103, 189)
COLOURS = {SERIES_CONV: CONV_COLOUR, SERIES_GROUPED: GROUPED_COLOUR, SERIES_SEPARABLE: SEPARABLE_COLOUR,
           SERIES_DENSE: DENSE_COLOUR}
#: the width of one category's bars together
GROUP_WIDTH = 0.8


def _swatch(colour, text: str) -> str:
    hex_colour = "#{:02x}{:02x}{:02x}".format(*colour)
    return (f'<span style="color:{hex_colour}; font-size:14pt">■</span>&nbsp;'
            f'<span style="color:#222">{text.replace(" ", "&nbsp;")}</span>')


def legend_html(series) -> str:
    """The title: a coloured square and the name of each ``(kind, name, values)``, two to a line."""
    swatches = [_swatch(COLOURS[kind], name) for kind, name, _ in series]
    lines = [("&nbsp;" * 5).join(swatches[i:i + 2]) for i in range(0, len(swatches), 2)]
    return "<br>".join(lines)


class CostChart(pg.PlotWidget):
    """One coloured bar per series for parameters, multiply-adds and memory, log10 heights."""

    def __init__(self, parent=None):
        super().__init__(parent, background="w")
        self.setMenuEnabled(False)
        self.setMouseEnabled(False, False)
        self.hideButtons()
        item = self.getPlotItem()
        item.showGrid(y=True, alpha=0.25)
        item.setLabel("left", "how many (log scale)")
        self.legend = item.titleLabel
        item.getAxis("bottom").setTicks([[(i, name) for i, name in enumerate(CHART_CATEGORIES)]])
        self.bars: dict[str, pg.BarGraphItem] = {}
        self.value_labels: list[pg.TextItem] = []
        #: bar heights per series, in the order drawn
        self.heights: list[list[float]] = []
        self.names: list[str] = []

    def set_series(self, series) -> None:
        """Show ``[(kind, legend name, (params, macs, bytes))]`` (:func:`~convviz.model.costs_view.chart_series`)."""
        for bar in self.bars.values():
            self.removeItem(bar)
        for label in self.value_labels:
            self.removeItem(label)
        self.bars, self.value_labels = {}, []
        self.names = [name for _, name, _ in series]
        self.heights = [bar_heights(values) for _, _, values in series]
        self.getPlotItem().setTitle(legend_html(series))
        width = GROUP_WIDTH / len(series)
        for n, ((kind, name, values), heights) in enumerate(zip(series, self.heights)):
            dx = (n - (len(series) - 1) / 2) * width
            colour = COLOURS[kind]
            bar = pg.BarGraphItem(x=[i + dx for i in range(len(CHART_CATEGORIES))], height=heights, width=width,
                                  brush=colour, name=name)
            self.addItem(bar)
            self.bars[kind] = bar
            for i, (value, h) in enumerate(zip(values, heights)):
                # turned a quarter, reading upwards from the bar's top: as narrow as a bar, so neighbours never meet
                label = pg.TextItem(bar_label(value), color=colour, anchor=(-0.05, 0.5), angle=90)
                label.setPos(i + dx, h)
                self.addItem(label)
                self.value_labels.append(label)
        ceiling, ticks = log_axis(max([h for row in self.heights for h in row] + [1.0]))
        self.getPlotItem().getAxis("left").setTicks([ticks])
        self.setXRange(-0.5, len(CHART_CATEGORIES) - 0.5, padding=0)
        self.setYRange(0, ceiling, padding=0)
        # the labels keep their size and turn on screen by undoing the view's scaling: take the new range now,
        # not at the next paint, so what they cover is right at once
        self.getPlotItem().getViewBox().updateMatrix()
        for label in self.value_labels:
            label.updateTransform(force=True)
