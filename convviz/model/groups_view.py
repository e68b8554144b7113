"""What the "Costs" tab writes about groups and depthwise-separable layers, Qt-free.

The Groups choices (divisors of C_in), the sentence and grid of which input channels each filter sees
(:func:`~convviz.model.costs.group_channels`), and the standard K×K conv against depthwise K×K +
pointwise 1×1 (:func:`~convviz.model.costs.separable_costs`) with MobileNet's saving
``1/C_out + 1/K²``. Every number comes from those functions; ``<b>`` marks what the tab shows in bold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .costs import LayerCosts, SeparableCosts, group_channels, layer_costs, separable_costs
from .states.costs import DEPTHWISE, divisors
from .units import count_text, ratio_text

#: at most this many filters (columns) and input channels (rows) in the channel grid
GRID_LIMIT = 64


def costs_of(layer: dict[str, Any]) -> tuple[LayerCosts, SeparableCosts]:
    """The conv layer (with its groups) and the standard vs depthwise-separable comparison of a costed layer
    (:func:`~convviz.model.states.costs.costed_layer`); ``ValueError`` when the layer does not fit."""
    shape, kernel = (layer["h"], layer["w"], layer["c"]), (layer["kh"], layer["kw"])
    kwargs = dict(stride=layer["stride"], dilation=layer["dilation"], bias=layer["bias"])
    conv = layer_costs(shape, kernel, layer["filters"], layer["padding"], groups=layer["groups"], **kwargs)
    return conv, separable_costs(shape, kernel, layer["filters"], layer["padding"], **kwargs)


# -- the Groups setting -------------------------------------------------------------------
@dataclass(frozen=True)
class GroupsChoice:
    """One entry of the Groups list: ``value`` is what the state stores (an int, or ``"depthwise"``)."""

    groups: int
    value: int | str
    label: str
    enabled: bool
    tooltip: str


def groups_choices(c_in: int, filters: int) -> list[GroupsChoice]:
    """Every divisor of ``c_in``, from 1 (standard) to ``c_in`` (depthwise); those that do not divide
    ``filters`` too are listed but not enabled, with the reason.

    >>> [(g.label, g.enabled) for g in groups_choices(4, 6)]
    [('1 (standard)', True), ('2', True), ('4 (depthwise)', False)]
    """
    out = []
    for g in divisors(int(c_in)):
        if c_in == 1:
            label = "1 (standard = depthwise)"
        else:
            label = "1 (standard)" if g == 1 else f"{g} (depthwise)" if g == c_in else str(g)
        enabled = filters % g == 0
        if enabled:
            tip = f"{g} group(s): each filter sees {c_in // g} of the {c_in} input channels."
        else:
            tip = f"{filters} filters cannot be split into {g} equal groups: pick a number of filters divisible by {g}."
        out.append(GroupsChoice(g, DEPTHWISE if g == c_in and c_in > 1 else g, label, enabled, tip))
    return out


def groups_note(requested: int | str, c_in: int, filters: int, groups: int) -> str:
    """Why the costed ``groups`` is not the one asked for (``""`` when it is)."""
    wanted = c_in if requested == DEPTHWISE else int(requested)
    if wanted == groups:
        return ""
    if requested == DEPTHWISE:
        return (f"Depthwise needs the filters to be a multiple of C_in: {filters} filters on {c_in} channels are "
                f"not, so this uses groups = {groups}.")
    return (f"groups = {wanted} must divide both C_in = {c_in} and the {filters} filters: this uses {groups}, "
            "the largest that does.")


def groups_sentence(c_in: int, filters: int, groups: int) -> str:
    """Which input channels each filter sees, in words (1-based, as people count)."""
    seen, per_group = c_in // groups, filters // groups
    if groups == 1:
        return f"groups = 1 (standard): every filter sees all {c_in} input channel(s)."
    if groups == c_in:
        many = "one filter" if per_group == 1 else f"{per_group} filters"
        return (f"groups = {groups} (depthwise): each filter sees one input channel, {many} per channel: "
                f"filter {1 + per_group} sees channel 2.")
    channels = group_channels(c_in, filters, groups)
    parts = []
    for g in range(min(groups, 2)):
        lo, hi = g * per_group + 1, (g + 1) * per_group
        who = f"filter {lo} sees" if lo == hi else f"filters {lo}–{hi} see"
        parts.append(f"{who} channels {channels[lo - 1].start + 1}–{channels[lo - 1].stop}")
    more = ", and so on" if groups > 2 else ""
    return (f"groups = {groups}: {groups} groups of {seen} input channels and {per_group} filter(s); "
            f"{', '.join(parts)}{more}.")


@dataclass(frozen=True)
class ChannelGrid:
    """``seen[channel, filter]``: 0 where the filter does not see the input channel, else its group + 1;
    at most ``GRID_LIMIT`` rows and columns (the first ones); ``caption`` says what is shown
    (``"64 filter(s) across, 3 input channel(s) down"``)."""

    seen: np.ndarray
    caption: str


def channel_grid(c_in: int, filters: int, groups: int, limit: int = GRID_LIMIT) -> ChannelGrid:
    """The grid of which input channels (rows) each filter (columns) sees, from ``group_channels``.

    >>> channel_grid(4, 4, 2).seen.tolist()
    [[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 2, 2], [0, 0, 2, 2]]
    """
    rows, cols = min(c_in, limit), min(filters, limit)
    per_group = filters // groups
    seen = np.zeros((rows, cols), dtype=np.int32)
    for o, channels in enumerate(group_channels(c_in, filters, groups)[:cols]):
        seen[channels.start:min(channels.stop, rows), o] = o // per_group + 1
    across = f"the first {cols} of {filters} filters" if cols < filters else f"{filters} filter(s)"
    down = f"the first {rows} of {c_in} input channels" if rows < c_in else f"{c_in} input channel(s)"
    return ChannelGrid(seen, f"{across} across, {down} down")


# -- standard vs depthwise-separable -------------------------------------------------------
def separable_rows(s: SeparableCosts) -> list[tuple[str, str, str, str]]:
    """``(layer, weights formula, parameters, multiply-adds)`` for the standard layer, the depthwise and
    pointwise layers and the two together (multiplier 1: one depthwise filter per input channel)."""
    kh, kw = s.standard.kernel_size
    c, f = s.standard.input_shape[2], s.standard.filters
    bias = s.standard.bias

    def weights(text: str, biases: int) -> str:
        return f"{text} + {biases}" if bias else text

    return [
        (f"standard {kh}×{kw} conv", weights(f"{kh}·{kw}·{c}·{f}", f), count_text(s.standard.conv_params),
         count_text(s.standard.conv_macs)),
        (f"depthwise {kh}×{kw}", weights(f"{kh}·{kw}·{c}", c), count_text(s.depthwise.conv_params),
         count_text(s.depthwise.conv_macs)),
        ("pointwise 1×1", weights(f"{c}·{f}", f), count_text(s.pointwise.conv_params),
         count_text(s.pointwise.conv_macs)),
        ("depthwise + pointwise", "", f"<b>{count_text(s.separable_params)}</b>",
         f"<b>{count_text(s.separable_macs)}</b>"),
    ]


def times_fewer(ratio: float) -> str:
    """``standard / separable`` in words: ``7.89`` → ``≈ 7.9× fewer``; below 1 the separable pair costs more."""
    return f"{ratio_text(ratio)} fewer" if ratio >= 1 else f"{ratio_text(1 / ratio)} more"


def saving_row(s: SeparableCosts) -> tuple[str, str]:
    """``separable / standard`` for the parameters and the multiply-adds (4 decimals), with how many times
    fewer: ``"0.0556<br><b>≈ 18× fewer</b>"``."""
    params, macs = (f"{1 / ratio:.4f}<br><b>{times_fewer(ratio)}</b>" for ratio in (s.params_ratio, s.macs_ratio))
    return params, macs


def mobilenet_fraction(s: SeparableCosts) -> float:
    """MobileNet's ``1/C_out + 1/(K_h·K_w)``: the separable layer's share of the standard multiply-adds."""
    kh, kw = s.standard.kernel_size
    return 1 / s.standard.filters + 1 / (kh * kw)


def mobilenet_row(s: SeparableCosts) -> tuple[str, str, str, str]:
    """The comparison's last row: ``("MobileNet 1/C_out + 1/K²", "1/64 + 1/5²", params, macs)`` where the
    macs cell is MobileNet's fraction (always exactly the multiply-adds' share) and the params cell is the
    same fraction without biases and empty with them (biases make the parameters' share differ)."""
    kh, kw = s.standard.kernel_size
    square = "K²" if kh == kw else "(K_h·K_w)"
    kernel = f"{kh}²" if kh == kw else f"({kh}·{kw})"
    fraction = f"{mobilenet_fraction(s):.4f}"
    return (f"MobileNet 1/C_out + 1/{square}", f"1/{s.standard.filters} + 1/{kernel}",
            "" if s.standard.bias else fraction, fraction)


def mobilenet_sentence(s: SeparableCosts) -> str:
    """MobileNet's saving with this layer's numbers, and how far the parameters follow it."""
    title, terms, _, fraction = mobilenet_row(s)
    text = (f"MobileNet's saving: {title.removeprefix('MobileNet ')} = {terms} = {fraction} "
            f"({times_fewer(1 / mobilenet_fraction(s))}): exactly the multiply-adds' share")
    if s.standard.bias:
        return text + f"; the parameters' share is {1 / s.params_ratio:.4f} because the biases count too."
    return text + ", and the parameters' share too (no biases)."
