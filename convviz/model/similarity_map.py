"""Cosine-similarity map (normalised cross-correlation): how alike each patch is to the kernel.

``cosine_similarity_map(image, kernel, ...)[r, c]`` equals
``cosine_similarity(steps(image, kernel, ...)[i].patch, kernel)`` for the step ``i`` at
output ``(r, c)``: the correlation divided by the patch length and the kernel length.
It is the "a filter finds features that correlate with it" view: 1 where the patch is
a positive multiple of the kernel, −1 where it is a negative one. ``nan`` where the
patch (or the kernel) has length 0, as :func:`~convviz.model.cosine_similarity`.
"""

from __future__ import annotations

import numpy as np

from ._args import as_image, as_kernel, check_ranks
from .engine import correlate

#: patch energies this small relative to the largest one are taken as zero (FFT round-off)
RELATIVE_ZERO = 1e-12


def cosine_similarity_map(image, kernel, padding="valid", *, stride=1, dilation=1,
                          padding_mode="zeros") -> np.ndarray:
    """Cosine similarity of every patch with ``kernel``, shape ``(H', W')`` as :func:`correlate`.

    Same arguments and conventions as :func:`~convviz.model.correlate` (no flip).
    Values lie in [−1, 1]; ``nan`` where a patch or the kernel is all zeros.
    """
    img = as_image(image).astype(np.float64, copy=False)
    ker = as_kernel(kernel, np.dtype(np.float64))
    check_ranks(img, ker)
    kw = dict(stride=stride, dilation=dilation, padding_mode=padding_mode)
    numerator = correlate(img, ker, padding, **kw)
    # Padding copies values (or inserts zeros), so squaring before padding equals squaring after.
    energy = correlate(img * img, np.ones_like(ker), padding, **kw)
    kernel_norm = float(np.sqrt(np.sum(ker * ker)))
    out = np.full(numerator.shape, np.nan)
    if kernel_norm == 0:
        return out
    largest = float(np.max(energy, initial=0.0))
    ok = energy > RELATIVE_ZERO * largest if largest > 0 else np.zeros(energy.shape, dtype=bool)
    out[ok] = numerator[ok] / (np.sqrt(energy[ok]) * kernel_norm)
    return np.clip(out, -1.0, 1.0)
