"""The Filter bank tab's edits of the bank: set or reset it, add and remove layers, a layer's filters
and settings, the explained pixel, and the bank of a session (each one undo step, through the state).

A mixin of :class:`~convviz.ui.bank.panel.BankPanel` (it uses the panel's ``state``, ``network``,
``layer_index``, ``_edit`` and ``say``). An edit the state refuses (a bank over the weight limit, a
layer that does not exist) changes nothing, and the panel says why.
"""

from __future__ import annotations

from ...io.banks import bank_to_json, network_from_json
from ...model.bank import LayerSettings, Network


class BankEdits:
    """Edits of the bank panel (see the module)."""

    def set_network(self, network: Network, message: str = "") -> bool:
        """Make ``network`` the bank (one undo step); the shown layer and filter stay when it has them."""
        layer = min(self.state.layer_index, len(network) - 1)
        return self._edit("Set the bank", message, network=network, layer_index=layer, pixel=None,
                          filter_index=min(self.state.filter_index, network[layer].out_channels - 1))

    def reset_bank(self) -> None:
        self._edit("Default bank", "Default bank: Sobel x, Sobel y, a colour difference (colour images) and a blur, "
                   "with ReLU.", network=None, layer_index=0, filter_index=0, pixel=None)

    def add_layer(self) -> None:
        try:
            network, notes = self.network.appended()
        except ValueError as exc:
            self.say(str(exc))
            return
        n, c_in = len(network), network[-1].in_channels
        self._edit("Add layer", f"Added layer {n}: its input is layer {n - 1}'s {c_in} maps, so each of its filters "
                   f"has {c_in} slices. " + " ".join(notes), network=network, layer_index=n - 1, filter_index=0,
                   pixel=None)

    def remove_layer(self) -> None:
        index = self.layer_index
        if index == 0:
            self.say("Layer 1 reads the image and stays; remove the layers above it instead.")
            return
        network, notes = self.network.removed(index)
        self._edit("Remove layer", " ".join(["Removed a layer."] + notes), network=network,
                   layer_index=min(index, len(network) - 1), filter_index=0, pixel=None)

    def _layer_edited(self, layer, selected: int, text: str, message: str) -> None:
        try:
            network, notes = self.network.with_layer(self.layer_index, layer)
        except ValueError as exc:
            self.say(str(exc))
            return
        self._edit(text, " ".join([message] + notes).strip(), network=network, filter_index=selected)

    def _layer_settings_edited(self, padding: str, stride: int) -> None:
        index, network = self.layer_index, self.network
        if index == 0:
            return
        settings = LayerSettings(padding, stride, 1, "zeros")
        new, _ = network.with_layer(index, network[index].with_settings(settings))
        self._edit("Layer padding and stride", network=new, pixel=None)

    def _groups_edited(self, groups: int) -> None:
        """Convolve the shown layer with ``groups`` (1: standard … C_in: depthwise); one undo step."""
        index = self.layer_index
        stored = list(self.state.groups_for(self.network))
        if stored[index] == groups:
            return
        stored[index] = groups
        self._edit(f"Layer {index + 1}: {groups} group(s)", groups=tuple(stored), pixel=None)

    def select_pixel(self, row: int, col: int) -> None:
        """Explain output pixel (row, col) of the shown layer (ignored outside the map)."""
        self._catch_up()
        if not self.shapes:
            return
        oh, ow, _ = self.shapes[self.layer_index].output_shape
        if 0 <= row < oh and 0 <= col < ow:
            self._edit("Choose a pixel", pixel=(row, col))

    # -- sessions (lessons and the view's settings go through the state: see BankState) -----------
    def bank_json(self) -> dict:
        """The whole bank (every layer), as shown on the document's image, in the bank JSON schema."""
        return bank_to_json(self.network)

    def apply_bank_json(self, data) -> None:
        """Show the bank ``data`` (bank JSON schema, one undo step); ``ValueError`` on a malformed one, and
        nothing changes. The shown layer, filter and a chosen pixel stay when the new bank has them."""
        changes = self.state.changes_for_bank(network_from_json(data))
        self._edit("Restore the bank", "Restored the bank.", **changes)
