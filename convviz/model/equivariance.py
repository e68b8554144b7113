"""Translation equivariance: shifting the input shifts a convolution's output the same way.

``conv(shift(x)) == shift(conv(x))`` holds exactly away from the border (zero padding;
with stride ``S`` for shifts that are multiples of ``S``, the output moving ``shift/S``).
Near the border the two differ because the shift pushes pixels out of the frame and brings
zeros in; :func:`border_mask` says exactly where a difference is possible. A dense layer (one
weight per input–output pair) has no such property: its output of a shifted input is a different
pattern, not a shifted copy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._args import as_image, as_pair, resolve_padding
from .engine import convolve, correlate
from .filtering import to_gray


def shift_image(image, dy: int, dx: int, fill: float = 0.0) -> np.ndarray:
    """``image`` moved ``dy`` rows down and ``dx`` columns right; uncovered pixels get ``fill``.

    ``out[y, x] = image[y − dy, x − dx]`` where that pixel exists. Works on (H, W) and (H, W, C).
    """
    img = as_image(image)
    dy, dx = int(dy), int(dx)
    out = np.full_like(img, fill)
    h, w = img.shape[:2]
    if abs(dy) >= h or abs(dx) >= w:
        return out
    src_r, dst_r = slice(max(0, -dy), h - max(0, dy)), slice(max(0, dy), h - max(0, -dy))
    src_c, dst_c = slice(max(0, -dx), w - max(0, dx)), slice(max(0, dx), w - max(0, -dx))
    out[dst_r, dst_c] = img[src_r, src_c]
    return out


def centre_crop(image, size: int) -> np.ndarray:
    """The central ``size × size`` part of a grey version of ``image`` (the whole image when smaller).

    The image is cropped first and only the crop is converted to float64 and turned into luminance, so a
    12-megapixel photo costs the crop's pixels, never a float64 copy of the whole picture.
    """
    raw = np.asarray(image)
    if raw.ndim not in (2, 3):
        as_image(raw)                          # raises the sentence for a wrong number of dimensions
    h, w = raw.shape[:2]
    size = max(1, int(size))
    top, left = max(0, (h - size) // 2), max(0, (w - size) // 2)
    return np.array(to_gray(as_image(raw[top:top + size, left:left + size])))   # a copy: never a view of the photo


def liveliest_window(image, size: int) -> tuple[int, int]:
    """Top-left ``(row, col)`` of the ``size × size`` window of a 2-D ``image`` with the largest variance.

    Picks the part of a picture with the most detail (edges, texture) rather than a flat patch.
    Ties go to the first window in row-major order; an image smaller than ``size`` gives ``(0, 0)``.
    """
    img = as_image(image)
    if img.ndim != 2:
        raise ValueError(f"liveliest_window needs a 2-D (grey) image, not shape {img.shape}.")
    size = int(size)
    h, w = img.shape
    if size >= h and size >= w:
        return 0, 0
    kh, kw = min(size, h), min(size, w)
    centred = img - img.mean()
    mean = _box_mean(centred, kh, kw)
    variance = _box_mean(centred * centred, kh, kw) - mean * mean
    best = np.unravel_index(int(np.argmax(np.round(variance, 9))), variance.shape)
    return int(best[0]), int(best[1])


def _box_mean(values: np.ndarray, kh: int, kw: int) -> np.ndarray:
    """Mean of every ``kh × kw`` window (valid positions), from a summed-area table."""
    table = np.zeros((values.shape[0] + 1, values.shape[1] + 1))
    table[1:, 1:] = values.cumsum(axis=0).cumsum(axis=1)
    sums = table[kh:, kw:] - table[:-kh, kw:] - table[kh:, :-kw] + table[:-kh, :-kw]
    return sums / (kh * kw)


def border_mask(input_hw, kernel_hw, dy: int, dx: int, padding="same", *, dilation=1) -> np.ndarray:
    """Boolean map over the output: True where ``conv(shift(x))`` and ``shift(conv(x))`` may differ.

    Stride 1, zero padding. Outside the mask the two are equal for every image and
    kernel. The mask covers outputs whose window reaches a pixel the shift pushed out
    of the frame, and outputs that ``shift(conv(x))`` fills with zeros.
    """
    h, w = (int(v) for v in tuple(input_hw)[:2])
    kh, kw = (int(v) for v in tuple(kernel_hw)[:2])
    dil = as_pair(dilation, "dilation", minimum=1)
    pads = resolve_padding(padding, (kh, kw), dil)
    rows = _axis(h, kh, pads.top, pads.top + pads.bottom, dil[0], int(dy))
    cols = _axis(w, kw, pads.left, pads.left + pads.right, dil[1], int(dx))
    (row_ok, row_bad, row_any), (col_ok, col_bad, col_any) = rows, cols
    outside = ~(row_ok[:, None] & col_ok[None, :])
    pushed_out = (row_bad[:, None] & col_any[None, :]) | (row_any[:, None] & col_bad[None, :])
    return outside | pushed_out


def _axis(n: int, k: int, pad_before: int, pad_total: int, d: int, shift: int):
    """Per output index along one axis: has a source after shifting; reads a pushed-out pixel; reads any."""
    out_n = n + pad_total - d * (k - 1)
    o = np.arange(max(out_n, 0))
    taps = o[:, None] - pad_before + d * np.arange(k)[None, :]
    in_frame = (taps >= 0) & (taps < n)
    source_in_frame = (taps - shift >= 0) & (taps - shift < n)
    has_source = (o - shift >= 0) & (o - shift < out_n)
    return has_source, (source_in_frame & ~in_frame).any(axis=1), source_in_frame.any(axis=1)


@dataclass(frozen=True)
class EquivarianceCheck:
    """``conv(shift(x))`` next to ``shift(conv(x))``, their difference and where it may be non-zero."""

    shift: tuple[int, int]
    conv_of_shift: np.ndarray
    shift_of_conv: np.ndarray
    difference: np.ndarray          # conv_of_shift − shift_of_conv
    border: np.ndarray              # bool, True where a difference is possible
    max_difference_inside: float    # max |difference| away from the border (0 up to rounding)
    max_difference_border: float    # max |difference| on the border
    pooled_input: float             # max over conv(x): one number for the whole map ...
    pooled_shifted: float           # ... and over conv(shift(x)): pooling makes it shift-invariant
    stride: tuple[int, int] = (1, 1)
    output_shift: tuple[int, int] = (0, 0)   # how far the output is moved: shift / stride, rounded
    exact: bool = True                       # the shift is a multiple of the stride


def equivariance_check(image, kernel, dy: int, dx: int, padding="same", *, stride=1, dilation=1,
                       flip=False) -> EquivarianceCheck:
    """Compare ``conv(shift(x))`` with ``shift(conv(x))`` for a 2-D ``image`` (zero padding).

    With stride ``S`` the output can only move in whole output pixels, ``(dy/S, dx/S)``:
    when the shift is a multiple of the stride the check is exact (``exact``), otherwise the
    output is compared with the nearest whole move and differs inside the picture too.
    ``flip`` uses true convolution instead of cross-correlation (equivariance holds for both).
    """
    img = as_image(image)
    if img.ndim != 2:
        raise ValueError(f"equivariance_check needs a 2-D (grey) image, not shape {img.shape}.")
    sh, sw = as_pair(stride, "stride", minimum=1)
    dy, dx = int(dy), int(dx)
    out_shift = (_nearest(dy, sh), _nearest(dx, sw))
    exact = dy % sh == 0 and dx % sw == 0
    op = convolve if flip else correlate
    kw = dict(stride=(sh, sw), dilation=dilation)
    out = op(img, kernel, padding, **kw)
    conv_of_shift = op(shift_image(img, dy, dx), kernel, padding, **kw)
    shift_of_conv = shift_image(out, *out_shift)
    diff = conv_of_shift - shift_of_conv
    kernel_hw = np.shape(kernel)
    border = border_mask(img.shape, kernel_hw, dy, dx, padding, dilation=dilation)
    if not exact:
        border |= border_mask(img.shape, kernel_hw, out_shift[0] * sh, out_shift[1] * sw, padding, dilation=dilation)
    border = border[::sh, ::sw]
    return EquivarianceCheck(
        shift=(dy, dx), conv_of_shift=conv_of_shift, shift_of_conv=shift_of_conv,
        difference=diff, border=border,
        max_difference_inside=_max_abs(diff[~border]), max_difference_border=_max_abs(diff[border]),
        pooled_input=float(out.max()), pooled_shifted=float(conv_of_shift.max()),
        stride=(sh, sw), output_shift=out_shift, exact=exact,
    )


def _nearest(shift: int, stride: int) -> int:
    """``shift / stride`` rounded to the nearest whole number (halves away from zero)."""
    q = abs(shift) / stride
    return int(np.floor(q + 0.5)) * (1 if shift >= 0 else -1)


def _max_abs(values: np.ndarray) -> float:
    return float(np.abs(values).max()) if values.size else 0.0


def dense_weights(n_inputs: int, n_outputs: int, seed: int = 0) -> np.ndarray:
    """A fixed random dense layer ``(n_outputs, n_inputs)``: normal weights scaled by ``1/√n_inputs``.

    The same ``seed`` always gives the same matrix, so the class sees the same picture each time.
    """
    rng = np.random.default_rng(seed)
    return rng.standard_normal((int(n_outputs), int(n_inputs))) / np.sqrt(n_inputs)


@dataclass(frozen=True)
class DenseCheck:
    """A dense layer's output for ``x`` and for ``shift(x)``, and how far it is from following the shift."""

    shift: tuple[int, int]
    output: np.ndarray                # dense(x), reshaped to the image
    output_of_shift: np.ndarray       # dense(shift(x))
    shift_of_output: np.ndarray       # shift(dense(x)): what it would be if it followed the shift
    relative_mismatch: float          # max |dense(shift x) − shift(dense x)| / max |dense(x)|, where both exist
    #                                   (nan when the shift moves the whole image out of the frame)


def dense_check(image, dy: int, dx: int, seed: int = 0) -> DenseCheck:
    """Push a 2-D ``image`` and its shifted copy through a random dense layer with as many outputs as pixels."""
    img = as_image(image)
    if img.ndim != 2:
        raise ValueError(f"dense_check needs a 2-D (grey) image, not shape {img.shape}.")
    weights = dense_weights(img.size, img.size, seed)
    out = (weights @ img.ravel()).reshape(img.shape)
    out_shift = (weights @ shift_image(img, dy, dx).ravel()).reshape(img.shape)
    shift_out = shift_image(out, dy, dx)
    has_source = shift_image(np.ones(img.shape), dy, dx) > 0
    scale = _max_abs(out)
    if not has_source.any():
        mismatch = float("nan")
    else:
        mismatch = _max_abs((out_shift - shift_out)[has_source]) / scale if scale > 0 else 0.0
    return DenseCheck(shift=(int(dy), int(dx)), output=out, output_of_shift=out_shift,
                      shift_of_output=shift_out, relative_mismatch=mismatch)
