"""Lesson settings of the Filter bank tab as a bank (no Qt): filter names → a layer, bias, activation, layers.

Names are :data:`~convviz.model.PRESETS` keys (the same slice on every channel) or the colour
filters of :data:`COLOUR_FILTERS` (colour images only). Every problem raises ``ValueError``
before anything is built, so a panel can refuse a bad slide and keep what it shows.
"""

from __future__ import annotations

import numbers

from ..presets import PRESETS
from .filters import ACTIVATION_CHOICES, MAX_FILTERS, MAX_LAYERS, colour_difference_filter, filter_from_preset
from .layers import BankLayer, LayerSettings
from .network import Network

#: colour filter name → (channel added, channel subtracted), weights +1 and −1 over a 3×3 window
COLOUR_FILTERS = {
    "red_minus_green": (0, 1), "green_minus_red": (1, 0),
    "green_minus_blue": (1, 2), "blue_minus_green": (2, 1),
    "blue_minus_red": (2, 0), "red_minus_blue": (0, 2),
}
#: the panel's sub-views, by the names lessons use
VIEWS = ("maps", "enlarged", "stack", "channel sums", "receptive field")


def _number(value, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{what} must be a number, not {value!r}.")
    return float(value)


def _whole(value, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= int(value) <= high:
        raise ValueError(f"{what} must be a whole number from {low} to {high}, not {value!r}.")
    return int(value)


def layer_from_names(names, c_in: int) -> BankLayer:
    """A ReLU layer with one filter per name, all resized (centred, zero-padded) to the largest size."""
    if isinstance(names, str) or not isinstance(names, (list, tuple)) or not 1 <= len(names) <= MAX_FILTERS:
        raise ValueError(f"\"filters\" must be a list of 1 to {MAX_FILTERS} filter names.")
    filters = []
    for name in names:
        if name in PRESETS:
            filters.append(filter_from_preset(name, c_in))
        elif name in COLOUR_FILTERS:
            if c_in != 3:
                raise ValueError(f"The colour filter {name!r} needs a colour image; this input has {c_in} channel(s).")
            plus, minus = COLOUR_FILTERS[name]
            filters.append(colour_difference_filter(c_in, plus, minus, name=name))
        else:
            raise ValueError(f"Unknown filter {name!r}: use a preset ({', '.join(PRESETS)}) or a colour filter "
                             f"({', '.join(COLOUR_FILTERS)}).")
    side = (max(f.kernel_hw[0] for f in filters), max(f.kernel_hw[1] for f in filters))
    return BankLayer(tuple(f.resized(side) for f in filters), "relu", LayerSettings())


def names_rebuild(layer: BankLayer) -> bool:
    """True when :func:`layer_from_names` of the layer's filter names gives exactly its weights."""
    try:
        again = layer_from_names(layer.names, layer.in_channels)
    except ValueError:
        return False
    return all(a.weights.shape == b.weights.shape and bool((a.weights == b.weights).all())
               for a, b in zip(again.filters, layer.filters))


def network_from_settings(network: Network, settings: dict, c_in: int) -> Network:
    """``network`` changed by the structural settings ``filters``, ``layers``, ``activation``, ``bias``.

    ``filters`` builds a fresh one-layer bank first; ``layers`` adds default layers on top or
    removes top layers; ``activation`` is set on every layer; ``bias`` (one number or one per
    filter) on layer 1. Other keys are ignored.
    """
    if "filters" in settings:
        network = Network((layer_from_names(settings["filters"], c_in),))
    if "layers" in settings:
        wanted = _whole(settings["layers"], "\"layers\"", 1, MAX_LAYERS)
        while len(network) < wanted:
            network, _ = network.appended()
        while len(network) > wanted:
            network, _ = network.removed(len(network) - 1)
    if "activation" in settings:
        activation = settings["activation"]
        if activation not in ACTIVATION_CHOICES:
            raise ValueError(f"\"activation\" must be one of {', '.join(ACTIVATION_CHOICES)}, not {activation!r}.")
        for i, layer in enumerate(network.layers):
            network, _ = network.with_layer(i, layer.with_activation(activation))
    if "bias" in settings:
        first = network[0]
        bias = settings["bias"]
        if isinstance(bias, (list, tuple)):
            if len(bias) != first.out_channels:
                raise ValueError(f"\"bias\" has {len(bias)} numbers but layer 1 has {first.out_channels} filters.")
            values = [_number(b, "Each bias") for b in bias]
        else:
            values = [_number(bias, "\"bias\"")] * first.out_channels
        network, _ = network.with_layer(0, first.with_filters(f.with_bias(b) for f, b in zip(first.filters, values)))
    return network


def view_index(name) -> int:
    """The position of sub-view ``name`` in :data:`VIEWS` (ValueError when unknown)."""
    if name not in VIEWS:
        raise ValueError(f"\"view\" must be one of {', '.join(VIEWS)}, not {name!r}.")
    return VIEWS.index(name)


def check_index(value, what: str, count: int) -> int:
    """A 0-based index below ``count`` (ValueError otherwise)."""
    return _whole(value, what, 0, count - 1)


def check_layer(value, count: int) -> int:
    """A 1-based layer number up to ``count``, as a 0-based index (ValueError otherwise)."""
    return _whole(value, "\"layer\"", 1, count) - 1


def check_pixel(value, shape_hw) -> tuple[int, int]:
    """``[row, col]`` inside a map of ``shape_hw`` (ValueError otherwise)."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise ValueError(f"\"pixel\" must be [row, col], not {value!r}.")
    h, w = shape_hw
    return _whole(value[0], "The pixel's row", 0, h - 1), _whole(value[1], "The pixel's column", 0, w - 1)
