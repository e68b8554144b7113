"""The Filter tab's hover magnifier (issue #12): hovering an output pixel marks its kernel window on the input
and shows the window's values, weights, products and their sum — the numbers of filter_image."""

import time

import numpy as np
import pytest
from ui_support import wait_output

from convviz.model import PRESETS, filter_image, format_number
from convviz.model.magnifier_texts import header_text, sum_text, window_cell_texts
from convviz.model.view_geometry import Rect


def hover_output(window, r, c):
    """Move the pointer (as the views report it) over the centre of output pixel (r, c) as drawn."""
    rect, (oh, ow) = window.output_view.rect, window.output.values.shape[:2]
    window.filter._hovered((rect.x + (c + 0.5) * rect.width / ow, rect.y + (r + 0.5) * rect.height / oh))


def test_hovering_an_output_pixel_magnifies_its_window_and_marks_it(window, qtbot):
    rng = np.random.default_rng(12)
    img = rng.integers(0, 256, (40, 50)).astype(np.float64)
    k = np.round(rng.normal(size=(3, 3)), 2)
    window.document.apply(image=img, kernel=k, preset=None, padding="same", padding_mode="reflect", stride=2,
                          dilation=2)
    wait_output(qtbot, window)
    doc, filt, mag = window.document, window.filter, window.filter.magnifier
    whole = filter_image(img, k, **doc.conv_kwargs())
    hover_output(window, 0, 24)                                   # a corner: taps on the reflected padding
    w = filt.hover.window
    assert w.out_index == (0, 24) and w.value == pytest.approx(whole[0, 24], abs=1e-9)
    assert mag.header.text() == header_text(w) and mag.sum_label.text() == sum_text(w)
    assert mag.cell_texts() == window_cell_texts(w) and mag.grid.isVisible()
    assert np.isclose(float(w.products.sum()), whole[0, 24], atol=1e-9)
    assert all(mag.grid.is_padding(r, c) == (not w.inside[r, c]) for r in range(3) for c in range(3))
    assert window.output_readout.text() == f"Output (row 0, col 24) = {format_number(whole[0, 24])}"
    # the window on the input: rows -2..2, columns 46..50 (dilation 2: the taps, not the gaps, are filled)
    mark = window.input_view.window_mark
    assert mark.outline == Rect(46, -2, 5, 5) == w.rect
    assert mark.cells == tuple(w.tap_rects()) and len(mark.cells) == 9 and mark.cells[1] == Rect(48, -2, 1, 1)
    # the pixel on the output is the square the output view draws there
    rect = window.output_view.rect
    assert window.output_view.pixel_mark.outline == Rect(rect.x + 24 * 2, rect.y, 2, 2) == w.output_square

    window.document.apply(kernel=PRESETS["box_blur"].kernel, preset="box_blur")   # new numbers, same pixel
    w = filt.hover.window
    assert w.out_index == (0, 24)
    assert w.value == pytest.approx(filter_image(img, PRESETS["box_blur"].kernel, **doc.conv_kwargs())[0, 24],
                                    abs=1e-9)
    assert mag.cell_texts()[1][1].endswith("/9")                  # a box blur's products as ninths
    filt._hovered(None)                                           # the pointer leaves: the pixel stays
    assert mag.header.text() == header_text(w) and mark.visible and window.output_readout.text() == ""
    window.document.apply(stride=16)                              # the output shrinks under it: cleared
    assert filt.hover.window is None and not mark.visible and mag.grid.isHidden()


def test_a_colour_pixel_per_channel_and_the_channel_is_an_undoable_setting(window, qtbot):
    rng = np.random.default_rng(13)
    img = rng.uniform(0, 255, (30, 20, 3))
    window.document.apply(image=img, kernel=PRESETS["sharpen"].kernel, preset="sharpen", padding="same", gray=False)
    wait_output(qtbot, window)
    whole = filter_image(img, PRESETS["sharpen"].kernel, padding="same")
    hover_output(window, 7, 9)
    mag, w = window.filter.magnifier, window.filter.hover.window
    np.testing.assert_allclose(w.value, whole[7, 9], atol=1e-9)
    assert mag.channel_box.isVisible() and [mag.channel_box.itemText(i) for i in range(3)] == ["R", "G", "B"]
    for ch in range(3):
        assert w.channel_sum(ch) == pytest.approx(whole[7, 9, ch], abs=1e-9)
    mag.channel_box.setCurrentIndex(1)
    mag.channel_box.activated.emit(1)
    assert window.filter.state.magnifier_channel == 1
    assert mag.sum_label.text() == sum_text(w, 1) and mag.sum_label.text().startswith("G: sum of the 9 products")
    assert mag.cell_texts() == window_cell_texts(w, 1)
    window.undo_stack.undo()
    assert window.filter.state.magnifier_channel == 0 and mag.channel_box.currentIndex() == 0
    assert mag.cell_texts() == window_cell_texts(w, 0)
    assert window.filter.lesson_settings()["magnifier_channel"] == 0


def test_large_kernels_show_the_products_only_and_the_grid_keeps_square_cells(window, qtbot):
    window.document.apply(image=np.arange(900.0).reshape(30, 30) % 256, kernel=np.full((9, 9), 1 / 81),
                          preset=None, padding="valid", stride=1, dilation=1)
    wait_output(qtbot, window)
    hover_output(window, 3, 4)
    grid = window.filter.magnifier.grid
    assert grid.compact and grid.cell_text(0, 0).endswith("/81") and "\n" not in grid.cell_text(0, 0)
    assert grid.cell_text(0, 0) == window_cell_texts(window.filter.hover.window)[0][0].split(" ")[-1]


@pytest.mark.wallclock
def test_hovering_a_12_megapixel_photo_reads_only_the_window(window, qtbot):
    photo = np.random.default_rng(1).integers(0, 256, (3000, 4000)).astype(np.float64)
    window.document.apply(image=photo, kernel=PRESETS["gaussian_blur_5x5"].kernel, preset="gaussian_blur_5x5",
                          padding="same", padding_mode="reflect", stride=1, dilation=1)
    wait_output(qtbot, window, timeout=120000)
    times = []
    for i in range(20):
        start = time.perf_counter()
        hover_output(window, 1000 + 37 * i, 3999 - 53 * i)
        times.append(time.perf_counter() - start)
    w = window.filter.hover.window
    r, c = w.out_index
    exact = float((photo[r - 2:r + 3, c - 2:c + 3] * PRESETS["gaussian_blur_5x5"].kernel).sum())
    assert w.value == pytest.approx(exact, abs=1e-9)
    assert max(times) < 0.05, f"hover took {max(times) * 1000:.1f} ms"
    print(f"hover on 12 MP: median {sorted(times)[10] * 1000:.2f} ms, max {max(times) * 1000:.2f} ms")


def test_a_real_pointer_move_over_either_view_magnifies_the_pixel_drawn_there(window, qtbot):
    from PySide6.QtCore import QPointF
    from PySide6.QtTest import QTest

    img = np.arange(1600.0).reshape(40, 40) % 256
    window.document.apply(image=img, kernel=PRESETS["sobel_x"].kernel, preset="sobel_x", padding="same", stride=1,
                          dilation=1)
    wait_output(qtbot, window)
    qtbot.wait(100)                                       # the views fitted to the new image before mapping
    for view, point, expected in ((window.output_view, (12.5, 7.5), (7, 12)),
                                  (window.input_view, (30.5, 21.5), (21, 30))):   # same coordinates in both
        pos = view.mapFromScene(view.view_box.mapViewToScene(QPointF(*point)))
        QTest.mouseMove(view.viewport(), pos)
        qtbot.waitUntil(lambda e=expected: window.filter.hover.window is not None
                        and window.filter.hover.window.out_index == e)
        w = window.filter.hover.window
        assert w.value == filter_image(img, PRESETS["sobel_x"].kernel, padding="same")[expected]
        assert window.filter.magnifier.header.text() == header_text(w)


def test_the_strip_takes_at_most_30_percent_and_its_words_scroll_rather_than_overlap(window, qtbot):
    filt = window.filter
    filt._fit_magnifier()
    images, strip = filt.view_area.sizes()
    assert 0 < strip <= 0.3 * (images + strip) + 1 and strip <= filt.magnifier.sizeHint().height()
    before = filt.view_area.height()
    window.resize(1024, 600)                                        # a shorter screen: the images keep 70 %
    qtbot.waitUntil(lambda: filt.view_area.height() < before)
    filt._fit_magnifier()
    images, strip = filt.view_area.sizes()
    assert strip <= 0.3 * (images + strip) + 1
    words = filt.magnifier.words
    assert words.widgetResizable() and words.widget().findChild(type(filt.magnifier.sum_label), "magnifierSum")
