"""Reading only the input under chosen outputs' windows (issue #13: maps of a photo at the pixels shown).

A correlation at output rows × columns ``idx`` needs the input positions under their windows. Along
each axis :func:`axis_plan` lists those positions (as source indices, −1 for zero padding) and the
``(stride, dilation)`` with which a *valid* correlation of the gathered line gives exactly those
outputs; :func:`gathered` reads the input there. Used by the Pooling tab's feature map
(:mod:`convviz.model.pooling_map`) and the Filter bank's sampled maps (:mod:`convviz.model.bank.sampled`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._args import source_index


def axis_plan(idx: np.ndarray, n_in: int, k: int, stride: int, dilation: int, pad_before: int, padding_mode: str
              ) -> tuple[np.ndarray, int, int]:
    """The input positions to gather along one axis of length ``n_in`` for increasing outputs ``idx``
    (source indices, −1 for zero padding) and the ``(stride, dilation)`` a valid correlation of the
    gathered line needs.

    Outputs at a regular step whose windows overlap are gathered as one run (stride: the real stride
    times the step); any other set gathers each output's own ``k`` taps side by side (stride ``k``,
    dilation 1).
    """
    extent = dilation * (k - 1) + 1
    n = len(idx)
    step = int(idx[1] - idx[0]) if n > 1 else 1
    regular = n == 1 or bool(np.all(np.diff(idx) == step))
    if step > 0 and regular and (n - 1) * step * stride + extent <= n * k:
        positions = int(idx[0]) * stride - pad_before + np.arange((n - 1) * step * stride + extent)
        return source_index(positions, n_in, padding_mode), step * stride, dilation
    taps = idx[:, None] * stride - pad_before + np.arange(k)[None, :] * dilation
    return source_index(taps.ravel(), n_in, padding_mode), k, 1


def gathered(values_at: Callable[[np.ndarray, np.ndarray], np.ndarray], rows_src: np.ndarray,
             cols_src: np.ndarray, channels: int) -> np.ndarray:
    """``(len(rows_src), len(cols_src), channels)`` float64: the input at those source rows × columns
    (−1: zero padding). ``values_at(rows, cols)`` gives ``(len(rows), len(cols), channels)`` at increasing,
    distinct indices inside the input; each is read once, however often the windows repeat it."""
    ur = np.unique(rows_src[rows_src >= 0])
    uc = np.unique(cols_src[cols_src >= 0])
    out = np.zeros((len(ur) + 1, len(uc) + 1, channels))   # the last row and column stay zero (padding)
    if len(ur) and len(uc):
        out[:-1, :-1] = values_at(ur, uc)
    pr = np.where(rows_src >= 0, np.searchsorted(ur, rows_src), len(ur))
    pc = np.where(cols_src >= 0, np.searchsorted(uc, cols_src), len(uc))
    return out[np.ix_(pr, pc)]
