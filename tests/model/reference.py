"""Slow, obviously-correct references the model is checked against (tests only)."""

from __future__ import annotations

import numpy as np

NUMPY_MODE = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def pads_for(padding, kh, kw, dh=1, dw=1):
    eh, ew = dh * (kh - 1), dw * (kw - 1)
    if padding == "valid":
        return 0, 0, 0, 0
    if padding == "same":
        return eh // 2, eh - eh // 2, ew // 2, ew - ew // 2
    if padding == "full":
        return eh, eh, ew, ew
    if isinstance(padding, int):
        return padding, padding, padding, padding
    return padding[0], padding[0], padding[1], padding[1]


def naive_correlate(image, kernel, padding="valid", stride=(1, 1), dilation=(1, 1), padding_mode="zeros"):
    """Four nested loops, in float64: out[i, j] = Σ k[a, b(, c)] · x_pad[i·S + a·D, j·S + b·D(, c)]."""
    x = np.asarray(image, dtype=np.float64)
    k = np.asarray(kernel, dtype=np.float64)
    kh, kw = k.shape[:2]
    (sh, sw), (dh, dw) = stride, dilation
    t, b, left, r = pads_for(padding, kh, kw, dh, dw)
    width = [(t, b), (left, r)] + [(0, 0)] * (x.ndim - 2)
    xp = np.pad(x, width, mode=NUMPY_MODE[padding_mode])
    oh = (xp.shape[0] - dh * (kh - 1) - 1) // sh + 1
    ow = (xp.shape[1] - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            total = 0.0
            for a in range(kh):
                for c in range(kw):
                    total += np.sum(k[a, c] * xp[i * sh + a * dh, j * sw + c * dw])
            out[i, j] = total
    return out
