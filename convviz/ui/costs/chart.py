"""Bar chart of the layer's costs on a log scale (bar heights are log10 of the counts): the standard conv
layer, the grouped one (when groups > 1), depthwise + pointwise, and the dense layer.

The legend is the plot's title line, above the bars, so it never covers a bar or its label.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QSize
from PySide6.QtWidgets import QSizePolicy

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

from ..plot_fonts import set_plot_title

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


def legend_html(series, per_line: int = 2) -> str:
    """The title: a coloured square and the name of each ``(kind, name, values)``, ``per_line`` to a line."""
    swatches = [_swatch(COLOURS[kind], name) for kind, name, _ in series]
    lines = [("&nbsp;" * 5).join(swatches[i:i + per_line]) for i in range(0, len(swatches), per_line)]
    return "<br>".join(lines)


def _two_lines(name: str) -> str:
    """``"Multiply-adds"`` → ``"Multiply-\\nadds"``, ``"Memory (bytes)"`` → ``"Memory\\n(bytes)"``."""
    return name.replace("-", "-\n", 1) if "-" in name else name.replace(" ", "\n", 1)


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
        # two lines each ("Multiply-" / "adds"), so the three names fit under a narrow chart
        item.getAxis("bottom").setTicks([[(i, _two_lines(name)) for i, name in enumerate(CHART_CATEGORIES)]])
        self.bars: dict[str, pg.BarGraphItem] = {}
        self.value_labels: list[pg.TextItem] = []
        #: bar heights per series, in the order drawn
        self.heights: list[list[float]] = []
        self.names: list[str] = []
        self._series: list = []
        # as wide and tall as the row it shares gives it (the boxes beside it set the row's height)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Ignored)
        self.setMinimumHeight(self.minimumSizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(self.fontMetrics().averageCharWidth() * 40, 300)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        # the legend, the axes and the bars' labels grow with the font (presentation mode): so does the chart
        return QSize(self.fontMetrics().averageCharWidth() * 26, max(220, self.fontMetrics().height() * 16))

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.setMinimumHeight(self.minimumSizeHint().height())
            self._fit_axes()
            self._fit_range()

    def _fit_axes(self) -> None:
        """Room for the tick numbers and the axis title in today's font (pyqtgraph finds it only after a paint,
        so a larger presentation font would first draw the title over the numbers)."""
        metrics = self.fontMetrics()
        item = self.getPlotItem()
        texts = getattr(self, "_tick_texts", None) or ["10¹⁰"]
        item.getAxis("left").setWidth(max(metrics.horizontalAdvance(t) for t in texts) + metrics.height() + 14)
        item.getAxis("bottom").setHeight(2 * metrics.height() + 10)

    def _show_legend(self) -> None:
        """The legend two names to a line when that fits the chart's width, else one (big presentation fonts)."""
        for per_line in (2, 1):
            set_plot_title(self, legend_html(self._series, per_line))   # the title row grows to its lines
            if self.legend.item.boundingRect().width() <= self.width() - 8:
                break

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if getattr(self, "_series", None):   # pyqtgraph resizes the view before __init__ ends
            self._show_legend()
        super().resizeEvent(event)           # then the plot takes the view's size (the legend no longer wider)
        if getattr(self, "value_labels", None):
            self._fit_range()

    def set_series(self, series) -> None:
        """Show ``[(kind, legend name, (params, macs, bytes))]`` (:func:`~convviz.model.costs_view.chart_series`)."""
        for bar in self.bars.values():
            self.removeItem(bar)
        for label in self.value_labels:
            self.removeItem(label)
        self.bars, self.value_labels = {}, []
        self._series = list(series)
        self.names = [name for _, name, _ in series]
        self.heights = [bar_heights(values) for _, _, values in series]
        self.resizeEvent(None)   # the legend for this width, and the plot laid out again to the view
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
        self._tick_texts = [text for _, text in ticks]
        self._ceiling = ceiling
        self._fit_axes()
        self.setXRange(-0.5, len(CHART_CATEGORIES) - 0.5, padding=0)
        self._fit_range()

    def _fit_range(self) -> None:
        """The y range up to the model's ceiling, or higher when the view is too short for the value labels
        standing on the bars (they keep their size in pixels: a short chart or big presentation fonts)."""
        if not getattr(self, "value_labels", None):
            return
        item = self.getPlotItem()
        item.layout.activate()                       # the view's height for the chart's size now
        view = item.getViewBox()
        height = max(1.0, view.geometry().height())
        ceiling = float(self._ceiling)
        for label, h in zip(self.value_labels, (h for row in self.heights for h in row)):
            share = min(0.8, (label.textItem.boundingRect().width() + 4) / height)   # of the view, upright
            ceiling = max(ceiling, h / (1.0 - share))
        self.setYRange(0, ceiling, padding=0)
        # the labels keep their size and turn on screen by undoing the view's scaling: take the new range now,
        # not at the next paint, so what they cover is right at once
        view.updateMatrix()
        for label in self.value_labels:
            label.updateTransform(force=True)
