"""One conv layer of a bank (:class:`BankLayer`): its filters, activation and how it slides
(:class:`LayerSettings`); the default layers the panel opens with.

A layer's :meth:`~BankLayer.weights` are the HWIO array ``(KH, KW, C_in, C_out)`` that
:func:`~convviz.model.conv_layer` takes. Every edit returns a new layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from .._args import PADDING_MODES, as_pair
from ..presets import PRESETS
from .filters import (
    MAX_FILTERS,
    MAX_KERNEL_SIDE,
    BankFilter,
    check_activation,
    colour_difference_filter,
    filter_from_kernel,
    filter_from_preset,
    unique_name,
)


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

    @property
    def weight_count(self) -> int:
        """Weights of every filter, ``KH·KW·C_in·C_out`` (what the bank size limit counts)."""
        kh, kw = self.kernel_hw
        return kh * kw * self.in_channels * self.out_channels

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


