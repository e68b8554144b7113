"""Separable kernels: rank, the column/row pair, the two 1-D passes and their cost."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convviz.model import PRESETS, correlate, gaussian, separate
from convviz.model.separable import separable_cost, two_pass


@pytest.mark.parametrize("key", ["gaussian_blur", "gaussian_blur_5x5", "box_blur", "sobel_x", "sobel_y",
                                 "prewitt_x", "prewitt_y", "identity"])
def test_separable_presets_are_rank_one_and_rebuild_the_kernel(key):
    k = PRESETS[key].kernel
    column, row, rank = separate(k)
    assert rank == 1 and column.shape == (k.shape[0],) and row.shape == (k.shape[1],)
    np.testing.assert_allclose(np.outer(column, row), k, rtol=0, atol=1e-12 * np.abs(k).max())


@pytest.mark.parametrize("key", ["laplacian", "sharpen"])
def test_laplacian_and_sharpen_are_rank_two(key):
    assert separate(PRESETS[key].kernel)[2] == 2


def test_integer_kernels_get_integer_factors_and_others_equal_norms():
    assert [v.tolist() for v in separate(PRESETS["sobel_x"].kernel)[:2]] == [[1, 2, 1], [-1, 0, 1]]
    assert [v.tolist() for v in separate(PRESETS["sobel_y"].kernel)[:2]] == [[1, 0, -1], [1, 2, 1]]
    assert [v.tolist() for v in separate([[2, 4], [3, 6]])[:2]] == [[2, 3], [1, 2]]
    column, row, _ = separate(PRESETS["gaussian_blur"].kernel)
    np.testing.assert_allclose(column, [0.25, 0.5, 0.25], atol=1e-15)
    np.testing.assert_allclose(row, [0.25, 0.5, 0.25], atol=1e-15)
    column, row, _ = separate(gaussian(7, 1.3))
    assert np.linalg.norm(column) == pytest.approx(np.linalg.norm(row))


def test_sign_is_deterministic():
    k = np.outer([1.0, -3.0, 2.0], [0.5, 1.0])
    column, row, _ = separate(k)
    assert column[np.argmax(np.abs(column))] > 0
    neg_column, neg_row, _ = separate(-k)
    np.testing.assert_allclose(neg_column, column, atol=1e-15)
    np.testing.assert_allclose(neg_row, -row, atol=1e-15)
    # on a tie of magnitudes the first entry is positive
    assert separate(np.outer([-1.0, 1.0], [1.0, 2.0]))[0].tolist() == [1, -1]


@settings(max_examples=60, deadline=None)
@given(kh=st.integers(1, 6), kw=st.integers(1, 6), rank=st.integers(1, 6), seed=st.integers(0, 10_000))
def test_rank_of_random_products(kh, kw, rank, seed):
    rng = np.random.default_rng(seed)
    k = rng.normal(size=(kh, rank)) @ rng.normal(size=(rank, kw))
    column, row, found = separate(k)
    assert found == min(kh, kw, rank)
    # the pair is the best rank-1 approximation: what is left is the rest of the spectrum
    s = np.linalg.svd(k, compute_uv=False)
    assert np.linalg.norm(k - np.outer(column, row)) == pytest.approx(np.sqrt(np.sum(s[1:] ** 2)), abs=1e-9)


def test_zero_kernel_is_rank_zero_and_tol_decides_near_separable():
    column, row, rank = separate(np.zeros((3, 4)))
    assert rank == 0 and column.tolist() == [0, 0, 0] and row.tolist() == [0] * 4
    nearly = np.outer([1.0, 2.0, 1.0], [1.0, 0.0, -1.0]) + 1e-8 * np.random.default_rng(0).normal(size=(3, 3))
    assert separate(nearly)[2] == 3
    assert separate(nearly, tol=1e-6)[2] == 1


def test_float32_in_float32_out():
    column, row, _ = separate(np.ones((3, 3), dtype=np.float32))
    assert column.dtype == row.dtype == np.float32
    assert separate(np.ones((3, 3), dtype=int))[0].dtype == np.float64


@pytest.mark.parametrize("kernel,tol,message", [
    (np.ones((3, 3, 2)), 1e-10, "Only a 2-D kernel"),
    (np.ones(3), 1e-10, "Only a 2-D kernel"),
    ([[1, np.nan], [0, 1]], 1e-10, "NaN"),
    (np.ones((2, 2)), -1, "tol must be"),
    (np.ones((2, 2)), "small", "tol must be"),
])
def test_bad_arguments(kernel, tol, message):
    with pytest.raises(ValueError, match=message):
        separate(kernel, tol)


@pytest.mark.parametrize("padding", ["valid", "same", "full", 1, (2, 0)])
@pytest.mark.parametrize("stride,dilation", [(1, 1), (2, 1), ((1, 3), 2)])
@pytest.mark.parametrize("padding_mode", ["zeros", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("key", ["gaussian_blur_5x5", "sobel_x"])
def test_two_passes_equal_the_two_d_correlation(padding, stride, dilation, padding_mode, key):
    x = np.random.default_rng(4).uniform(0, 255, size=(23, 19))
    k = PRESETS[key].kernel
    column, row, rank = separate(k)
    assert rank == 1
    after_column, out = two_pass(x, column, row, padding, stride=stride, dilation=dilation, padding_mode=padding_mode)
    expected = correlate(x, k, padding, stride=stride, dilation=dilation, padding_mode=padding_mode)
    assert out.shape == expected.shape and after_column.shape == (expected.shape[0], x.shape[1])
    np.testing.assert_allclose(out, expected, rtol=1e-9, atol=1e-9)


def test_two_passes_by_hand():
    x = np.arange(16.0).reshape(4, 4)
    after_column, out = two_pass(x, [1, 2, 1], [-1, 0, 1])
    np.testing.assert_array_equal(after_column, x[:2] + 2 * x[1:3] + x[2:])
    np.testing.assert_array_equal(out, after_column[:, 2:] - after_column[:, :2])
    with pytest.raises(ValueError, match="must be 1-D"):
        two_pass(x, [[1, 2]], [1])


def test_separable_cost():
    assert separable_cost((3, 3)) == (9, 6) and separable_cost(3).ratio == 1.5
    assert separable_cost((7, 5)).direct == 35 and separable_cost((7, 5)).separable == 12
    with pytest.raises(ValueError, match="kernel_shape"):
        separable_cost((0, 3))
