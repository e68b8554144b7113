"""How the Filter bank's map grid lays out its maps (convviz.model.bank.grid_fit), worked out by hand."""

from __future__ import annotations

from convviz.model.bank.grid_fit import fit_grid


def test_four_maps_fill_a_wide_view_in_one_row_or_two():
    # 4 square maps in 1000×600, 40 px of text under each, 6 px gaps:
    # 1 column: min(988, (600−30)/4 − 40 = 102.5); 2: min(491, (600−18)/2 − 40 = 251) = 251;
    # 3: min(325.3, 251) = 251; 4: min(242.5, 548) = 242.5 → 2 columns (the first with the largest picture)
    fit = fit_grid(4, 1000, 600, (256, 256), text_height=40, gap=6, min_side=60)
    assert (fit.columns, fit.rows, fit.picture) == (2, 2, (251, 251))
    assert fit.tile == (291, 491)                       # as wide as a column, so the names have room
    assert fit.height == 2 * 291 + 3 * 6 == 600 and fit.side == 251


def test_the_maps_keep_their_aspect_ratio():
    fit = fit_grid(3, 1200, 500, (256, 384), text_height=30, gap=6, min_side=60)
    h, w = fit.picture
    assert fit.columns == 3 and abs(h / w - 256 / 384) < 0.01 and fit.height <= 500


def test_too_many_maps_scroll_down_at_the_smallest_size():
    fit = fit_grid(256, 800, 400, (40, 48), text_height=34, gap=6, min_side=68)
    assert fit.side == 68 and fit.picture == (56, 68)
    assert fit.columns == (800 - 6) // (68 + 6) == 10 and fit.rows == 26 and fit.height > 400


def test_no_maps():
    fit = fit_grid(0, 800, 400, (40, 48), text_height=34, gap=6, min_side=68)
    assert (fit.rows, fit.height, fit.side) == (0, 0, 0)
