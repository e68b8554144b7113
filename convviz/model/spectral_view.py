"""What the Separable and frequency tab shows, computed without Qt: is the kernel a column times a row (and what
that saves), what it does to each frequency, the convolution theorem on a crop of the picture, and the cost
of a depthwise-separable layer against a standard one.

Numbers come from :mod:`convviz.model.separable` (``separate``, ``two_pass``, ``separable_cost``),
:mod:`convviz.model.frequency` (``frequency_response``, ``convolution_theorem``, ``log_magnitude``) and
:func:`convviz.model.costs.separable_costs`; this module only arranges them and chooses words.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .costs import SeparableCosts
from .engine import correlate
from .equivariance import centre_crop
from .frequency import ConvolutionTheorem, convolution_theorem, frequency_response, log_magnitude
from .separable import SeparableCost, separable_cost, separate, two_pass
from .stepping import format_number
from .units import count_text, ratio_text


def effective_kernel(kernel, flip: bool) -> np.ndarray:
    """The weights that slide over the image: the kernel, turned half a turn for true convolution."""
    k = np.asarray(kernel, dtype=np.float64)
    return k[::-1, ::-1] if flip else k


def vector_text(values) -> str:
    """``[1, 2, 1]``."""
    return "[" + ", ".join(format_number(v) for v in np.ravel(values)) + "]"


@dataclass(frozen=True)
class SeparableCheck:
    """The kernel's rank, its column/row pair, the two 1-D passes on a crop against the 2-D correlation, the cost.

    ``after_column`` and ``two_pass_output`` are :func:`~convviz.model.separable.two_pass` of ``crop`` with the
    document's padding, stride, dilation and padding mode; ``direct`` is the 2-D correlation with the same
    settings; ``max_difference`` the largest ``|two_pass_output − direct|``.
    """

    kernel: np.ndarray
    column: np.ndarray
    row: np.ndarray
    rank: int
    singular_values: np.ndarray
    crop: np.ndarray
    after_column: np.ndarray
    two_pass_output: np.ndarray
    direct: np.ndarray
    max_difference: float
    cost: SeparableCost


def separable_check(kernel, crop, conv_kwargs: dict) -> SeparableCheck:
    """:class:`SeparableCheck` of a 2-D kernel (the weights as they slide) on a 2-D crop.

    ``conv_kwargs``: ``padding`` and the keyword-only ``stride``, ``dilation``, ``padding_mode``.
    """
    k = np.asarray(kernel, dtype=np.float64)
    column, row, rank = separate(k)
    options = dict(conv_kwargs)
    padding = options.pop("padding", "valid")
    after_column, output = two_pass(crop, column, row, padding, **options)
    direct = correlate(crop, k, padding, **options)
    return SeparableCheck(k, column, row, rank, np.linalg.svd(k, compute_uv=False), np.asarray(crop), after_column,
                          output, direct, float(np.max(np.abs(output - direct))), separable_cost(k.shape))


def _rows_not_proportional(k: np.ndarray) -> tuple[int, int] | None:
    """Two rows of ``k`` that are not multiples of each other (the reason it is not a column × row)."""
    rows = [i for i in range(k.shape[0]) if np.any(k[i])]
    for a in rows:
        for b in rows:
            if a < b and np.linalg.matrix_rank(k[[a, b]], tol=1e-10 * float(np.abs(k).max())) == 2:
                return a, b
    return None


def rank_sentence(c: SeparableCheck) -> str:
    """Why the kernel is (or is not) separable, with its numbers."""
    kh, kw = c.kernel.shape
    if c.rank == 0:
        return "The kernel is all zeros: there is nothing to separate."
    if c.rank == 1:
        return (f"Rank 1: the kernel is the column {vector_text(c.column)} times the row {vector_text(c.row)} "
                f"(every row is a multiple of one row), so filtering with the column and then with the row gives "
                f"the same output.")
    pair = _rows_not_proportional(c.kernel)
    why = (f"its rows {vector_text(c.kernel[pair[0]])} and {vector_text(c.kernel[pair[1]])} are not multiples of "
           f"each other, " if pair else "")
    return (f"Rank {c.rank}: {why}so no single column × row equals this {kh}×{kw} kernel. It is a sum of "
            f"{c.rank} column × row products; one pair of 1-D passes gives only the closest one "
            f"({vector_text(c.column)} × {vector_text(c.row)}).")


def cost_sentence(c: SeparableCheck) -> str:
    kh, kw = c.kernel.shape
    cost = c.cost
    text = (f"Multiplies per output pixel: {kh}×{kw} = {cost.direct} in one 2-D pass, {kh} + {kw} = "
            f"{cost.separable} in two 1-D passes ({ratio_text(cost.ratio)} fewer)")
    return text + ("." if c.rank == 1 else " — but only a rank-1 kernel can be filtered that way.")


def difference_sentence(c: SeparableCheck) -> str:
    """How far the two 1-D passes are from the 2-D correlation, on the picture's centre crop (so a photo costs a
    crop's worth of work; the crop is the one the convolution theorem uses)."""
    shape = "×".join(str(n) for n in c.direct.shape)
    where = f"on the picture's {'×'.join(str(n) for n in c.crop.shape[:2])} centre crop"
    if c.rank <= 1:
        return (f"Column pass, then row pass, {where} ({shape} output): the largest difference from the 2-D "
                f"correlation is {format_number(c.max_difference)}{' (rounding)' if c.max_difference else ''}.")
    return (f"The two passes give the closest rank-1 kernel's output: {where}, the largest difference from this "
            f"kernel's {shape} output is {format_number(c.max_difference)}.")


@dataclass(frozen=True)
class FrequencyView:
    """``magnitude``: ``|frequency_response(kernel, (n, n))|`` (zero frequency in the middle)."""

    magnitude: np.ndarray

    @property
    def centre_gain(self) -> float:
        n, m = self.magnitude.shape
        return float(self.magnitude[n // 2, m // 2])

    @property
    def corner_gain(self) -> float:
        """The gain at the highest frequency on both axes (the corner of the centred response)."""
        return float(self.magnitude[0, 0])

    @property
    def max_gain(self) -> float:
        return float(self.magnitude.max())


def frequency_view(kernel, size: int) -> FrequencyView:
    return FrequencyView(np.abs(frequency_response(kernel, (size, size))))


def frequency_sentence(f: FrequencyView) -> str:
    """What the kernel does to frequencies, from its gains (middle: flat areas; edges: fine detail)."""
    centre, corner, top = f.centre_gain, f.corner_gain, f.max_gain
    numbers = (f"gain {format_number(centre, 3)} in the middle (flat areas), {format_number(corner, 3)} at the "
               f"corners (the finest detail), at most {format_number(top, 3)}")
    scale = max(top, 1e-300)
    if top == 0:
        return "The kernel is all zeros: it removes every frequency."
    if centre < 1e-9 * scale:
        return f"It removes the flat parts and keeps changes — an edge or detail filter: {numbers}."
    if centre >= top * (1 - 1e-9) and corner < 0.5 * centre:
        return f"It keeps slow changes and removes fine detail — a blur (low-pass): {numbers}."
    if top > centre * (1 + 1e-9):
        return f"It keeps flat areas and boosts fine detail (as sharpening does): {numbers}."
    return f"It passes every frequency about equally: {numbers}."


@dataclass(frozen=True)
class TheoremView:
    """The convolution theorem on a centre crop of the picture's luminance: three log-magnitude pictures and
    the check ``max |X·G − Y|`` (absolute, and relative to ``max |Y|``)."""

    crop: np.ndarray
    theorem: ConvolutionTheorem
    image_log: np.ndarray
    kernel_log: np.ndarray
    output_log: np.ndarray
    max_difference: float
    relative_difference: float


def theorem_view(image, kernel, crop_side: int, *, flip: bool) -> TheoremView:
    """:func:`~convviz.model.frequency.convolution_theorem` of the ``crop_side`` centre crop of ``image`` (grey
    or colour: cropped first, then its luminance)."""
    crop = np.array(centre_crop(image, crop_side), dtype=np.float64)   # a copy: never a view of the picture
    t = convolution_theorem(crop, np.asarray(kernel, dtype=np.float64), flip=flip)
    product = t.image_spectrum * t.kernel_spectrum
    diff = float(np.max(np.abs(product - t.output_spectrum)))
    top = float(np.max(np.abs(t.output_spectrum)))
    return TheoremView(crop, t, log_magnitude(t.image_spectrum), log_magnitude(t.kernel_spectrum),
                       log_magnitude(t.output_spectrum), diff, diff / top if top > 0 else 0.0)


def theorem_sentence(v: TheoremView) -> str:
    h, w = v.crop.shape
    op = "convolution" if v.theorem.flip else "correlation"
    return (f"On the {h}×{w} centre of the picture ({op} with wrap-around padding): image spectrum × kernel spectrum "
            f"= output spectrum, frequency by frequency. Check: the largest |X·G − Y| is "
            f"{format_number(v.max_difference, 3)}, {format_number(v.relative_difference, 3)} of the largest |Y| "
            f"(rounding). Pictures: log(1 + |·|), zero frequency in the middle.")


def depthwise_rows(s: SeparableCosts) -> list[tuple[str, str, str]]:
    """``(layer, parameters, multiply-adds)`` for the standard layer, the depthwise and pointwise layers and their
    sum, as people read the numbers."""
    kh, kw = s.standard.kernel_size
    return [
        (f"standard {kh}×{kw} conv", count_text(s.standard.conv_params), count_text(s.standard.conv_macs)),
        (f"depthwise {kh}×{kw}", count_text(s.depthwise.conv_params), count_text(s.depthwise.conv_macs)),
        ("pointwise 1×1", count_text(s.pointwise.conv_params), count_text(s.pointwise.conv_macs)),
        ("depthwise + pointwise", count_text(s.separable_params), count_text(s.separable_macs)),
    ]


def depthwise_sentence(s: SeparableCosts) -> str:
    h, w, c = s.standard.input_shape
    kh, kw = s.standard.kernel_size
    oh, ow, f = s.standard.output_shape
    multiplier = s.depthwise.filters // c
    return (f"{h}×{w}×{c} → {oh}×{ow}×{f} with {kh}×{kw} kernels. The standard layer mixes space and channels at "
            f"once: {kh}·{kw}·{c}·{f} = {count_text(kh * kw * c * f)} weights. "
            f"Depthwise-separable splits it: one {kh}×{kw} filter per input channel"
            f"{f' (×{multiplier})' if multiplier > 1 else ''}, then a 1×1 layer mixing channels — "
            f"{ratio_text(s.params_ratio)} fewer parameters and {ratio_text(s.macs_ratio)} fewer multiply-adds.")
