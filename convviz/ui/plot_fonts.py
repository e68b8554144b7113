"""Plot fonts that follow the application font (presentation mode scales it ×1.5 … ×3).

pyqtgraph draws titles with explicit sizes (``"11pt"``, ``"10pt"``) and does not
re-measure axes when the application font changes. :func:`apply_plot_fonts` scales
every plot title, axis tick font and axis label in a widget tree by
:func:`font_scale` (application font ÷ the platform's default font), remembering
each item's own size so a factor of 1 gives back the normal look exactly.
:func:`install_plot_fonts` re-applies it whenever the application font changes,
and to plots first shown while the font is scaled (lazily built panels).
"""

from __future__ import annotations

import re

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

TITLE_ROW_HEIGHT = 30  # what PlotItem.setTitle fixes the title row to
_BASE_ATTR = "_convviz_base_size"     # LabelItem: (base size in pt, size string last applied)
_TICK_ATTR = "_convviz_base_tick_font"  # AxisItem: the tick font before any scaling (None = default)
_PT = re.compile(r"^\s*([0-9.]+)\s*pt\s*$")


def font_scale() -> float:
    """The application font size divided by the platform's default font size (1.0 normally)."""
    app_font = QApplication.font()
    base = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    if app_font.pointSizeF() > 0 and base.pointSizeF() > 0:
        return app_font.pointSizeF() / base.pointSizeF()
    if app_font.pixelSize() > 0 and base.pixelSize() > 0:
        return app_font.pixelSize() / base.pixelSize()
    return 1.0


def _size_text(points: float) -> str:
    return f"{round(points, 1):g}pt"


def set_label_size(label: pg.LabelItem, points: float, text: str | None = None) -> None:
    """Give ``label`` (e.g. a plot title) a base size of ``points`` pt, drawn scaled by :func:`font_scale`."""
    size = _size_text(points * font_scale())
    setattr(label, _BASE_ATTR, (float(points), size))
    label.setText(label.text if text is None else text, size=size)


def set_plot_title(plot: pg.PlotItem | pg.PlotWidget, text: str, points: float = 11.0) -> None:
    """``plot.setTitle(text, size=f"{points}pt")`` with the size scaled by :func:`font_scale`."""
    item = plot.getPlotItem() if isinstance(plot, pg.PlotWidget) else plot
    item.setTitle(text)
    set_label_size(item.titleLabel, points)
    _fit_title_row(item)


def _scale_label(label: pg.LabelItem, factor: float) -> None:
    size = label.opts.get("size")
    if size is None:  # drawn in the scene font, which follows the application font
        label.setText(label.text)
        return
    base, applied = getattr(label, _BASE_ATTR, (None, None))
    if base is None or size != applied:  # first seen, or sized anew by its owner
        match = _PT.match(str(size))
        if match is None:
            return
        base = float(match.group(1))
    new = _size_text(base * factor)
    setattr(label, _BASE_ATTR, (base, new))
    label.setText(label.text, size=new)


def _fit_title_row(plot: pg.PlotItem) -> None:
    """Grow the title row (fixed at 30 px by pyqtgraph) to fit a scaled title; 30 px otherwise."""
    label = plot.titleLabel
    if not label.isVisible():
        return
    height = max(TITLE_ROW_HEIGHT, int(label.item.boundingRect().height() + 0.999))
    label.setMaximumHeight(height)
    plot.layout.setRowFixedHeight(0, height)


def _scale_axis(axis: pg.AxisItem, factor: float, app_font: QFont) -> None:
    if not hasattr(axis, _TICK_ATTR):
        original = axis.style.get("tickFont")
        setattr(axis, _TICK_ATTR, None if original is None else QFont(original))
    original = getattr(axis, _TICK_ATTR)
    if factor == 1.0:
        tick = None if original is None else QFont(original)
    elif original is None:
        tick = QFont(app_font)
    else:
        tick = QFont(original)
        if tick.pointSizeF() > 0:
            tick.setPointSizeF(tick.pointSizeF() * factor)
        elif tick.pixelSize() > 0:
            tick.setPixelSize(round(tick.pixelSize() * factor))
    axis.setStyle(tickFont=tick)
    if axis.label is not None:
        axis.label.setFont(QFont(app_font))
        axis._updateLabel()  # re-measures the axis for the label's new height


def apply_plot_fonts(target: QWidget | pg.GraphicsView | pg.PlotItem) -> None:
    """Scale titles, tick fonts and axis labels of every plot in ``target`` by :func:`font_scale`.

    ``target``: a window or any widget (every pyqtgraph view inside it), one view, or one PlotItem.
    """
    factor = font_scale()
    app_font = QApplication.font()
    if isinstance(target, pg.GraphicsView):
        views = [target]
    elif isinstance(target, QWidget):
        views = target.findChildren(pg.GraphicsView)
    else:
        views = []
    items = list(target.scene().items()) if isinstance(target, pg.PlotItem) else []
    for view in views:
        items.extend(view.scene().items())
    for item in items:
        if isinstance(item, pg.AxisItem):
            _scale_axis(item, factor, app_font)
        elif isinstance(item, pg.LabelItem):
            _scale_label(item, factor)
    for item in items:
        if isinstance(item, pg.PlotItem):
            _fit_title_row(item)


class PlotFontFollower(QObject):
    """Re-applies :func:`apply_plot_fonts` to a window when the application font changes.

    While the font is scaled it also watches the application for plot views being polished
    (shown for the first time, e.g. a panel built on demand) and scales them too.
    """

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("plotFontFollower")
        self.window = window
        self._watching_new = False
        window.installEventFilter(self)
        self._watch_new_views(font_scale() != 1.0)

    def _watch_new_views(self, on: bool) -> None:
        app = QApplication.instance()
        if on == self._watching_new or app is None:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._watching_new = on

    def eventFilter(self, obj, event):
        kind = event.type()
        if kind == QEvent.Type.ApplicationFontChange and obj is self.window:
            apply_plot_fonts(self.window)
            self._watch_new_views(font_scale() != 1.0)
        elif kind == QEvent.Type.Polish and isinstance(obj, pg.GraphicsView):
            apply_plot_fonts(obj)
        return False


def install_plot_fonts(window: QWidget) -> PlotFontFollower:
    """Keep the plots in ``window`` at the application font's scale (one follower per window)."""
    existing = window.findChild(PlotFontFollower, "plotFontFollower")
    return existing if existing is not None else PlotFontFollower(window)
