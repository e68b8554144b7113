"""One filter of a bank (:class:`BankFilter`), how filters are made, and the bank's limits and names.

A :class:`BankFilter` is a name, weights ``(KH, KW, C_in)`` float64 (one K×K slice per input
channel, read-only) and a bias. Every edit returns a new filter.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

import numpy as np

from .. import limits
from ..presets import PRESETS

ACTIVATION_CHOICES = ("none", "relu", "sigmoid", "tanh")
ACTIVATION_LABELS = {"none": "none", "relu": "ReLU", "sigmoid": "sigmoid", "tanh": "tanh"}
# the limits live in convviz.model.limits (one place for the window, the files and the command line)
MAX_KERNEL_SIDE = limits.MAX_KERNEL_SIDE
MAX_FILTERS = limits.MAX_BANK_FILTERS
MAX_LAYERS = limits.MAX_BANK_LAYERS

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
@dataclass(frozen=True, eq=False)
class BankFilter:
    """One filter: ``name``, ``weights`` (KH, KW, C_in) float64 (read-only) and ``bias``.

    Two filters are equal when name, bias and every weight are (so a bank can be compared).
    """

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

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BankFilter):
            return NotImplemented
        return (self.name == other.name and self.bias == other.bias and self.weights.shape == other.weights.shape
                and bool(np.array_equal(self.weights, other.weights)))

    def __hash__(self) -> int:
        return hash((self.name, self.bias, self.key()))

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


def unique_name(name: str, taken) -> str:
    """``name``, or ``name 2``, ``name 3``, … the first not in ``taken``."""
    taken = set(taken)
    if name not in taken:
        return name
    i = 2
    while f"{name} {i}" in taken:
        i += 1
    return f"{name} {i}"


