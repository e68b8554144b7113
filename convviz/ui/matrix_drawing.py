"""Colouring a convolution matrix by kernel tap, so the repeated (shared) weights show.

The tap of every matrix entry comes from :func:`convviz.model.conv_matrix` itself:
the matrix of a kernel whose weights are the tap numbers ``1 … KH·KW`` holds, at
each entry, the number of the tap that put a weight there (0 where no tap does).
"""

from __future__ import annotations

import numpy as np

from convviz.model import conv_matrix

#: a qualitative palette (Tableau 20 without its greys): neighbouring taps get clearly different colours
PALETTE = np.array([
    (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75),
    (227, 119, 194), (188, 189, 34), (23, 190, 207), (174, 199, 232), (255, 187, 120), (152, 223, 138),
    (255, 152, 150), (197, 176, 213), (196, 156, 148), (247, 182, 210), (219, 219, 141), (158, 218, 229),
], dtype=np.uint8)
BLANK = np.array((255, 255, 255), dtype=np.uint8)


def tap_numbers(kernel_hw) -> np.ndarray:
    """``(KH, KW)`` array of tap numbers ``1 … KH·KW`` in row-major order."""
    kh, kw = (int(v) for v in kernel_hw)
    return np.arange(1, kh * kw + 1, dtype=np.float64).reshape(kh, kw)


def tap_index_matrix(kernel_hw, input_hw, padding="valid", *, stride=1, dilation=1) -> np.ndarray:
    """Integer matrix, same shape as ``conv_matrix``: the tap number (1-based) at each entry, 0 for none."""
    taps = conv_matrix(tap_numbers(kernel_hw), input_hw, padding, stride=stride, dilation=dilation)
    return np.rint(taps).astype(np.int64)


def tap_colours(n_taps: int) -> np.ndarray:
    """``(n_taps, 3)`` uint8 colours, one per tap (the palette repeats after 18 taps)."""
    return PALETTE[np.arange(n_taps) % len(PALETTE)]


def colour_by_tap(tap_index: np.ndarray, n_taps: int) -> np.ndarray:
    """``(rows, cols, 3)`` uint8 picture: each tap in its own colour, white where the entry is 0."""
    table = np.vstack([BLANK[None, :], tap_colours(n_taps)])
    return table[tap_index]
