"""The words and numbers the player writes: cell labels and the step readout.

Every number comes from a :class:`convviz.model.Step` (or another model function) and
is written with :func:`convviz.model.format_number`; this module only chooses words.
"""

from __future__ import annotations

import math

from convviz.model import Step, format_number
from convviz.model.player_region import revealed_expression

#: kernels with more weights than this are written in condensed form in the readout
FULL_EXPRESSION_TERMS = 9


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
