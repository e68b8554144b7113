"""Max and average pooling, a lazy step-through of the pooling window, and the shift (invariance) check.

Conventions are PyTorch's (``F.max_pool2d`` / ``F.avg_pool2d``, floor mode): a window of
``kernel_size`` moves by ``stride`` (default: the window size) over the input padded by
``padding`` on each side; the output has ``⌊(N + 2P − K)/S⌋ + 1`` rows per axis. Max pooling
pads with −∞ (padding never wins); average pooling pads with 0 and divides by the whole
window (``count_include_pad=True``) or only by the real pixels in it (``False``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._args import as_image, as_pair
from .grid_steps import GridSteps
from .stepping import format_number

POOL_MODES = ("max", "avg")


class PoolGeometry:
    """Checked window, stride, padding and output size of one pooling."""

    def __init__(self, input_hw, kernel_size, stride, padding):
        self.kernel = as_pair(kernel_size, "kernel_size", minimum=1)
        self.stride = self.kernel if stride is None else as_pair(stride, "stride", minimum=1)
        self.padding = as_pair(padding, "padding", minimum=0)
        (kh, kw), (ph, pw) = self.kernel, self.padding
        if ph > kh // 2 or pw > kw // 2:
            raise ValueError(
                f"Pooling padding {ph}×{pw} is more than half the {kh}×{kw} window: "
                f"use padding of at most {kh // 2}×{kw // 2} (a window must always cover a real pixel)."
            )
        h, w = input_hw
        if kh > h + 2 * ph or kw > w + 2 * pw:
            raise ValueError(
                f"The pooling window {kh}×{kw} is larger than the padded input {h + 2 * ph}×{w + 2 * pw}: "
                f"use a smaller window or a larger input."
            )
        self.input_hw = (int(h), int(w))
        (sh, sw) = self.stride
        self.out_hw = ((h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1)


def _check_mode(mode: str) -> str:
    if mode not in POOL_MODES:
        raise ValueError(f"Unknown pooling mode {mode!r}: use 'max' or 'avg'.")
    return mode


def pool(x, kernel_size, *, stride=None, padding=0, mode="max", count_include_pad=True) -> np.ndarray:
    """Max or average pooling of each channel on its own, as ``F.max_pool2d`` / ``F.avg_pool2d``.

    Parameters
    ----------
    x : array, shape (H, W) or (H, W, C)
        float32 in gives float32 out; everything else is computed in float64.
    kernel_size : int or (int, int)
        The window.
    stride : int or (int, int), optional
        Step between windows; ``None`` (the default) means ``kernel_size`` (windows side by side).
    padding : int or (int, int)
        Pixels added on each side; at most half the window. −∞ for ``"max"``, 0 for ``"avg"``.
    mode : {"max", "avg"}
    count_include_pad : bool
        ``"avg"`` only: divide by the whole window (True, PyTorch's default) or by its real pixels.

    Returns
    -------
    out : ndarray, shape (H', W') or (H', W', C) with ``H' = ⌊(H + 2P − K)/S⌋ + 1`` (floor mode)

    >>> pool(np.array([[1, 3, 2, 0], [4, 2, 1, 5], [0, 1, 3, 3], [2, 2, 1, 0]]), 2).tolist()
    [[4.0, 5.0], [2.0, 3.0]]
    """
    img = as_image(x)
    _check_mode(mode)
    geo = PoolGeometry(img.shape[:2], kernel_size, stride, padding)
    (kh, kw), (sh, sw), (ph, pw) = geo.kernel, geo.stride, geo.padding
    (oh, ow), (h, w) = geo.out_hw, geo.input_hw
    fill = -np.inf if mode == "max" else 0.0
    padded = img
    if ph or pw:
        width = [(ph, ph), (pw, pw)] + [(0, 0)] * (img.ndim - 2)
        padded = np.pad(img, width, mode="constant", constant_values=fill)
    out = None
    for a in range(kh):
        for b in range(kw):
            tap = padded[a:a + (oh - 1) * sh + 1:sh, b:b + (ow - 1) * sw + 1:sw]
            if out is None:
                out = np.array(tap, copy=True)
            elif mode == "max":
                np.maximum(out, tap, out=out)
            else:
                out += tap
    assert out is not None
    if mode == "avg":
        if count_include_pad:
            out /= kh * kw
        else:
            rows = _real_counts(oh, sh, kh, ph, h)
            cols = _real_counts(ow, sw, kw, pw, w)
            divisor = np.multiply.outer(rows, cols).astype(out.dtype)
            out /= divisor if out.ndim == 2 else divisor[:, :, None]
    return out


def _real_counts(n_out: int, stride: int, k: int, pad: int, n_in: int) -> np.ndarray:
    """Per output position along one axis: how many of the window's taps fall on real pixels."""
    start = np.arange(n_out) * stride - pad
    return np.minimum(start + k, n_in) - np.maximum(start, 0)


@dataclass(frozen=True)
class PoolStep:
    """One position of the pooling window over a 2-D map.

    ``window`` has the window's shape ``(KH, KW)`` and holds what the pooling sees: the input
    values, with padding as −∞ for ``"max"`` and 0 for ``"avg"``. ``rows``/``cols`` are the
    input coordinates of the window's rows and columns (negative or ≥ the map size on padding);
    ``in_image`` is True where a cell lies on a real pixel. ``value`` equals
    ``pool(...)[out_index]``; ``winner`` is the input ``(row, col)`` of the maximum (the first in
    row-major order on a tie), ``None`` for ``"avg"``; ``divisor`` is what the sum is divided by
    (``"avg"``; 1 for ``"max"``).
    """

    index: int
    out_index: tuple[int, int]
    mode: str
    window: np.ndarray = field(repr=False)
    rows: np.ndarray = field(repr=False)
    cols: np.ndarray = field(repr=False)
    in_image: np.ndarray = field(repr=False)
    value: float
    winner: tuple[int, int] | None
    divisor: int

    @property
    def covers(self) -> list[tuple[int, int]]:
        """``(row, col)`` of every real input pixel under the window, row-major."""
        rr, cc = np.meshgrid(self.rows, self.cols, indexing="ij")
        return list(zip(rr[self.in_image].tolist(), cc[self.in_image].tolist()))

    @property
    def expression(self) -> str:
        """The arithmetic: ``max(3, 7, 1, 0) = 7`` (real pixels only, since −∞ padding never wins), or
        ``(3 + 7 + 1 + 0) / 4 = 2.75`` (padding zeros written when they count, ``count_include_pad``)."""
        if self.mode == "max":
            values = self.window[self.in_image]
            return f"max({', '.join(format_number(v) for v in values.tolist())}) = {format_number(self.value)}"
        counted = self.window.ravel() if self.divisor == self.window.size else self.window[self.in_image]
        terms = " + ".join(format_number(v) for v in counted.tolist())
        return f"({terms}) / {self.divisor} = {format_number(self.value)}"


class PoolStepSequence(GridSteps):
    """Lazy, indexable sequence of :class:`PoolStep`, row-major over the output."""

    def __init__(self, image: np.ndarray, geo: PoolGeometry, mode: str, count_include_pad: bool):
        self.image = image
        self.mode = mode
        self.count_include_pad = bool(count_include_pad)
        self.kernel_size, self.stride, self.padding = geo.kernel, geo.stride, geo.padding
        self.image_hw, self.output_hw = geo.input_hw, geo.out_hw

    def _grid_hw(self) -> tuple[int, int]:
        return self.output_hw

    def _step(self, i: int, r: int, c: int) -> PoolStep:
        (kh, kw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self.padding
        (h, w) = self.image_hw
        rows = r * sh - ph + np.arange(kh)
        cols = c * sw - pw + np.arange(kw)
        inside = ((rows >= 0) & (rows < h))[:, None] & ((cols >= 0) & (cols < w))[None, :]
        fill = -np.inf if self.mode == "max" else 0.0
        window = np.full((kh, kw), fill, dtype=self.image.dtype)
        window[inside] = self.image[np.ix_(np.clip(rows, 0, h - 1), np.clip(cols, 0, w - 1))][inside]
        window.flags.writeable = False
        winner = None
        if self.mode == "max":
            # NaN wins, as it does in PyTorch; otherwise the first maximum in row-major order
            flat = window.ravel()
            nans = np.flatnonzero(np.isnan(flat))
            best = int(nans[0]) if nans.size else int(np.argmax(flat))
            a, b = divmod(best, kw)
            winner = (int(rows[a]), int(cols[b]))
            value, divisor = float(flat[best]), 1
        else:
            divisor = kh * kw if self.count_include_pad else int(inside.sum())
            value = float(np.sum(window, dtype=np.float64) / divisor)
        return PoolStep(i, (r, c), self.mode, window, rows, cols, inside, value, winner, divisor)


def pool_steps(x2d, kernel_size, *, stride=None, padding=0, mode="max", count_include_pad=True) -> PoolStepSequence:
    """Every position of the pooling window over a 2-D map, as a lazy sequence of :class:`PoolStep`.

    Same arguments as :func:`pool`; step ``i``'s ``value`` equals ``pool(...)[step.out_index]``.
    For a colour or multi-channel input, pass one channel (``x[..., c]``).
    """
    img = as_image(x2d)
    if img.ndim != 2:
        raise ValueError(f"Pooling steps need a 2-D map (H, W), but it has shape {img.shape}: pass one channel.")
    _check_mode(mode)
    geo = PoolGeometry(img.shape, kernel_size, stride, padding)
    return PoolStepSequence(img, geo, mode, count_include_pad)


@dataclass(frozen=True)
class ShiftDifference:
    """How much a small shift of the input changes a map before and after pooling.

    ``*_change`` is the mean absolute difference divided by the mean absolute value of the
    unshifted map (``nan`` when that is 0); ``*_changed_fraction`` the fraction of positions
    whose value changed at all. Translation invariance shows as ``pooled_change`` well below
    ``unpooled_change``.
    """

    shift: tuple[int, int]
    unpooled_change: float
    pooled_change: float
    unpooled_changed_fraction: float
    pooled_changed_fraction: float


def _relative_change(before: np.ndarray, after: np.ndarray) -> tuple[float, float]:
    scale = float(np.mean(np.abs(before)))
    diff = np.abs(after - before)
    change = float(np.mean(diff)) / scale if scale > 0 else float("nan")
    return change, float(np.mean(diff > 0))


def pooled_shift_difference(x, shift, kernel_size, *, stride=None, padding=0, mode="max",
                            count_include_pad=True) -> ShiftDifference:
    """Compare the map and its shifted copy, unpooled and pooled (the invariance demonstration).

    ``x`` is ``(H, W)`` or ``(H, W, C)``; ``shift`` ``(dy, dx)`` pixels (an int shifts both axes).
    Both maps are crops of ``x`` of the same size, ``max(|dy|, |dx|)`` pixels in from each border,
    the second holding the first's content moved by ``shift`` — so no padding or wrap-around
    enters the comparison. They are compared pixel by pixel at the same positions, then pooled
    with the given settings (as :func:`pool`) and compared again.
    """
    img = as_image(x)
    if isinstance(shift, (int, np.integer)) and not isinstance(shift, bool):
        shift = (int(shift), int(shift))
    try:
        dy, dx = (int(v) for v in shift)
    except (TypeError, ValueError):
        raise ValueError(f"shift must be an integer or a pair (dy, dx), not {shift!r}.") from None
    m = max(abs(dy), abs(dx))
    h, w = img.shape[:2]
    if 2 * m >= min(h, w):
        raise ValueError(f"A shift of {(dy, dx)} leaves nothing of a {h}×{w} map to compare: use a smaller shift.")
    before = img[m:h - m, m:w - m]
    after = img[m - dy:h - m - dy, m - dx:w - m - dx]
    unpooled, unpooled_fraction = _relative_change(before, after)
    options = dict(stride=stride, padding=padding, mode=mode, count_include_pad=count_include_pad)
    pooled, pooled_fraction = _relative_change(pool(before, kernel_size, **options),
                                               pool(after, kernel_size, **options))
    return ShiftDifference((dy, dx), unpooled, pooled, unpooled_fraction, pooled_fraction)
