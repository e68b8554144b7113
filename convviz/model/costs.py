"""What a convolution layer costs, next to the dense layer with the same input and output."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ._args import as_pair
from .shapes import output_shape

BYTES_PER_WEIGHT = 4  # float32


@dataclass(frozen=True)
class LayerCosts:
    """Parameters, multiply-adds and weight memory (float32) of a conv layer and its dense equal.

    The dense layer maps the flattened input ``H·W·C_in`` to the flattened output
    ``H'·W'·C_out`` (one weight per pair, plus one bias per output when ``bias``).
    """

    input_shape: tuple[int, int, int]
    kernel_size: tuple[int, int]
    filters: int
    output_shape: tuple[int, int, int]
    bias: bool
    conv_params: int
    dense_params: int
    conv_macs: int
    dense_macs: int
    conv_bytes: int
    dense_bytes: int

    @property
    def ratio(self) -> float:
        """``dense_params / conv_params``: how many times more weights the dense layer needs."""
        return self.dense_params / self.conv_params

    @property
    def inputs(self) -> int:
        h, w, c = self.input_shape
        return h * w * c

    @property
    def outputs(self) -> int:
        h, w, c = self.output_shape
        return h * w * c

    def conv_formula(self) -> str:
        """``C_in·K·K·C_out (+ C_out)`` with the numbers, e.g. ``3·5·5·64 = 4,800``."""
        (kh, kw), c, f = self.kernel_size, self.input_shape[2], self.filters
        text = f"{c}·{kh}·{kw}·{f}"
        if self.bias:
            text += f" + {f}"
        return f"{text} = {self.conv_params:,}"

    def dense_formula(self) -> str:
        """``inputs·outputs (+ outputs)`` with the numbers."""
        text = f"{self.inputs:,}·{self.outputs:,}"
        if self.bias:
            text += f" + {self.outputs:,}"
        return f"{text} = {self.dense_params:,}"

    def as_dict(self) -> dict:
        d = asdict(self)
        d["ratio"] = self.ratio
        d["input_shape"] = list(self.input_shape)
        d["output_shape"] = list(self.output_shape)
        d["kernel_size"] = list(self.kernel_size)
        return d


def layer_costs(input_shape, kernel_size, filters, padding="valid", *, stride=1, dilation=1,
                bias=True) -> LayerCosts:
    """Costs of a conv layer with ``filters`` kernels of ``kernel_size`` on an ``(H, W, C_in)`` input.

    >>> c = layer_costs((32, 32, 3), 5, 64, "valid", bias=False)
    >>> c.output_shape, c.conv_params, c.dense_params
    ((28, 28, 64), 4800, 154140672)
    """
    try:
        h, w, c_in = (int(v) for v in input_shape)
    except (TypeError, ValueError):
        raise ValueError(f"input_shape must be (H, W, C_in), got {input_shape!r}.") from None
    if min(h, w, c_in) < 1:
        raise ValueError(f"input_shape must be positive, got {input_shape!r}.")
    kh, kw = as_pair(kernel_size, "kernel_size", minimum=1)
    if isinstance(filters, bool) or int(filters) != filters or filters < 1:
        raise ValueError(f"filters must be a positive integer, got {filters!r}.")
    filters = int(filters)
    oh, ow = output_shape((h, w), (kh, kw), padding, stride=stride, dilation=dilation)
    inputs, outputs = h * w * c_in, oh * ow * filters
    conv_params = kh * kw * c_in * filters + (filters if bias else 0)
    dense_params = inputs * outputs + (outputs if bias else 0)
    return LayerCosts(
        input_shape=(h, w, c_in), kernel_size=(kh, kw), filters=filters, output_shape=(oh, ow, filters),
        bias=bool(bias), conv_params=conv_params, dense_params=dense_params,
        conv_macs=oh * ow * filters * kh * kw * c_in, dense_macs=inputs * outputs,
        conv_bytes=conv_params * BYTES_PER_WEIGHT, dense_bytes=dense_params * BYTES_PER_WEIGHT,
    )
