"""State of the "Costs" tab: the conv layer compared with a dense layer, and a chain of layers.

While ``follow`` is on, the input size and the kernel geometry come from the document
(:func:`followed_values`); the state keeps the user's own numbers for when following stops.
:func:`costed_layer` is the layer as it is costed and shown.

Lesson and session keys (``"settings"`` of a slide with ``"panel": "costs"``); any subset may be given:

``h``, ``w``, ``c``
    The input ``H × W × C_in`` (whole numbers, 1 … 100,000; channels 1 … 4,096).
``kh``, ``kw``, ``filters``
    Kernel height and width (1 … 63) and the number of filters ``C_out`` (1 … 4,096).
``padding``, ``stride``, ``dilation``
    ``"valid" | "same" | "full"`` or ``[rows, columns]``; stride and dilation 1 … 64.
``bias``
    ``true``: one bias per filter (conv, depthwise and pointwise) and per output (dense).
``groups``
    ``1`` (standard, the default) … ``C_in``, or ``"depthwise"`` (groups = C_in, whatever C_in is).
    Each filter sees ``C_in / groups`` input channels. A request that does not divide both C_in and
    ``filters`` is kept but costed with the largest common divisor below it (:func:`resolve_groups`),
    and the tab says so; a slide that changes ``c`` need not repeat ``groups``.
``follow``
    ``true``: take ``h, w, c, kh, kw, padding, stride, dilation`` from the image and kernel.
``layers``
    The chain, a list of ``{"kernel", "filters", "stride", "padding"}`` objects (at most 12).

The standard vs depthwise-separable comparison (depthwise K×K, one filter per channel, then
pointwise 1×1 to ``filters``) is always drawn from the same layer; it has no keys of its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from psygnal import evented

from .._args import as_pair
from ..layer_stack import ConvLayerSpec
from ..panel_state import PanelState, choice, whole_number

PADDINGS = ("valid", "same", "full")
MAX_INPUT_SIDE = 100_000
MAX_CHANNELS = 4096
MAX_KERNEL_SIDE = 63
MAX_FILTERS = 4096
MAX_STRIDE = MAX_DILATION = 64
MAX_PADDING = 10_000
#: the chain of layers: at most this many, each with a square kernel of at most ``MAX_LAYER_KERNEL``
MAX_LAYERS = 12
MAX_LAYER_KERNEL = 31
MAX_LAYER_STRIDE = 16
DEFAULT_LAYERS = (ConvLayerSpec(5, 64, 1, "valid"), ConvLayerSpec(3, 128, 2, "same"))
#: a new layer when the chain is empty
NEW_LAYER = ConvLayerSpec(3, 16, 1, "same")
#: the ``groups`` value meaning "as many groups as input channels"
DEPTHWISE = "depthwise"
#: the lecture's example: a 32×32 colour image, 64 filters of 5×5, valid padding, no bias, standard
LECTURE = dict(h=32, w=32, c=3, kh=5, kw=5, filters=64, padding="valid", stride=1, dilation=1, bias=False,
               groups=1)
#: the fields of the costed layer, and those taken from the document while following it
LAYER_FIELDS = ("h", "w", "c", "kh", "kw", "filters", "padding", "stride", "dilation", "bias", "groups")
FOLLOWED_FIELDS = ("h", "w", "c", "kh", "kw", "padding", "stride", "dilation")
#: the fields a user's edit may change without stopping the following of the document
UNFOLLOWED_FIELDS = frozenset({"filters", "bias", "groups"})
_LIMITS = {"h": ("input height", MAX_INPUT_SIDE), "w": ("input width", MAX_INPUT_SIDE),
           "c": ("number of input channels", MAX_CHANNELS), "kh": ("kernel height", MAX_KERNEL_SIDE),
           "kw": ("kernel width", MAX_KERNEL_SIDE), "filters": ("number of filters", MAX_FILTERS),
           "stride": ("stride", MAX_STRIDE), "dilation": ("dilation", MAX_DILATION)}


@evented
@dataclass
class CostsState(PanelState):
    """The layer ``H × W × C_in`` → ``filters`` kernels of ``kh × kw`` (``padding``, ``stride``,
    ``dilation``, ``bias``, ``groups``); ``follow``: take the input and kernel geometry from the document;
    ``layers``: the chain of :class:`~convviz.model.layer_stack.ConvLayerSpec` on the same input.

    ``padding`` is ``"valid" | "same" | "full"`` or ``(ph, pw)``; ``groups`` is an int or ``"depthwise"``
    (the request; :func:`resolve_groups` gives the groups costed); the JSON form of ``layers`` is a
    list of ``{"kernel", "filters", "stride", "padding"}`` objects. The module docstring lists the keys.
    """

    h: int = 32
    w: int = 32
    c: int = 3
    kh: int = 5
    kw: int = 5
    filters: int = 64
    padding: str | tuple[int, int] = "valid"
    stride: int = 1
    dilation: int = 1
    bias: bool = True
    follow: bool = False
    layers: tuple[ConvLayerSpec, ...] = DEFAULT_LAYERS
    groups: int | str = 1

    def _check_h(self, value):
        return _whole("h", value)

    def _check_w(self, value):
        return _whole("w", value)

    def _check_c(self, value):
        return _whole("c", value)

    def _check_kh(self, value):
        return _whole("kh", value)

    def _check_kw(self, value):
        return _whole("kw", value)

    def _check_filters(self, value):
        return _whole("filters", value)

    def _check_stride(self, value):
        return _whole("stride", value)

    def _check_dilation(self, value):
        return _whole("dilation", value)

    def _check_padding(self, value):
        return check_padding(value)

    def _check_bias(self, value):
        return yes_no(value, "bias setting")

    def _check_follow(self, value):
        return yes_no(value, "follow setting")

    def _check_groups(self, value):
        if isinstance(value, str):
            if value.strip().lower() == DEPTHWISE:
                return DEPTHWISE
            raise ValueError(f"Unknown groups {value!r}: use a whole number (1 is standard) or \"depthwise\".")
        return whole_number(value, "number of groups", 1, MAX_CHANNELS)

    def _check_layers(self, value):
        if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__iter__"):
            raise ValueError("The layers must be a list of {kernel, filters, stride, padding} objects.")
        specs = tuple(layer_spec(item, number) for number, item in enumerate(value, start=1))
        if len(specs) > MAX_LAYERS:
            raise ValueError(f"At most {MAX_LAYERS} layers, not {len(specs)}.")
        return specs

    def settings(self) -> dict[str, Any]:
        out = super().settings()
        out["layers"] = [layer_json(spec) for spec in self.layers]
        return out

    def layer(self) -> dict[str, Any]:
        """The state's own layer (``LAYER_FIELDS``), whether following or not."""
        return {name: getattr(self, name) for name in LAYER_FIELDS}


def _whole(name: str, value) -> int:
    what, high = _LIMITS[name]
    return whole_number(value, what, 1, high)


def yes_no(value, what: str) -> bool:
    """``value`` as a bool: JSON ``true``/``false`` (or 1/0); anything else is refused."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise ValueError(f"The {what} must be true or false, not {value!r}.")


def check_padding(value) -> str | tuple[int, int]:
    """``"valid" | "same" | "full"``, or explicit padding as ``(ph, pw)`` (an int means both)."""
    if isinstance(value, str):
        return choice(value, PADDINGS, "padding")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        p = whole_number(value, "padding", 0, MAX_PADDING)
        return (p, p)
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return (whole_number(value[0], "padding", 0, MAX_PADDING), whole_number(value[1], "padding", 0, MAX_PADDING))
    raise ValueError(f"Unknown padding {value!r}: use valid, same, full or [rows, columns].")


def layer_spec(item, number: int = 1) -> ConvLayerSpec:
    """One layer of the chain from a :class:`ConvLayerSpec`, a ``{"kernel", "filters", "stride",
    "padding"}`` object or a ``[kernel, filters, stride, padding]`` list; ``ValueError`` names the layer."""
    if isinstance(item, ConvLayerSpec):
        values = [item.kernel_size, item.filters, item.stride, item.padding]
    elif isinstance(item, dict):
        values = [item.get("kernel", NEW_LAYER.kernel_size), item.get("filters", NEW_LAYER.filters),
                  item.get("stride", NEW_LAYER.stride), item.get("padding", NEW_LAYER.padding)]
    elif isinstance(item, (list, tuple)) and len(item) == 4:
        values = list(item)
    else:
        raise ValueError(f"Layer {number} must be an object with kernel, filters, stride and padding.")
    try:
        return ConvLayerSpec(whole_number(values[0], "kernel side", 1, MAX_LAYER_KERNEL),
                             whole_number(values[1], "number of filters", 1, MAX_FILTERS),
                             whole_number(values[2], "stride", 1, MAX_LAYER_STRIDE),
                             choice(values[3], PADDINGS, "padding"))
    except ValueError as err:
        raise ValueError(f"Layer {number}: {err}") from None


def layer_json(spec: ConvLayerSpec) -> dict[str, Any]:
    return {"kernel": spec.kernel_size, "filters": spec.filters, "stride": spec.stride, "padding": spec.padding}


def divisors(n: int) -> list[int]:
    """The divisors of ``n`` in increasing order: ``12`` → ``[1, 2, 3, 4, 6, 12]``."""
    small = [d for d in range(1, math.isqrt(n) + 1) if n % d == 0]
    return small + [n // d for d in reversed(small) if d * d != n]


def resolve_groups(requested: int | str, c_in: int, filters: int) -> int:
    """The groups costed for a request: ``"depthwise"`` means ``c_in``; the result is the largest
    divisor of both ``c_in`` and ``filters`` not above the request (1 at least).

    >>> resolve_groups("depthwise", 32, 64), resolve_groups(4, 6, 64), resolve_groups("depthwise", 3, 64)
    (32, 2, 1)
    """
    wanted = c_in if requested == DEPTHWISE else int(requested)
    return max(d for d in divisors(math.gcd(int(c_in), int(filters))) if d <= max(wanted, 1))


def followed_values(document) -> dict[str, Any]:
    """``FOLLOWED_FIELDS`` of a :class:`~convviz.model.ConvDocument`: its image's H, W and channels
    (1 for a grey image or grey view), its kernel's size, padding, stride and dilation (rows)."""
    image = document.image
    h, w = image.shape[:2]
    c = 1 if (image.ndim == 2 or document.gray) else int(image.shape[2])
    kh, kw = document.kernel.shape[:2]
    padding = document.padding if isinstance(document.padding, str) else as_pair(document.padding, "padding",
                                                                                  minimum=0)
    stride = as_pair(document.stride, "stride", minimum=1)
    dilation = as_pair(document.dilation, "dilation", minimum=1)
    return dict(h=int(h), w=int(w), c=c, kh=int(kh), kw=int(kw), padding=padding, stride=stride[0],
                dilation=dilation[0])


def costed_layer(state: CostsState, document=None) -> dict[str, Any]:
    """The layer that is costed and shown: the state's, with ``FOLLOWED_FIELDS`` from ``document``
    while ``state.follow`` is on, and ``groups`` resolved to an int (:func:`resolve_groups`)."""
    layer = state.layer()
    if state.follow and document is not None:
        layer.update(followed_values(document))
    layer["groups"] = resolve_groups(state.groups, layer["c"], layer["filters"])
    return layer


def take_over(state: CostsState, document, **changes) -> dict[str, Any]:
    """The changes for a user's edit of the layer: while following, the shown (followed) values
    become the state's own, so nothing jumps, and following stops — unless only ``UNFOLLOWED_FIELDS``
    (filters, bias, groups) change. Followed values beyond the state's limits are clamped."""
    if not state.follow or set(changes) <= UNFOLLOWED_FIELDS:
        return dict(changes)
    shown = followed_values(document)
    for name, value in shown.items():
        if name in _LIMITS:
            shown[name] = min(max(int(value), 1), _LIMITS[name][1])
        elif name == "padding" and not isinstance(value, str):
            shown[name] = tuple(min(int(v), MAX_PADDING) for v in value)
    return {**shown, **changes, "follow": False}
