"""State of the "Filter bank" tab: the bank itself and what the tab shows of it.

The bank is an immutable :class:`~convviz.model.bank.Network`, replaced by every edit (so each
edit is one undo step and can be compared). ``network = None`` is the untouched default bank,
made for whatever image is open (:func:`~convviz.model.bank.network_for_image`); a bank the user
edited is stored as edited and only *shown* adapted to the image's channels, so it comes back
exactly when the image does.

The bank depends on the image (its channels, and layer 1 slides as the document says), so the
workspace binds the state to its document (:meth:`BankState.bind_document`); settings are then
checked against that image, whether or not the tab was ever built.

Its JSON form (:meth:`BankState.settings`) is the lesson form of the tab: ``filters`` (names that
rebuild layer 1), ``layers``, ``activation``, ``bias``, ``layer`` (1-based), ``selected_filter``,
``pixel`` ``[row, col]``, ``view``, ``shared_scale``, ``scale`` (auto, input, full, robust),
``zoom_field`` and ``groups`` (each layer's convolution groups, only when one is not 1).
The whole bank (weights and all) is saved beside it in the bank file format
(:func:`~convviz.io.banks.bank_to_json` of :meth:`BankState.network_for`), and restored with
:meth:`BankState.changes_for_bank`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from psygnal import evented

from .. import limits
from ..bank import MAX_FILTERS, MAX_LAYERS, LayerSettings, Network, default_bank, network_for_image
from ..bank.display import input_shape as image_input_shape
from ..bank.groups import check_layer_groups
from ..bank.lesson import VIEWS, check_index, check_layer, check_pixel, names_rebuild, network_from_settings
from ..colour import SCALES
from ..panel_state import PanelState, choice, whole_number

#: lesson keys that change the bank itself (the others change what is shown)
STRUCTURAL_KEYS = ("filters", "layers", "activation", "bias")
#: filters of the largest default bank (colour): the selection allowed while the bank is the default
DEFAULT_FILTERS = default_bank(3).out_channels
#: largest row or column a chosen pixel may have (the largest image convviz opens is 40 megapixels)
MAX_PIXEL_INDEX = 40_000_000


@evented
@dataclass
class BankState(PanelState):
    """``network``: the bank (None: the default); ``layer_index``/``filter_index``: the shown layer and
    the selected filter (0-based); ``pixel``: the explained output pixel ``(row, col)`` of the shown
    layer (None: the strongest response, chosen when the maps are computed); ``view``: one of
    :data:`~convviz.model.bank.lesson.VIEWS`; ``shared_scale``: one colour scale for every map (off: each
    map its own, so a blur is not drawn black beside strong edges); ``scale``: how the levels are chosen
    (:data:`~convviz.model.colour.SCALES`; "auto" draws maps within 0–255 on the input's scale);
    ``zoom_field``: the receptive-field view zooms onto the field instead of showing the whole image;
    ``groups``: each layer's convolution groups (1 … C_in; missing or no longer dividing the layer's
    channels: 1, see :meth:`groups_for`)."""

    network: Network | None = field(default=None, metadata={"session": False})
    layer_index: int = 0
    filter_index: int = 0
    pixel: tuple[int, int] | None = None
    view: str = "maps"
    shared_scale: bool = False
    scale: str = "auto"
    zoom_field: bool = True
    groups: tuple[int, ...] = ()

    # -- checks -------------------------------------------------------------------------------
    def _check_network(self, value):
        if value is None:
            return None
        if not isinstance(value, Network):
            raise ValueError(f"The bank must be a Network (or None for the default), not {type(value).__name__}.")
        limits.check_bank_weights(value.weight_count, what="That bank")
        if self.input_shape() is not None:   # as shown on the image (layer 1 adapted to its channels)
            limits.check_bank_weights(network_for_image(value, self._channels())[0].weight_count, what="That bank")
        return value

    def _check_layer_index(self, value):
        return whole_number(value, "layer index", 0, MAX_LAYERS - 1)

    def _check_filter_index(self, value):
        return whole_number(value, "filter index", 0, MAX_FILTERS - 1)

    def _check_pixel(self, value):
        if value is None:
            return None
        if isinstance(value, str) or not hasattr(value, "__len__") or len(value) != 2:
            raise ValueError(f"The pixel must be [row, col], not {value!r}.")
        return (whole_number(value[0], "pixel's row", 0, MAX_PIXEL_INDEX),
                whole_number(value[1], "pixel's column", 0, MAX_PIXEL_INDEX))

    def _check_view(self, value):
        return choice(value, VIEWS, "view")

    def _check_shared_scale(self, value):
        return bool(value)

    def _check_scale(self, value):
        return choice(value, SCALES, "colour scale")

    def _check_zoom_field(self, value):
        return bool(value)

    def _check_groups(self, value):
        if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
            raise ValueError(f"The groups must be a list with one whole number per layer, not {value!r}.")
        value = tuple(whole_number(g, "number of groups", 1, MAX_FILTERS) for g in value)
        if len(value) > MAX_LAYERS:
            raise ValueError(f"The groups list has {len(value)} entries: the bank has at most {MAX_LAYERS} layers.")
        while value and value[-1] == 1:
            value = value[:-1]
        return value

    def groups_for(self, network: Network) -> tuple[int, ...]:
        """Each layer's groups in ``network`` (the shown bank): the stored value when it divides the layer's
        input channels and filters, else 1."""
        out = []
        for i, layer in enumerate(network.layers):
            g = self.groups[i] if i < len(self.groups) else 1
            out.append(g if layer.in_channels % g == 0 and layer.out_channels % g == 0 else 1)
        return tuple(out)

    def _check_all(self, new: dict) -> None:
        network = new["network"]
        layers = 1 if network is None else len(network)
        if new["layer_index"] >= layers:
            raise ValueError(f"Layer {new['layer_index'] + 1} does not exist: the bank has {layers} layer(s).")
        filters = DEFAULT_FILTERS if network is None else network[new["layer_index"]].out_channels
        if new["filter_index"] >= filters:
            raise ValueError(f"Filter {new['filter_index'] + 1} does not exist: the layer has {filters} filter(s).")

    # -- the bank for an image ------------------------------------------------------------------
    def bind_document(self, document) -> None:
        """Check settings against ``document``'s image (a :class:`~convviz.model.ConvDocument`; the
        workspace binds its own). Without one, a colour image of any size is assumed."""
        self._document = document

    def input_shape(self) -> tuple[int, ...] | None:
        """``(H, W)`` or ``(H, W, C)`` of what layer 1 slides over (None when no document is bound)."""
        doc = getattr(self, "_document", None)
        return None if doc is None else image_input_shape(doc.image.shape, doc.gray)

    def first_settings(self) -> LayerSettings | None:
        """How layer 1 slides: as the bound document says (None when none is bound)."""
        doc = getattr(self, "_document", None)
        return None if doc is None else LayerSettings.of_document(doc)

    def _channels(self, shape=None) -> int:
        shape = self.input_shape() if shape is None else shape
        if shape is not None:
            return 1 if len(shape) == 2 else int(shape[2])
        return self.network[0].in_channels if self.network is not None else 3

    def network_for(self, c_in: int | None = None) -> tuple[Network, list[str]]:
        """The bank as shown on an image with ``c_in`` channels (default: the bound document's), and
        what was done to fit it."""
        return network_for_image(self.network, self._channels() if c_in is None else c_in)

    def selection(self, network: Network) -> tuple[int, int]:
        """``(layer_index, filter_index)`` inside ``network`` (the default bank of a grey image has fewer filters)."""
        layer = min(self.layer_index, len(network) - 1)
        return layer, min(self.filter_index, network[layer].out_channels - 1)

    def changes_for_bank(self, network: Network) -> dict[str, Any]:
        """Checked changes that make ``network`` the bank (a file or a session); the shown layer, filter
        and a chosen pixel stay when it has them. The default bank of the image stays "the default"."""
        c_in = self._channels()
        if network == network_for_image(None, c_in)[0]:
            stored: Network | None = None
        else:
            stored = network
        layer = min(self.layer_index, len(network) - 1)
        return self.checked(network=stored, layer_index=layer,
                            filter_index=min(self.filter_index, network[layer].out_channels - 1))

    # -- JSON form (lessons and sessions) ---------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        """The lesson form of the bank and selection as shown on the bound document's image; ``filters``
        only when those names rebuild layer 1 exactly, ``activation`` only when every layer has the same."""
        shown, _ = self.network_for()
        network = None if self.network is None else shown
        layer, chosen = self.selection(shown)
        out: dict[str, Any] = {"layers": len(shown), "layer": layer + 1, "selected_filter": chosen}
        if self.pixel is not None:
            out["pixel"] = [int(self.pixel[0]), int(self.pixel[1])]
        out["view"] = self.view
        out["shared_scale"] = self.shared_scale
        out["scale"] = self.scale
        out["zoom_field"] = self.zoom_field
        groups = self.groups_for(shown)
        if any(g != 1 for g in groups):
            out["groups"] = list(groups)
        first = shown[0]
        if network is not None and names_rebuild(first):
            out["filters"] = first.names
        if len({layer.activation for layer in shown.layers}) == 1:
            out["activation"] = first.activation
        biases = [_plain(b) for b in first.biases()]
        out["bias"] = biases[0] if len(set(biases)) == 1 else biases
        return out

    def changes_from(self, settings: dict, *, input_shape=None, first: LayerSettings | None = None,
                     bank: Network | None = None) -> dict[str, Any]:
        """Checked changes for a slide's or session's ``settings`` (unknown keys ignored; ``ValueError``
        if one is refused, and then nothing may change).

        ``bank`` (a session's whole bank) replaces the bank first; ``filters``, ``layers``, ``activation``
        and ``bias`` are then ignored (the bank says it all) and the rest is checked against it.

        ``input_shape`` ``(H, W)`` / ``(H, W, C)`` of the image the bank reads and ``first`` (layer 1's
        settings) default to the bound document's; a pixel is checked against the map they make. With
        neither, any pixel ``[row, col]`` of whole numbers is taken (the tab then explains the strongest
        one when it does not fit). A bank change, or another layer or filter, goes back to the strongest
        pixel unless ``pixel`` is given.
        """
        if not isinstance(settings, dict):
            raise ValueError("The Filter bank settings must be a JSON object.")
        input_shape = self.input_shape() if input_shape is None else input_shape
        first = self.first_settings() if first is None else first
        c_in = self._channels(input_shape)
        current, _ = self.network_for(c_in)
        changes: dict[str, Any] = {}
        network = current
        if bank is not None:
            network = network_for_image(bank, c_in)[0]
            changes["network"] = None if network == network_for_image(None, c_in)[0] else bank
        elif any(key in settings for key in STRUCTURAL_KEYS):
            network = network_from_settings(current, settings, c_in)
            if network != current:
                changes["network"] = network
        layer = (check_layer(settings["layer"], len(network)) if "layer" in settings
                 else min(self.layer_index, len(network) - 1))
        chosen = (check_index(settings["selected_filter"], "\"selected_filter\"", network[layer].out_channels)
                  if "selected_filter" in settings else min(self.filter_index, network[layer].out_channels - 1))
        changes.update(layer_index=layer, filter_index=chosen)
        if "view" in settings:
            changes["view"] = settings["view"]
        for key in ("shared_scale", "zoom_field"):
            if key in settings:
                if not isinstance(settings[key], bool):
                    raise ValueError(f"\"{key}\" must be true or false, not {settings[key]!r}.")
                changes[key] = settings[key]
        if "scale" in settings:
            changes["scale"] = settings["scale"]
        if "groups" in settings:
            groups = settings["groups"]
            if isinstance(groups, list) and len(groups) > len(network):
                raise ValueError(f"\"groups\" has {len(groups)} entries but the bank has {len(network)} layer(s).")
            changes["groups"] = [check_layer_groups(g, network[i], i) for i, g in enumerate(groups)] \
                if isinstance(groups, list) else groups
        if settings.get("pixel") is not None:
            if input_shape is not None:
                shapes = network.stage_shapes(input_shape, first)
                changes["pixel"] = check_pixel(settings["pixel"], shapes[layer].output_shape[:2])
            else:
                changes["pixel"] = check_pixel(settings["pixel"], (MAX_PIXEL_INDEX + 1, MAX_PIXEL_INDEX + 1))
        elif "pixel" in settings or "network" in changes or (layer, chosen) != self.selection(current):
            changes["pixel"] = None
        return self.checked(**changes)


def _plain(v: float):
    """A whole float as an int (lesson files write biases as plain numbers)."""
    v = float(v)
    return int(v) if v.is_integer() else v


__all__ = ["STRUCTURAL_KEYS", "BankState"]
