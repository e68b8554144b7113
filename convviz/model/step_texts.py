"""The words and numbers the step-through player writes (no Qt): cell labels, titles, the
step readout, the sentence saying what is stepped through and the inspected pixel.

Every number comes from a :class:`convviz.model.Step`, a
:class:`~convviz.model.player_region.PlayerRegion` or another model function; the products,
sums and weights are written in one :class:`~convviz.model.step_numbers.NumberStyle` so that
they add up, the rest with :func:`convviz.model.format_number`; this module only chooses words.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .player_region import PlayerRegion, partial_sum, window_cells
from .step_numbers import NumberStyle, condensed, expression_terms, number_style
from .stepping import Step, format_number

if TYPE_CHECKING:
    from .document import ConvDocument

#: kernels with more weights than this are written in condensed form in the readout
FULL_EXPRESSION_TERMS = 9
#: the inspection line lists at most this many outputs
LISTED_OUTPUTS = 12
LECTURE_HINT = "Lecture mode: → reveals the next product; the sum and the similarity follow."


def cell_number(value: float) -> str:
    """A value rounded to fit a cell: 3–4 significant figures (``123``, ``12.3``, ``0.12``)."""
    v = float(value)
    a = abs(v)
    if not math.isfinite(v):
        return format_number(v)
    if a >= 1e5:
        return format_number(v, 2)
    digits = 0 if a >= 100 else 1 if a >= 10 else 2
    return format_number(v, digits)


def cell_texts(values: np.ndarray) -> list[list[str]]:
    """:func:`cell_number` of every value of a 2-D array, as row lists."""
    return [[cell_number(v) for v in row] for row in np.asarray(values).tolist()]


def similarity_texts(values: np.ndarray) -> list[list[str]]:
    """Cosine similarities with 2 decimals; ``–`` where undefined (NaN)."""
    return [[format_number(v, 2) if math.isfinite(v) else "–" for v in row] for row in np.asarray(values).tolist()]


def weight_number(value: float) -> str:
    """A kernel weight as the player writes it alone: exact (``0.0625``, ``-2``, ``1/9``), else to
    4 significant digits (``0.01621``)."""
    return number_style(np.zeros((1, 1)), np.array([[value]])).weight(value, 0)


def step_style(step: Step) -> NumberStyle:
    """The style of a step alone (a build uses one style for all its steps: :func:`number_style`)."""
    return number_style(step.patch, step.kernel)


def product_cell(step: Step, index: int, style: NumberStyle | None = None) -> str:
    """``"30\n×2\n= 60"``: patch value, × weight and the product, for the products grid (exact,
    ``"10\n×1/9\n= 10/9"``, or rounded, ``"… ≈ 1.99"``: see :mod:`~convviz.model.step_numbers`)."""
    style = style or step_style(step)
    p = float(step.patch.ravel()[index])
    k = float(step.kernel.ravel()[index])
    product = style.product(p, float(step.products.ravel()[index]), index)
    # three short lines fit a small cell where one long "191×0.0625" line would not
    return f"{style.value(p)}\n×{style.weight(k, index)}\n{style.equals()} {product}"


def product_texts(step: Step, style: NumberStyle | None = None) -> list[list[str]]:
    """:func:`product_cell` of every tap, as row lists of the kernel's shape."""
    style = style or step_style(step)
    kh, kw = step.kernel.shape[:2]
    return [[product_cell(step, r * kw + c, style) for c in range(kw)] for r in range(kh)]


def product_values(step: Step, style: NumberStyle | None = None, *, stacked: bool = False) -> list[list[str]]:
    """Only the products (``60``, ``10/9``), as row lists: what a small products cell can hold;
    ``stacked`` writes a fraction on two lines (``178.956`` over ``/9``), narrower."""
    style = style or step_style(step)
    kw = step.kernel.shape[1]
    patch, products = step.patch.ravel().tolist(), step.products.ravel().tolist()
    texts = [[style.product(patch[r * kw + c], products[r * kw + c], r * kw + c) for c in range(kw)]
             for r in range(step.kernel.shape[0])]
    return [[t.replace("/", "\n/") for t in row] for row in texts] if stacked else texts


def weight_texts(kernel: np.ndarray, style: NumberStyle) -> list[list[str]]:
    """The kernel's weights as the products write them, as row lists (the kernel grid, the window)."""
    kw = kernel.shape[1]
    return [[style.weight(w, r * kw + c) for c, w in enumerate(row)] for r, row in enumerate(kernel.tolist())]


def _similarity(value: float, undefined_reason: str) -> str:
    return format_number(value) if math.isfinite(value) else f"undefined ({undefined_reason})"


def _pearson_reason(step: Step) -> str:
    if step.kernel.size < 2:
        return "a single value has no variance"
    if float(step.kernel.max()) == float(step.kernel.min()):
        return "the kernel is constant, its variance is 0"
    return "the patch is constant, its variance is 0"


def _cosine_reason(step: Step) -> str:
    return "the kernel is all zeros, |kernel| = 0" if step.kernel_norm == 0 else \
        "the patch is all zeros, |patch| = 0"


def expression_text(step: Step, revealed: int | None = None, style: NumberStyle | None = None) -> str:
    """The arithmetic in the products' notation, ``(0×1) + (10×0) + (20×0) + (30×2) = 60``; condensed
    for kernels with many weights; partial in lecture mode."""
    style = style or step_style(step)
    terms = expression_terms(style, step.patch, step.kernel)
    n = len(terms)
    if revealed is not None and revealed < n:
        if revealed <= 0:
            return "… (no product revealed yet)"
        so_far = style.total(step.patch, partial_sum(step, revealed), revealed)
        return " + ".join(terms[:revealed]) + f" + …  (so far {so_far}, {n - revealed} more)"
    total = style.total(step.patch, step.value)
    return f"{condensed(terms, step.kernel.ravel().tolist(), FULL_EXPRESSION_TERMS)} {style.equals()} {total}"


def similarity_lines(step: Step) -> list[str]:
    """Dot product, lengths, cosine similarity and Pearson correlation, each named in words."""
    return [
        f"dot product  patch · kernel = {format_number(step.dot)}",
        f"length of the patch  |patch| = {format_number(step.patch_norm)}    "
        f"length of the kernel  |kernel| = {format_number(step.kernel_norm)}",
        f"cosine similarity  (patch · kernel) / (|patch| |kernel|) = {_similarity(step.cosine, _cosine_reason(step))}",
        f"Pearson correlation of patch and kernel = {_similarity(step.pearson, _pearson_reason(step))}",
    ]


def sum_text(step: Step, revealed: int, style: NumberStyle | None = None) -> str:
    """``Sum = 60`` (``Sum = 250/9 ≈ 27.7778``, ``Sum ≈ 27.78``), or in lecture mode
    ``Sum so far = 0  (1 of 4 products)``: the sum of the products as the products grid writes them."""
    style = style or step_style(step)
    n = int(step.kernel.size)
    if revealed >= n:
        return f"Sum {style.equals()} {style.total(step.patch, step.value)}"
    so_far = style.total(step.patch, partial_sum(step, revealed), revealed)
    return f"Sum so far {style.equals()} {so_far}  ({revealed} of {n} products)"


def number_word(v: int) -> str:
    """An integer with a typographic minus (``−2``)."""
    return str(v).replace("-", "−")


def span(a: int, b: int) -> str:
    """``3``, ``0–4`` or ``−2 to 13`` (a dash between signed numbers would read as a minus)."""
    if a == b:
        return number_word(a)
    return f"{number_word(a)} to {number_word(b)}" if min(a, b) < 0 else f"{a}–{b}"


def readout_text(step: Step, region: PlayerRegion, count: int, revealed: int, *, flip: bool,
                 style: NumberStyle | None = None) -> str:
    """The readout of step ``step`` of ``count``: where the window is, the arithmetic (the first
    ``revealed`` products in lecture mode) and, once complete, the similarity figures."""
    out_r, out_c = region.output_position(step.index)
    rows, cols = window_cells(region, step.index)
    (a, b), (c, d) = region.image_position(rows[0], cols[0]), region.image_position(rows[-1], cols[-1])
    lines = [f"Step {step.index + 1} of {count}: output ({out_r}, {out_c}) from the window over "
             f"input rows {span(a, c)}, cols {span(b, d)}" + (" (flipped kernel)" if flip else ""),
             expression_text(step, revealed, style)]
    if revealed >= step.kernel.size:
        lines += similarity_lines(step)
    else:
        lines.append(LECTURE_HINT)
    return "\n".join(lines)


def input_title(region: PlayerRegion, padding_mode: str, *, rounded: bool = False) -> str:
    """``Input rows 0–3, cols 0–3`` (with the padding named when the grid shows some, and a note
    when the cells round their values: the products show them exactly)."""
    (r0, c0) = region.image_position(0, 0)
    (r1, c1) = region.image_position(*[n - 1 for n in region.grid_shape])
    notes = ([f"hatched: {padding_mode} padding"] if any(region.pads) else []) + (["rounded"] if rounded else [])
    return f"Input rows {span(r0, r1)}, cols {span(c0, c1)}" + (f" ({'; '.join(notes)})" if notes else "")


def kernel_title(shape: tuple[int, ...], flip: bool) -> str:
    """``Kernel 3×3``, or ``Kernel 3×3 flipped ↕↔`` for true convolution."""
    return f"Kernel {shape[0]}×{shape[1]}" + (" flipped ↕↔" if flip else "")


def output_title(region: PlayerRegion) -> str:
    """``Output 3×3``, or on a region which rows and columns of the full output it shows."""
    oh, ow = region.out_hw
    if region.is_whole:
        return f"Output {oh}×{ow}"
    return (f"Output rows {span(region.out_rows.start, region.out_rows.stop - 1)}, cols "
            f"{span(region.out_cols.start, region.out_cols.stop - 1)} of {oh}×{ow}")


def source_text(document: ConvDocument, words: str, source_hw: tuple[int, int], region: PlayerRegion) -> str:
    """What is stepped through, in two short sentences: the picture and the region; the kernel and
    every setting (:func:`source_details` says the rest)."""
    h, w = source_hw
    kh, kw = document.kernel.shape[:2]
    oh, ow = region.out_hw
    row, col, ch, cw = region.crop
    where = (f"the whole {h}×{w} input" if region.is_whole else
             f"rows {row}–{row + ch - 1}, cols {col}–{col + cw - 1} of the {h}×{w} input "
             f"({region.step_count:,} of {oh * ow:,} outputs)")
    name = f"'{document.preset}' " if document.preset else ""
    flip = "true convolution (kernel flipped ↕↔)" if document.flip else "cross-correlation (not flipped)"
    padding = document.padding if isinstance(document.padding, str) else \
        f"{document.padding[0]}×{document.padding[1]}"
    return (f"Stepping through {words} '{document.image_name}': {where}. Kernel {name}{kh}×{kw}, padding "
            f"{padding} ({document.padding_mode}), stride {document.stride[0]}×{document.stride[1]}, dilation "
            f"{document.dilation[0]}×{document.dilation[1]}, {flip}.")


def source_details(document: ConvDocument, region: PlayerRegion) -> str:
    """The longer words behind :func:`source_text` (a tooltip): what the flip and the region mean."""
    flip = ("True convolution: the kernel is flipped ↕↔ before sliding, so the products use the flipped "
            "weights." if document.flip else
            "Cross-correlation: the kernel is not flipped, as in deep learning.")
    if region.is_whole:
        return flip
    return flip + " Only this region is stepped through; the full output is computed as usual."


def inspection_text(region: PlayerRegion, value: float, in_image: bool, cell: tuple[int, int],
                    outputs: list[tuple[int, int]]) -> str:
    """The sentence under the readout for the inspected shown-grid ``cell`` (its ``value``), which
    contributes to the region's ``outputs`` (local ``(row, col)``)."""
    r, c = region.image_position(*cell)
    what = "Input pixel" if in_image else "Padding cell"
    listed = ", ".join(f"({region.out_rows.start + a}, {region.out_cols.start + b})"
                       for a, b in outputs[:LISTED_OUTPUTS])
    more = f" and {len(outputs) - LISTED_OUTPUTS} more" if len(outputs) > LISTED_OUTPUTS else ""
    return (f"{what} ({r}, {c}) = {format_number(value)} contributes to {len(outputs)} output"
            f"{'' if len(outputs) == 1 else 's'}{': ' + listed + more if outputs else ''} (marked in blue).")
