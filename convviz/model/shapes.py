"""Output sizes and the formula behind them, written out with the user's numbers."""

from __future__ import annotations

from ._args import as_pair, output_size, resolve_padding


def output_shape(input_hw, kernel_hw, padding="valid", *, stride=1, dilation=1) -> tuple[int, int]:
    """``(H', W')`` of a correlation/convolution, per axis ``⌊(N + P_total − D(K−1) − 1)/S⌋ + 1``.

    ``input_hw`` and ``kernel_hw`` are ``(H, W)`` and ``(KH, KW)`` (extra trailing
    entries such as channels are ignored; an int kernel size means square).
    Raises ``ValueError`` when the kernel does not fit the padded input.
    """
    from ._args import check_fits

    h, w = (int(v) for v in tuple(input_hw)[:2])
    kh, kw = as_pair(kernel_hw, "kernel size", minimum=1) if isinstance(kernel_hw, int) else (
        int(kernel_hw[0]), int(kernel_hw[1]))
    if min(h, w) < 1 or min(kh, kw) < 1:
        raise ValueError("Input and kernel sizes must be at least 1.")
    stride = as_pair(stride, "stride", minimum=1)
    dilation = as_pair(dilation, "dilation", minimum=1)
    pads = resolve_padding(padding, (kh, kw), dilation)
    check_fits((h, w), (kh, kw), pads, dilation)
    return (
        output_size(h, kh, pads.top + pads.bottom, stride[0], dilation[0]),
        output_size(w, kw, pads.left + pads.right, stride[1], dilation[1]),
    )


def padding_amounts(kernel_hw, padding="valid", *, dilation=1) -> tuple[int, int, int, int]:
    """Pixels of padding ``(top, bottom, left, right)`` that ``padding`` means for this kernel."""
    dilation = as_pair(dilation, "dilation", minimum=1)
    return tuple(resolve_padding(padding, tuple(kernel_hw)[:2], dilation))


def output_size_formula(n: int, k: int, pad_total: int, stride: int = 1, dilation: int = 1) -> str:
    """The output-size formula with today's numbers, e.g. ``⌊(256 + 2 − 1·(3−1) − 1)/1⌋ + 1 = 256``."""
    result = output_size(n, k, pad_total, stride, dilation)
    return f"⌊({n} + {pad_total} − {dilation}·({k}−1) − 1)/{stride}⌋ + 1 = {result}"
