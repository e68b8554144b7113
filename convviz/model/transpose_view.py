"""What the Transposed conv tab shows, computed without Qt: one scatter step on the canvas, the same result
as an ordinary convolution of the zero-inserted input with the flipped kernel, the output-size formula and
the checkerboard that uneven overlaps leave when a 3×3 kernel upsamples ×2.

Every number comes from :mod:`convviz.model.transpose` (``conv_transpose``, ``transpose_scatter_steps``,
``zero_inserted``, ``zero_inserted_sources``, ``transpose_output_formula``) and
:func:`~convviz.model.correlate`; this module only arranges them for drawing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .engine import correlate
from .player_plane import ImagePlane
from .player_region import busiest_crop
from .step_view import cell_texts, grid_rgb, levels_of
from .stepping import format_number
from .transpose import (
    ScatterStep,
    conv_transpose,
    transpose_output_formula,
    transpose_scatter_steps,
    zero_inserted,
    zero_inserted_sources,
)

NBSP = "\u00a0"
#: the tab's small example: input x (2×2) and kernel w (3×3), small whole numbers
EXAMPLE_INPUT = np.array([[1.0, 2.0], [3.0, 4.0]])
EXAMPLE_KERNEL = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 0.0], [1.0, 0.0, 1.0]])
#: side of the image crop scattered on the "image" input
IMAGE_INPUT_SIDE = 4
#: the checkerboard demonstration: a crop of this side upsampled ×2 (stride 2, padding 1, output padding 1)
CHECKER_SIDE = 48
CHECKER_SETTINGS = dict(stride=2, padding=1, output_padding=1)
CHECKER_KERNELS = {
    "ones": np.ones((3, 3)),
    "bilinear": np.outer([0.5, 1.0, 0.5], [0.5, 1.0, 0.5]),
}


@dataclass(frozen=True)
class ImageCrops:
    """The parts of the image's luminance the tab uses: a :data:`CHECKER_SIDE`-side crop to upsample, where the
    picture varies most, and inside it the :data:`IMAGE_INPUT_SIDE`-side crop that varies most, to scatter."""

    scatter: np.ndarray
    checker: np.ndarray


def _busiest(gray: ImagePlane, side: int) -> np.ndarray:
    h, w = gray.shape
    side = min(side, h, w)
    r, c, _, _ = busiest_crop(gray, side) if max(h, w) > 32 and min(h, w) >= side else (0, 0, side, side)
    crop = np.array(gray[r:r + side, c:c + side])   # made for the crop only: never the whole luminance
    crop.flags.writeable = False
    return crop


def busiest_window(values: np.ndarray, side: int) -> np.ndarray:
    """The ``side``×``side`` window of a small 2-D array with the largest variance (the first such, row by row),
    as a read-only copy; all of ``values`` when it is smaller."""
    h, w = values.shape
    side = min(side, h, w)
    variance = sliding_window_view(values, (side, side)).var(axis=(2, 3))
    r, c = np.unravel_index(int(np.argmax(variance)), variance.shape)
    crop = np.array(values[r:r + side, c:c + side])
    crop.flags.writeable = False
    return crop


def image_crops(image) -> ImageCrops:
    """:class:`ImageCrops` of a grey or colour image (a few passes over its pixels: a worker's job on large ones);
    the crops are copies, so nothing else of the picture is kept. The scatter crop is looked for inside the
    checker crop only, so a large photo is searched once, in large blocks (few temporary arrays)."""
    checker = _busiest(ImagePlane(image), CHECKER_SIDE)       # luminance read a stripe at a time
    return ImageCrops(busiest_window(checker, IMAGE_INPUT_SIDE), checker)


def transpose_operands(input_kind: str, kernel_kind: str, crops: ImageCrops | None,
                       kernel) -> tuple[np.ndarray, np.ndarray]:
    """``(x, w)``: the example input or the image's scatter crop, and the example kernel or the document's
    ``kernel`` (as it is: the transposed convolution's weights)."""
    if input_kind == "example":
        x = EXAMPLE_INPUT
    elif input_kind == "image":
        if crops is None:
            raise ValueError("The image is still being prepared.")
        x = crops.scatter
    else:
        raise ValueError(f"Unknown input {input_kind!r}: use 'example' or 'image'.")
    if kernel_kind == "example":
        w = EXAMPLE_KERNEL
    elif kernel_kind == "document":
        w = np.asarray(kernel, dtype=np.float64)
    else:
        raise ValueError(f"Unknown kernel {kernel_kind!r}: use 'example' or 'document'.")
    return np.array(x, dtype=np.float64), np.array(w, dtype=np.float64)


@dataclass(frozen=True)
class ScatterFrame:
    """One scatter step, ready to draw.

    The canvas is the uncropped scatter (``canvas_padding`` marks the rows/columns that ``padding`` crops
    away, and the ``output_padding`` ones, which receive nothing); ``window_rows``/``window_cols`` are the
    canvas cells the current input pixel's copy of the kernel lands on.
    """

    step: ScatterStep
    count: int
    levels: tuple[float, float]
    input_rgb: np.ndarray
    input_texts: list[list[str]]
    kernel_texts: list[list[str]]
    contribution_rgb: np.ndarray
    contribution_texts: list[list[str]]
    canvas: np.ndarray
    canvas_rgb: np.ndarray
    canvas_texts: list[list[str]]
    canvas_padding: np.ndarray
    output: np.ndarray


def scatter_frame(x: np.ndarray, w: np.ndarray, index: int, **settings) -> ScatterFrame:
    """Step ``index`` (clamped) of :func:`~convviz.model.transpose.transpose_scatter_steps`."""
    seq = transpose_scatter_steps(x, w, **settings)
    index = min(max(int(index), 0), len(seq) - 1)
    step = seq[index]
    output = conv_transpose(x, w, **settings)
    canvas = step.running_canvas
    levels = levels_of(output, canvas, x)
    (ph, pw), (oh, ow) = seq.padding, seq.output_hw
    cropped = np.ones(canvas.shape, dtype=bool)
    cropped[ph:ph + oh, pw:pw + ow] = False
    return ScatterFrame(
        step=step, count=len(seq), levels=levels,
        input_rgb=grid_rgb(x, levels), input_texts=cell_texts(x), kernel_texts=cell_texts(w),
        contribution_rgb=grid_rgb(step.contribution, levels), contribution_texts=cell_texts(step.contribution),
        canvas=canvas, canvas_rgb=grid_rgb(canvas, levels), canvas_texts=cell_texts(canvas), canvas_padding=cropped,
        output=output,
    )


def scatter_sentence(frame: ScatterFrame) -> str:
    """``x[0, 1] = 2 adds 2 × kernel …``, and how many of its cells are cropped away."""
    s = frame.step
    kept = int(s.in_output.sum())
    text = s.expression + "; overlapping copies add up."
    if kept < s.in_output.size:
        text += f" {s.in_output.size - kept} of its {s.in_output.size} cells fall on the cropped border (hatched)."
    return text


@dataclass(frozen=True)
class ZeroInsertedView:
    """The same transposed convolution as an ordinary convolution: ``correlate(zero_inserted, w[::-1, ::-1],
    dilation=D)``. ``inserted`` marks the cells that hold an inserted zero or padding (not an input pixel)."""

    array: np.ndarray
    inserted: np.ndarray
    flipped: np.ndarray
    result: np.ndarray
    max_difference: float


def zero_inserted_view(x: np.ndarray, w: np.ndarray, output: np.ndarray, *, stride: int, padding: int,
                       output_padding: int, dilation: int) -> ZeroInsertedView:
    """The zero-inserted, padded input, the flipped kernel, their correlation and its largest difference from
    ``output`` (the scatter's result)."""
    z = zero_inserted(x, stride, padding, w.shape, dilation, output_padding)
    rows, cols = zero_inserted_sources(x.shape, stride, padding, w.shape, dilation, output_padding)
    held = (rows >= 0)[:, None] & (cols >= 0)[None, :]
    flipped = w[::-1, ::-1]
    result = correlate(z, flipped, "valid", dilation=dilation)
    diff = float(np.max(np.abs(result - output))) if result.shape == output.shape else float("inf")
    return ZeroInsertedView(z, ~held, flipped, result, diff)


def equality_sentence(view: ZeroInsertedView) -> str:
    return (f"Equal to the scatter: the largest difference is {format_number(view.max_difference)}."
            if view.max_difference == 0 else
            f"The largest difference from the scatter is {format_number(view.max_difference)} (rounding).")


def size_formulas(x_hw: tuple[int, int], w_hw: tuple[int, int], *, stride: int, padding: int, output_padding: int,
                  dilation: int) -> str:
    """``H' = (H−1)·S − 2P + D·(K−1) + output_padding + 1`` for rows and columns with today's numbers.

    Each sign is joined to the term after it and ``= n`` to the last term by no-break spaces, so a narrow
    label wraps a line only before a ``+`` or ``−`` (never between a number and its sign, or before ``= n``)."""
    rows = transpose_output_formula(x_hw[0], w_hw[0], stride, padding, output_padding, dilation)
    cols = transpose_output_formula(x_hw[1], w_hw[1], stride, padding, output_padding, dilation)
    return "\n".join(_wrap_before_signs(line) for line in (
        "Output size (H−1)·S − 2·P + D·(K−1) + output padding + 1:", f"rows     {rows}", f"columns  {cols}"))


def _wrap_before_signs(line: str) -> str:
    """``line`` with no-break spaces everywhere except before `` + `` and `` − `` (and after the row name)."""
    head, _, formula = line.partition("(")
    glued = ("(" + formula).replace(" ", NBSP).replace(NBSP + "+" + NBSP, " +" + NBSP)
    return head + glued.replace(NBSP + "−" + NBSP, " −" + NBSP)


@dataclass(frozen=True)
class Checkerboard:
    """A crop of the image upsampled ×2 by a 3×3 transposed convolution (stride 2, padding 1, output padding 1),
    and ``coverage``: the same of an all-ones input — the total weight each output pixel receives. With a
    kernel of ones it is 1, 2 or 4 in a checkerboard; bilinear weights give 1 everywhere inside."""

    crop: np.ndarray
    upsampled: np.ndarray
    coverage: np.ndarray

    @property
    def inside(self) -> np.ndarray:
        """The coverage away from the last row and column (the border receives less from every kernel)."""
        return self.coverage[:-1, :-1]


def checkerboard(crop: np.ndarray, kind: str) -> Checkerboard:
    """:class:`Checkerboard` of a 2-D crop (the image's, :attr:`ImageCrops.checker`) with a kernel of
    :data:`CHECKER_KERNELS`."""
    if kind not in CHECKER_KERNELS:
        raise ValueError(f"Unknown checkerboard kernel {kind!r}: use {', '.join(CHECKER_KERNELS)}.")
    k = CHECKER_KERNELS[kind]
    crop = np.asarray(crop, dtype=np.float64)
    return Checkerboard(crop, conv_transpose(crop, k, **CHECKER_SETTINGS),
                        conv_transpose(np.ones_like(crop), k, **CHECKER_SETTINGS))


def checkerboard_sentence(board: Checkerboard, kind: str) -> str:
    values = sorted({format_number(v) for v in np.unique(board.inside)}, key=float)
    h, w = board.crop.shape
    oh, ow = board.upsampled.shape
    if kind == "ones":
        return (f"{h}×{w} → {oh}×{ow} with stride 2 and a 3×3 kernel of ones: the copies overlap unevenly, so the "
                f"output pixels receive a total weight of {', '.join(values)} in a checkerboard (right) that shows "
                "through the picture.")
    return (f"{h}×{w} → {oh}×{ow} with bilinear weights: every output pixel inside receives a total weight of "
            f"{', '.join(values)}, so the overlaps even out and no checkerboard appears.")
