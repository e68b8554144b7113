"""Computing a network's maps (:class:`MapCalculator`, which remembers every filter's map so an edit
convolves only what changed), their precision, ranges, colour levels, strongest pixel and thumbnails."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from ..colour import display_levels, levels_from_range
from ..layer import apply_activation, conv_layer
from ..step_view import thumbnail_step
from .groups import grouped_weights
from .layers import LayerSettings
from .network import Network

#: inputs with more pixels than this (H·W) are computed in float32 for display (512×384)
FLOAT32_FROM_PIXELS = 512 * 384


def display_dtype(input_hw) -> np.dtype:
    """float32 for inputs above :data:`FLOAT32_FROM_PIXELS` pixels (fast display), else float64 (exact)."""
    return np.dtype(np.float32 if int(input_hw[0]) * int(input_hw[1]) > FLOAT32_FROM_PIXELS else np.float64)


@dataclass
class StageMaps:
    """The maps of one layer: ``maps[i]`` is filter ``i``'s (H', W') map; ``recomputed`` the filters convolved."""

    maps: list[np.ndarray]
    pre_activation: list[np.ndarray]
    recomputed: list[int]
    token: bytes

    def stacked(self) -> np.ndarray:
        """All maps as one ``(H', W', C_out)`` array."""
        return np.stack(self.maps, axis=-1)

    def ranges(self) -> list[tuple[float, float]]:
        return [map_range(m) for m in self.maps]


def map_range(values) -> tuple[float, float]:
    """``(min, max)`` of the finite values (``(0, 0)`` when there are none)."""
    v = np.asarray(values)
    lo, hi = float(np.nanmin(v)) if v.size else 0.0, float(np.nanmax(v)) if v.size else 0.0
    if not (np.isfinite(lo) and np.isfinite(hi)):
        finite = v[np.isfinite(v)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
    return lo, hi


def shared_levels(ranges, scale: str = "full") -> tuple[float, float]:
    """One set of levels for several maps with ``(min, max)`` ``ranges`` (as if they were one array), at
    ``scale`` ``"auto"``, ``"input"`` or ``"full"`` (see :func:`~convviz.model.colour.display_levels`)."""
    ranges = list(ranges)
    return levels_from_range(min(lo for lo, _ in ranges), max(hi for _, hi in ranges), scale=scale)


#: robust levels read at most about this many values of all the maps together (every s-th row and column)
ROBUST_SAMPLE = 4_000_000


def robust_levels(maps) -> tuple[float, float]:
    """:func:`~convviz.model.colour.display_levels` at ``scale="robust"`` (the 99.5th percentile of ``|v|``)
    for one or several maps together, read on every s-th row and column so at most about
    :data:`ROBUST_SAMPLE` values are sorted (display levels, not numbers anyone reads)."""
    maps = [np.asarray(m) for m in maps]
    side = max(16, int((ROBUST_SAMPLE / max(1, len(maps))) ** 0.5))
    sample = [thumbnail(m, side).ravel() for m in maps]
    return display_levels(np.concatenate(sample) if len(sample) > 1 else sample[0], scale="robust")


def strongest_pixel(values, margin: int = 0) -> tuple[int, int]:
    """``(row, col)`` of the largest absolute finite value (the first one on ties); ``(0, 0)`` if none.

    ``margin`` pixels along each border are skipped when the map is large enough (padding makes
    strong, uninteresting responses there).
    """
    v = np.abs(np.asarray(values, dtype=np.float64))
    v = np.where(np.isfinite(v), v, -1.0)
    h, w = v.shape
    m = margin if min(h, w) > 4 * margin else 0
    inner = v[m:h - m, m:w - m] if m else v
    r, c = np.unravel_index(int(np.argmax(inner)), inner.shape)
    return int(r) + m, int(c) + m


def thumbnail(values: np.ndarray, max_side: int) -> np.ndarray:
    """Every ``s``-th row and column so the result is at most ``max_side`` pixels a side (no averaging)."""
    s = thumbnail_step(values.shape[:2], max_side)
    return values[::s, ::s]


def _digest(*parts) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        h.update(p if isinstance(p, bytes) else repr(p).encode())
    return h.digest()


class MapCalculator:
    """Computes a network's maps with :func:`conv_layer`, keeping each filter's pre-activation map.

    A filter's map is recomputed only when its weights, its layer's settings or its
    layer's input changed; bias and activation are reapplied to the kept map. Not
    thread-safe: use one calculator from one thread at a time.
    """

    def __init__(self):
        self._image = None
        self._image_token = b""
        self._input_dtype: np.dtype | None = None
        self._stages: list[tuple[bytes, dict[bytes, np.ndarray]]] = []
        self._finished: list[dict] = []

    @property
    def input_token(self) -> bytes:
        """Changes whenever the first layer's input (image or precision) changes."""
        return self._image_token

    def _first_token(self, image: np.ndarray, dtype: np.dtype) -> bytes:
        """The token of layer 1's input; it changes only with the image or ``dtype``."""
        if self._image is not image or self._input_dtype != dtype:
            self._image, self._input_dtype = image, dtype
            self._image_token = _digest(id(image), np.shape(image), str(dtype), np.random.bytes(8))
        return self._image_token

    @staticmethod
    def _first_input(image, dtype: np.dtype) -> np.ndarray:
        """Layer 1's input ``(H, W, C)`` in ``dtype``, made only when a filter must be convolved (not
        kept: a photo's float32 copy is as large as a set of maps)."""
        x = np.asarray(image)
        return np.ascontiguousarray(x[:, :, None] if x.ndim == 2 else x, dtype=dtype)

    def compute(self, network: Network, image, *, first: LayerSettings | None = None, dtype=None,
                groups=()) -> list[StageMaps]:
        """Every layer's maps for ``image`` ((H, W) or (H, W, C_in)); ``first`` overrides layer 1's settings.

        ``groups[i]`` (default 1) is layer ``i``'s :func:`conv_layer` ``groups``: its filters read only
        their block of channels (weights sliced with :func:`~convviz.model.bank.groups.grouped_weights`).

        ``dtype`` defaults to :func:`display_dtype` of the image. Pass the *same* image object
        again to reuse the kept maps (document images are replaced, never edited in place).
        """
        image_arr = np.asarray(image)
        dtype = display_dtype(image_arr.shape) if dtype is None else np.dtype(dtype)
        token = self._first_token(image, dtype)
        x: np.ndarray | None = None   # layer 1's input, made when needed
        results = []
        for i, layer in enumerate(network.layers):
            settings = network.settings_for(i, first)
            g = int(groups[i]) if i < len(groups) else 1
            stage_token = _digest(token, settings, layer.kernel_hw, g)
            reused = i < len(self._stages) and self._stages[i][0] == stage_token
            kept = self._stages[i][1] if reused else {}
            per_group = layer.out_channels // g
            keys = [f.key() if g == 1 else f.key() + (o // per_group).to_bytes(4, "little")
                    for o, f in enumerate(layer.filters)]
            missing = [j for j, k in enumerate(keys) if k not in kept]
            unique_missing = list(dict.fromkeys(keys[j] for j in missing))
            if unique_missing and x is None:
                x = self._first_input(image, dtype)
            if unique_missing and g > 1:   # grouped: the whole layer at once
                out = conv_layer(x, grouped_weights(layer, g), groups=g, **settings.kwargs())
                for o, k in enumerate(keys):
                    kept[k] = np.ascontiguousarray(out[:, :, o])
            elif unique_missing:
                first_of = {keys[j]: j for j in reversed(missing)}
                cols = [first_of[k] for k in unique_missing]
                w = np.stack([layer.filters[j].weights for j in cols], axis=3)
                out = conv_layer(x, w, **settings.kwargs())
                for n, k in enumerate(unique_missing):
                    kept[k] = np.ascontiguousarray(out[:, :, n])
            kept = {k: kept[k] for k in keys}  # forget filters no longer in the layer
            if i < len(self._stages):
                self._stages[i] = (stage_token, kept)
            else:
                self._stages.append((stage_token, kept))
            pre = [kept[k] for k in keys]
            done = self._finished[i] if (reused and i < len(self._finished)) else {}
            finished = {}
            maps = []
            for k, p, f in zip(keys, pre, layer.filters):
                fk = (k, f.bias, layer.activation)
                if fk not in finished:
                    finished[fk] = done[fk] if fk in done else _finish(p, f.bias, layer.conv_activation)
                maps.append(finished[fk])
            if i < len(self._finished):
                self._finished[i] = finished
            else:
                self._finished.append(finished)
            token = _digest(stage_token, keys, [f.bias for f in layer.filters], layer.activation)
            results.append(StageMaps(maps, pre, missing, token))
            if i + 1 < len(network.layers):
                x = np.stack(maps, axis=0).transpose(1, 2, 0)
        del self._stages[len(network.layers):]
        del self._finished[len(network.layers):]
        return results


def _finish(pre: np.ndarray, bias: float, activation) -> np.ndarray:
    """``activation(pre + bias)`` as a new array (``pre`` itself when there is nothing to do)."""
    if not bias and activation is None:
        return pre
    v = pre + np.asarray(bias, dtype=pre.dtype)
    return apply_activation(v, activation, out=v)
