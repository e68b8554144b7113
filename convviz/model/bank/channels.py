"""One output pixel, channel by channel: the input patch under the kernel (padding included), the
per-channel sums, bias and activation (:func:`decompose`), and each channel's partial map."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._args import geometry, source_index
from ..engine import correlate
from ..layer import apply_activation
from .layers import BankLayer, LayerSettings


def input_patch(x: np.ndarray, kernel_hw, out_index, settings: LayerSettings) -> np.ndarray:
    """The input values under the kernel for output pixel ``out_index`` (padding included): (KH, KW, C), float64.

    ``x`` is an (H, W) or (H, W, C) array, or a list of C (H, W) channel maps.
    """
    channels = _channels(x)
    h, w = channels[0].shape
    geo = geometry((h, w), tuple(kernel_hw), settings.padding, settings.stride, settings.dilation,
                   settings.padding_mode)
    r, c = out_index
    if not (0 <= r < geo.out_hw[0] and 0 <= c < geo.out_hw[1]):
        raise ValueError(f"Output pixel {tuple(out_index)} is outside the {geo.out_hw[0]}×{geo.out_hw[1]} map.")
    kh, kw = kernel_hw
    rows = r * geo.stride[0] + np.arange(kh) * geo.dilation[0] - geo.pads.top
    cols = c * geo.stride[1] + np.arange(kw) * geo.dilation[1] - geo.pads.left
    ri, ci = source_index(rows, h, settings.padding_mode), source_index(cols, w, settings.padding_mode)
    rr, cc = np.ix_(np.clip(ri, 0, h - 1), np.clip(ci, 0, w - 1))
    patch = np.stack([np.asarray(ch[rr, cc], dtype=np.float64) for ch in channels], axis=2)
    inside = (ri >= 0)[:, None] & (ci >= 0)[None, :]
    return np.where(inside[:, :, None], patch, 0.0)


def _channels(x) -> list[np.ndarray]:
    """An (H, W) / (H, W, C) array or a list of (H, W) maps, as a list of (H, W) channel arrays."""
    if isinstance(x, (list, tuple)):
        chans = [np.asarray(c) for c in x]
    else:
        arr = np.asarray(x)
        chans = [arr] if arr.ndim == 2 else [arr[:, :, c] for c in range(arr.shape[2])]
    if not chans or any(c.ndim != 2 or c.shape != chans[0].shape for c in chans):
        raise ValueError("The input must be (H, W), (H, W, C) or a list of equally sized (H, W) maps.")
    return chans


@dataclass(frozen=True)
class Decomposition:
    """How one output pixel of one filter is made: ``σ(Σ_c (W_c * x_c) + b)``.

    ``channel_values[c]`` is channel ``c``'s partial sum at the pixel, ``total`` their sum,
    ``pre_activation`` = ``total + bias`` and ``value`` = activation(pre_activation).
    All float64, from the pixel's neighbourhood only.
    """

    out_index: tuple[int, int]
    patch: np.ndarray = field(repr=False)        # (KH, KW, C_in)
    weights: np.ndarray = field(repr=False)      # (KH, KW, C_in)
    channel_values: tuple[float, ...]
    total: float
    bias: float
    pre_activation: float
    activation: str
    value: float


def decompose(x, layer: BankLayer, filter_index: int, out_index, settings: LayerSettings | None = None
              ) -> Decomposition:
    """The per-channel sums, bias and activation of filter ``filter_index`` at ``out_index`` (float64)."""
    settings = layer.settings if settings is None else settings
    f = layer.filters[filter_index]
    return decompose_patch(input_patch(x, f.kernel_hw, out_index, settings), layer, filter_index, out_index)


def decompose_patch(patch: np.ndarray, layer: BankLayer, filter_index: int, out_index) -> Decomposition:
    """:func:`decompose` from the input ``patch`` ``(KH, KW, C_in)`` under the window (padding included)."""
    f = layer.filters[filter_index]
    patch = np.asarray(patch, dtype=np.float64)
    if patch.shape[2] != f.in_channels:
        raise ValueError(f"Channel mismatch: the input has {patch.shape[2]} channels, the filter {f.in_channels}.")
    per_channel = tuple(float(np.sum(patch[:, :, c] * f.weights[:, :, c])) for c in range(f.in_channels))
    total = float(np.sum(per_channel))
    pre = total + f.bias
    value = float(apply_activation(np.array([pre]), layer.conv_activation)[0])
    return Decomposition((int(out_index[0]), int(out_index[1])), patch, f.weights, per_channel, total, f.bias,
                         pre, layer.activation, value)


def channel_partial_maps(x, layer: BankLayer, filter_index: int, settings: LayerSettings | None = None
                         , channels=None, step: int = 1) -> list[np.ndarray]:
    """Each input channel's partial map ``W_c * x_c`` for one filter (their sum + bias is the pre-activation).

    ``x`` as :func:`input_patch`; ``channels`` limits the result to those channel indices;
    ``step`` > 1 gives only every ``step``-th row and column of each map (``map[::step, ::step]``,
    computed directly with a ``step`` times larger stride, for thumbnails).
    """
    settings = layer.settings if settings is None else settings
    chans = _channels(x)
    f = layer.filters[filter_index]
    if len(chans) != f.in_channels:
        raise ValueError(f"Channel mismatch: the input has {len(chans)} channels, the filter {f.in_channels}.")
    wanted = range(f.in_channels) if channels is None else channels
    kwargs = settings.kwargs()
    kwargs["stride"] = (settings.stride[0] * step, settings.stride[1] * step)
    return [correlate(chans[c], f.weights[:, :, c], **kwargs) for c in wanted]


