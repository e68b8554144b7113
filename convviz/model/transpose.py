"""Transposed convolution (``F.conv_transpose2d``): each input value scatters a copy of the kernel.

Picture it on a *canvas*: input pixel ``(i, j)`` adds ``x[i, j] · w`` to the canvas cells
``(i·S + a·D, j·S + b·D)`` for every tap ``(a, b)``; overlapping copies sum. The canvas has
``(H−1)·S + D·(K−1) + 1 + output_padding`` rows (the last ``output_padding`` rows receive
nothing), and the output is the canvas with ``padding`` rows cut from the top and the bottom
of the scatter — ``canvas[P : P + H']`` with ``H' = (H−1)·S − 2P + D·(K−1) + output_padding + 1``.
The same output is an ordinary (valid) correlation of the zero-inserted, padded input with
the flipped kernel (:func:`zero_inserted`), and the operation is the adjoint of
:func:`~convviz.model.correlate` with the same stride, padding and dilation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ._args import as_image, as_kernel, as_pair
from .grid_steps import GridSteps


@dataclass(frozen=True)
class TransposeGeometry:
    """Checked settings and sizes of one transposed convolution (pairs are (rows, cols))."""

    input_hw: tuple[int, int]
    kernel_hw: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]
    output_padding: tuple[int, int]
    dilation: tuple[int, int]

    @property
    def canvas_hw(self) -> tuple[int, int]:
        """Rows and columns of the uncropped scatter, output padding included."""
        return tuple(  # type: ignore[return-value]
            (n - 1) * s + d * (k - 1) + 1 + op
            for n, k, s, d, op in zip(self.input_hw, self.kernel_hw, self.stride, self.dilation, self.output_padding)
        )

    @property
    def out_hw(self) -> tuple[int, int]:
        """``(H', W')``, per axis ``(N−1)·S − 2P + D·(K−1) + output_padding + 1``."""
        return tuple(c - 2 * p for c, p in zip(self.canvas_hw, self.padding))  # type: ignore[return-value]


def transpose_geometry(input_hw, kernel_hw, *, stride=1, padding=0, output_padding=0,
                       dilation=1) -> TransposeGeometry:
    """Check the settings as PyTorch does and return the sizes; ``ValueError`` says what to change."""
    if isinstance(padding, str):
        raise ValueError(f"Transposed convolution takes padding as an integer or a pair (ph, pw), not {padding!r}.")
    geo = TransposeGeometry(
        input_hw=(int(input_hw[0]), int(input_hw[1])),
        kernel_hw=(int(kernel_hw[0]), int(kernel_hw[1])),
        stride=as_pair(stride, "stride", minimum=1),
        padding=as_pair(padding, "padding", minimum=0),
        output_padding=as_pair(output_padding, "output_padding", minimum=0),
        dilation=as_pair(dilation, "dilation", minimum=1),
    )
    for op, s, d in zip(geo.output_padding, geo.stride, geo.dilation):
        if op >= s and op >= d:
            raise ValueError(
                f"output_padding {op} must be smaller than the stride ({s}) or the dilation ({d}): "
                f"it only picks between output sizes that the same correlation would shrink to."
            )
    oh, ow = geo.out_hw
    if oh < 1 or ow < 1:
        raise ValueError(
            f"The output would be {oh}×{ow}: padding {geo.padding[0]}×{geo.padding[1]} cuts away more than the "
            f"{geo.canvas_hw[0]}×{geo.canvas_hw[1]} scatter; use less padding, a larger kernel or stride."
        )
    return geo


def _weights_and_input(x, weights) -> tuple[np.ndarray, np.ndarray, bool]:
    """``(x (H, W, C_in), w (KH, KW, C_in, C_out), two_d)`` from the accepted combinations."""
    img = as_image(x)
    w = as_kernel(weights, img.dtype, name="weights")
    if img.ndim == 2 and w.ndim == 2:
        return img[:, :, None], w[:, :, None, None], True
    if w.ndim != 4:
        raise ValueError(
            f"Transposed convolution takes a 2-D input with 2-D weights (KH, KW), or an (H, W, C_in) input with "
            f"weights (KH, KW, C_in, C_out); got input {img.shape} and weights {w.shape}."
        )
    if img.ndim == 2:
        img = img[:, :, None]
    if w.shape[2] != img.shape[2]:
        raise ValueError(
            f"Channel mismatch: the input has {img.shape[2]} channels but the weights expect {w.shape[2]} "
            f"(weights are (KH, KW, C_in, C_out))."
        )
    return img, w, False


def _scatter(img: np.ndarray, w: np.ndarray, geo: TransposeGeometry) -> np.ndarray:
    """The canvas ``(CH, CW, C_out)``: one strided add of ``x @ w[a, b]`` per kernel tap."""
    (h, wd), (kh, kw) = geo.input_hw, geo.kernel_hw
    (sh, sw), (dh, dw) = geo.stride, geo.dilation
    canvas = np.zeros(geo.canvas_hw + (w.shape[3],), dtype=img.dtype)
    for a in range(kh):
        for b in range(kw):
            r0, c0 = a * dh, b * dw
            canvas[r0:r0 + (h - 1) * sh + 1:sh, c0:c0 + (wd - 1) * sw + 1:sw] += img @ w[a, b]
    return canvas


def conv_transpose(x, weights, *, stride=1, padding=0, output_padding=0, dilation=1) -> np.ndarray:
    """Transposed convolution, equal to ``F.conv_transpose2d`` with weight ``weights.transpose(2, 3, 0, 1)``.

    Parameters
    ----------
    x : array, shape (H, W) with weights (KH, KW); or (H, W, C_in) with weights (KH, KW, C_in, C_out)
        float32 in gives float32 out; everything else is computed in float64.
    stride, padding, output_padding, dilation : int or (int, int), keyword-only
        ``padding`` crops that many rows/columns from each side of the scatter; ``output_padding``
        (smaller than the stride or the dilation) adds rows/columns at the bottom/right.

    Returns
    -------
    out : ndarray, shape (H', W') or (H', W', C_out), ``H' = (H−1)·S − 2P + D·(K−1) + output_padding + 1``

    >>> conv_transpose(np.array([[1, 2], [3, 4]]), np.ones((2, 2)), stride=2).tolist()[0]
    [1.0, 1.0, 2.0, 2.0]
    """
    img, w, two_d = _weights_and_input(x, weights)
    geo = transpose_geometry(img.shape[:2], w.shape[:2], stride=stride, padding=padding,
                             output_padding=output_padding, dilation=dilation)
    canvas = _scatter(img, w, geo)
    (ph, pw), (oh, ow) = geo.padding, geo.out_hw
    out = np.ascontiguousarray(canvas[ph:ph + oh, pw:pw + ow])
    return out[:, :, 0] if two_d else out


def transpose_output_formula(n: int, k: int, stride: int = 1, padding: int = 0, output_padding: int = 0,
                             dilation: int = 1) -> str:
    """The output-size formula with today's numbers, e.g. ``(4−1)·2 − 2·1 + 1·(3−1) + 1 + 1 = 8``."""
    result = (n - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1
    return f"({n}−1)·{stride} − 2·{padding} + {dilation}·({k}−1) + {output_padding} + 1 = {result}"


def _checked_2d(x2d, w2d) -> tuple[np.ndarray, np.ndarray]:
    img = as_image(x2d)
    w = as_kernel(w2d, img.dtype)
    if img.ndim != 2 or w.ndim != 2:
        raise ValueError(
            f"The step-through works on one channel: a 2-D input and a 2-D kernel, not {img.shape} and {w.shape}."
        )
    return img, w


def zero_inserted(x2d, stride=1, padding=0, kernel_shape=(3, 3), dilation=1, output_padding=0) -> np.ndarray:
    """The input with ``S−1`` zeros between pixels and ``D·(K−1) − P`` padding on each side
    (``+ output_padding`` at the bottom/right; a negative amount crops), so that
    ``correlate(zero_inserted(x, ...), w[::-1, ::-1], dilation=D)`` equals ``conv_transpose(x, w, ...)``.

    Shape: ``(H' + D·(KH−1), W' + D·(KW−1))``. :func:`zero_inserted_sources` says which cells hold input pixels.
    """
    img = as_image(x2d)
    if img.ndim != 2:
        raise ValueError(f"zero_inserted works on a 2-D input (H, W), not {img.shape}: pass one channel.")
    rows, cols = zero_inserted_sources(img.shape, stride, padding, kernel_shape, dilation, output_padding)
    out = np.zeros((rows.size, cols.size), dtype=img.dtype)
    r_dst, c_dst = np.flatnonzero(rows >= 0), np.flatnonzero(cols >= 0)
    out[np.ix_(r_dst, c_dst)] = img[np.ix_(rows[r_dst], cols[c_dst])]
    return out


def zero_inserted_sources(input_hw, stride=1, padding=0, kernel_shape=(3, 3), dilation=1,
                          output_padding=0) -> tuple[np.ndarray, np.ndarray]:
    """For each row and each column of :func:`zero_inserted`'s array, the input row/column it holds, or −1
    (an inserted zero or padding). A view colours cells by these."""
    shape = kernel_shape if isinstance(kernel_shape, (int, np.integer)) else tuple(kernel_shape)[:2]
    kh, kw = as_pair(shape, "kernel_shape", minimum=1)
    geo = transpose_geometry(input_hw[:2], (kh, kw), stride=stride, padding=padding,
                             output_padding=output_padding, dilation=dilation)
    sources = []
    for n, k, s, p, d, size in zip(geo.input_hw, geo.kernel_hw, geo.stride, geo.padding, geo.dilation,
                                   geo.out_hw):
        src = np.full(size + d * (k - 1), -1, dtype=np.intp)
        # input pixel i sits at d·(k−1) + i·s in the uncropped array, p cells are cropped at the start
        where = d * (k - 1) + np.arange(n) * s - p
        keep = (where >= 0) & (where < src.size)
        src[where[keep]] = np.arange(n)[keep]
        sources.append(src)
    return sources[0], sources[1]


@dataclass(frozen=True)
class ScatterStep:
    """Input pixel ``in_index`` scattering ``value · kernel`` onto the canvas.

    Coordinates are **canvas** coordinates (before ``padding`` is cropped): ``rows``/``cols``
    are the canvas rows/columns the kernel taps land on (``i·S + a·D``); ``output_rows`` /
    ``output_cols`` are the same minus the padding, i.e. output coordinates, negative or ≥ the
    output size where the contribution is cropped away (``in_output`` marks the cells kept).
    ``contribution`` is ``value · kernel`` (the kernel's shape); ``running_canvas`` the canvas after
    this step (every input pixel up to this one, row-major), ``running_output`` its cropped part.
    """

    index: int
    in_index: tuple[int, int]
    value: float
    kernel: np.ndarray = field(repr=False)
    rows: np.ndarray = field(repr=False)
    cols: np.ndarray = field(repr=False)
    padding: tuple[int, int]
    out_hw: tuple[int, int]
    _sequence: TransposeScatterSequence = field(repr=False, compare=False)

    @cached_property
    def contribution(self) -> np.ndarray:
        return self.value * self.kernel

    @property
    def output_rows(self) -> np.ndarray:
        return self.rows - self.padding[0]

    @property
    def output_cols(self) -> np.ndarray:
        return self.cols - self.padding[1]

    @property
    def in_output(self) -> np.ndarray:
        """``(KH, KW)`` bool: True where the tap's contribution lands inside the output (not cropped)."""
        r, c = self.output_rows, self.output_cols
        return ((r >= 0) & (r < self.out_hw[0]))[:, None] & ((c >= 0) & (c < self.out_hw[1]))[None, :]

    @cached_property
    def running_canvas(self) -> np.ndarray:
        return self._sequence.canvas_after(self.index)

    @property
    def running_output(self) -> np.ndarray:
        (ph, pw), (oh, ow) = self.padding, self.out_hw
        return self.running_canvas[ph:ph + oh, pw:pw + ow]

    @property
    def expression(self) -> str:
        """E.g. ``x[1, 2] = 3 adds 3 × kernel to canvas rows 2–4, columns 4–6``."""
        from .stepping import format_number

        return (f"x[{self.in_index[0]}, {self.in_index[1]}] = {format_number(self.value)} adds "
                f"{format_number(self.value)} × kernel to canvas rows {_span(self.rows)}, columns {_span(self.cols)}")


def _span(values: np.ndarray) -> str:
    lo, hi = int(values[0]), int(values[-1])
    step = int(values[1] - values[0]) if values.size > 1 else 1
    if lo == hi:
        return str(lo)
    return f"{lo}–{hi}" if step == 1 else f"{lo}–{hi} every {step}"


class TransposeScatterSequence(GridSteps):
    """Lazy, indexable sequence of :class:`ScatterStep`, one per input pixel in row-major order."""

    def __init__(self, image: np.ndarray, kernel: np.ndarray, geo: TransposeGeometry):
        self.image, self.kernel, self.geometry = image, kernel, geo
        self.input_hw, self.canvas_hw, self.output_hw = geo.input_hw, geo.canvas_hw, geo.out_hw
        self.padding = geo.padding

    position_name = "input"

    def _grid_hw(self) -> tuple[int, int]:
        return self.input_hw

    def _step(self, i: int, r: int, c: int) -> ScatterStep:
        (kh, kw), (sh, sw), (dh, dw) = self.geometry.kernel_hw, self.geometry.stride, self.geometry.dilation
        return ScatterStep(i, (r, c), float(self.image[r, c]), self.kernel, r * sh + np.arange(kh) * dh,
                           c * sw + np.arange(kw) * dw, self.padding, self.output_hw, self)

    def canvas_after(self, index: int) -> np.ndarray:
        """The canvas once input pixels ``0 … index`` (row-major) have scattered."""
        partial = np.zeros_like(self.image)
        partial.ravel()[:index + 1] = self.image.ravel()[:index + 1]
        canvas = _scatter(partial[:, :, None], self.kernel[:, :, None, None], self.geometry)[:, :, 0]
        canvas.flags.writeable = False
        return canvas


def transpose_scatter_steps(x2d, w2d, *, stride=1, padding=0, output_padding=0,
                            dilation=1) -> TransposeScatterSequence:
    """The transposed convolution of a 2-D input, one input pixel's scatter at a time (lazy).

    The last step's ``running_output`` equals ``conv_transpose(x2d, w2d, ...)``.
    """
    img, w = _checked_2d(x2d, w2d)
    geo = transpose_geometry(img.shape, w.shape, stride=stride, padding=padding,
                             output_padding=output_padding, dilation=dilation)
    w = np.array(w)
    w.flags.writeable = False
    return TransposeScatterSequence(img, w, geo)
