"""What the "Costs" tab writes, Qt-free: formulas line by line, the ratio, the layer chain's rows and total.

Every number comes from :class:`~convviz.model.LayerCosts` / :class:`~convviz.model.layer_stack.StackCosts`
and is written with :mod:`convviz.model.units`. ``<b>`` marks what the tab shows in bold.
"""

from __future__ import annotations

import math

from .costs import LayerCosts, SeparableCosts
from .layer_stack import StackCosts, StackLayer, stack_costs
from .units import bytes_text, count_text, ratio_text, short_count

#: the chart's categories, in the order of :func:`chart_values`
CHART_CATEGORIES = ("Parameters", "Multiply-adds", "Memory (bytes)")
#: the chart's series, in the order of :func:`chart_series` (a grouped layer's series only when groups > 1)
SERIES_CONV, SERIES_GROUPED, SERIES_SEPARABLE, SERIES_DENSE = "conv", "grouped", "separable", "dense"
SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def conv_formula_lines(c: LayerCosts) -> list[str]:
    """``["C_in·K·K·C_out", "= 3·5·5·64", "= 4,800"]`` (``+ C_out`` with bias); with groups
    ``["(C_in/G)·K·K·C_out", "= (32/32)·3·3·64", "= 576"]``."""
    head = "C_in·K·K·C_out" if c.groups == 1 else "(C_in/G)·K·K·C_out"
    return [f"{head}{' + C_out' if c.bias else ''}"] + [f"= {p}" for p in c.conv_formula().split(" = ")]


def dense_formula_lines(c: LayerCosts) -> list[str]:
    """``["inputs·outputs", "= 3,072·50,176", "= 154,140,672"]`` (``+ outputs`` with bias)."""
    return [f"inputs·outputs{' + outputs' if c.bias else ''}"] + [f"= {p}" for p in c.dense_formula().split(" = ")]


def output_text(c: LayerCosts) -> str:
    oh, ow, f = c.output_shape
    return f"<b>{oh} × {ow} × {f}</b>  ({count_text(c.outputs)} numbers)"


def ratio_sentence(c: LayerCosts) -> str:
    return f"The dense layer needs <b>{ratio_text(c.ratio)}</b> as many weights."


def explanation(c: LayerCosts) -> str:
    h, w, cin = c.input_shape
    kh, kw = c.kernel_size
    seen = cin // c.groups
    grouped = "" if c.groups == 1 else f"; {c.groups} groups: each sees {seen} of the {cin} channels"
    return (f"The conv layer reuses the same {c.filters} small kernels ({kh}×{kw}×{seen}{grouped}) at every position. "
            f"A dense layer joins each of the {count_text(c.inputs)} input numbers ({h}×{w}×{cin}) to each of "
            f"the {count_text(c.outputs)} output numbers with its own weight.")


def memory_tooltip(n_bytes: int) -> str:
    return f"{count_text(n_bytes)} bytes: 4 bytes per float32 weight"


# -- the chart ----------------------------------------------------------------------------
def chart_values(c: LayerCosts) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """``((params, macs, bytes) of the conv layer, (…) of the dense layer)``."""
    return (c.conv_params, c.conv_macs, c.conv_bytes), (c.dense_params, c.dense_macs, c.dense_bytes)


def chart_series(c: LayerCosts, s: SeparableCosts) -> list[tuple[str, str, tuple[int, int, int]]]:
    """``[(kind, legend name, (params, macs, bytes))]``: the standard conv layer, the grouped one (when
    ``c.groups > 1``), depthwise + pointwise, and the dense layer — each from the model."""
    standard = s.standard
    out = [(SERIES_CONV, "conv layer" if c.groups == 1 else "standard conv",
            (standard.conv_params, standard.conv_macs, standard.conv_bytes))]
    if c.groups > 1:
        name = "depthwise conv" if c.groups == c.input_shape[2] else f"conv, {c.groups} groups"
        out.append((SERIES_GROUPED, name, (c.conv_params, c.conv_macs, c.conv_bytes)))
    out.append((SERIES_SEPARABLE, "depthwise + pointwise",
                (s.separable_params, s.separable_macs, s.depthwise.conv_bytes + s.pointwise.conv_bytes)))
    out.append((SERIES_DENSE, "dense layer", (c.dense_params, c.dense_macs, c.dense_bytes)))
    return out


def bar_heights(values) -> list[float]:
    """Bar heights on the log scale: ``log10`` of each count (counts below 1 sit at 0)."""
    return [math.log10(max(v, 1)) for v in values]


def power_label(exponent: int) -> str:
    """``6`` → ``10⁶``."""
    return "10" + str(exponent).translate(SUPERSCRIPT)


def log_axis(top: float) -> tuple[int, list[tuple[int, str]]]:
    """The y range's ceiling for bars up to ``top`` (room above for the value labels, which stand upright on
    the bars: a quarter of the height and half a decade more) and its ticks ``[(exponent, "10ⁿ")]``, at most
    about eight."""
    ceiling = math.ceil(max(top, 1.0) * 1.25 + 0.5)
    step = max(1, math.ceil(ceiling / 8))
    return ceiling, [(e, power_label(e)) for e in range(0, ceiling + 1, step)]


def bar_label(value: int) -> str:
    """The number above a bar: ``4800`` → ``4.8K``."""
    return short_count(value)


# -- the chain of layers ------------------------------------------------------------------
def stack_row_texts(layer: StackLayer) -> tuple[str, str, str, str, str]:
    """One layer's ``(output, parameters, multiply-adds, memory, receptive field)``."""
    c = layer.costs
    rf = layer.receptive_field
    return ("×".join(str(v) for v in c.output_shape), count_text(c.conv_params), count_text(c.conv_macs),
            bytes_text(c.conv_bytes), f"{rf[0]}×{rf[1]}")


def stack_total(stack: StackCosts | None, n_layers: int, input_shape) -> str:
    """The chain's total, or a dash when a layer does not fit (``stack`` None)."""
    h, w, c = input_shape
    if stack is None:
        return f"<b>Total</b>: — (fix the layer below) on {h}×{w}×{c}."
    rf = stack.receptive_field
    return (f"<b>Total for {n_layers} layer(s)</b> on {h}×{w}×{c}: <b>{count_text(stack.total_params)}</b> "
            f"parameters, {count_text(stack.total_macs)} multiply-adds, {bytes_text(stack.total_bytes)} of "
            f"weights; one output pixel of the last layer sees {rf[0]}×{rf[1]} input pixels.")


def chain_costs(input_shape, specs, *, bias: bool) -> tuple[StackCosts | None, tuple[StackLayer, ...], str]:
    """``(stack, rows, error)``: the chain's costs, or — when a layer does not fit — None, the rows of the
    layers before it that still work, and the model's sentence naming the layer."""
    try:
        stack = stack_costs(input_shape, specs, bias=bias)
        return stack, stack.layers, ""
    except ValueError as err:
        error = str(err)
    for n in range(len(specs) - 1, -1, -1):
        try:
            return None, stack_costs(input_shape, specs[:n], bias=bias).layers, error
        except ValueError:
            continue
    return None, (), error
