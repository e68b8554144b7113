"""The player's pure helpers: region choice, region steps and the cosine-similarity map (no Qt)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from convviz.model import correlate, cosine_similarity, steps
from convviz.model._args import geometry, pad_image
from convviz.model.player_region import (
    busiest_crop,
    contributions,
    default_crop,
    partial_sum,
    player_region,
    region_around,
    region_grid,
    region_output,
    region_similarity,
    region_steps,
    revealed_expression,
    window_cells,
)
from convviz.model.similarity_map import cosine_similarity_map

PADDINGS = ["valid", "same", "full", 1, (2, 0)]
MODES = ["zeros", "reflect", "replicate", "circular"]


def brute_cosine_map(image, kernel, padding, stride, dilation, mode):
    seq = steps(image, kernel, padding, stride=stride, dilation=dilation, padding_mode=mode)
    out = np.empty(seq.output_hw)
    for s in seq:
        out[s.out_index] = cosine_similarity(s.patch, kernel)
    return out


@pytest.mark.parametrize("padding,mode", list(itertools.product(PADDINGS, MODES)))
def test_cosine_map_equals_loop(padding, mode):
    rng = np.random.default_rng(hash((str(padding), mode)) % 2**32)
    image = rng.integers(-5, 6, size=(9, 8)).astype(float)
    image[:3, :3] = 0.0  # all-zero patches → nan
    kernel = rng.normal(size=(3, 2))
    for stride, dilation in [(1, 1), (2, 1), (1, 2), ((2, 1), (1, 2))]:
        got = cosine_similarity_map(image, kernel, padding, stride=stride, dilation=dilation, padding_mode=mode)
        want = brute_cosine_map(image, kernel, padding, stride, dilation, mode)
        np.testing.assert_allclose(got, want, atol=1e-9, equal_nan=True)


def test_cosine_map_lecture_values_and_nan():
    image = np.array([[0, 10, 10, 0], [20, 30, 30, 20], [10, 20, 20, 10], [0, 5, 5, 0]], float)
    kernel = np.array([[1, 0], [0, 2]], float)
    got = cosine_similarity_map(image, kernel)
    assert got.shape == (3, 3)
    assert got[0, 0] == pytest.approx(60 / (math.sqrt(0 + 100 + 400 + 900) * math.sqrt(5)))
    assert np.isnan(cosine_similarity_map(image, np.zeros((2, 2)))).all()
    matched = cosine_similarity_map(np.pad(kernel * 3, 2), kernel)
    assert np.nanmax(matched) == pytest.approx(1.0)


def test_region_around_stays_inside():
    assert region_around((100, 80), (50, 40), 16) == (42, 32, 16, 16)
    assert region_around((100, 80), (0, 0), 16) == (0, 0, 16, 16)
    assert region_around((100, 80), (99, 79), 16) == (84, 64, 16, 16)
    assert region_around((10, 12), (5, 5), 16) == (0, 0, 10, 12)


def test_default_crop_whole_small_images_and_centre_crop_large():
    assert default_crop((4, 4)) == (0, 0, 4, 4)
    assert default_crop((32, 32)) == (0, 0, 32, 32)
    assert default_crop((64, 64)) == (24, 24, 16, 16)
    assert default_crop((480, 640), center=(3, 636)) == (0, 624, 16, 16)


@pytest.mark.parametrize("padding,mode", list(itertools.product(PADDINGS, MODES)))
def test_region_grid_equals_padded_image(padding, mode):
    rng = np.random.default_rng(3)
    image = rng.normal(size=(11, 13))
    kernel = rng.normal(size=(3, 3))
    for crop in [None, (0, 0, 5, 6), (4, 5, 5, 4), (6, 7, 5, 6), (3, 2, 1, 1)]:
        region = player_region(image.shape, kernel.shape, padding, stride=1, dilation=1, crop=crop)
        values, in_image = region_grid(image, region, mode)
        geo = geometry(image.shape, kernel.shape, padding, 1, 1, mode)
        padded = pad_image(image, geo.pads, mode)
        np.testing.assert_array_equal(values, padded[region.grid_rows.start:region.grid_rows.stop,
                                                     region.grid_cols.start:region.grid_cols.stop])
        for (gr, gc) in [(0, 0), (values.shape[0] - 1, values.shape[1] - 1)]:
            r, c = region.image_position(gr, gc)
            assert in_image[gr, gc] == (0 <= r < 11 and 0 <= c < 13)


@pytest.mark.parametrize("padding,mode", list(itertools.product(PADDINGS, MODES)))
def test_region_steps_equal_full_steps(padding, mode):
    rng = np.random.default_rng(7)
    image = rng.integers(0, 256, size=(14, 12)).astype(float)
    kernel = rng.normal(size=(3, 2))
    for stride, dilation in [(1, 1), (2, 1), (1, 2), ((3, 2), (2, 1))]:
        full = steps(image, kernel, padding, stride=stride, dilation=dilation, padding_mode=mode)
        reference = correlate(image, kernel, padding, stride=stride, dilation=dilation, padding_mode=mode)
        for crop in [None, (0, 0, 6, 6), (5, 4, 6, 7), (8, 6, 6, 6), (13, 11, 1, 1)]:
            region = player_region(image.shape, kernel.shape, padding, stride=stride, dilation=dilation, crop=crop)
            grid, _ = region_grid(image, region, mode)
            seq = region_steps(grid, kernel, region)
            assert len(seq) == region.step_count > 0
            out = region_output(grid, kernel, region)
            sim = region_similarity(grid, kernel, region)
            for j in range(len(seq)):
                g = full[region.global_index(j)]
                assert g.out_index == region.output_position(j)
                np.testing.assert_array_equal(seq[j].patch, g.patch)
                assert seq[j].value == g.value
                assert out.ravel()[j] == pytest.approx(g.value, abs=1e-9)
                assert sim.ravel()[j] == pytest.approx(g.cosine, abs=1e-9, nan_ok=True)
                rows, cols = window_cells(region, j)
                np.testing.assert_array_equal(grid[np.ix_(rows, cols)], g.patch)
                assert region.local_index(*g.out_index) == j
            np.testing.assert_allclose(
                out, reference[region.out_rows.start:region.out_rows.stop,
                               region.out_cols.start:region.out_cols.stop], atol=1e-9)


def test_whole_region_on_small_image_steps_every_output():
    image = np.arange(16.0).reshape(4, 4)
    region = player_region(image.shape, (2, 2), "same")
    assert region.is_whole and region.step_count == 16
    assert region.grid_shape == (5, 5)  # one padding row below, one column right
    assert region.crop == (0, 0, 4, 4)


def test_crop_inside_photo_steps_windows_inside_it():
    region = player_region((200, 300), (5, 5), "same", crop=(50, 60, 16, 16))
    assert region.grid_shape == (16, 16)
    assert region.output_shape == (12, 12)
    assert region.output_position(0) == (52, 62)  # 'same' centres the 5×5 window
    assert not region.is_whole


def test_contributions_match_windows():
    rng = np.random.default_rng(1)
    image = rng.normal(size=(7, 6))
    kernel = np.ones((3, 2))
    for stride, dilation in [(1, 1), (2, 2), ((1, 2), (2, 1))]:
        region = player_region(image.shape, kernel.shape, "full", stride=stride, dilation=dilation)
        grid, _ = region_grid(image, region)
        seq = region_steps(grid, kernel, region)
        for gr in range(grid.shape[0]):
            for gc in range(grid.shape[1]):
                want = [j for j in range(len(seq))
                        if gr in window_cells(region, j)[0] and gc in window_cells(region, j)[1]]
                assert contributions(region, seq, gr, gc) == want


def test_revealed_expression_and_partial_sum():
    image = np.array([[0, 10, 10, 0], [20, 30, 30, 20], [10, 20, 20, 10], [0, 5, 5, 0]], float)
    step = steps(image, np.array([[1, 0], [0, 2]]))[0]
    assert revealed_expression(step, 4) == "(0×1) + (10×0) + (20×0) + (30×2) = 60"
    assert revealed_expression(step, 2).startswith("(0×1) + (10×0) + …")
    assert "3 more" in revealed_expression(step, 1)
    assert partial_sum(step, 3) == 0 and partial_sum(step, 4) == 60
    assert "no product" in revealed_expression(step, 0)


def test_busiest_crop_finds_the_textured_patch():
    image = np.full((200, 300), 40.0)
    image[120:130, 210:222] = np.random.default_rng(0).uniform(0, 255, size=(10, 12))
    row, col, h, w = busiest_crop(image, 16)
    assert (h, w) == (16, 16)
    assert row <= 120 and row + 16 >= 124 and col <= 212 and col + 16 >= 216  # it overlaps the patch well
    assert busiest_crop(np.zeros((20, 20))) == (0, 0, 20, 20)  # small images stay whole
    assert busiest_crop(np.zeros((100, 100)), 16)[2:] == (16, 16)
