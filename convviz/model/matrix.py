"""Convolution as a matrix product: the (doubly-block) Toeplitz matrix of a kernel."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._args import as_hw, as_kernel, geometry
from .limits import check_conv_matrix


def conv_matrix(kernel, input_hw, padding="valid", *, stride=1, dilation=1) -> np.ndarray:
    """The matrix ``M`` of shape ``(H'·W', H·W)`` with ``M @ x.ravel() == correlate(x, kernel, ...).ravel()``.

    Row ``o`` holds the kernel's weights at the columns of the input pixels that
    output ``o`` sees (zero padding: taps on padding have no column). ``kernel`` is
    2-D ``(KH, KW)``; ``input_hw`` is ``(H, W)``. For a 1-D signal use ``H = 1`` and
    a ``(1, K)`` kernel.

    A matrix of more than :data:`~convviz.model.limits.MAX_CONV_MATRIX_ENTRIES` entries
    (16,777,216 = 2**24, 128 MiB of float64) is refused with ``ValueError`` before anything
    is allocated: a 200×200 input would need 12.5 GB.
    """
    ker = as_kernel(kernel, np.dtype(np.float64))
    if ker.ndim != 2:
        raise ValueError(f"conv_matrix needs a 2-D kernel (KH, KW), not shape {ker.shape}.")
    h, w = as_hw(input_hw, "The input size", square=False)
    geo = geometry((h, w), ker.shape, padding, stride, dilation, "zeros")
    oh, ow = geo.out_hw
    check_conv_matrix(oh * ow, h * w)
    (sh, sw), (dh, dw), pads = geo.stride, geo.dilation, geo.pads
    kh, kw = ker.shape
    # input row/col of every (output, tap) pair
    rows = (np.arange(oh) * sh)[:, None] + (np.arange(kh) * dh)[None, :] - pads.top      # (oh, kh)
    cols = (np.arange(ow) * sw)[:, None] + (np.arange(kw) * dw)[None, :] - pads.left     # (ow, kw)
    r = rows[:, None, :, None]
    c = cols[None, :, None, :]
    r, c = np.broadcast_arrays(r, c)                                                      # (oh, ow, kh, kw)
    out_index = np.broadcast_to((np.arange(oh)[:, None] * ow + np.arange(ow)[None, :])[:, :, None, None], r.shape)
    weights = np.broadcast_to(ker[None, None], r.shape)
    inside = (r >= 0) & (r < h) & (c >= 0) & (c < w)
    matrix = np.zeros((oh * ow, h * w), dtype=np.float64)
    np.add.at(matrix, (out_index[inside], r[inside] * w + c[inside]), weights[inside])
    return matrix


@dataclass(frozen=True)
class MatrixCheck:
    """``conv_matrix`` of a kernel on an input, and the proof that ``M @ x`` is the convolution.

    ``applied`` is the kernel as it slides (flipped for true convolution); ``product`` is
    ``M @ x.ravel()`` and ``expected`` the correlate/convolve output (raveled).
    """

    matrix: np.ndarray
    applied: np.ndarray
    product: np.ndarray
    expected: np.ndarray

    @property
    def max_difference(self) -> float:
        return float(np.abs(self.product - self.expected).max())

    @property
    def nonzero(self) -> int:
        return int(np.count_nonzero(self.matrix))

    @property
    def zeros(self) -> int:
        return self.matrix.size - self.nonzero


def matrix_check(x, kernel, padding="valid", *, stride=1, dilation=1, flip=False) -> MatrixCheck:
    """Build ``M`` for the 2-D input ``x`` and compare ``M @ x`` with ``correlate`` (or ``convolve``
    when ``flip``) — the "convolution is a matrix product" demonstration, all numbers from the model."""
    from .engine import convolve, correlate

    x = np.asarray(x, dtype=np.float64)
    ker = np.asarray(kernel, dtype=np.float64)
    applied = ker[::-1, ::-1] if flip else ker
    matrix = conv_matrix(applied, x.shape, padding, stride=stride, dilation=dilation)
    op = convolve if flip else correlate
    expected = op(x, ker, padding, stride=stride, dilation=dilation).ravel()
    return MatrixCheck(matrix, applied, matrix @ x.ravel(), expected)
