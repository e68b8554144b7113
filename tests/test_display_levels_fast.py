"""display_levels: the all-finite fast path gives exactly the levels of the finite values."""

import numpy as np
import pytest

from convviz.model import display_levels


def reference(values):
    v = np.asarray(values, dtype=np.float64)
    finite = v[np.isfinite(v)]
    if finite.size == 0:
        return 0.0, 1.0
    if finite.min() < 0:
        m = float(np.abs(finite).max())
        return -m, m
    hi = float(finite.max())
    return 0.0, hi if hi > 0 else 1.0


@pytest.mark.parametrize("values", [
    np.array([[1.0, 5.0], [2.0, 3.0]]), np.array([[-7.0, 5.0]]), np.array([[-1.0, 9.0, -2.0]]), np.zeros((3, 3)),
    np.array([[np.nan, -3.0, 2.0]]), np.array([[np.inf, 4.0]]), np.array([[-np.inf, 1.0, -2.0]]),
    np.full((2, 2), np.nan), np.zeros((0, 4)), np.random.default_rng(0).normal(size=(50, 40, 3)),
])
def test_same_levels_as_the_finite_values_give(values):
    assert display_levels(values) == reference(values)
