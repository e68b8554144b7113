"""The edits the Filter bank tab offers, as functions from one immutable value to the next (no Qt).

Each returns a new filter or layer (or raises ``ValueError`` with a sentence), so the tab can make
it one undo step, or refuse it and keep what it shows.
"""

from __future__ import annotations

import numpy as np

from .filters import BankFilter, channel_names, filter_from_kernel, filter_from_preset, unique_name
from .layers import BankLayer

#: colour-difference filters are offered between the first this many channels
COLOUR_DIFFERENCE_CHANNELS = 4


def with_weight(f: BankFilter, channel: int, row: int, col: int, value: float, *, every_channel: bool = False
                ) -> BankFilter:
    """``f`` with weight ``(row, col)`` of ``channel``'s slice set to ``value``; with ``every_channel``,
    that channel's slice (so edited) is put on every channel."""
    if not every_channel:
        return f.with_weight(channel, row, col, value)
    k = np.array(f.slice(channel))
    k[row, col] = value
    return f.with_all_slices(k)


def with_preset_slice(f: BankFilter, key: str, channel: int | None = None) -> BankFilter:
    """``f`` with preset ``key`` (resized to ``f``'s K×K) as the slice of ``channel``, or of every channel."""
    k = filter_from_preset(key, 1, f.kernel_hw).slice(0)
    return f.with_all_slices(k) if channel is None else f.with_slice(channel, k)


def with_first_slice_everywhere(f: BankFilter) -> BankFilter:
    """``f`` with its first channel's slice on every channel."""
    return f.with_all_slices(f.slice(0))


def blank_filter(layer: BankLayer) -> BankFilter:
    """An all-zero filter that fits ``layer``."""
    return filter_from_kernel("blank", np.zeros(layer.kernel_hw), layer.in_channels)


def added_after(layer: BankLayer, f: BankFilter, index: int) -> tuple[BankLayer, int, str]:
    """``layer`` with ``f`` (renamed if its name is taken, fitted to the layer) right after filter ``index``;
    returns the new layer, the new filter's index and its name."""
    name = unique_name(f.name, layer.names)
    at = index + 1
    return layer.added(f.renamed(name), at), at, name


def colour_differences(c_in: int) -> list[tuple[int, int, str]]:
    """``(plus, minus, label)`` of the colour-difference filters offered for ``c_in`` channels (none for grey)."""
    if c_in < 2:
        return []
    names = channel_names(c_in)
    n = min(c_in, COLOUR_DIFFERENCE_CHANNELS)
    return [(a, b, f"{names[a]} minus {names[b]}") for a in range(n) for b in range(n) if a != b]
