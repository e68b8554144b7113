"""Plot titles and axis fonts follow the application font (presentation mode ×2) and come back after."""

from __future__ import annotations

import re

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication
from ui_support import make_window

from convviz.ui.plot_fonts import apply_plot_fonts, font_scale


@pytest.fixture
def window(qtbot, tmp_path):
    w = make_window(qtbot, tmp_path)
    w.resize(1200, 760)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.classroom.presentation.leave(restore_window=False)
    w.close()


def settle() -> None:
    """Qt posts ApplicationFontChange; deliver it."""
    QApplication.processEvents()


def title_pt(plot: pg.PlotItem) -> float:
    return float(re.match(r"([0-9.]+)pt", plot.titleLabel.opts["size"]).group(1))


def tick_pt(axis: pg.AxisItem) -> float:
    font = axis.style["tickFont"] or QApplication.font()
    return font.pointSizeF()


def plots_in(widget) -> list[pg.PlotItem]:
    return [i for v in widget.findChildren(pg.GraphicsView) for i in v.scene().items() if isinstance(i, pg.PlotItem)]


def test_presentation_scales_input_title_and_ticks_and_leaving_restores(window, qtbot):
    assert QFontDatabase.families()
    p = window.classroom.presentation
    p.set_scale(2.0)
    plot = window.input_view.getPlotItem()
    axis = plot.getAxis("left")
    title_before, tick_before = title_pt(plot), tick_pt(axis)
    height_before = plot.titleLabel.item.boundingRect().height()
    assert title_before == 10 and axis.style["tickFont"] is None and font_scale() == 1.0

    p.enter()
    settle()
    assert font_scale() == pytest.approx(2.0)
    assert title_pt(plot) == pytest.approx(2 * title_before)
    assert tick_pt(axis) == pytest.approx(2 * tick_before)
    assert axis.label.font().pointSizeF() == pytest.approx(2 * tick_before)
    assert plot.titleLabel.item.boundingRect().height() > 1.6 * height_before
    # the title row grows to fit instead of clipping the big title
    assert plot.layout.rowMinimumHeight(0) >= plot.titleLabel.item.boundingRect().height()
    # a new title (another image) keeps the scale
    window.input_view.set_title("Input 7×7 grey")
    assert title_pt(plot) == pytest.approx(2 * title_before)

    p.leave()
    settle()
    assert title_pt(plot) == title_before
    assert axis.style["tickFont"] is None and tick_pt(axis) == tick_before
    assert plot.titleLabel.item.boundingRect().height() == pytest.approx(height_before)
    assert plot.layout.rowMinimumHeight(0) == 30


def test_scale_change_while_presenting_is_followed(window):
    p = window.classroom.presentation
    p.set_scale(2.0)
    p.enter()
    settle()
    p.set_scale(3.0)
    settle()
    plot = window.output_view.getPlotItem()
    assert title_pt(plot) == pytest.approx(30)
    assert tick_pt(plot.getAxis("bottom")) == pytest.approx(3 * p._font.pointSizeF())


@pytest.mark.parametrize("key", ["learning", "matrix", "equivariance", "costs"])
def test_panels_built_while_presenting_get_scaled_fonts(window, key):
    p = window.classroom.presentation
    p.set_scale(2.0)
    base = p._font.pointSizeF() if p._font is not None else QApplication.font().pointSizeF()
    p.enter()
    settle()
    assert window.show_panel(key)
    panel = window.panel(key)
    plots = plots_in(panel)
    assert plots
    for plot in plots:
        for name in ("left", "bottom", "top", "right"):
            axis = plot.getAxis(name)
            assert tick_pt(axis) == pytest.approx(2 * base)
        if plot.titleLabel.isVisible():
            assert title_pt(plot) >= 2 * 10
    p.leave()
    settle()
    for plot in plots:
        assert all(plot.getAxis(n).style["tickFont"] is None for n in ("left", "bottom"))
        if plot.titleLabel.isVisible():
            assert title_pt(plot) <= 11


def test_apply_plot_fonts_is_idempotent_at_normal_size(window):
    plot = window.input_view.getPlotItem()
    apply_plot_fonts(window)
    apply_plot_fonts(window)
    assert title_pt(plot) == 10 and plot.getAxis("left").style["tickFont"] is None
