"""What the Filter tab's magnifier writes about one output pixel (no Qt).

The magnifier shows the kernel window of the output pixel under the cursor as a grid: each cell
holds the input value, × the weight, = the product (:func:`window_cell_texts`), coloured as the
input view draws that pixel (:func:`window_colours`). The numbers are written as the step-through
player writes them (:mod:`convviz.model.step_numbers`), so the products shown add up to the sum
shown: exact decimals, fractions over a common denominator (a box blur's ``10×1/9 = 10/9``), or,
when neither is possible, rounded and marked ``≈`` — then the float64 sum is also written out
exactly (:func:`exact_text`). Every number comes from an
:class:`~convviz.model.filter_output.OutputWindow`.
"""

from __future__ import annotations

import numpy as np

from .colour import scale_to_bytes
from .filter_output import OutputWindow
from .step_numbers import NumberStyle, number_style
from .stepping import format_number

CHANNEL_NAMES = ("R", "G", "B", "A")


def channel_names(count: int) -> tuple[str, ...]:
    """``("R", "G", "B")`` for 3 channels; ``("channel 0", …)`` beyond RGBA."""
    return CHANNEL_NAMES[:count] if count <= len(CHANNEL_NAMES) else tuple(f"channel {i}" for i in range(count))


def exact_text(value: float) -> str:
    """``value`` as :func:`format_number` writes it when that is exact, else its shortest exact float64
    form (``27.77777777777778``): the digits that give back this very number."""
    v = float(value)
    text = format_number(v)
    if not np.isfinite(v) or float(text) == v:
        return text
    return repr(v)


def _channel(array: np.ndarray, channel: int) -> np.ndarray:
    return array if array.ndim == 2 else array[:, :, channel]


def window_style(window: OutputWindow, channel: int = 0) -> NumberStyle:
    """How the cells and the sum of ``channel`` are written (one style for the whole window)."""
    return number_style(_channel(window.patch, channel), _channel(window.weights, channel))


def window_cell_texts(window: OutputWindow, channel: int = 0) -> list[list[str]]:
    """``"30\n×2\n= 60"`` per tap (row lists): input value, weight and product of ``channel``
    (ignored for a grey input), written by :func:`window_style` (``≈`` before a rounded product)."""
    style = window_style(window, channel)
    patch, weights, products = (_channel(a, channel) for a in (window.patch, window.weights, window.products))
    kw = patch.shape[1]
    return [[f"{style.value(p)}\n×{style.weight(w, r * kw + c)}\n{style.equals()} {style.product(p, x, r * kw + c)}"
             for c, (p, w, x) in enumerate(zip(p_row, w_row, x_row))]
            for r, (p_row, w_row, x_row) in enumerate(zip(patch.tolist(), weights.tolist(), products.tolist()))]


def window_product_texts(window: OutputWindow, channel: int = 0) -> list[list[str]]:
    """Only the products (``60``, ``60/9``, ``≈4.51``), for cells too small for three lines."""
    style = window_style(window, channel)
    mark = "" if style.exact else "≈"
    patch, products = _channel(window.patch, channel), _channel(window.products, channel)
    kw = patch.shape[1]
    return [[mark + style.product(p, x, r * kw + c) for c, (p, x) in enumerate(zip(p_row, x_row))]
            for r, (p_row, x_row) in enumerate(zip(patch.tolist(), products.tolist()))]


def window_exact_cell(window: OutputWindow, row: int, col: int, channel: int = 0) -> str:
    """One tap's numbers exactly (a cell's tooltip): ``input 10 × weight 0.1111111111111111 = …``."""
    p, w, x = (float(_channel(a, channel)[row, col]) for a in (window.patch, window.weights, window.products))
    where = "" if window.inside[row, col] else f" (padding, {window.padding_mode})"
    return (f"Input row {int(window.rows[row])}, column {int(window.cols[col])}{where}:\n"
            f"{exact_text(p)} × {exact_text(w)} = {exact_text(x)}")


def window_colours(window: OutputWindow) -> np.ndarray:
    """``(KH, KW, 3)`` uint8: each tap's input value as the input view draws it (grey 0–255 or RGB)."""
    shown = scale_to_bytes(window.patch, (0.0, 255.0))
    if shown.ndim == 2:
        return np.repeat(shown[:, :, None], 3, axis=2)
    if shown.shape[2] >= 3:
        return np.ascontiguousarray(shown[:, :, :3])
    return np.repeat(shown[:, :, :1], 3, axis=2)


def value_text(window: OutputWindow) -> str:
    """The output value exactly: ``27.77777777777778`` or ``(1, 2.5, 3)`` per channel."""
    if isinstance(window.value, tuple):
        return "(" + ", ".join(exact_text(v) for v in window.value) + ")"
    return exact_text(window.value)


def header_text(window: OutputWindow) -> str:
    """``Output (row 3, col 7) = 60``, short enough for a projector: ``≈ 212.6827`` or ``≈ (44.1111, 92.7778,
    170.7778)`` when rounded (:func:`value_text` is the exact value, the sum line has it too)."""
    r, c = window.out_index
    values = window.value if isinstance(window.value, tuple) else (window.value,)
    texts = [format_number(v) for v in values]
    exact = all(not np.isfinite(v) or float(t) == v for t, v in zip(texts, values))
    shown = texts[0] if len(texts) == 1 else "(" + ", ".join(texts) + ")"
    return f"Output (row {r}, col {c}) {'=' if exact else '≈'} {shown}"


def _span(a: int, b: int) -> str:
    return str(a) if a == b else f"{a}–{b}"


def where_text(window: OutputWindow) -> str:
    """Which input pixels the window covers: rows, columns, the dilation's gaps and the padding taps."""
    rows, cols = window.rows.tolist(), window.cols.tolist()
    text = f"Input rows {_span(rows[0], rows[-1])}, columns {_span(cols[0], cols[-1])}"
    dh, dw = window.dilation
    if (dh, dw) != (1, 1):
        text += f" (dilation {dh}×{dw}: every {_nth(dh)} row, every {_nth(dw)} column)" if dh != dw else \
            f" (dilation {dh}: every {_nth(dh)} pixel)"
    outside = int((~window.inside).sum())
    if outside:
        holds = "0" if window.padding_mode == "zeros" else f"{window.padding_mode} values"
        text += f"; {outside} of {window.inside.size} taps on the padding (hatched, holding {holds})"
    return text


def _nth(n: int) -> str:
    return {1: "", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def sum_text(window: OutputWindow, channel: int = 0) -> str:
    """The sum of the products as the cells write them (exact, or rounded and then also exactly in
    float64), and for a colour input which channel the cells show."""
    n = int(window.inside.size)
    style = window_style(window, channel)
    own = window.channel_sum(channel)
    shown = f"{style.equals()} {style.total(_channel(window.patch, channel), own)}"
    if not style.exact:
        shown += f" (exactly {exact_text(own)})"
    if window.channels == 1:
        return f"Sum of the {n} products {shown}"
    name = channel_names(window.channels)[channel]
    if window.per_channel:
        return f"{name}: sum of the {n} products {shown}"
    total = exact_text(float(window.value))  # type: ignore[arg-type]  # one sum over the channels
    return f"{name}: sum of its {n} products {shown}; all {window.channels} channels together = {total}"
