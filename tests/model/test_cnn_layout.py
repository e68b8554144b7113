"""Where the Learn from labels tab puts its pictures: mosaics as large as their view allows (checked
against every other column count), the board's pages and the numbers in the confusion matrix's cells."""

from __future__ import annotations

import itertools
import math

import pytest

from convviz.model.cnn_layout import CRISP_FROM, PART_LINES, PLOT_LINES, fit_mosaic, number_pixels, plan_board


def _rects(fit):
    h, w = fit.tile
    return [(y, x, y + h, x + w) for y, x in fit.origins]


@pytest.mark.parametrize("count, tile_hw, width, height", [
    (8, (5, 5), 300, 200), (8, (5, 5), 150, 420), (8, (12, 12), 330, 330), (64, (3, 3), 500, 260),
    (1, (16, 16), 120, 90), (5, (7, 3), 400, 100)])
def test_a_mosaic_is_as_large_as_its_view_allows(count, tile_hw, width, height):
    label, spacing = 14, 4
    fit = fit_mosaic(count, tile_hw, width, height, label_height=label, spacing=spacing)
    h, w = tile_hw
    assert fit.columns * fit.rows >= count > (fit.rows - 1) * fit.columns
    assert fit.tile == (round(h * fit.side), round(w * fit.side))
    rects = _rects(fit)
    for top, left, bottom, right in rects:                 # inside the view, with room for the number above
        assert left >= 0 and right <= width and top - label >= 0 and bottom <= height
    for a, b in itertools.combinations(rects, 2):          # no two tiles (or a tile and a number) overlap
        assert a[2] + spacing + label <= b[0] or b[2] + spacing + label <= a[0] or a[3] + spacing <= b[1] \
            or b[3] + spacing <= a[1]
    best = 0.0                                             # every column count tried by hand
    for c in range(1, count + 1):
        r = math.ceil(count / c)
        best = max(best, min((width - spacing * (c - 1)) / (c * w), (height - r * label - spacing * (r - 1)) / (r * h)))
    assert fit.side == (math.floor(best) if best >= CRISP_FROM else pytest.approx(best))


def test_a_wide_view_puts_the_filters_in_a_row_and_a_tall_one_in_a_column():
    assert fit_mosaic(8, (5, 5), 800, 100).columns == 8
    assert fit_mosaic(8, (5, 5), 100, 800).columns == 1
    assert fit_mosaic(8, (5, 5), 400, 200).columns == 4


def test_the_grid_is_centred_and_every_tile_found_again():
    fit = fit_mosaic(8, (5, 5), 400, 300, label_height=10, spacing=6)
    h, w = fit.tile
    lefts = [x for _, x in fit.origins]
    tops = [y for y, _ in fit.origins]
    assert abs(min(lefts) - (400 - max(lefts) - w)) <= 1 and abs(min(tops) - 10 - (300 - max(tops) - h)) <= 1
    for i, (y, x) in enumerate(fit.origins):
        assert fit.tile_at(y, x) == i and fit.tile_at(y + h - 0.5, x + w - 0.5) == i
        assert fit.tile_at(y - 1, x) is None and fit.tile_at(y, x + w + 1) is None   # a number, a gap
    assert fit.tile_at(-5, -5) is None


def test_large_image_pixels_are_whole_screen_pixels_and_a_tiny_view_draws_nothing():
    fit = fit_mosaic(8, (5, 5), 333, 171)
    assert fit.side == int(fit.side) and fit.side >= CRISP_FROM
    small = fit_mosaic(64, (12, 12), 90, 90)
    assert 0 < small.side < CRISP_FROM
    assert fit_mosaic(8, (5, 5), 40, 10, label_height=20).side == 0
    for bad in ((0, (5, 5)), (3, (0, 5))):
        with pytest.raises(ValueError, match="at least one tile"):
            fit_mosaic(*bad, 100, 100)


def test_a_tall_view_shares_one_page_and_a_short_one_scrolls_to_the_curves():
    line = 20
    tall = plan_board(1600, 2 * PART_LINES * line + 7, line)
    assert not tall.pages and tall.curves == "row" and (tall.top_height, tall.bottom_height) == (320, 321)
    short = plan_board(1600, 500, line)                    # the pictures fill the view, the curves follow
    assert short.pages and short.curves == "row" and short.top_height == short.bottom_height == 500
    assert plan_board(1600, 100, line).bottom_height == PART_LINES * line
    beside = plan_board(700, 500, line)
    assert beside.pages and beside.curves == "beside" and beside.bottom_height == 500
    assert plan_board(700, 200, line).bottom_height == 2 * PLOT_LINES * line + 6
    stacked = plan_board(400, 500, line)
    assert stacked.curves == "stacked" and stacked.bottom_height == 2 * (500 // 2) + 400 + 12   # curves half a view
    assert plan_board(1000, 100, line).top_height == PART_LINES * line     # never less than a part
    with pytest.raises(ValueError, match="positive size"):
        plan_board(0, 500, line)


def test_numbers_in_cells_grow_with_the_cells_and_are_never_cut():
    advance = 1.2                                          # a 3-digit number 1.2 × its pixel size wide
    sizes = [number_pixels(cell, advance) for cell in (10, 20, 40, 80)]
    assert sizes == sorted(sizes) and sizes[0] == 0 < sizes[1]
    for cell, size in zip((20, 40, 80), sizes[1:]):
        assert size * advance <= cell * (1 - 2 * 0.12) and size <= cell / 2
    assert number_pixels(40, 0.6) == 20                     # one digit: half the cell high
    assert number_pixels(0, 1.0) == 0 and number_pixels(30, 0) == 0
