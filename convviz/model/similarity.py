"""How alike two arrays (a patch and a kernel) are: dot product, cosine, Pearson.

Zero-norm or zero-variance inputs give ``nan`` — never an exception or a warning.
"""

from __future__ import annotations

import math

import numpy as np


def _pair(a, b) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(a, dtype=np.float64).ravel()
    y = np.asarray(b, dtype=np.float64).ravel()
    if x.shape != y.shape:
        raise ValueError(f"Cannot compare arrays of {x.size} and {y.size} values; they must have the same size.")
    return x, y


def dot(a, b) -> float:
    """Sum of the element-wise products (what one correlation output is)."""
    x, y = _pair(a, b)
    return float(np.dot(x, y))


def norm(a) -> float:
    """Euclidean length ``‖a‖``."""
    return float(np.linalg.norm(np.asarray(a, dtype=np.float64).ravel()))


def cosine_similarity(a, b) -> float:
    """``a·b / (‖a‖ ‖b‖)`` in [−1, 1]; ``nan`` when either norm is 0."""
    x, y = _pair(a, b)
    nx, ny = np.linalg.norm(x), np.linalg.norm(y)
    if nx == 0 or ny == 0 or not math.isfinite(nx * ny):
        return math.nan
    return float(np.clip(np.dot(x, y) / (nx * ny), -1.0, 1.0))


def pearson(a, b) -> float:
    """Pearson correlation (cosine similarity of the mean-removed arrays); ``nan`` when a variance is 0."""
    x, y = _pair(a, b)
    if x.size < 2 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return math.nan
    return cosine_similarity(x - x.mean(), y - y.mean())
