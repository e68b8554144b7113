"""The words and numbers the step-through player writes (no Qt): cell labels, titles, the
step readout, the sentence saying what is stepped through and the inspected pixel.

Every number comes from a :class:`convviz.model.Step`, a
:class:`~convviz.model.player_region.PlayerRegion` or another model function and is
written with :func:`convviz.model.format_number`; this module only chooses words.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .player_region import PlayerRegion, partial_sum, revealed_expression, window_cells
from .stepping import Step, format_number

if TYPE_CHECKING:
    from .document import ConvDocument

#: kernels with more weights than this are written in condensed form in the readout
FULL_EXPRESSION_TERMS = 9
#: the inspection line lists at most this many outputs
LISTED_OUTPUTS = 12
NO_INSPECTION = "Click an input pixel to see every output it contributes to; click an output to jump to its step."
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
    """A kernel weight as written in the kernel editor (4 significant figures: ``0.0625``, ``0.1111``),
    so ``191×0.0625`` in a products cell reads as the multiplication it is, not ``191×0.06``."""
    return format_number(value, 4) if abs(float(value)) >= 1e-4 or value == 0 else f"{float(value):.3g}"


def product_cell(step: Step, index: int) -> str:
    """``"30\\n×2\\n= 60"``: patch value, × weight and the product, for the products grid."""
    p = step.patch.ravel()[index]
    k = step.kernel.ravel()[index]
    # three short lines fit a small cell where one long "191×0.0625" line would not
    return f"{cell_number(p)}\n×{weight_number(k)}\n= {cell_number(step.products.ravel()[index])}"


def product_texts(step: Step) -> list[list[str]]:
    """:func:`product_cell` of every tap, as row lists of the kernel's shape."""
    kh, kw = step.kernel.shape[:2]
    return [[product_cell(step, r * kw + c) for c in range(kw)] for r in range(kh)]


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


def expression_text(step: Step, revealed: int | None = None) -> str:
    """The arithmetic; condensed for kernels with many weights; partial in lecture mode."""
    if revealed is not None and revealed < step.kernel.size:
        return revealed_expression(step, revealed)
    if step.kernel.size > FULL_EXPRESSION_TERMS:
        return step.condensed_expression(FULL_EXPRESSION_TERMS)
    return step.expression


def similarity_lines(step: Step) -> list[str]:
    """Dot product, lengths, cosine similarity and Pearson correlation, each named in words."""
    return [
        f"dot product  patch · kernel = {format_number(step.dot)}",
        f"length of the patch  |patch| = {format_number(step.patch_norm)}    "
        f"length of the kernel  |kernel| = {format_number(step.kernel_norm)}",
        f"cosine similarity  (patch · kernel) / (|patch| |kernel|) = {_similarity(step.cosine, _cosine_reason(step))}",
        f"Pearson correlation of patch and kernel = {_similarity(step.pearson, _pearson_reason(step))}",
    ]


def sum_text(step: Step, revealed: int) -> str:
    """``Sum = 60``, or in lecture mode ``Sum so far = 0  (1 of 4 products)``."""
    n = int(step.kernel.size)
    if revealed >= n:
        return f"Sum = {format_number(step.value)}"
    return f"Sum so far = {format_number(partial_sum(step, revealed))}  ({revealed} of {n} products)"


def number_word(v: int) -> str:
    """An integer with a typographic minus (``−2``)."""
    return str(v).replace("-", "−")


def span(a: int, b: int) -> str:
    """``3``, ``0–4`` or ``−2 to 13`` (a dash between signed numbers would read as a minus)."""
    if a == b:
        return number_word(a)
    return f"{number_word(a)} to {number_word(b)}" if min(a, b) < 0 else f"{a}–{b}"


def readout_text(step: Step, region: PlayerRegion, count: int, revealed: int, *, flip: bool) -> str:
    """The readout of step ``step`` of ``count``: where the window is, the arithmetic (the first
    ``revealed`` products in lecture mode) and, once complete, the similarity figures."""
    out_r, out_c = region.output_position(step.index)
    rows, cols = window_cells(region, step.index)
    (a, b), (c, d) = region.image_position(rows[0], cols[0]), region.image_position(rows[-1], cols[-1])
    lines = [f"Step {step.index + 1} of {count}: output ({out_r}, {out_c}) from the window over "
             f"input rows {span(a, c)}, cols {span(b, d)}" + (" (flipped kernel)" if flip else ""),
             expression_text(step, revealed)]
    if revealed >= step.kernel.size:
        lines += similarity_lines(step)
    else:
        lines.append(LECTURE_HINT)
    return "\n".join(lines)


def input_title(region: PlayerRegion, padding_mode: str) -> str:
    """``Input rows 0–3, cols 0–3`` (with the padding named when the grid shows some)."""
    (r0, c0) = region.image_position(0, 0)
    (r1, c1) = region.image_position(*[n - 1 for n in region.grid_shape])
    pad_words = "" if not any(region.pads) else f" (hatched: {padding_mode} padding)"
    return f"Input rows {span(r0, r1)}, cols {span(c0, c1)}{pad_words}"


def output_title(region: PlayerRegion) -> str:
    """``Output 3×3``, or on a region which rows and columns of the full output it shows."""
    oh, ow = region.out_hw
    if region.is_whole:
        return f"Output {oh}×{ow}"
    return (f"Output rows {span(region.out_rows.start, region.out_rows.stop - 1)}, cols "
            f"{span(region.out_cols.start, region.out_cols.stop - 1)} of {oh}×{ow}")


def source_text(document: ConvDocument, words: str, source_hw: tuple[int, int], region: PlayerRegion) -> str:
    """What is stepped through: the picture, the region, the kernel and every setting."""
    h, w = source_hw
    kh, kw = document.kernel.shape[:2]
    oh, ow = region.out_hw
    row, col, ch, cw = region.crop
    where = (f"the whole {h}×{w} input" if region.is_whole else
             f"region rows {row}–{row + ch - 1}, cols {col}–{col + cw - 1} of the {h}×{w} input "
             f"({region.step_count} of {oh * ow} outputs; the full output is computed as usual)")
    name = f"'{document.preset}' " if document.preset else ""
    flip = ("true convolution: the kernel is flipped ↕↔ before sliding (the products use the flipped "
            "weights)" if document.flip else "cross-correlation (the kernel is not flipped, as in deep learning)")
    padding = document.padding if isinstance(document.padding, str) else \
        f"{document.padding[0]}×{document.padding[1]}"
    return (f"Stepping through {words} '{document.image_name}': {where}. Kernel {name}{kh}×{kw}, padding "
            f"{padding} ({document.padding_mode}), stride {document.stride[0]}×{document.stride[1]}, dilation "
            f"{document.dilation[0]}×{document.dilation[1]}; {flip}.")


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
