"""The Filter tab's views (issue #12): the colour bar's handles sit at the levels, titles are readable
(light on the dark plot in every theme) and elided to the view with the whole title in the tooltip."""

import numpy as np
import pytest
from PySide6.QtGui import QColor
from ui_support import wait_output

from convviz.model import PRESETS
from convviz.ui.filter.image_views import AXIS_TEXT_COLOUR, PLOT_BACKGROUND, TITLE_COLOUR


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours."""
    def luminance(name):
        c = QColor(name)
        lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in (c.redF(), c.greenF(), c.blueF())]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_colour_bar_handles_sit_at_the_levels_and_dragging_one_sets_it(window, qtbot):
    img = np.zeros((30, 30))
    img[:, 15:] = 200.0
    window.document.apply(image=img, kernel=PRESETS["sobel_x"].kernel, preset="sobel_x", padding="same")
    wait_output(qtbot, window)
    bar = window.output_view.colour_bar
    low, high = window.output_levels
    assert (low, high) == (-800.0, 800.0)
    assert bar.handle_levels() == (low, high)                       # not ±½ of them (pyqtgraph's ColorBarItem)
    assert bar.span[0] < low and bar.span[1] > high                 # both handles on the bar, grabbable
    axis = bar.getAxis("bottom")
    assert axis.range[0] == pytest.approx(bar.span[0]) and axis.range[1] == pytest.approx(bar.span[1])
    left, right = bar.handles
    left.setValue(-300.0)
    left.sigPositionChangeFinished.emit(left)                       # what letting go of the handle does
    assert window.filter.state.levels == (-300.0, 800.0) and window.output_levels == (-300.0, 800.0)
    assert bar.handle_levels() == (-300.0, 800.0) and bar.shadows[0].value() == -300.0
    right.setValue(-500.0)                                          # dragged past the other: they swap
    right.sigPositionChangeFinished.emit(right)
    assert window.output_levels == (-500.0, -300.0)
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert window.output_levels == (-800.0, 800.0) and bar.handle_levels() == (-800.0, 800.0)

    window.document.apply(kernel=PRESETS["box_blur"].kernel, preset="box_blur")   # 0–255: the input's scale
    wait_output(qtbot, window)
    assert window.output_levels == (0.0, 255.0) and bar.handle_levels() == (0.0, 255.0)
    assert window.input_view.colour_bar.span == (0.0, 255.0) and not window.input_view.colour_bar.handles


@pytest.mark.parametrize("theme", ["light", "dark", "contrast"])
def test_plot_titles_and_ticks_are_readable_in_every_theme(window, theme):
    if theme == "contrast":
        window.classroom.theme.set_high_contrast(True)
    else:
        window.classroom.theme.set_choice(theme)
    for view in (window.input_view, window.output_view):
        plot = view.getPlotItem()
        assert view.backgroundBrush().color() == QColor(PLOT_BACKGROUND)
        assert QColor(plot.titleLabel.opts["color"]) == QColor(TITLE_COLOUR)
        assert plot.getAxis("left").textPen().color() == QColor(AXIS_TEXT_COLOUR)
    assert contrast(TITLE_COLOUR, PLOT_BACKGROUND) >= 7.0        # WCAG AAA for normal text
    assert contrast(AXIS_TEXT_COLOUR, PLOT_BACKGROUND) >= 7.0


def test_the_input_title_fits_a_1280x800_screen_and_is_elided_in_a_narrow_view(window, qtbot):
    window.document.apply(image=np.random.default_rng(2).uniform(0, 255, (512, 512, 3)), gray=True)
    wait_output(qtbot, window)
    view = window.input_view
    assert view.full_title == "Input 512×512 grey (luminance)" == view.shown_title()
    assert "luminance of a colour image: 0.299 R + 0.587 G + 0.114 B" in view.getPlotItem().titleLabel.toolTip()
    splitter = window.filter.view_splitter
    total = sum(splitter.sizes())
    splitter.setSizes([230, total - 230])
    qtbot.waitUntil(lambda: view.width() < 260)
    qtbot.waitUntil(lambda: view.shown_title().endswith("…"))
    label = view.getPlotItem().titleLabel
    shown = view.shown_title()
    assert shown in ("Input 512×512…", "Input 512×512 grey…"), shown          # whole words, not "Input 512×5…"
    assert label.item.boundingRect().width() <= view.width()       # drawn inside the view, not cut by it
    splitter.setSizes([total // 2, total - total // 2])
    qtbot.waitUntil(lambda: view.shown_title() == view.full_title)


def test_a_new_image_is_framed_with_its_own_padding_as_soon_as_its_output_is_drawn(window, qtbot):
    """The output of a small image is drawn at once, inside the document's change (before the padding's
    own observer has run): the frame still comes from the new image, not the one before."""
    window.document.apply(image=np.zeros((40, 30)), kernel=np.ones((3, 3)), preset=None, padding="same")
    wait_output(qtbot, window)
    window.document.apply(image=np.zeros((600, 900)))
    assert not window.computing                        # drawn inside apply (a few milliseconds of work)
    view = window.input_view.view_box.viewRect()
    assert view.left() <= -1 and view.right() >= 901 and view.top() <= -1 and view.bottom() >= 601   # all of it
    assert view.width() < 902 * 1.1 or view.height() < 602 * 1.1                                      # and framed


def test_the_colour_bar_is_coloured_as_the_output_is(window, qtbot):
    """Each colour along the bar is the colour the output gives the value at that place."""
    from convviz.model.colour import display_rgb

    window.document.apply(image=np.arange(900.0).reshape(30, 30), kernel=PRESETS["sobel_x"].kernel,
                          preset="sobel_x", padding="same")
    wait_output(qtbot, window)
    bar = window.output_view.colour_bar
    lo, hi = bar.span
    samples = np.linspace(lo, hi, bar.gradient.image.shape[1])
    want = display_rgb(samples[None, :], colormap=window.output_colormap, levels=window.output_levels)
    assert window.output_colormap != "grey" and np.array_equal(bar.gradient.image, want)
    from convviz.model.colour import lookup_table

    drawn_with = np.asarray(window.output_view.image_item.lut)[:, :3]            # the image's own table
    assert np.array_equal(drawn_with, lookup_table(window.output_colormap))      # = exported PNGs' colours
