"""The small CNN's forward and backward passes on a whole mini-batch at once (pure NumPy, float64).

Layers: valid K×K correlation of a one-channel image with ``F`` filters (plus a
bias each) → ReLU → 2×2 max-pooling (stride 2, floor mode) → dense → softmax,
with the mean cross-entropy as the loss.

Why a batched patch matrix here and not :func:`convviz.model.conv_layer` per
image: a training step convolves a whole mini-batch, and calling the per-image
engine 32 times per step costs more in Python overhead than the arithmetic.
:func:`patch_matrix` lays every K×K window of every image out as one row
(``np.lib.stride_tricks.sliding_window_view``), so the convolution of the batch
with all filters is one matrix product, and the gradient of the filters is the
transposed product with the same matrix. The tests check that it equals
``conv_layer`` (and ``correlate``) image by image to 1e-12, and that the pooling
equals :func:`convviz.model.pooling.pool`.

Shapes: ``N`` images ``(N, H, W)``; filters ``(K, K, F)``; feature maps
``(N, H', W', F)`` with ``H' = H − K + 1``; pooled maps ``(N, P, Q, F)`` with
``P = ⌊H'/2⌋``; features ``(N, P·Q·F)`` flattened in (row, column, filter)
order; dense weights ``(P·Q·F, C)``; logits and probabilities ``(N, C)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ["POOL", "ForwardPass", "backward", "cross_entropy", "forward", "max_pool", "max_pool_backward",
           "patch_matrix", "softmax"]

#: side (and stride) of the max-pooling window
POOL = 2


def patch_matrix(images: np.ndarray, kernel_size: int) -> np.ndarray:
    """Every K×K window of every image as one row: ``(N·H'·W', K·K)``, rows in (image, row, column) order."""
    windows = sliding_window_view(images, (kernel_size, kernel_size), axis=(1, 2))  # (N, H', W', K, K)
    return windows.reshape(-1, kernel_size * kernel_size)


def max_pool(maps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """2×2 max-pooling with stride 2 of maps ``(N, H', W', F)`` (a ragged last row/column is dropped).

    Returns ``pooled (N, P, Q, F)`` and ``winners (N, P, Q, F)``: the position 0–3 of the maximum
    inside its window, in row-major order; ties go to the first, as PyTorch's ``max_pool2d`` does.
    """
    n, h, w, f = maps.shape
    p, q = h // POOL, w // POOL
    blocks = maps[:, :p * POOL, :q * POOL].reshape(n, p, POOL, q, POOL, f)
    windows = blocks.transpose(0, 1, 3, 5, 2, 4).reshape(n, p, q, f, POOL * POOL)
    winners = np.argmax(windows, axis=-1)
    pooled = np.take_along_axis(windows, winners[..., None], axis=-1)[..., 0]
    return pooled, winners


def max_pool_backward(grad_pooled: np.ndarray, winners: np.ndarray, maps_shape: tuple[int, ...]) -> np.ndarray:
    """The gradient with respect to the maps ``(N, H', W', F)``: each window's gradient goes to its winner."""
    n, p, q, f = grad_pooled.shape
    windows = np.zeros((n, p, q, f, POOL * POOL), dtype=grad_pooled.dtype)
    np.put_along_axis(windows, winners[..., None], grad_pooled[..., None], axis=-1)
    blocks = windows.reshape(n, p, q, f, POOL, POOL).transpose(0, 1, 4, 2, 5, 3).reshape(n, p * POOL, q * POOL, f)
    grad = np.zeros(maps_shape, dtype=grad_pooled.dtype)
    grad[:, :p * POOL, :q * POOL] = blocks
    return grad


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax of ``(N, C)`` logits (shifted by the row maximum, so it never overflows)."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def cross_entropy(logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Per-image cross-entropy ``−log softmax(logits)[label]``, ``(N,)``, computed as log-sum-exp − logit."""
    top = logits.max(axis=1, keepdims=True)
    log_sum = np.log(np.exp(logits - top).sum(axis=1)) + top[:, 0]
    return log_sum - logits[np.arange(labels.size), labels]


@dataclass(frozen=True)
class ForwardPass:
    """Everything the forward pass of a batch computed (kept for the backward pass and for views).

    ``inputs (N, H, W)`` the scaled images; ``patches (N·H'·W', K·K)``; ``pre_activation`` and
    ``feature_maps`` (after ReLU) ``(N, H', W', F)``; ``pooled`` and ``winners`` ``(N, P, Q, F)``;
    ``features (N, P·Q·F)``; ``logits`` and ``probabilities`` ``(N, C)``.
    """

    inputs: np.ndarray
    patches: np.ndarray
    pre_activation: np.ndarray
    feature_maps: np.ndarray
    pooled: np.ndarray
    winners: np.ndarray
    features: np.ndarray
    logits: np.ndarray
    probabilities: np.ndarray


def forward(inputs: np.ndarray, params: dict[str, np.ndarray]) -> ForwardPass:
    """Run the network on ``inputs (N, H, W)`` (already scaled) with ``params`` (see :func:`backward`)."""
    w = params["conv_weights"]
    k, f = w.shape[0], w.shape[3]
    n, h, width = inputs.shape
    oh, ow = h - k + 1, width - k + 1
    patches = patch_matrix(inputs, k)
    z = (patches @ w.reshape(k * k, f) + params["conv_bias"]).reshape(n, oh, ow, f)
    maps = np.maximum(z, 0.0)
    pooled, winners = max_pool(maps)
    features = pooled.reshape(n, -1)
    logits = features @ params["dense_weights"] + params["dense_bias"]
    return ForwardPass(inputs, patches, z, maps, pooled, winners, features, logits, softmax(logits))


def backward(fp: ForwardPass, labels: np.ndarray, params: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Gradients of the mean cross-entropy with respect to every parameter, each shaped like it.

    ``params``: ``conv_weights (K, K, 1, F)``, ``conv_bias (F,)``, ``dense_weights (P·Q·F, C)``,
    ``dense_bias (C,)``. At a ReLU input of exactly 0 the derivative is taken as 0 (as PyTorch).
    """
    n = labels.size
    grad_logits = fp.probabilities.copy()
    grad_logits[np.arange(n), labels] -= 1.0
    grad_logits /= n
    grad_features = grad_logits @ params["dense_weights"].T
    grad_maps = max_pool_backward(grad_features.reshape(fp.pooled.shape), fp.winners, fp.feature_maps.shape)
    grad_z = np.where(fp.pre_activation > 0.0, grad_maps, 0.0)
    grad_z_rows = grad_z.reshape(-1, grad_z.shape[-1])
    w = params["conv_weights"]
    return {
        "conv_weights": (fp.patches.T @ grad_z_rows).reshape(w.shape),
        "conv_bias": grad_z_rows.sum(axis=0),
        "dense_weights": fp.features.T @ grad_logits,
        "dense_bias": grad_logits.sum(axis=0),
    }
