"""Learning a kernel: the mean-squared-error loss and its exact gradient."""

from __future__ import annotations

import numpy as np

from ._args import as_image, as_kernel, check_ranks, geometry, pad_image
from .engine import _correlate_checked


def mse_loss_grad(image, target, kernel, padding="valid", *, stride=1, dilation=1) -> tuple[float, np.ndarray]:
    """Loss ``mean((correlate(image, kernel, ...) − target)²)`` and its gradient w.r.t. ``kernel``.

    The gradient is analytic: ``∂L/∂k[a, b] = (2/N) Σ r[i, j] · x_pad[i·S + a·D, j·S + b·D]`` with the
    residual ``r`` — the correlation of the padded input with the residual. Zero padding.

    Returns ``(loss, grad)`` with ``grad`` of the kernel's shape, float64.
    """
    img = as_image(image).astype(np.float64, copy=False)
    ker = as_kernel(kernel, np.dtype(np.float64))
    check_ranks(img, ker)
    geo = geometry(img.shape[:2], ker.shape[:2], padding, stride, dilation, "zeros")
    tgt = np.asarray(target, dtype=np.float64)
    if tgt.shape != geo.out_hw:
        raise ValueError(f"The target has shape {tgt.shape} but the output has shape {geo.out_hw}.")
    padded = pad_image(img, geo.pads, "zeros")
    residual = _correlate_checked(img, ker, geo) - tgt
    n = residual.size
    loss = float(np.mean(residual * residual))
    (oh, ow), (sh, sw), (dh, dw) = geo.out_hw, geo.stride, geo.dilation
    grad = np.empty(ker.shape, dtype=np.float64)
    scale = 2.0 / n
    for a in range(ker.shape[0]):
        for b in range(ker.shape[1]):
            window = padded[a * dh:a * dh + (oh - 1) * sh + 1:sh, b * dw:b * dw + (ow - 1) * sw + 1:sw]
            # einsum, not tensordot: tensordot copies the strided window and calls a threaded BLAS dot,
            # 25× slower here and ~500× slower when other processes load the CPU (OpenBLAS threads spin)
            grad[a, b] = scale * np.einsum("ij,ij...->...", residual, window)
    return loss, grad
