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


def conv_layer(x, weights, bias=None, *, padding="valid", stride=1, dilation=1, padding_mode="zeros",
               activation=None) -> np.ndarray:
    """``activation(correlate(x, W[..., o]) + b[o])`` for every filter ``o``, stacked.

    Parameters
    ----------
    x : array, shape (H, W, C_in) (a 2-D (H, W) input is one channel)
    weights : array, shape (KH, KW, C_in, C_out) — a filter bank in HWIO order (as Keras)
    bias : array, shape (C_out,), optional
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
    if c_in != img.shape[2]:
        raise ValueError(
            f"Channel mismatch: the input has {img.shape[2]} channels but the filter bank expects {c_in}."
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
    (oh, ow), (sh, sw), (dh, dw) = geo.out_hw, geo.stride, geo.dilation
    # weights as (C_out, KH·KW·C_in) in the same (tap row, tap col, channel) order as the patch matrix
    w_matrix = np.ascontiguousarray(w.transpose(3, 0, 1, 2).reshape(c_out, kh * kw * c_in))
    out = np.empty((c_out, oh, ow), dtype=img.dtype)
    depth = kh * kw * c_in
    rows = max(1, min(oh, PATCH_STRIP_BYTES // max(1, depth * ow * img.dtype.itemsize)))
    patches = np.empty((kh, kw, c_in, rows, ow), dtype=img.dtype)
    for r0 in range(0, oh, rows):
        n = min(rows, oh - r0)
        strip = patches[:, :, :, :n]
        for a in range(kh):
            r_start = r0 * sh + a * dh
            for b in range(kw):
                strip[a, b] = padded[:, r_start:r_start + (n - 1) * sh + 1:sh, b * dw:b * dw + (ow - 1) * sw + 1:sw]
        target = out[:, r0:r0 + n].reshape(c_out, n * ow)
        np.matmul(w_matrix, strip.reshape(depth, n * ow), out=target)
    if bias is not None:
        out += bias_values[:, None, None]
    if activation not in (None, "none"):
        apply_activation(out, activation, out=out)
    return out.transpose(1, 2, 0)
