"""A network's maps at chosen output pixels only, exactly (issue #13: maps at display resolution).

A 12-megapixel photo makes maps of 12 million pixels each, but the tab's grid draws a few hundred
pixels a side. :func:`stage_values` computes layer ``i``'s maps at the rows × columns asked (for the
grid: every s-th pixel, which *is* the full map sampled, ``full[::s, ::s]``), reading only the input
pixels those outputs' windows cover; for a later layer, only the previous layer's outputs under its
windows, computed the same way (recursively down to the image). Values are float64 from
:func:`~convviz.model.conv_layer` on the gathered windows, equal to the full maps there to
round-off (the same products, summed by the same routine). The work is done in row chunks, so
no temporary exceeds :data:`CHUNK_BYTES`, whatever the image's size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._args import geometry, source_index
from ..filtering import to_gray
from ..gather import axis_plan, gathered
from ..layer import apply_activation, conv_layer
from .groups import masked_layer
from .layers import LayerSettings
from .network import Network

#: a layer-1 map with more pixels than this is shown sampled (every s-th pixel) until one is enlarged
REDUCE_FROM_PIXELS = 1_000_000
#: bytes of gathered input per chunk of output rows
CHUNK_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class SampledInput:
    """What layer 1 reads: ``image`` ((H, W) or (H, W, C), the document's values, uint8 or float64),
    turned to its luminance where read when ``gray`` (never as a whole)."""

    image: np.ndarray
    gray: bool = False

    @property
    def hw(self) -> tuple[int, int]:
        return int(self.image.shape[0]), int(self.image.shape[1])

    @property
    def channels(self) -> int:
        return 1 if self.gray or self.image.ndim == 2 else int(self.image.shape[2])

    def values(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """``(len(rows), len(cols), C)`` float64 at image rows × columns (indices inside the image)."""
        part = self.image[np.ix_(rows, cols)]
        if part.ndim == 3 and self.gray:
            part = to_gray(part)
        part = np.asarray(part, dtype=np.float64)
        return part[:, :, None] if part.ndim == 2 else part


@dataclass(frozen=True)
class SampledNetwork:
    """``network`` on ``source``, layer 1 sliding as ``first``, layer ``i`` with ``groups[i]`` (default 1)."""

    network: Network
    source: SampledInput
    first: LayerSettings | None = None
    groups: tuple[int, ...] = ()

    def input_hw(self, layer: int) -> tuple[int, int]:
        """``(H, W)`` of what layer ``layer`` reads."""
        return self.source.hw if layer == 0 else self.output_hw(layer - 1)

    def output_hw(self, layer: int) -> tuple[int, int]:
        """``(H', W')`` of layer ``layer``'s maps."""
        shapes = self.network.stage_shapes((*self.source.hw, self.source.channels), self.first)
        oh, ow, _ = shapes[layer].output_shape
        return int(oh), int(ow)

    def weights(self, layer: int, filters=None) -> np.ndarray:
        """``(KH, KW, C_in, n)`` float64 of ``filters`` (default all) as they convolve (unseen channels 0)."""
        g = int(self.groups[layer]) if layer < len(self.groups) else 1
        shown = masked_layer(self.network[layer], g)
        chosen = range(shown.out_channels) if filters is None else filters
        return np.stack([shown.filters[o].weights for o in chosen], axis=3)


def _layer_geometry(net: SampledNetwork, layer: int):
    bank = net.network[layer]
    s = net.network.settings_for(layer, net.first)
    in_hw = net.input_hw(layer)
    return s, in_hw, geometry(in_hw, bank.kernel_hw, s.padding, s.stride, s.dilation, s.padding_mode)


def _over_windows(net: SampledNetwork, layer: int, rows, cols, depth: int, convolve) -> np.ndarray:
    """``convolve(x, stride, dilation)`` on the gathered input of layer ``layer`` for output ``rows`` ×
    ``cols``, a chunk of rows at a time, ``depth`` values per output pixel: ``(len(rows), len(cols), depth)``."""
    rows, cols = np.asarray(rows, dtype=np.intp), np.asarray(cols, dtype=np.intp)
    kh, kw = net.network[layer].kernel_hw
    c_in = net.network[layer].in_channels
    s, in_hw, geo = _layer_geometry(net, layer)
    out = np.empty((len(rows), len(cols), depth))
    if not (len(rows) and len(cols)):
        return out
    cols_src, cs, cd = axis_plan(cols, in_hw[1], kw, geo.stride[1], geo.dilation[1], geo.pads.left, s.padding_mode)

    def values_at(r, c):
        return net.source.values(r, c) if layer == 0 else stage_values(net, layer - 1, r, c)

    chunk = max(1, CHUNK_BYTES // max(1, kh * len(cols_src) * c_in * 8))
    for a in range(0, len(rows), chunk):
        rows_src, rs, rd = axis_plan(rows[a:a + chunk], in_hw[0], kh, geo.stride[0], geo.dilation[0],
                                      geo.pads.top, s.padding_mode)
        out[a:a + chunk] = convolve(gathered(values_at, rows_src, cols_src, c_in), (rs, cs), (rd, cd))
    return out


def stage_values(net: SampledNetwork, layer: int, rows, cols, *, filters=None, pre: bool = False) -> np.ndarray:
    """Layer ``layer``'s maps at output ``rows`` × ``cols`` (increasing index arrays):
    ``(len(rows), len(cols), n)`` float64 for ``filters`` (default every filter), after bias and
    activation (``pre``: before them). ``ValueError`` for settings the layer cannot slide with."""
    bank = net.network[layer]
    chosen = list(range(bank.out_channels)) if filters is None else [int(f) for f in filters]
    w = net.weights(layer, chosen)
    out = _over_windows(net, layer, rows, cols, len(chosen),
                        lambda x, stride, dilation: conv_layer(x, w, stride=stride, dilation=dilation))
    if not pre:
        for n, o in enumerate(chosen):
            f = bank.filters[o]
            if f.bias:
                out[:, :, n] += f.bias
            apply_activation(out[:, :, n], bank.conv_activation, out=out[:, :, n])
    return out


def channel_values(net: SampledNetwork, layer: int, rows, cols, filter_index: int, channels) -> list[np.ndarray]:
    """Each input channel's partial map ``W_c * x_c`` of one filter at ``rows`` × ``cols`` (as
    :func:`~convviz.model.bank.channels.channel_partial_maps`), one ``(len(rows), len(cols))`` each."""
    chans = [int(c) for c in channels]
    w = net.weights(layer, [filter_index])

    def convolve(x, stride, dilation):
        return np.concatenate([conv_layer(x[:, :, c:c + 1], w[:, :, c:c + 1], stride=stride, dilation=dilation)
                               for c in chans], axis=2)

    out = _over_windows(net, layer, rows, cols, len(chans), convolve)
    return [np.ascontiguousarray(out[:, :, n]) for n in range(len(chans))]


class FullMap:
    """Filter ``index``'s whole map of layer ``layer``, float64, made only when read (``np.asarray``):
    exports write one map at a time without keeping the others."""

    def __init__(self, net: SampledNetwork, layer: int, index: int):
        self.net, self.layer, self.index = net, layer, index
        self.shape = net.output_hw(layer)
        self.dtype = np.dtype(np.float64)

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        values = full_map(self.net, self.layer, self.index)
        return values if dtype is None else values.astype(dtype, copy=False)


def full_map(net: SampledNetwork, layer: int, index: int, dtype=np.float64) -> np.ndarray:
    """Filter ``index``'s whole ``(H', W')`` map of layer ``layer`` in ``dtype`` (computed in float64 a
    block of rows at a time, so only the result is held)."""
    oh, ow = net.output_hw(layer)
    out = np.empty((oh, ow), dtype=dtype)
    cols = np.arange(ow)
    block = max(1, CHUNK_BYTES // max(1, 8 * ow))
    for a in range(0, oh, block):
        out[a:a + block] = stage_values(net, layer, np.arange(a, min(oh, a + block)), cols, filters=[index])[:, :, 0]
    return out


def sampled_grid(map_hw, step: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of ``map[::step, ::step]``."""
    return np.arange(0, int(map_hw[0]), step), np.arange(0, int(map_hw[1]), step)


def pixel_patch(net: SampledNetwork, layer: int, out_index) -> np.ndarray:
    """The input of layer ``layer`` under the window of output pixel ``out_index`` (padding included),
    ``(KH, KW, C_in)`` float64 — what :func:`~convviz.model.bank.channels.decompose` multiplies."""
    bank = net.network[layer]
    s = net.network.settings_for(layer, net.first)
    kh, kw = bank.kernel_hw
    in_hw = net.input_hw(layer)
    geo = geometry(in_hw, (kh, kw), s.padding, s.stride, s.dilation, s.padding_mode)
    r, c = int(out_index[0]), int(out_index[1])
    if not (0 <= r < geo.out_hw[0] and 0 <= c < geo.out_hw[1]):
        raise ValueError(f"Output pixel {(r, c)} is outside the {geo.out_hw[0]}×{geo.out_hw[1]} map.")
    rows_src = source_index(r * geo.stride[0] - geo.pads.top + np.arange(kh) * geo.dilation[0], in_hw[0],
                             s.padding_mode)
    cols_src = source_index(c * geo.stride[1] - geo.pads.left + np.arange(kw) * geo.dilation[1], in_hw[1],
                             s.padding_mode)
    c_in = bank.in_channels

    def values_at(rr, cc):
        return net.source.values(rr, cc) if layer == 0 else stage_values(net, layer - 1, rr, cc)

    return gathered(values_at, rows_src, cols_src, c_in)


__all__ = ["CHUNK_BYTES", "REDUCE_FROM_PIXELS", "FullMap", "SampledInput", "SampledNetwork", "channel_values",
           "full_map", "pixel_patch", "sampled_grid", "stage_values"]
