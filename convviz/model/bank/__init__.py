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

The modules, by concern: :mod:`.filters` (one filter, making filters, limits),
:mod:`.layers` (a layer and its settings), :mod:`.network` (chained layers, shapes,
receptive field), :mod:`.channels` (one pixel channel by channel), :mod:`.maps`
(computing and remembering maps), :mod:`.lesson` (a bank from lesson settings),
:mod:`.display` (the maps, levels and thumbnails a view shows) and :mod:`.texts`
(the sentences the tab writes).
"""

from ..colour import levels_from_range
from .channels import Decomposition, channel_partial_maps, decompose, input_patch
from .filters import (
    ACTIVATION_CHOICES,
    ACTIVATION_LABELS,
    CHANNEL_NAMES_RGB,
    MAX_FILTERS,
    MAX_KERNEL_SIDE,
    MAX_LAYERS,
    BankFilter,
    channel_names,
    check_activation,
    colour_difference_filter,
    filter_from_kernel,
    filter_from_preset,
    random_filter,
    unique_name,
)
from .layers import BankLayer, LayerSettings, adaptation_message, default_bank, default_next_layer
from .maps import (
    FLOAT32_FROM_PIXELS,
    MapCalculator,
    StageMaps,
    display_dtype,
    map_range,
    shared_levels,
    strongest_pixel,
    thumbnail,
    thumbnail_step,
)
from .network import Network, Region, StageShape, network_for_image

__all__ = [
    "ACTIVATION_CHOICES", "ACTIVATION_LABELS", "CHANNEL_NAMES_RGB", "FLOAT32_FROM_PIXELS", "MAX_FILTERS",
    "MAX_KERNEL_SIDE", "MAX_LAYERS", "BankFilter", "BankLayer", "Decomposition", "LayerSettings", "MapCalculator",
    "Network", "Region", "StageMaps", "StageShape", "adaptation_message", "channel_names", "channel_partial_maps",
    "check_activation", "colour_difference_filter", "decompose", "default_bank", "default_next_layer",
    "display_dtype", "filter_from_kernel", "filter_from_preset", "input_patch", "levels_from_range", "map_range",
    "network_for_image", "random_filter", "shared_levels", "strongest_pixel", "thumbnail", "thumbnail_step",
    "unique_name",
]
