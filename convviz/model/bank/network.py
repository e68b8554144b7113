"""Chained layers (:class:`Network`): layer ``i`` reads the maps of layer ``i − 1``, so its ``C_in`` is
their ``C_out``; the shapes at every stage and the receptive field of one output pixel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from .._args import resolve_padding
from ..shapes import output_shape
from .filters import MAX_LAYERS
from .layers import BankLayer, LayerSettings, adaptation_message, default_bank, default_next_layer


class StageShape(NamedTuple):
    """The shapes of one layer: input (H, W, C_in), its bank, output (H', W', C_out).

    The tab writes the bank as ``hwio_shape`` (the array's shape) with :attr:`torch_shape` beside it;
    ``bank_shape`` is the same bank as (C_in, KH, KW, C_out), kept for scripts that read it.
    """

    input_shape: tuple[int, int, int]
    bank_shape: tuple[int, int, int, int]     # (C_in, KH, KW, C_out)
    hwio_shape: tuple[int, int, int, int]     # (KH, KW, C_in, C_out), the array's shape
    output_shape: tuple[int, int, int]

    @property
    def torch_shape(self) -> tuple[int, int, int, int]:
        """PyTorch's ``Conv2d.weight`` shape for this bank: (C_out, C_in, KH, KW)."""
        kh, kw, ci, co = self.hwio_shape
        return co, ci, kh, kw


class Region(NamedTuple):
    """Rows ``top..bottom`` and columns ``left..right`` (inclusive) of one stage's input."""

    top: int
    bottom: int
    left: int
    right: int

    @property
    def size(self) -> tuple[int, int]:
        return self.bottom - self.top + 1, self.right - self.left + 1

    def clipped(self, hw) -> Region:
        h, w = hw
        return Region(max(0, self.top), min(h - 1, self.bottom), max(0, self.left), min(w - 1, self.right))


@dataclass(frozen=True)
class Network:
    """Layers applied one after the other; layer ``i`` reads the maps of layer ``i − 1``."""

    layers: tuple[BankLayer, ...]

    def __post_init__(self):
        layers = tuple(self.layers)
        if not layers:
            raise ValueError("A network needs at least one layer.")
        if len(layers) > MAX_LAYERS:
            raise ValueError(f"At most {MAX_LAYERS} layers, not {len(layers)}.")
        for i in range(1, len(layers)):
            if layers[i].in_channels != layers[i - 1].out_channels:
                raise ValueError(
                    f"Layer {i + 1} reads {layers[i].in_channels} channels but layer {i} makes "
                    f"{layers[i - 1].out_channels} maps: C_in must equal the previous C_out.")
        object.__setattr__(self, "layers", layers)

    def __len__(self) -> int:
        return len(self.layers)

    @property
    def weight_count(self) -> int:
        """Weights of every layer together (the bank's size limit counts them)."""
        return sum(layer.weight_count for layer in self.layers)

    def __getitem__(self, i) -> BankLayer:
        return self.layers[i]

    def with_layer(self, index: int, layer: BankLayer) -> tuple[Network, list[str]]:
        """Replace layer ``index``; later layers are adapted to its new C_out (with messages)."""
        layers = list(self.layers)
        layers[index] = layer
        return self._chained(layers, index + 1)

    def appended(self, layer: BankLayer | None = None) -> tuple[Network, list[str]]:
        """Add a layer on top (by default :func:`default_next_layer`)."""
        c_in = self.layers[-1].out_channels
        layer = default_next_layer(c_in) if layer is None else layer
        return self._chained(list(self.layers) + [layer], len(self.layers))

    def removed(self, index: int) -> tuple[Network, list[str]]:
        if len(self.layers) == 1:
            raise ValueError("The first layer cannot be removed.")
        layers = list(self.layers)
        del layers[index]
        return self._chained(layers, max(1, index))

    def adapted_to(self, c_in: int) -> tuple[Network, list[str]]:
        """The network for an input image with ``c_in`` channels (layer 1 adapted, with a message)."""
        first = self.layers[0]
        if first.in_channels == c_in:
            return self, []
        msg = adaptation_message(first.in_channels, c_in, "Layer 1")
        return Network((first.adapted_to(c_in),) + self.layers[1:]), [msg]

    @staticmethod
    def _chained(layers: list[BankLayer], start: int) -> tuple[Network, list[str]]:
        messages = []
        for i in range(max(1, start), len(layers)):
            need = layers[i - 1].out_channels
            if layers[i].in_channels != need:
                messages.append(adaptation_message(layers[i].in_channels, need, f"Layer {i + 1}"))
                layers[i] = layers[i].adapted_to(need)
        return Network(tuple(layers)), messages

    def settings_for(self, index: int, first: LayerSettings | None = None) -> LayerSettings:
        """Layer ``index``'s settings; ``first`` (the document's) overrides layer 1's when given."""
        if index == 0 and first is not None:
            return first
        return self.layers[index].settings

    def stage_shapes(self, input_shape, first: LayerSettings | None = None) -> list[StageShape]:
        """The shapes at every layer for an input ``(H, W)`` or ``(H, W, C)`` (ValueError if one does not fit)."""
        h, w = int(input_shape[0]), int(input_shape[1])
        c = int(input_shape[2]) if len(input_shape) > 2 else 1
        shapes = []
        for i, layer in enumerate(self.layers):
            s = self.settings_for(i, first)
            kh, kw = layer.kernel_hw
            try:
                oh, ow = output_shape((h, w), (kh, kw), s.padding, stride=s.stride, dilation=s.dilation)
            except ValueError as exc:
                raise ValueError(f"Layer {i + 1}: {exc}") from None
            shapes.append(StageShape((h, w, c), (c, kh, kw, layer.out_channels), (kh, kw, c, layer.out_channels),
                                     (oh, ow, layer.out_channels)))
            h, w, c = oh, ow, layer.out_channels
        return shapes

    def receptive_field(self, out_index, stage: int | None = None, first: LayerSettings | None = None
                        ) -> list[Region]:
        """Where output pixel ``out_index`` of layer ``stage`` (default the last) comes from.

        Returns one :class:`Region` per layer, from the input image (index 0) up to the
        input of layer ``stage`` (unclipped: rows and columns may fall in the padding).
        """
        stage = len(self.layers) - 1 if stage is None else stage
        r, c = out_index
        region = Region(r, r, c, c)
        regions = []
        for i in range(stage, -1, -1):
            layer = self.layers[i]
            s = self.settings_for(i, first)
            (kh, kw), (sh, sw), (dh, dw) = layer.kernel_hw, s.stride, s.dilation
            pads = resolve_padding(s.padding, (kh, kw), s.dilation)
            region = Region(region.top * sh - pads.top, region.bottom * sh - pads.top + dh * (kh - 1),
                            region.left * sw - pads.left, region.right * sw - pads.left + dw * (kw - 1))
            regions.append(region)
        return regions[::-1]



def network_for_image(stored: Network | None, c_in: int) -> tuple[Network, list[str]]:
    """The bank an image with ``c_in`` channels gets, and what was done to fit it (sentences).

    ``stored`` is the bank as the user left it; ``None`` means the untouched default, which is
    :func:`default_bank` made for this kind of image (grey or colour) rather than adapted to it.
    Otherwise layer 1 is adapted (:meth:`Network.adapted_to`); ``stored`` itself never changes,
    so going back to the first kind of image gives back the bank exactly.
    """
    if stored is None:
        return Network((default_bank(c_in),)), []
    return stored.adapted_to(c_in)
