"""Separable kernels: a K×K kernel that is a column times a row costs K + K multiplies per pixel, not K·K.

``separate`` finds the rank of a 2-D kernel from its singular values and the column/row pair
(the first singular pair); when the rank is 1 correlating with the column and then with the
row (:func:`two_pass`) gives exactly the 2-D correlation. Gaussian, box, Sobel and Prewitt
kernels are separable; the Laplacian is not (rank 2).
"""

from __future__ import annotations

from math import gcd
from typing import NamedTuple

import numpy as np

from ._args import as_image, as_kernel, as_pair, working_dtype
from .engine import correlate


def separate(kernel, tol=1e-10) -> tuple[np.ndarray, np.ndarray, int]:
    """``(column (KH,), row (KW,), rank)`` of a 2-D kernel from its SVD.

    ``rank`` counts the singular values above ``tol · σ_max`` (0 for an all-zero kernel, whose
    column and row are zeros). ``column`` and ``row`` are the first singular pair, scaled so that
    ``np.outer(column, row)`` is the best rank-1 approximation of the kernel — the kernel itself
    when ``rank == 1``. The scaling is deterministic: an integer kernel of rank 1 gets the smallest
    integer column and an integer row (Sobel x: ``[1, 2, 1]`` and ``[-1, 0, 1]``); any other kernel
    gets column and row of equal norm (Gaussian 3×3: ``[0.25, 0.5, 0.25]`` twice). The sign makes
    the column's largest-magnitude entry (the first, on a tie) positive. float32 in gives float32 out.
    """
    k_in = as_kernel(kernel, np.dtype(np.float64))
    if k_in.ndim != 2:
        raise ValueError(f"Only a 2-D kernel (KH, KW) can be separated into a column and a row, not {k_in.shape}.")
    if not (isinstance(tol, (int, float, np.integer, np.floating)) and 0 <= tol < 1):  # no float(): 10**400
        raise ValueError(f"tol must be a number from 0 (inclusive) to 1, not {tol!r}.")
    out_dtype = working_dtype(np.asarray(kernel))
    k = np.asarray(k_in, dtype=np.float64)
    kh, kw = k.shape
    u, s, vt = np.linalg.svd(k)
    if s[0] == 0:
        return np.zeros(kh, out_dtype), np.zeros(kw, out_dtype), 0
    rank = int(np.sum(s > tol * s[0]))
    column, row = u[:, 0] * np.sqrt(s[0]), vt[0] * np.sqrt(s[0])
    lead = _leading_index(column)
    if column[lead] < 0:
        column, row = -column, -row
    if rank == 1 and np.all(k == np.rint(k)):
        column, row = _integer_factors(k)
    return column.astype(out_dtype), row.astype(out_dtype), rank


def _leading_index(column: np.ndarray) -> int:
    """Index of the largest-magnitude entry; the first of those equal to it up to rounding."""
    size = np.abs(column)
    return int(np.flatnonzero(size >= size.max() * (1 - 1e-9))[0])


def _integer_factors(k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """An integer rank-1 kernel as (primitive integer column, integer row), exactly.

    The column is a nonzero column of ``k`` divided by the gcd of its entries; since those entries
    then have gcd 1, every column of ``k`` is an integer multiple of it, so the row is integer too.
    """
    j = int(np.argmax(np.abs(k).max(axis=0)))  # a column of k that is not zero
    ints = [int(v) for v in np.rint(k[:, j])]
    divisor = 0
    for v in ints:
        divisor = gcd(divisor, v)
    col = np.array([v // divisor for v in ints], dtype=np.float64)
    lead = _leading_index(col)
    if col[lead] < 0:
        col = -col
    return col, k[lead] / col[lead]


def two_pass(image, column, row, padding="valid", *, stride=1, dilation=1, padding_mode="zeros"):
    """Correlate with the column ``(KH,)``, then with the row ``(KW,)``: ``(after_column, output)``.

    Same arguments as :func:`~convviz.model.correlate` for the 2-D kernel ``np.outer(column, row)``
    (the first pass takes the row padding, stride and dilation, the second the column ones), so
    ``output`` equals ``correlate(image, np.outer(column, row), ...)``. ``after_column`` has the
    output's rows and the input's (unpadded) columns. ``image`` is 2-D.
    """
    img = as_image(image)
    col = as_kernel(column, img.dtype, name="column")
    rw = as_kernel(row, img.dtype, name="row")
    if col.ndim != 1 or rw.ndim != 1:
        raise ValueError(f"column and row must be 1-D, not {col.shape} and {rw.shape}.")
    (sh, sw), (dh, dw) = as_pair(stride, "stride", minimum=1), as_pair(dilation, "dilation", minimum=1)
    pad_col: str | tuple[int, int]
    pad_row: str | tuple[int, int]
    if isinstance(padding, str):
        pad_col, pad_row = padding, padding
    else:
        ph, pw = as_pair(padding, "padding", minimum=0)
        pad_col, pad_row = (ph, 0), (0, pw)
    after_column = correlate(img, col[:, None], pad_col, stride=(sh, 1), dilation=(dh, 1), padding_mode=padding_mode)
    output = correlate(after_column, rw[None, :], pad_row, stride=(1, sw), dilation=(1, dw),
                       padding_mode=padding_mode)
    return after_column, output


class SeparableCost(NamedTuple):
    """Multiplies per output pixel: ``direct`` (KH·KW) against ``separable`` (KH + KW), and their ratio."""

    direct: int
    separable: int

    @property
    def ratio(self) -> float:
        return self.direct / self.separable


def separable_cost(kernel_shape) -> SeparableCost:
    """Multiplies per output pixel of a 2-D pass and of two 1-D passes.

    >>> separable_cost((5, 5))
    SeparableCost(direct=25, separable=10)
    """
    shape = kernel_shape if isinstance(kernel_shape, (int, np.integer)) else tuple(kernel_shape)[:2]
    kh, kw = as_pair(shape, "kernel_shape", minimum=1)
    return SeparableCost(kh * kw, kh + kw)
