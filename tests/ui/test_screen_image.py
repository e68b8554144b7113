"""A photo-sized array is drawn with about the screen's pixels: every step-th pixel, and the part in view
at full resolution once zoomed in (the array's own values, never averaged)."""

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QRectF

from convviz.model.view_geometry import Rect
from convviz.ui.widgets.screen_image import REDUCE_ABOVE, ScreenImage, reduction_step, sample_rect


@pytest.fixture
def plot(qtbot):
    widget = pg.PlotWidget()
    widget.getViewBox().invertY(True)
    widget.getViewBox().setAspectLocked(True)
    qtbot.addWidget(widget)
    widget.resize(600, 450)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _screen_image(plot):
    base = pg.ImageItem(axisOrder="row-major")
    plot.getPlotItem().addItem(base)
    return ScreenImage(plot.getViewBox(), base)


def test_small_arrays_are_drawn_whole():
    assert reduction_step(1000, 1300) == 1 and reduction_step(2000, 2000) == 1
    assert reduction_step(3000, 4000) == 3 and reduction_step(6000, 8000) == 5


def test_a_photo_is_drawn_reduced_then_at_full_resolution_where_zoomed_in(plot, qtbot):
    rng = np.random.default_rng(0)
    photo = rng.integers(0, 256, (3000, 4000, 3), dtype=np.uint8)
    image = _screen_image(plot)
    rect = Rect(-1, -1, 4000, 3000)                    # e.g. an output placed over its input
    plot.getViewBox().setRange(QRectF(-1, -1, 4000, 3000), padding=0)     # the whole photo in view
    image.show(photo, rect, (0, 255))
    assert image.step == 3
    np.testing.assert_array_equal(image.base.image, photo[::3, ::3])     # each sample covers its 3×3 block
    box = image.base.mapRectToParent(image.base.boundingRect())
    assert (box.x(), box.y(), box.width(), box.height()) == (-1, -1, 1334 * 3, 1000 * 3)
    assert not image.detail.isVisible()
    plot.getViewBox().setRange(QRectF(1000, 500, 200, 150), padding=0)   # zoomed in: 1 array px ≥ 1 screen px
    qtbot.waitUntil(lambda: image.detail.isVisible(), timeout=3000)
    r0, r1, c0, c1, need = image.detail_region()
    assert need == 1 and r0 <= 501 and r1 >= 651 and c0 <= 1001 and c1 >= 1201
    np.testing.assert_array_equal(image.detail.image, photo[r0:r1, c0:c1])
    box = image.detail.mapRectToParent(image.detail.boundingRect())
    assert (box.x(), box.y()) == (c0 - 1, r0 - 1) and (box.width(), box.height()) == (c1 - c0, r1 - r0)
    plot.getViewBox().setRange(QRectF(0, 0, 4000, 3000), padding=0)      # zoomed out: the reduced image is enough
    qtbot.waitUntil(lambda: not image.detail.isVisible(), timeout=3000)


def test_levels_and_colour_maps_reach_both_images(plot, qtbot):
    values = np.linspace(-5, 5, 2100 * 2000).reshape(2100, 2000).astype(np.float32)
    assert values.size > REDUCE_ABOVE
    image = _screen_image(plot)
    image.set_colormap(pg.ColorMap([0, 1], [(0, 0, 255), (255, 0, 0)]))
    image.show(values, Rect(0, 0, 2000, 2100), (-5, 5))
    plot.getViewBox().setRange(QRectF(100, 100, 300, 200), padding=0)
    qtbot.waitUntil(lambda: image.detail.isVisible(), timeout=3000)
    image.set_levels((-1, 1))
    assert all(tuple(item.levels) == (-1, 1) for item in image.items)
    assert all(item.lut is not None for item in image.items)


def test_where_samples_are_drawn():
    assert sample_rect(Rect(0, 0, 100, 50), (50, 100), 10, 20, 5, 8, 2) == Rect(20, 10, 16, 10)
    assert sample_rect(Rect(0, 0, 50, 25), (50, 100), 0, 0, 25, 50, 2) == Rect(0, 0, 50, 25)
