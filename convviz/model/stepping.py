"""The sliding window, one output position at a time: what the player shows.

``steps(...)`` is a lazy sequence: a :class:`Step` is computed only when it is
indexed, so a 4-megapixel image costs nothing until it is stepped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ._args import as_image, as_kernel, check_ranks, geometry, pad_image
from .grid_steps import GridSteps
from .similarity import cosine_similarity, dot, norm, pearson


def format_number(value: float, digits: int = 4) -> str:
    """A number as a person writes it: ``60``, ``-2``, ``0.1111``, ``1.5e+06``."""
    v = float(value)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    if abs(v) >= 1e5 or abs(v) < 10 ** -digits:
        text = f"{v:.{digits}g}"
    else:
        text = f"{v:.{digits}f}"
        if "." in text:  # only decimals lose their trailing zeros: 210.025 at 0 digits is "210", not "21"
            text = text.rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


@dataclass(frozen=True)
class Step:
    """One position of the kernel: its patch, the products and their sum.

    ``patch`` and ``products`` have the kernel's shape (``(KH, KW)`` or ``(KH, KW, C)``);
    ``rows``/``cols`` are the input coordinates of the kernel taps (negative or ≥ the
    image size where a tap lies on padding), and ``in_image`` is True for taps on real pixels.
    """

    index: int
    out_index: tuple[int, int]
    kernel: np.ndarray = field(repr=False)
    patch: np.ndarray = field(repr=False)
    rows: np.ndarray = field(repr=False)
    cols: np.ndarray = field(repr=False)
    in_image: np.ndarray = field(repr=False)

    @cached_property
    def products(self) -> np.ndarray:
        """``patch * kernel``, element-wise."""
        return self.patch * self.kernel

    @cached_property
    def value(self) -> float:
        """The output value: the sum of ``products``."""
        return float(self.products.sum())

    @cached_property
    def dot(self) -> float:
        return dot(self.patch, self.kernel)

    @cached_property
    def patch_norm(self) -> float:
        return norm(self.patch)

    @cached_property
    def kernel_norm(self) -> float:
        return norm(self.kernel)

    @cached_property
    def cosine(self) -> float:
        return cosine_similarity(self.patch, self.kernel)

    @cached_property
    def pearson(self) -> float:
        return pearson(self.patch, self.kernel)

    @property
    def covers(self) -> list[tuple[int, int]]:
        """``(row, col)`` of every input pixel under a kernel tap (padding taps left out)."""
        rr, cc = np.meshgrid(self.rows, self.cols, indexing="ij")
        inside = self.in_image
        return list(zip(rr[inside].tolist(), cc[inside].tolist()))

    def terms(self) -> list[str]:
        """Each product written out, ``"(30×2)"``, in row-major (then channel) order."""
        return [
            f"({format_number(p)}×{format_number(k)})"
            for p, k in zip(self.patch.ravel().tolist(), self.kernel.ravel().tolist())
        ]

    @property
    def expression(self) -> str:
        """The arithmetic, e.g. ``(0×1) + (10×0) + (20×0) + (30×2) = 60``."""
        return " + ".join(self.terms()) + f" = {format_number(self.value)}"

    def condensed_expression(self, max_terms: int = 9) -> str:
        """Like :attr:`expression` but at most ``max_terms`` products (zero weights first dropped)."""
        terms = self.terms()
        if len(terms) <= max_terms:
            return self.expression
        weights = self.kernel.ravel()
        nonzero = [t for t, w in zip(terms, weights.tolist()) if w != 0]
        if len(nonzero) <= max_terms:
            skipped = len(terms) - len(nonzero)
            return " + ".join(nonzero) + f" (+ {skipped} zero-weight terms) = {format_number(self.value)}"
        head = max_terms - 2
        return (" + ".join(nonzero[:head]) + f" + … ({len(nonzero) - head - 1} more) … + {nonzero[-1]}"
                + f" = {format_number(self.value)}")


class StepSequence(GridSteps):
    """Lazy, indexable sequence of :class:`Step`, row-major over the output."""

    def __init__(self, padded: np.ndarray, kernel: np.ndarray, geo, image_hw: tuple[int, int]):
        self._padded = padded
        self._kernel = kernel
        self._geo = geo
        self.image_hw = image_hw
        self.output_hw = geo.out_hw
        self.padded = padded
        kh, kw = kernel.shape[:2]
        dh, dw = geo.dilation
        self.offsets = (np.arange(kh) * dh, np.arange(kw) * dw)

    @property
    def pads(self):
        """``(top, bottom, left, right)`` padding in pixels."""
        return self._geo.pads

    @property
    def stride(self):
        return self._geo.stride

    @property
    def dilation(self):
        return self._geo.dilation

    @property
    def kernel(self) -> np.ndarray:
        return self._kernel

    def _grid_hw(self) -> tuple[int, int]:
        return self.output_hw

    def _step(self, i: int, r: int, c: int) -> Step:
        (sh, sw) = self._geo.stride
        pads = self._geo.pads
        prow = r * sh + self.offsets[0]
        pcol = c * sw + self.offsets[1]
        patch = self._padded[np.ix_(prow, pcol)] if self._padded.ndim == 2 else self._padded[prow][:, pcol]
        rows = prow - pads.top
        cols = pcol - pads.left
        h, w = self.image_hw
        inside = ((rows >= 0) & (rows < h))[:, None] & ((cols >= 0) & (cols < w))[None, :]
        patch = np.array(patch)
        patch.flags.writeable = False
        return Step(i, (r, c), self._kernel, patch, rows, cols, inside)

    def contributions(self, in_row: int, in_col: int) -> list[tuple[int, int]]:
        """Output positions whose window covers input pixel ``(in_row, in_col)``."""
        (sh, sw), pads = self._geo.stride, self._geo.pads
        oh, ow = self.output_hw
        pr, pc = in_row + pads.top, in_col + pads.left
        out_rows = [int((pr - o) // sh) for o in self.offsets[0] if (pr - o) % sh == 0 and 0 <= (pr - o) // sh < oh]
        out_cols = [int((pc - o) // sw) for o in self.offsets[1] if (pc - o) % sw == 0 and 0 <= (pc - o) // sw < ow]
        return [(r, c) for r in sorted(set(out_rows)) for c in sorted(set(out_cols))]


def steps(image, kernel, padding="valid", *, stride=1, dilation=1, padding_mode="zeros") -> StepSequence:
    """Every position of the kernel over the (padded) image, as a lazy sequence of :class:`Step`.

    Same arguments and conventions as :func:`~convviz.model.correlate` (no flip): step ``i``'s
    ``value`` equals ``correlate(...)[step.out_index]``. For true convolution pass the flipped kernel.
    """
    img = as_image(image)
    ker = as_kernel(kernel, img.dtype)
    check_ranks(img, ker)
    geo = geometry(img.shape[:2], ker.shape[:2], padding, stride, dilation, padding_mode)
    padded = pad_image(img, geo.pads, padding_mode)
    ker = np.array(ker)
    ker.flags.writeable = False
    return StepSequence(padded, ker, geo, img.shape[:2])
