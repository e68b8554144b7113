"""A chain of conv layers: what each layer and the whole stack costs, and what one output sees.

Built on :func:`~convviz.model.layer_costs`: layer ``i`` takes the output of layer
``i − 1`` as its input (its channels are the previous layer's filters). The
receptive field is the side of the input region one output pixel of a layer
depends on: ``r_i = r_{i−1} + D_i·(K_i − 1)·j_{i−1}`` with the jump
``j_i = j_{i−1}·S_i`` (the input-pixel distance between neighbouring outputs),
starting from ``r_0 = 1``, ``j_0 = 1``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._args import as_pair
from .costs import LayerCosts, layer_costs


@dataclass(frozen=True)
class ConvLayerSpec:
    """One layer of the stack: ``filters`` kernels of ``kernel_size``, with padding, stride, dilation."""

    kernel_size: int | tuple[int, int] = 3
    filters: int = 16
    stride: int | tuple[int, int] = 1
    padding: str | int | tuple[int, int] = "same"
    dilation: int | tuple[int, int] = 1


@dataclass(frozen=True)
class StackLayer:
    """One layer's costs and the receptive field ``(rows, cols)`` of one of its output pixels."""

    spec: ConvLayerSpec
    costs: LayerCosts
    receptive_field: tuple[int, int]
    jump: tuple[int, int]


@dataclass(frozen=True)
class StackCosts:
    """Per-layer rows and totals of a conv stack on ``input_shape`` ``(H, W, C_in)``."""

    input_shape: tuple[int, int, int]
    layers: tuple[StackLayer, ...]

    @property
    def output_shape(self) -> tuple[int, int, int]:
        return self.layers[-1].costs.output_shape if self.layers else self.input_shape

    @property
    def total_params(self) -> int:
        return sum(layer.costs.conv_params for layer in self.layers)

    @property
    def total_macs(self) -> int:
        return sum(layer.costs.conv_macs for layer in self.layers)

    @property
    def total_bytes(self) -> int:
        return sum(layer.costs.conv_bytes for layer in self.layers)

    @property
    def receptive_field(self) -> tuple[int, int]:
        """Receptive field of one output pixel of the last layer (``(1, 1)`` for no layers)."""
        return self.layers[-1].receptive_field if self.layers else (1, 1)


def stack_costs(input_shape, layers, *, bias=True) -> StackCosts:
    """Costs of the conv layers ``layers`` (:class:`ConvLayerSpec`) applied one after another.

    Raises ``ValueError`` naming the layer (counted from 1) whose kernel does not
    fit its input or whose settings are wrong.

    >>> s = stack_costs((32, 32, 3), [ConvLayerSpec(5, 64, 1, "valid"), ConvLayerSpec(3, 64, 2, "valid")],
    ...                 bias=False)
    >>> [l.costs.output_shape for l in s.layers], s.total_params, s.receptive_field
    ([(28, 28, 64), (13, 13, 64)], 41664, (7, 7))
    """
    shape = tuple(int(v) for v in input_shape)
    if len(shape) != 3:
        raise ValueError(f"input_shape must be (H, W, C_in), got {input_shape!r}.")
    rows: list[StackLayer] = []
    current = shape
    field_hw, jump = (1, 1), (1, 1)
    for number, spec in enumerate(layers, start=1):
        try:
            costs = layer_costs(current, spec.kernel_size, spec.filters, spec.padding,
                                stride=spec.stride, dilation=spec.dilation, bias=bias)
            stride = as_pair(spec.stride, "stride", minimum=1)
            dilation = as_pair(spec.dilation, "dilation", minimum=1)
        except ValueError as err:
            raise ValueError(f"Layer {number}: {err}") from None
        kh, kw = costs.kernel_size
        field_hw = (field_hw[0] + dilation[0] * (kh - 1) * jump[0],
                    field_hw[1] + dilation[1] * (kw - 1) * jump[1])
        jump = (jump[0] * stride[0], jump[1] * stride[1])
        rows.append(StackLayer(spec=spec, costs=costs, receptive_field=field_hw, jump=jump))
        current = costs.output_shape
    return StackCosts(input_shape=shape, layers=tuple(rows))
