"""``convviz costs``: parameters, multiply-adds and float32 weight memory of a conv layer next to
the dense layer with the same input and output sizes (``--json`` for scripts)."""

from __future__ import annotations

import argparse
import json

from .cli_args import PROG, _input_shape, _kernel_size, _padding, _Parser, _positive_int, _stride

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _costs_parser() -> _Parser:
    parser = _Parser(
        prog=f"{PROG} costs",
        description="Parameters, multiply-adds and weight memory (float32) of a conv layer, next to the "
                    "dense layer with the same input and output sizes.",
    )
    parser.add_argument("--input", required=True, type=_input_shape, metavar="HxWxC",
                        help="input shape, e.g. 32x32x3")
    parser.add_argument("--kernel", required=True, type=_kernel_size, metavar="K",
                        help="kernel size, K or KHxKW")
    parser.add_argument("--filters", required=True, type=_positive_int, metavar="N",
                        help="number of filters (output channels)")
    parser.add_argument("--padding", type=_padding, default="valid", metavar="valid|same|full",
                        help="padding (default: valid)")
    parser.add_argument("--stride", type=_stride, default=1, metavar="N", help="stride (default: 1)")
    parser.add_argument("--dilation", type=_stride, default=1, metavar="N", help="dilation (default: 1)")
    parser.add_argument("--groups", type=_positive_int, default=1, metavar="N",
                        help="grouped convolution: each filter sees C/N channels; N = C is depthwise (default: 1)")
    parser.add_argument("--no-bias", dest="bias", action="store_false", help="layers without bias terms")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return parser


def _big(x: float) -> str:
    """``4.6e40`` → ``"4.6 × 10⁴⁰"``: a number too large for thousands separators to help."""
    mantissa, exponent = f"{x:.1e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def _human_bytes(n: int) -> str:
    """Memory as the window writes it (:func:`convviz.model.units.bytes_text`: ``19.2 kB``, 1 kB = 1,000
    bytes) up to petabytes; then exabytes, and beyond 1,000 EB powers of ten (``4.6 × 10⁴⁰ bytes``)."""
    from convviz.model.units import bytes_text

    if n < 10 ** 18:
        return bytes_text(n)
    if n < 1000 * 10 ** 18:
        return f"{n / 10 ** 18:,.1f} EB"
    return f"{_big(n)} bytes"


def _shape_text(shape) -> str:
    return "×".join(str(n) for n in shape)


def _costs(args: argparse.Namespace) -> int:
    from convviz.model import layer_costs

    c = layer_costs(args.input, args.kernel, args.filters, args.padding, stride=args.stride,
                    dilation=args.dilation, bias=args.bias, groups=args.groups)
    if args.json:
        print(json.dumps(c.as_dict(), indent=2))
        return 0
    k = args.kernel if isinstance(args.kernel, tuple) else (args.kernel, args.kernel)
    padding = args.padding if isinstance(args.padding, str) else str(args.padding)
    print(f"{_shape_text(c.input_shape)} → {_shape_text(c.output_shape)}: {args.filters} filters of "
          f"{_shape_text(k)}×{c.input_shape[2] // c.groups}, padding {padding}, stride {args.stride}, "
          f"dilation {args.dilation}, {'with' if args.bias else 'no'} bias"
          + (f", {c.groups} groups" if c.groups > 1 else ""))
    rows = [
        ("", "conv layer", "dense layer"),
        ("parameters", f"{c.conv_params:,}", f"{c.dense_params:,}"),
        ("multiply-adds", f"{c.conv_macs:,}", f"{c.dense_macs:,}"),
        ("weights (float32)", _human_bytes(c.conv_bytes), _human_bytes(c.dense_bytes)),
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for label, conv, dense in rows:
        print(f"  {label:<{widths[0]}}   {conv:>{widths[1]}}   {dense:>{widths[2]}}")
    ratio = c.ratio
    ratio_text = _big(ratio) if ratio >= 1e15 else f"{ratio:,.0f}" if ratio >= 100 else f"{ratio:,.2f}"
    print(f"the dense layer needs ≈ {ratio_text}× the parameters")
    return 0


