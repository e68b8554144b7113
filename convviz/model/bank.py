"""Filter banks and chained conv layers, as immutable values (pure NumPy, no Qt).

A :class:`BankFilter` is one filter: a name, weights ``(KH, KW, C_in)`` (one K×K
slice per input channel) and a bias. A :class:`BankLayer` is a list of filters
with one kernel size, an activation and its padding/stride/dilation; its
:meth:`~BankLayer.weights` are the HWIO array ``(KH, KW, C_in, C_out)`` that
:func:`~convviz.model.conv_layer` takes. A :class:`Network` chains layers: layer
``i`` reads the maps of layer ``i − 1``, so its ``C_in`` is their ``C_out``.

Every edit returns a new value, so an edit can be undone, compared or refused
without touching what is shown. :class:`MapCalculator` computes the maps of a
network and remembers the map of every filter, so editing one filter recomputes
only that filter's map (and the layers after it).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import numpy as np

from . import limits
from ._args import NUMPY_PAD_MODE, PADDING_MODES, as_pair, geometry, resolve_padding
from .colour import levels_from_range
from .engine import correlate
from .layer import apply_activation, conv_layer
from .presets import PRESETS
from .shapes import output_shape

ACTIVATION_CHOICES = ("none", "relu", "sigmoid", "tanh")
ACTIVATION_LABELS = {"none": "none", "relu": "ReLU", "sigmoid": "sigmoid", "tanh": "tanh"}
# the limits live in convviz.model.limits (one place for the window, the files and the command line)
MAX_KERNEL_SIDE = limits.MAX_KERNEL_SIDE
MAX_FILTERS = limits.MAX_BANK_FILTERS
MAX_LAYERS = limits.MAX_BANK_LAYERS
#: inputs with more pixels than this (H·W) are computed in float32 for display (512×384)
FLOAT32_FROM_PIXELS = 512 * 384

CHANNEL_NAMES_RGB = ("R", "G", "B")


def channel_names(c_in: int) -> tuple[str, ...]:
    """``("R", "G", "B")`` for 3 channels, ``("grey",)`` for 1, else ``("ch 1", "ch 2", …)``."""
    if c_in == 3:
        return CHANNEL_NAMES_RGB
    if c_in == 1:
        return ("grey",)
    return tuple(f"ch {i + 1}" for i in range(c_in))


def _frozen(a, ndim: int, what: str) -> np.ndarray:
    arr = np.array(a, dtype=np.float64)
    if arr.ndim != ndim:
        raise ValueError(f"{what} must be {ndim}-D, not shape {arr.shape}.")
    if arr.size == 0:
        raise ValueError(f"{what} is empty (shape {arr.shape}).")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"Every weight of {what} must be a finite number.")
    arr.flags.writeable = False
    return arr


def check_activation(activation) -> str:
    """``None`` → ``"none"``; a known name stays; anything else raises ``ValueError``."""
    name = "none" if activation is None else activation
    if name not in ACTIVATION_CHOICES:
        raise ValueError(f"Unknown activation {activation!r}: use none, relu, sigmoid or tanh.")
    return name


# -- one filter --------------------------------------------------------------------
@dataclass(frozen=True)
class BankFilter:
    """One filter: ``name``, ``weights`` (KH, KW, C_in) float64 (read-only) and ``bias``."""

    name: str
    weights: np.ndarray = field(repr=False)
    bias: float = 0.0

    def __post_init__(self):
        w = np.asarray(self.weights)
        if w.ndim == 2:
            w = w[:, :, None]
        w = _frozen(w, 3, f"filter {self.name!r}")
        kh, kw, _ = w.shape
        if max(kh, kw) > MAX_KERNEL_SIDE:
            raise ValueError(f"A filter is at most {MAX_KERNEL_SIDE}×{MAX_KERNEL_SIDE}, not {kh}×{kw}.")
        bias = float(self.bias)
        if not np.isfinite(bias):
            raise ValueError("The bias must be a finite number.")
        object.__setattr__(self, "weights", w)
        object.__setattr__(self, "bias", bias)
        object.__setattr__(self, "name", str(self.name))

    @property
    def kernel_hw(self) -> tuple[int, int]:
        return self.weights.shape[0], self.weights.shape[1]

    @property
    def in_channels(self) -> int:
        return self.weights.shape[2]

    def slice(self, channel: int) -> np.ndarray:
        """The K×K slice that this filter applies to input channel ``channel``."""
        return self.weights[:, :, channel]

    @property
    def same_on_every_channel(self) -> bool:
        """True when every channel's slice is the same."""
        w = self.weights
        return bool(np.all(w == w[:, :, :1]))

    def with_slice(self, channel: int, values) -> BankFilter:
        k = np.asarray(values, dtype=np.float64)
        if k.shape != self.kernel_hw:
            raise ValueError(f"A slice of this filter is {self.kernel_hw[0]}×{self.kernel_hw[1]}, not {k.shape}.")
        w = np.array(self.weights)
        w[:, :, channel] = k
        return replace(self, weights=w)

    def with_all_slices(self, values) -> BankFilter:
        """The same K×K ``values`` on every input channel."""
        k = np.asarray(values, dtype=np.float64)
        if k.shape != self.kernel_hw:
            raise ValueError(f"A slice of this filter is {self.kernel_hw[0]}×{self.kernel_hw[1]}, not {k.shape}.")
        return replace(self, weights=np.repeat(k[:, :, None], self.in_channels, axis=2))

    def with_weight(self, channel: int, row: int, col: int, value: float) -> BankFilter:
        w = np.array(self.weights)
        w[row, col, channel] = float(value)
        return replace(self, weights=w)

    def renamed(self, name: str) -> BankFilter:
        return replace(self, name=str(name))

    def with_bias(self, bias: float) -> BankFilter:
        return replace(self, bias=float(bias))

    def resized(self, kernel_hw) -> BankFilter:
        """Centred crop or zero-pad of every slice to ``kernel_hw``."""
        kh, kw = kernel_hw
        oh, ow = self.kernel_hw
        out = np.zeros((kh, kw, self.in_channels))
        # centre of an odd kernel stays the centre; for even sizes the extra row/col goes bottom/right
        src_r0, dst_r0 = max(0, (oh - kh) // 2), max(0, (kh - oh) // 2)
        src_c0, dst_c0 = max(0, (ow - kw) // 2), max(0, (kw - ow) // 2)
        n_r, n_c = min(oh, kh), min(ow, kw)
        out[dst_r0:dst_r0 + n_r, dst_c0:dst_c0 + n_c] = self.weights[src_r0:src_r0 + n_r, src_c0:src_c0 + n_c]
        return replace(self, weights=out)

    def adapted_to(self, c_in: int) -> BankFilter:
        """The filter for an input with ``c_in`` channels.

        From or to one channel the response to an input whose channels are equal
        (a grey picture stored as RGB) stays the same: slices are summed into one
        (3 → 1), or one slice is divided among the channels (1 → 3). Otherwise the
        common channels are kept, extra ones dropped and new ones set to zero.
        """
        old = self.in_channels
        if c_in == old:
            return self
        w = self.weights
        if c_in == 1:
            new = w.sum(axis=2, keepdims=True)
        elif old == 1:
            new = np.repeat(w / c_in, c_in, axis=2)
        else:
            new = np.zeros(w.shape[:2] + (c_in,))
            n = min(old, c_in)
            new[:, :, :n] = w[:, :, :n]
        return replace(self, weights=new)

    def key(self) -> bytes:
        """A digest of the weights (not name or bias): what the pre-activation map depends on."""
        h = hashlib.blake2b(digest_size=16)
        h.update(repr(self.weights.shape).encode())
        h.update(np.ascontiguousarray(self.weights).tobytes())
        return h.digest()


# -- making filters ---------------------------------------------------------------
def filter_from_kernel(name: str, kernel, c_in: int, *, bias: float = 0.0) -> BankFilter:
    """The 2-D ``kernel`` as the same slice on each of ``c_in`` channels."""
    k = np.asarray(kernel, dtype=np.float64)
    return BankFilter(name, np.repeat(k[:, :, None], c_in, axis=2), bias)


def filter_from_preset(key: str, c_in: int, kernel_hw=None, *, name: str | None = None) -> BankFilter:
    """Preset ``key`` as the same slice on every channel (resized to ``kernel_hw`` if given)."""
    if key not in PRESETS:
        raise ValueError(f"Unknown preset {key!r}.")
    f = filter_from_kernel(name or key, PRESETS[key].kernel, c_in)
    return f.resized(kernel_hw) if kernel_hw is not None else f


def random_filter(rng: np.random.Generator, kernel_hw, c_in: int, *, name: str = "random") -> BankFilter:
    """Weights drawn from N(0, 1/(KH·KW·C_in)) (He-like scale), bias 0."""
    kh, kw = kernel_hw
    scale = 1.0 / np.sqrt(kh * kw * c_in)
    return BankFilter(name, np.round(rng.normal(0.0, scale, (kh, kw, c_in)), 3))


def colour_difference_filter(c_in: int, plus: int, minus: int, kernel_hw=(3, 3), *, name: str | None = None
                             ) -> BankFilter:
    """Channel ``plus`` minus channel ``minus``, summed over the K×K window (weights +1 and −1).

    Summed rather than averaged, so on a shared colour scale its map is as strong as an edge
    filter's (a 3×3 red-minus-green reaches ±2295 on 0–255 images, Sobel ±3060 on three channels).
    """
    kh, kw = kernel_hw
    w = np.zeros((kh, kw, c_in))
    w[:, :, plus] = 1.0
    w[:, :, minus] -= 1.0
    names = channel_names(c_in)
    return BankFilter(name or f"{names[plus]} minus {names[minus]}", w)


def default_bank(c_in: int) -> BankLayer:
    """The bank the panel opens with: Sobel x and y, a colour difference (colour input) and a blur, ReLU."""
    filters = [filter_from_preset("sobel_x", c_in), filter_from_preset("sobel_y", c_in)]
    if c_in >= 2:
        name = "red minus green" if c_in == 3 else None
        filters.append(colour_difference_filter(c_in, 0, 1, name=name))
    filters.append(filter_from_preset("gaussian_blur", c_in, name="blur"))
    return BankLayer(tuple(filters), "relu", LayerSettings())


def default_next_layer(c_in: int) -> BankLayer:
    """A second layer on ``c_in`` maps: edges of their sum in x and y, and their mean, 3×3 valid, ReLU."""
    sobel_x = PRESETS["sobel_x"].kernel / c_in
    sobel_y = PRESETS["sobel_y"].kernel / c_in
    filters = (filter_from_kernel("sum → edges x", sobel_x, c_in),
               filter_from_kernel("sum → edges y", sobel_y, c_in),
               filter_from_kernel("mean", np.full((3, 3), 1.0 / (9 * c_in)), c_in))
    return BankLayer(filters, "relu", LayerSettings(padding="valid"))


# -- settings and layers ----------------------------------------------------------
@dataclass(frozen=True)
class LayerSettings:
    """How a layer slides: ``padding`` (name or pair), ``stride``, ``dilation``, ``padding_mode``."""

    padding: str | tuple[int, int] = "same"
    stride: tuple[int, int] = (1, 1)
    dilation: tuple[int, int] = (1, 1)
    padding_mode: str = "zeros"

    def __post_init__(self):
        p = self.padding
        if isinstance(p, str):
            if p not in ("valid", "same", "full"):
                raise ValueError(f"Unknown padding {p!r}: use valid, same, full or (ph, pw).")
        else:
            object.__setattr__(self, "padding", as_pair(p, "padding", minimum=0))
        object.__setattr__(self, "stride", as_pair(self.stride, "stride", minimum=1))
        object.__setattr__(self, "dilation", as_pair(self.dilation, "dilation", minimum=1))
        if self.padding_mode not in PADDING_MODES:
            raise ValueError(f"Unknown padding mode {self.padding_mode!r}: use {', '.join(PADDING_MODES)}.")

    @classmethod
    def of_document(cls, doc) -> LayerSettings:
        """The settings of a :class:`~convviz.model.ConvDocument` (what the first layer follows)."""
        return cls(doc.padding, doc.stride, doc.dilation, doc.padding_mode)

    def kwargs(self) -> dict:
        return dict(padding=self.padding, stride=self.stride, dilation=self.dilation,
                    padding_mode=self.padding_mode)


@dataclass(frozen=True)
class BankLayer:
    """A conv layer: ``filters`` (all the same K×K×C_in), ``activation`` and ``settings``."""

    filters: tuple[BankFilter, ...]
    activation: str = "relu"
    settings: LayerSettings = field(default_factory=LayerSettings)

    def __post_init__(self):
        filters = tuple(self.filters)
        if not filters:
            raise ValueError("A layer needs at least one filter.")
        if len(filters) > MAX_FILTERS:
            raise ValueError(f"A layer has at most {MAX_FILTERS} filters, not {len(filters)}.")
        shapes = {f.weights.shape for f in filters}
        if len(shapes) != 1:
            raise ValueError(f"Every filter of a layer must have the same shape (KH, KW, C_in), not {sorted(shapes)}.")
        object.__setattr__(self, "filters", filters)
        object.__setattr__(self, "activation", check_activation(self.activation))

    # reading
    @property
    def kernel_hw(self) -> tuple[int, int]:
        return self.filters[0].kernel_hw

    @property
    def in_channels(self) -> int:
        return self.filters[0].in_channels

    @property
    def out_channels(self) -> int:
        return len(self.filters)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.filters]

    def weights(self) -> np.ndarray:
        """The bank as an HWIO array ``(KH, KW, C_in, C_out)``."""
        return np.stack([f.weights for f in self.filters], axis=3)

    def biases(self) -> np.ndarray:
        return np.array([f.bias for f in self.filters])

    @property
    def conv_activation(self):
        """The activation as :func:`~convviz.model.conv_layer` takes it (``None`` for none)."""
        return None if self.activation == "none" else self.activation

    def parameter_count(self) -> int:
        kh, kw = self.kernel_hw
        return kh * kw * self.in_channels * self.out_channels + self.out_channels

    # editing (each returns a new layer)
    def with_filter(self, index: int, f: BankFilter) -> BankLayer:
        filters = list(self.filters)
        filters[index] = f
        return replace(self, filters=tuple(filters))

    def with_filters(self, filters) -> BankLayer:
        return replace(self, filters=tuple(filters))

    def added(self, f: BankFilter, at: int | None = None) -> BankLayer:
        f = f.adapted_to(self.in_channels)
        if f.kernel_hw != self.kernel_hw:
            f = f.resized(self.kernel_hw)
        filters = list(self.filters)
        filters.insert(len(filters) if at is None else at, f)
        return replace(self, filters=tuple(filters))

    def removed(self, index: int) -> BankLayer:
        if len(self.filters) == 1:
            raise ValueError("A layer needs at least one filter: add another before removing this one.")
        filters = list(self.filters)
        del filters[index]
        return replace(self, filters=tuple(filters))

    def duplicated(self, index: int) -> BankLayer:
        f = self.filters[index]
        return self.added(f.renamed(unique_name(f"{f.name} copy", self.names)), index + 1)

    def moved(self, index: int, to: int) -> BankLayer:
        filters = list(self.filters)
        f = filters.pop(index)
        filters.insert(max(0, min(to, len(filters))), f)
        return replace(self, filters=tuple(filters))

    def with_activation(self, activation) -> BankLayer:
        return replace(self, activation=check_activation(activation))

    def with_settings(self, settings: LayerSettings) -> BankLayer:
        return replace(self, settings=settings)

    def resized(self, kernel_hw) -> BankLayer:
        kh, kw = as_pair(kernel_hw, "kernel size", minimum=1)
        if max(kh, kw) > MAX_KERNEL_SIDE:
            raise ValueError(f"A filter is at most {MAX_KERNEL_SIDE}×{MAX_KERNEL_SIDE}, not {kh}×{kw}.")
        return replace(self, filters=tuple(f.resized((kh, kw)) for f in self.filters))

    def adapted_to(self, c_in: int) -> BankLayer:
        """This layer for an input of ``c_in`` channels (see :meth:`BankFilter.adapted_to`)."""
        if c_in == self.in_channels:
            return self
        return replace(self, filters=tuple(f.adapted_to(c_in) for f in self.filters))


def unique_name(name: str, taken) -> str:
    """``name``, or ``name 2``, ``name 3``, … the first not in ``taken``."""
    taken = set(taken)
    if name not in taken:
        return name
    i = 2
    while f"{name} {i}" in taken:
        i += 1
    return f"{name} {i}"


def adaptation_message(old_c_in: int, new_c_in: int, where: str = "The bank") -> str:
    """What :meth:`BankLayer.adapted_to` did, as a sentence for the user."""
    if new_c_in == 1:
        how = "each filter's channel slices were summed into one"
    elif old_c_in == 1:
        how = f"each filter's slice was divided by {new_c_in} and put on every channel"
    elif new_c_in > old_c_in:
        how = "the new channel slices are zero"
    else:
        how = "the extra channel slices were dropped"
    return f"{where} now reads {new_c_in} input channel(s) instead of {old_c_in}: {how}."


# -- chained layers ------------------------------------------------------------------
class StageShape(NamedTuple):
    """The shapes of one layer: input (H, W, C_in), bank C_in×KH×KW×C_out and its HWIO shape, output."""

    input_shape: tuple[int, int, int]
    bank_shape: tuple[int, int, int, int]     # (C_in, KH, KW, C_out), as the lecture writes it
    hwio_shape: tuple[int, int, int, int]     # (KH, KW, C_in, C_out), the array's shape
    output_shape: tuple[int, int, int]


class Region(NamedTuple):
    """Rows ``top..bottom`` and columns ``left..right`` (inclusive) of one stage's input."""

    top: int
    bottom: int
    left: int
    right: int

    @property
    def size(self) -> tuple[int, int]:
        return self.bottom - self.top + 1, self.right - self.left + 1

    def clipped(self, hw) -> Region:
        h, w = hw
        return Region(max(0, self.top), min(h - 1, self.bottom), max(0, self.left), min(w - 1, self.right))


@dataclass(frozen=True)
class Network:
    """Layers applied one after the other; layer ``i`` reads the maps of layer ``i − 1``."""

    layers: tuple[BankLayer, ...]

    def __post_init__(self):
        layers = tuple(self.layers)
        if not layers:
            raise ValueError("A network needs at least one layer.")
        if len(layers) > MAX_LAYERS:
            raise ValueError(f"At most {MAX_LAYERS} layers, not {len(layers)}.")
        for i in range(1, len(layers)):
            if layers[i].in_channels != layers[i - 1].out_channels:
                raise ValueError(
                    f"Layer {i + 1} reads {layers[i].in_channels} channels but layer {i} makes "
                    f"{layers[i - 1].out_channels} maps: C_in must equal the previous C_out.")
        object.__setattr__(self, "layers", layers)

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, i) -> BankLayer:
        return self.layers[i]

    def with_layer(self, index: int, layer: BankLayer) -> tuple[Network, list[str]]:
        """Replace layer ``index``; later layers are adapted to its new C_out (with messages)."""
        layers = list(self.layers)
        layers[index] = layer
        return self._chained(layers, index + 1)

    def appended(self, layer: BankLayer | None = None) -> tuple[Network, list[str]]:
        """Add a layer on top (by default :func:`default_next_layer`)."""
        c_in = self.layers[-1].out_channels
        layer = default_next_layer(c_in) if layer is None else layer
        return self._chained(list(self.layers) + [layer], len(self.layers))

    def removed(self, index: int) -> tuple[Network, list[str]]:
        if len(self.layers) == 1:
            raise ValueError("The first layer cannot be removed.")
        layers = list(self.layers)
        del layers[index]
        return self._chained(layers, max(1, index))

    def adapted_to(self, c_in: int) -> tuple[Network, list[str]]:
        """The network for an input image with ``c_in`` channels (layer 1 adapted, with a message)."""
        first = self.layers[0]
        if first.in_channels == c_in:
            return self, []
        msg = adaptation_message(first.in_channels, c_in, "Layer 1")
        return Network((first.adapted_to(c_in),) + self.layers[1:]), [msg]

    @staticmethod
    def _chained(layers: list[BankLayer], start: int) -> tuple[Network, list[str]]:
        messages = []
        for i in range(max(1, start), len(layers)):
            need = layers[i - 1].out_channels
            if layers[i].in_channels != need:
                messages.append(adaptation_message(layers[i].in_channels, need, f"Layer {i + 1}"))
                layers[i] = layers[i].adapted_to(need)
        return Network(tuple(layers)), messages

    def settings_for(self, index: int, first: LayerSettings | None = None) -> LayerSettings:
        """Layer ``index``'s settings; ``first`` (the document's) overrides layer 1's when given."""
        if index == 0 and first is not None:
            return first
        return self.layers[index].settings

    def stage_shapes(self, input_shape, first: LayerSettings | None = None) -> list[StageShape]:
        """The shapes at every layer for an input ``(H, W)`` or ``(H, W, C)`` (ValueError if one does not fit)."""
        h, w = int(input_shape[0]), int(input_shape[1])
        c = int(input_shape[2]) if len(input_shape) > 2 else 1
        shapes = []
        for i, layer in enumerate(self.layers):
            s = self.settings_for(i, first)
            kh, kw = layer.kernel_hw
            try:
                oh, ow = output_shape((h, w), (kh, kw), s.padding, stride=s.stride, dilation=s.dilation)
            except ValueError as exc:
                raise ValueError(f"Layer {i + 1}: {exc}") from None
            shapes.append(StageShape((h, w, c), (c, kh, kw, layer.out_channels), (kh, kw, c, layer.out_channels),
                                     (oh, ow, layer.out_channels)))
            h, w, c = oh, ow, layer.out_channels
        return shapes

    def receptive_field(self, out_index, stage: int | None = None, first: LayerSettings | None = None
                        ) -> list[Region]:
        """Where output pixel ``out_index`` of layer ``stage`` (default the last) comes from.

        Returns one :class:`Region` per layer, from the input image (index 0) up to the
        input of layer ``stage`` (unclipped: rows and columns may fall in the padding).
        """
        stage = len(self.layers) - 1 if stage is None else stage
        r, c = out_index
        region = Region(r, r, c, c)
        regions = []
        for i in range(stage, -1, -1):
            layer = self.layers[i]
            s = self.settings_for(i, first)
            (kh, kw), (sh, sw), (dh, dw) = layer.kernel_hw, s.stride, s.dilation
            pads = resolve_padding(s.padding, (kh, kw), s.dilation)
            region = Region(region.top * sh - pads.top, region.bottom * sh - pads.top + dh * (kh - 1),
                            region.left * sw - pads.left, region.right * sw - pads.left + dw * (kw - 1))
            regions.append(region)
        return regions[::-1]


# -- precision -------------------------------------------------------------------------
def display_dtype(input_hw) -> np.dtype:
    """float32 for inputs above :data:`FLOAT32_FROM_PIXELS` pixels (fast display), else float64 (exact)."""
    return np.dtype(np.float32 if int(input_hw[0]) * int(input_hw[1]) > FLOAT32_FROM_PIXELS else np.float64)


# -- one output pixel, channel by channel --------------------------------------------------
def _source_index(i: np.ndarray, n: int, mode: str) -> np.ndarray:
    """Padded-axis positions shifted to source indices ``i`` (may be outside 0..n−1) → index, or −1 for zero."""
    np_mode = NUMPY_PAD_MODE[mode]
    if np_mode == "constant":
        return np.where((i >= 0) & (i < n), i, -1)
    if np_mode == "edge":
        return np.clip(i, 0, n - 1)
    if np_mode == "wrap":
        return np.mod(i, n)
    # numpy "reflect": mirror without repeating the edge, period 2(n − 1)
    if n == 1:
        return np.zeros_like(i)
    period = 2 * (n - 1)
    j = np.mod(i, period)
    return np.where(j < n, j, period - j)


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
    ri, ci = _source_index(rows, h, settings.padding_mode), _source_index(cols, w, settings.padding_mode)
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
    patch = input_patch(x, f.kernel_hw, out_index, settings)
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


# -- computing maps, remembering each filter's ------------------------------------------------
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


def shared_levels(ranges) -> tuple[float, float]:
    """One set of levels for several maps with ``(min, max)`` ``ranges`` (as if they were one array)."""
    ranges = list(ranges)
    return levels_from_range(min(lo for lo, _ in ranges), max(hi for _, hi in ranges))


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


def thumbnail_step(hw, max_side: int) -> int:
    """The smallest ``s`` with every side of ``hw`` at most ``max_side`` after taking every ``s``-th pixel."""
    return max(1, -(-max(int(hw[0]), int(hw[1])) // max_side))


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
        self._input = None
        self._stages: list[tuple[bytes, dict[bytes, np.ndarray]]] = []
        self._finished: list[dict] = []

    @property
    def input_token(self) -> bytes:
        """Changes whenever the first layer's input (image or precision) changes."""
        return self._image_token

    def _first_input(self, image: np.ndarray, dtype: np.dtype) -> tuple[np.ndarray, bytes]:
        if self._image is not image or self._input is None or self._input.dtype != dtype:
            x = np.asarray(image)
            x = x[:, :, None] if x.ndim == 2 else x
            self._image = image
            self._input = np.ascontiguousarray(x, dtype=dtype)
            self._image_token = _digest(id(image), x.shape, str(dtype), np.random.bytes(8))
        return self._input, self._image_token

    def compute(self, network: Network, image, *, first: LayerSettings | None = None, dtype=None
                ) -> list[StageMaps]:
        """Every layer's maps for ``image`` ((H, W) or (H, W, C_in)); ``first`` overrides layer 1's settings.

        ``dtype`` defaults to :func:`display_dtype` of the image. Pass the *same* image object
        again to reuse the kept maps (document images are replaced, never edited in place).
        """
        image_arr = np.asarray(image)
        dtype = display_dtype(image_arr.shape) if dtype is None else np.dtype(dtype)
        x, token = self._first_input(image, dtype)
        results = []
        for i, layer in enumerate(network.layers):
            settings = network.settings_for(i, first)
            stage_token = _digest(token, settings, layer.kernel_hw)
            reused = i < len(self._stages) and self._stages[i][0] == stage_token
            kept = self._stages[i][1] if reused else {}
            keys = [f.key() for f in layer.filters]
            missing = [j for j, k in enumerate(keys) if k not in kept]
            unique_missing = list(dict.fromkeys(keys[j] for j in missing))
            if unique_missing:
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
