"""Filtering a whole picture as an image editor does: grey or per colour channel."""

from __future__ import annotations

import numpy as np

from ._args import as_image
from .engine import convolve, correlate

LUMA_WEIGHTS = (0.299, 0.587, 0.114)


def to_gray(image) -> np.ndarray:
    """Luminance ``0.299 R + 0.587 G + 0.114 B`` of an (H, W, 3|4) image; a 2-D image is returned as is."""
    raw = np.asarray(image)
    if raw.dtype == np.uint8 and raw.ndim == 3 and raw.shape[2] in (3, 4):
        # an 8-bit photo: one channel at a time in float64 (a 12-megapixel photo never needs a 288 MB copy)
        out = LUMA_WEIGHTS[0] * raw[:, :, 0].astype(np.float64)
        out += LUMA_WEIGHTS[1] * raw[:, :, 1].astype(np.float64)
        out += LUMA_WEIGHTS[2] * raw[:, :, 2].astype(np.float64)
        return out
    img = as_image(raw)
    if img.ndim == 2:
        return img
    if img.shape[2] == 1:
        return img[:, :, 0]
    if img.shape[2] not in (3, 4):
        raise ValueError(f"to_gray needs an RGB image (H, W, 3), not shape {img.shape}.")
    r, g, b = (img[:, :, i] for i in range(3))
    return LUMA_WEIGHTS[0] * r + LUMA_WEIGHTS[1] * g + LUMA_WEIGHTS[2] * b


def filter_image(image, kernel, padding="valid", *, stride=1, dilation=1, padding_mode="zeros",
                 flip=False, gray=False) -> np.ndarray:
    """Filter a grey or colour picture with a 2-D kernel.

    A grey ``(H, W)`` image (or any image with ``gray=True``, converted with
    :func:`to_gray`) gives ``(H', W')``. A colour ``(H, W, C)`` image with a 2-D
    kernel is filtered channel by channel, as image editors do, giving ``(H', W', C)``;
    with a ``(KH, KW, C)`` kernel the channels are summed, giving ``(H', W')``.
    ``flip=True`` computes true convolution instead of cross-correlation.
    """
    op = convolve if flip else correlate
    raw = np.asarray(image)
    # an 8-bit picture is converted to float64 channel by channel below, never all at once
    img = raw if raw.dtype == np.uint8 and raw.ndim in (2, 3) and raw.size else as_image(raw)
    if gray:
        img = to_gray(img)
    kw = dict(stride=stride, dilation=dilation, padding_mode=padding_mode)
    k = np.asarray(kernel)
    if img.ndim == 2 or k.ndim == 3:
        return op(img, k, padding, **kw)
    first = op(img[:, :, 0], k, padding, **kw)
    out = np.empty(first.shape + (img.shape[2],), dtype=first.dtype)   # filled channel by channel
    out[:, :, 0] = first
    del first
    for c in range(1, img.shape[2]):
        out[:, :, c] = op(img[:, :, c], k, padding, **kw)
    return out
