"""Grouped convolution on the bank (issue #15): from standard (groups = 1) to depthwise (groups = C_in).

The bank keeps every filter's full ``(KH, KW, C_in)`` weights; with ``groups`` = G a filter ``o``
reads only its block of ``C_in / G`` channels (:func:`~convviz.model.costs.group_channels`), so the
layer's weights are sliced to ``(KH, KW, C_in / G, C_out)`` (:func:`grouped_weights`) for
:func:`~convviz.model.layer.conv_layer` ``(groups=G)``. :func:`masked_layer` gives the same layer
with the unseen channels' weights set to 0 (the same maps from an ordinary convolution; the channel
sums then show 0 for channels a filter does not see).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..costs import group_channels
from .layers import BankLayer


def group_choices(c_in: int, c_out: int) -> list[int]:
    """Every ``groups`` value allowed for a layer: the numbers dividing both ``c_in`` and ``c_out``."""
    c_in, c_out = int(c_in), int(c_out)
    return [g for g in range(1, c_in + 1) if c_in % g == 0 and c_out % g == 0]


def check_layer_groups(groups, layer: BankLayer, index: int = 0) -> int:
    """``groups`` as an int allowed for ``layer`` (layer ``index`` + 1 in messages); ``ValueError`` otherwise."""
    if isinstance(groups, (bool, np.bool_)) or not isinstance(groups, (int, np.integer)) or groups < 1:
        raise ValueError(f"Groups must be a positive whole number, not {groups!r}.")
    allowed = group_choices(layer.in_channels, layer.out_channels)
    if int(groups) not in allowed:
        raise ValueError(f"Layer {index + 1} cannot use {groups} groups: groups must divide both its "
                         f"{layer.in_channels} input channels and its {layer.out_channels} filters "
                         f"({', '.join(map(str, allowed))}).")
    return int(groups)


def grouped_weights(layer: BankLayer, groups: int) -> np.ndarray:
    """``(KH, KW, C_in / groups, C_out)`` float64: filter ``o``'s weights on the channels it sees."""
    seen = group_channels(layer.in_channels, layer.out_channels, groups)
    return np.stack([f.weights[:, :, seen[o].start:seen[o].stop] for o, f in enumerate(layer.filters)], axis=3)


def masked_layer(layer: BankLayer, groups: int) -> BankLayer:
    """``layer`` with each filter's weights on the channels it does not see set to 0 (itself for groups 1)."""
    if groups == 1:
        return layer
    seen = group_channels(layer.in_channels, layer.out_channels, groups)
    filters = []
    for o, f in enumerate(layer.filters):
        w = np.zeros_like(f.weights)
        w[:, :, seen[o].start:seen[o].stop] = f.weights[:, :, seen[o].start:seen[o].stop]
        filters.append(replace(f, weights=w))
    return layer.with_filters(filters)


def groups_lines(layer: BankLayer, groups: int, channel_names) -> list[str]:
    """One line per filter: which input channels it sees (``channel_names``: the layer's input channels)."""
    seen = group_channels(layer.in_channels, layer.out_channels, groups)
    lines = []
    for o, name in enumerate(layer.names):
        chans = ", ".join(str(channel_names[c]) for c in seen[o])
        lines.append(f"{o + 1}. {name}: {chans}")
    return lines


def groups_note(layer: BankLayer, groups: int) -> str:
    """What ``groups`` does to the layer, in a sentence (and why other values are not offered)."""
    c_in, c_out = layer.in_channels, layer.out_channels
    allowed = ", ".join(map(str, group_choices(c_in, c_out)))
    kind = "standard convolution" if groups == 1 else (
        "depthwise convolution" if groups == c_in else f"{groups} groups")
    return (f"{kind}: each filter sees {c_in // groups} of the {c_in} input channels (its weights are sliced "
            f"to those). Groups must divide both C_in = {c_in} and C_out = {c_out}: {allowed}.")


__all__ = ["check_layer_groups", "group_choices", "grouped_weights", "groups_lines", "groups_note", "masked_layer"]
