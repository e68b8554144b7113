"""What a convolution layer costs, next to the dense layer with the same input and output."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from ._args import as_pair, as_whole
from .layer import check_groups
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
    groups: int = 1

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
        """``C_in·K·K·C_out (+ C_out)`` with the numbers, e.g. ``3·5·5·64 = 4,800``;
        with groups ``(C_in/G)·K·K·C_out``, e.g. ``(32/32)·3·3·32 + 32 = 320``."""
        (kh, kw), c, f = self.kernel_size, self.input_shape[2], self.filters
        text = f"{c}·{kh}·{kw}·{f}" if self.groups == 1 else f"({c}/{self.groups})·{kh}·{kw}·{f}"
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
                bias=True, groups=1) -> LayerCosts:
    """Costs of a conv layer with ``filters`` kernels of ``kernel_size`` on an ``(H, W, C_in)`` input.

    With ``groups`` (as ``F.conv2d``) each filter sees ``C_in / groups`` channels, so the layer has
    ``K·K·(C_in/groups)·C_out`` weights and as many multiply-adds per output pixel; ``groups == C_in``
    is depthwise. C_in and ``filters`` must be divisible by ``groups``.

    >>> c = layer_costs((32, 32, 3), 5, 64, "valid", bias=False)
    >>> c.output_shape, c.conv_params, c.dense_params
    ((28, 28, 64), 4800, 154140672)
    """
    try:
        h, w, c_in = (int(v) for v in input_shape)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"input_shape must be (H, W, C_in), got {input_shape!r:.60}.") from None
    if min(h, w, c_in) < 1:
        raise ValueError(f"input_shape must be positive, got {input_shape!r}.")
    kh, kw = as_pair(kernel_size, "kernel_size", minimum=1)
    filters = as_whole(filters, "filters", 1)
    groups = check_groups(groups, c_in, filters)
    oh, ow = output_shape((h, w), (kh, kw), padding, stride=stride, dilation=dilation)
    inputs, outputs = h * w * c_in, oh * ow * filters
    seen = c_in // groups  # input channels each filter sees
    conv_params = kh * kw * seen * filters + (filters if bias else 0)
    dense_params = inputs * outputs + (outputs if bias else 0)
    return LayerCosts(
        input_shape=(h, w, c_in), kernel_size=(kh, kw), filters=filters, output_shape=(oh, ow, filters),
        bias=bool(bias), conv_params=conv_params, dense_params=dense_params,
        conv_macs=oh * ow * filters * kh * kw * seen, dense_macs=inputs * outputs,
        conv_bytes=conv_params * BYTES_PER_WEIGHT, dense_bytes=dense_params * BYTES_PER_WEIGHT, groups=groups,
    )


def group_channels(c_in: int, c_out: int, groups: int) -> list[range]:
    """For each filter ``o`` (``C_out`` of them), the input channels it sees: block ``o // (C_out/groups)``.

    >>> group_channels(4, 4, 2)
    [range(0, 2), range(0, 2), range(2, 4), range(2, 4)]
    """
    groups = check_groups(groups, int(c_in), int(c_out))
    seen, per_group = int(c_in) // groups, int(c_out) // groups
    return [range((o // per_group) * seen, (o // per_group + 1) * seen) for o in range(int(c_out))]


@dataclass(frozen=True)
class SeparableCosts:
    """A standard conv layer next to its depthwise-separable replacement (MobileNet).

    ``depthwise``: a K×K depthwise layer (groups = C_in, ``depth_multiplier`` filters per channel);
    ``pointwise``: a 1×1 layer from those ``C_in·depth_multiplier`` maps to the ``filters`` outputs.
    The ratios are standard / separable (how many times cheaper the separable pair is); with
    multiplier 1 and no bias the inverse is ``1/filters + 1/K²``, the MobileNet paper's formula.
    """

    standard: LayerCosts
    depthwise: LayerCosts
    pointwise: LayerCosts

    @property
    def separable_params(self) -> int:
        return self.depthwise.conv_params + self.pointwise.conv_params

    @property
    def separable_macs(self) -> int:
        return self.depthwise.conv_macs + self.pointwise.conv_macs

    @property
    def params_ratio(self) -> float:
        return self.standard.conv_params / self.separable_params

    @property
    def macs_ratio(self) -> float:
        return self.standard.conv_macs / self.separable_macs

    def as_dict(self) -> dict:
        return {
            "standard": self.standard.as_dict(), "depthwise": self.depthwise.as_dict(),
            "pointwise": self.pointwise.as_dict(), "separable_params": self.separable_params,
            "separable_macs": self.separable_macs, "params_ratio": self.params_ratio, "macs_ratio": self.macs_ratio,
        }


def separable_costs(input_shape, kernel_size, filters, padding="valid", *, stride=1, dilation=1, bias=True,
                    depth_multiplier=1) -> SeparableCosts:
    """Parameters and multiply-adds of a standard K×K conv layer and of depthwise K×K + pointwise 1×1.

    Same arguments as :func:`layer_costs`; the depthwise layer takes the padding, stride and
    dilation, the pointwise layer runs on its output. ``bias`` applies to every layer.

    >>> s = separable_costs((112, 112, 32), 3, 64, "same", bias=False)
    >>> s.standard.conv_params, s.depthwise.conv_params, s.pointwise.conv_params
    (18432, 288, 2048)
    """
    standard = layer_costs(input_shape, kernel_size, filters, padding, stride=stride, dilation=dilation, bias=bias)
    c_in = standard.input_shape[2]
    if isinstance(depth_multiplier, (bool, np.bool_)) or not isinstance(depth_multiplier, (int, np.integer)) \
            or depth_multiplier < 1:
        raise ValueError(f"depth_multiplier must be a positive integer, not {depth_multiplier!r}.")
    depthwise = layer_costs(input_shape, kernel_size, c_in * int(depth_multiplier), padding, stride=stride,
                            dilation=dilation, bias=bias, groups=c_in)
    pointwise = layer_costs(depthwise.output_shape, 1, filters, bias=bias)
    return SeparableCosts(standard, depthwise, pointwise)
