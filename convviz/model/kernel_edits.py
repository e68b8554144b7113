"""The kernel editor's actions as pure functions: each returns a new ``(KH, KW)`` float64 array.

Normalise, scale, flip, transpose, randomise, clear and resize. The window's
buttons call these; nothing here knows about Qt.
"""

from __future__ import annotations

import numpy as np

ZERO_SUM_TOLERANCE = 1e-12


def _kernel(kernel) -> np.ndarray:
    k = np.array(kernel, dtype=np.float64)
    if k.ndim != 2 or k.size == 0:
        raise ValueError(f"The kernel must be a non-empty 2-D array, not shape {k.shape}.")
    return k


def normalised(kernel) -> np.ndarray:
    """The kernel divided by the sum of its weights, so the weights add up to 1.

    Raises ``ValueError`` when the sum is 0 (edge detectors such as Sobel): it cannot be divided by.
    """
    k = _kernel(kernel)
    total = float(k.sum())
    if abs(total) <= ZERO_SUM_TOLERANCE:
        raise ValueError("The weights add up to 0, so the kernel cannot be normalised "
                         "(edge detectors such as Sobel are meant to sum to 0).")
    return k / total


def scaled(kernel, factor: float) -> np.ndarray:
    """Every weight multiplied by ``factor`` (a finite number)."""
    factor = float(factor)
    if not np.isfinite(factor):
        raise ValueError(f"The scale factor must be a finite number, not {factor!r}.")
    return _kernel(kernel) * factor


def flipped(kernel) -> np.ndarray:
    """The kernel turned by 180° (flipped in both axes), as true convolution uses it."""
    return np.ascontiguousarray(_kernel(kernel)[::-1, ::-1])


def transposed(kernel) -> np.ndarray:
    """Rows become columns: a vertical-edge filter becomes a horizontal-edge one."""
    return np.ascontiguousarray(_kernel(kernel).T)


def randomised(shape, rng: np.random.Generator | None = None) -> np.ndarray:
    """Random weights from −1 to 1, rounded to two decimals so they are easy to read."""
    rows, cols = (int(v) for v in shape)
    rng = np.random.default_rng() if rng is None else rng
    return np.round(rng.uniform(-1.0, 1.0, size=(rows, cols)), 2) + 0.0


def cleared(shape) -> np.ndarray:
    """All weights 0."""
    rows, cols = (int(v) for v in shape)
    return np.zeros((rows, cols))


def resized(kernel, rows: int, cols: int) -> np.ndarray:
    """The kernel grown (with zeros) or cropped to ``rows × cols``, keeping its centre in place."""
    k = _kernel(kernel)
    rows, cols = int(rows), int(cols)
    if rows < 1 or cols < 1:
        raise ValueError(f"A kernel needs at least one row and one column, not {rows}×{cols}.")
    out = np.zeros((rows, cols))
    kr, kc = k.shape
    # Offsets of the old kernel inside the new one (negative: cropped).
    r0, c0 = (rows - kr) // 2, (cols - kc) // 2
    src_r = slice(max(0, -r0), max(0, -r0) + min(kr, rows))
    src_c = slice(max(0, -c0), max(0, -c0) + min(kc, cols))
    dst_r = slice(max(0, r0), max(0, r0) + min(kr, rows))
    dst_c = slice(max(0, c0), max(0, c0) + min(kc, cols))
    out[dst_r, dst_c] = k[src_r, src_c]
    return out
