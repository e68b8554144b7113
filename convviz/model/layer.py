"""A convolution layer: a filter bank applied to a multi-channel input, plus bias and activation."""

from __future__ import annotations

import numpy as np

from ._args import as_image, as_kernel, geometry, pad_image

ACTIVATIONS = (None, "relu", "sigmoid", "tanh")

#: bytes of patch matrix built per row strip (bounds memory on large images)
PATCH_STRIP_BYTES = 48 * 1024 * 1024


def apply_activation(values: np.ndarray, activation, *, out: np.ndarray | None = None) -> np.ndarray:
    """``None`` (identity), ``"relu"``, ``"sigmoid"`` or ``"tanh"``, element-wise."""
    if out is None:
        out = np.array(values, dtype=np.result_type(values, np.float32), copy=True)
    elif out is not values:
        out[...] = values
    if activation is None or activation == "none":
        return out
    if activation == "relu":
        return np.maximum(out, 0, out=out)
    if activation == "tanh":
        return np.tanh(out, out=out)
    if activation == "sigmoid":
        # 1/(1+e^−x) written so that neither branch overflows
        e = np.exp(-np.abs(out))
        positive = out >= 0
        return np.divide(np.where(positive, 1.0, e), 1.0 + e, out=out)
    raise ValueError(f"Unknown activation {activation!r}: use None, 'relu', 'sigmoid' or 'tanh'.")


def conv_layer(x, weights, bias=None, *, groups=1, padding="valid", stride=1, dilation=1, padding_mode="zeros",
               activation=None) -> np.ndarray:
    """``activation(correlate(x, W[..., o]) + b[o])`` for every filter ``o``, stacked.

    Parameters
    ----------
    x : array, shape (H, W, C_in) (a 2-D (H, W) input is one channel)
    weights : array, shape (KH, KW, C_in // groups, C_out) — a filter bank in HWIO order (as Keras)
    bias : array, shape (C_out,), optional
    groups : int, keyword-only
        As ``F.conv2d``: the channels are split into ``groups`` consecutive blocks and filter ``o``
        sees only block ``o // (C_out / groups)`` (:func:`~convviz.model.costs.group_channels`).
        ``groups == C_in`` is depthwise convolution. C_in and C_out must be divisible by ``groups``.
    activation : {None, "relu", "sigmoid", "tanh"}
    padding, stride, dilation, padding_mode :
        As :func:`~convviz.model.correlate`.

    Returns
    -------
    maps : ndarray, shape (H', W', C_out) — one feature map per filter (may be a transposed view).
    """
    img = as_image(x)
    if img.ndim == 2:
        img = img[:, :, None]
    w = as_kernel(weights, img.dtype, name="filter bank")
    if w.ndim != 4:
        raise ValueError(f"The filter bank must be 4-D (KH, KW, C_in, C_out), but it has shape {w.shape}.")
    kh, kw, c_in, c_out = w.shape
    groups = check_groups(groups, img.shape[2], c_out)
    if c_in * groups != img.shape[2]:
        per_group = "" if groups == 1 else f" / {groups} groups = {img.shape[2] // groups} per filter"
        raise ValueError(
            f"Channel mismatch: the input has {img.shape[2]} channels{per_group} but the filter bank expects {c_in}."
        )
    if bias is not None:
        bias_values = as_kernel(bias, img.dtype, name="bias")
        if bias_values.shape != (c_out,):
            raise ValueError(
                f"The bias must have one value per filter, shape ({c_out},), not {bias_values.shape}.")
    if activation not in ACTIVATIONS and activation != "none":
        raise ValueError(f"Unknown activation {activation!r}: use None, 'relu', 'sigmoid' or 'tanh'.")
    geo = geometry(img.shape[:2], (kh, kw), padding, stride, dilation, padding_mode)
    padded = np.ascontiguousarray(pad_image(img, geo.pads, geo.padding_mode).transpose(2, 0, 1))  # (C, Hp, Wp)
    if groups == 1:
        out = _ungrouped_maps(padded, w, geo)
    else:
        out = _grouped_maps(padded, w, geo, groups)
    if bias is not None:
        out += bias_values[:, None, None]
    if activation not in (None, "none"):
        apply_activation(out, activation, out=out)
    return out.transpose(1, 2, 0)


def check_groups(groups, c_in: int, c_out: int) -> int:
    """``groups`` as an int dividing both channel counts; ``ValueError`` saying what to change otherwise."""
    if isinstance(groups, (bool, np.bool_)) or not isinstance(groups, (int, np.integer)) or groups < 1:
        raise ValueError(f"groups must be a positive integer, not {groups!r}.")
    groups = int(groups)
    if c_in % groups or c_out % groups:
        raise ValueError(
            f"groups={groups} must divide both the input channels ({c_in}) and the filters ({c_out}): "
            f"pick a common divisor (1 is standard convolution, {c_in} is depthwise when it divides {c_out})."
        )
    return groups


def _ungrouped_maps(padded: np.ndarray, w: np.ndarray, geo) -> np.ndarray:
    """``(C_out, H', W')`` for groups=1: strips of a patch matrix times the weight matrix."""
    img_dtype = padded.dtype
    kh, kw, c_in, c_out = w.shape
    (oh, ow), (sh, sw), (dh, dw) = geo.out_hw, geo.stride, geo.dilation
    # weights as (C_out, KH·KW·C_in) in the same (tap row, tap col, channel) order as the patch matrix
    w_matrix = np.ascontiguousarray(w.transpose(3, 0, 1, 2).reshape(c_out, kh * kw * c_in))
    out = np.empty((c_out, oh, ow), dtype=img_dtype)
    depth = kh * kw * c_in
    rows = max(1, min(oh, PATCH_STRIP_BYTES // max(1, depth * ow * img_dtype.itemsize)))
    patches = np.empty((kh, kw, c_in, rows, ow), dtype=img_dtype)
    for r0 in range(0, oh, rows):
        n = min(rows, oh - r0)
        strip = patches[:, :, :, :n]
        for a in range(kh):
            r_start = r0 * sh + a * dh
            for b in range(kw):
                strip[a, b] = padded[:, r_start:r_start + (n - 1) * sh + 1:sh, b * dw:b * dw + (ow - 1) * sw + 1:sw]
        target = out[:, r0:r0 + n].reshape(c_out, n * ow)
        np.matmul(w_matrix, strip.reshape(depth, n * ow), out=target)
    return out


def _grouped_maps(padded: np.ndarray, w: np.ndarray, geo, groups: int) -> np.ndarray:
    """``(C_out, H', W')`` for groups > 1. Filter ``o = g·(C_out/G) + j`` reads channels ``g·(C_in/G) …``."""
    kh, kw, c_group, c_out = w.shape
    per_group = c_out // groups
    if c_group > 1:  # each group is a standard layer on its own channels: the patch-matrix path per group
        return np.concatenate([
            _ungrouped_maps(padded[g * c_group:(g + 1) * c_group], w[..., g * per_group:(g + 1) * per_group], geo)
            for g in range(groups)
        ])
    # depthwise (one channel per group): each filter adds a scaled, shifted copy of its channel per tap
    (oh, ow), (sh, sw), (dh, dw) = geo.out_hw, geo.stride, geo.dilation
    w_groups = w.reshape(kh, kw, groups, per_group)
    out = np.zeros((groups, per_group, oh, ow), dtype=padded.dtype)
    for a in range(kh):
        for b in range(kw):
            tap = padded[:, a * dh:a * dh + (oh - 1) * sh + 1:sh, b * dw:b * dw + (ow - 1) * sw + 1:sw]
            out += w_groups[a, b, :, :, None, None] * tap[:, None]
    return out.reshape(c_out, oh, ow)
