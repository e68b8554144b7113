"""display_levels: the all-finite fast path gives exactly the levels of the finite values."""

import numpy as np
import pytest

from convviz.model import display_levels

NORMAL = np.random.default_rng(0).normal(size=(50, 40, 3))


@pytest.mark.parametrize("values, expected", [
    (np.array([[1.0, 5.0], [2.0, 3.0]]), (0.0, 5.0)),
    (np.array([[-7.0, 5.0]]), (-7.0, 7.0)),
    (np.array([[-1.0, 9.0, -2.0]]), (-9.0, 9.0)),
    (np.zeros((3, 3)), (0.0, 1.0)),
    (np.array([[np.nan, -3.0, 2.0]]), (-3.0, 3.0)),
    (np.array([[np.inf, 4.0]]), (0.0, 4.0)),
    (np.array([[-np.inf, 1.0, -2.0]]), (-2.0, 2.0)),
    (np.full((2, 2), np.nan), (0.0, 1.0)),
    (np.zeros((0, 4)), (0.0, 1.0)),
    (NORMAL, (-float(np.abs(NORMAL).max()), float(np.abs(NORMAL).max()))),
])
def test_levels_of_the_finite_values(values, expected):
    assert display_levels(values) == expected


@pytest.mark.parametrize("values", [
    np.array([[1.0, 5.0], [2.0, 3.0]]), np.array([[-7.0, 5.0]]), np.array([[-1.0, 9.0, -2.0]]),
    np.zeros((3, 3)), np.array([[0.0, 2.5e-300]]), NORMAL,
])
def test_fast_path_agrees_with_the_path_that_skips_non_finite_values(values):
    """An all-finite array takes the min/max shortcut; adding NaN and ±inf forces the filtering path."""
    with_gaps = np.concatenate([values.ravel(), [np.nan, np.inf, -np.inf]])
    assert display_levels(values) == display_levels(with_gaps)
