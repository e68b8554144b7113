"""Output sizes and the formula behind them, written out with the user's numbers."""

from __future__ import annotations

from ._args import as_hw, as_pair, as_whole, check_fits, output_size, resolve_padding


def output_shape(input_hw, kernel_hw, padding="valid", *, stride=1, dilation=1) -> tuple[int, int]:
    """``(H', W')`` of a correlation/convolution, per axis ``⌊(N + P_total − D(K−1) − 1)/S⌋ + 1``.

    ``input_hw`` and ``kernel_hw`` are ``(H, W)`` and ``(KH, KW)`` (extra trailing
    entries such as channels are ignored; an int kernel size means square).
    Raises ``ValueError`` when a size is not a positive whole number (or above
    :data:`~convviz.model.limits.MAX_ARGUMENT`) or the kernel does not fit the padded input.
    """
    h, w = as_hw(input_hw, "The input size", square=False)
    kh, kw = as_hw(kernel_hw, "The kernel size", square=True)
    stride = as_pair(stride, "stride", minimum=1)
    dilation = as_pair(dilation, "dilation", minimum=1)
    pads = resolve_padding(padding, (kh, kw), dilation)
    check_fits((h, w), (kh, kw), pads, dilation)
    return (
        output_size(h, kh, pads.top + pads.bottom, stride[0], dilation[0]),
        output_size(w, kw, pads.left + pads.right, stride[1], dilation[1]),
    )


def padding_amounts(kernel_hw, padding="valid", *, dilation=1) -> tuple[int, int, int, int]:
    """Pixels of padding ``(top, bottom, left, right)`` that ``padding`` means for this kernel.

    ``kernel_hw`` is ``(KH, KW)`` or an int (square).
    """
    kernel = as_hw(kernel_hw, "The kernel size", square=True)
    dilation = as_pair(dilation, "dilation", minimum=1)
    pads = resolve_padding(padding, kernel, dilation)
    return (pads.top, pads.bottom, pads.left, pads.right)


def output_size_formula(n: int, k: int, pad_total: int, stride: int = 1, dilation: int = 1) -> str:
    """The output-size formula with today's numbers, e.g. ``⌊(256 + 2 − 1·(3−1) − 1)/1⌋ + 1 = 256``.

    ``n`` and ``k`` are at least 1, ``pad_total`` at least 0, ``stride`` and ``dilation`` at least 1
    (``ValueError`` otherwise). The result may be ≤ 0 when the kernel does not fit.
    """
    n = as_whole(n, "The input size", 1)
    k = as_whole(k, "The kernel size", 1)
    pad_total = as_whole(pad_total, "The total padding", 0)
    stride = as_whole(stride, "stride", 1)
    dilation = as_whole(dilation, "dilation", 1)
    result = output_size(n, k, pad_total, stride, dilation)
    return f"⌊({n} + {pad_total} − {dilation}·({k}−1) − 1)/{stride}⌋ + 1 = {result}"
