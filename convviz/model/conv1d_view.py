"""What the 1-D tab shows, computed without Qt: the signal ``a`` padded, the kernel ``w`` under the window, the
products and their sum, the output filling in, and the same as a matrix product ``M @ a``.

A 1-D signal is a ``(1, N)`` image and a 1-D kernel a ``(1, K)`` kernel, so every number comes from the 2-D
model: :func:`~convviz.model.steps`, :func:`~convviz.model.correlate`, :func:`~convviz.model.conv_matrix`
and :func:`~convviz.model.shapes.padding_amounts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .engine import correlate
from .matrix import conv_matrix
from .shapes import padding_amounts
from .step_view import cell_texts, grid_rgb, levels_of
from .stepping import Step, format_number, steps


def parse_numbers(text: str, what: str = "numbers") -> tuple[float, ...]:
    """``"1, 2, 3.5"`` (commas, spaces or semicolons between, brackets allowed) as floats; ``ValueError`` names
    the first part that is not a number."""
    parts = [p for p in re.split(r"[,;\s]+", text.strip().strip("[]()")) if p]
    if not parts:
        raise ValueError(f"Type the {what} as numbers separated by commas, e.g. 1, 2, 3.")
    out = []
    for part in parts:
        try:
            value = float(part.replace("−", "-"))
        except ValueError:
            raise ValueError(f"{part!r} in the {what} is not a number.") from None
        if not np.isfinite(value):
            raise ValueError(f"The {what} must be finite numbers, not {part!r}.")
        out.append(value)
    return tuple(out)


def numbers_text(values) -> str:
    """``1, 2, 3, 4`` (how :func:`parse_numbers` reads them back)."""
    return ", ".join(format_number(v) for v in values)


def slid_kernel(kernel, flip: bool) -> np.ndarray:
    """The kernel as it slides: reversed for true convolution."""
    w = np.asarray(kernel, dtype=np.float64)
    return w[::-1] if flip else w


@dataclass(frozen=True)
class Conv1dFrame:
    """One output of a 1-D convolution, ready to draw.

    The three aligned rows have ``left + N + right`` cells (the padded signal): ``signal`` with
    ``padding`` marking the added zeros, ``under`` the kernel under the window (blank elsewhere) and
    ``products`` the products under the window. ``output`` is the whole output, ``matrix`` the ``(N', N)``
    convolution matrix and ``matrix_output`` ``M @ a``.
    """

    step: Step
    count: int
    left: int
    right: int
    signal: np.ndarray
    padding: np.ndarray
    window: np.ndarray
    under: np.ndarray
    products: np.ndarray
    row_rgb: tuple[np.ndarray, np.ndarray, np.ndarray]
    row_texts: tuple[list[list[str]], list[list[str]], list[list[str]]]
    output: np.ndarray
    output_rgb: np.ndarray
    output_texts: list[list[str]]
    matrix: np.ndarray
    matrix_output: np.ndarray
    max_difference: float


def conv1d_frame(signal, kernel, padding: str, index: int, *, flip: bool = False) -> Conv1dFrame:
    """Output ``index`` (clamped) of the 1-D correlation (``flip``: convolution) of ``signal`` with ``kernel``."""
    a = np.asarray(signal, dtype=np.float64)[None, :]
    w = slid_kernel(kernel, flip)[None, :]
    seq = steps(a, w, padding)
    index = min(max(int(index), 0), len(seq) - 1)
    step = seq[index]
    _, _, left, right = padding_amounts(w.shape, padding)
    n, k = a.shape[1], w.shape[1]
    total = left + n + right
    padded = np.zeros((1, total))
    padded[0, left:left + n] = a[0]
    pad_mask = np.ones((1, total), dtype=bool)
    pad_mask[0, left:left + n] = False
    window = step.cols + left
    under = np.full((1, total), np.nan)
    under[0, window] = w[0]
    products = np.full((1, total), np.nan)
    products[0, window] = step.products[0]
    output = correlate(a, w, padding)
    matrix = conv_matrix(w, a.shape, padding)
    matrix_output = matrix @ a[0]
    levels = levels_of(padded, output)
    blank_under = np.isnan(under)
    return Conv1dFrame(
        step=step, count=len(seq), left=left, right=right, signal=padded, padding=pad_mask, window=window,
        under=under, products=products,
        row_rgb=(grid_rgb(padded, levels), grid_rgb(under, None, blank_under), grid_rgb(products, None, blank_under)),
        row_texts=(cell_texts(padded), cell_texts(under, blank_under), cell_texts(products, blank_under)),
        output=output[0], output_rgb=grid_rgb(output, levels), output_texts=cell_texts(output),
        matrix=matrix, matrix_output=matrix_output,
        max_difference=float(np.max(np.abs(matrix_output - output[0]))) if k else 0.0,
    )


def padding_sentence(n: int, k: int, padding: str, left: int, right: int) -> str:
    """How many outputs, and why, with today's numbers."""
    if padding == "valid":
        return f"Valid: no padding, N − K + 1 = {n} − {k} + 1 = {n - k + 1} outputs."
    zeros = f"{k - 1} zero{'' if k == 2 else 's'}"
    if padding == "same":
        where = (f"{left} at the start and {right} at the end" if left else f"{right} at the end")
        return f"Same: K − 1 = {zeros} added ({where}), so N = {n} outputs."
    return f"Full: K − 1 = {zeros} on each side, N + K − 1 = {n} + {k} − 1 = {n + k - 1} outputs."


def operation_sentence(kernel, flip: bool) -> str:
    w = np.asarray(kernel, dtype=np.float64)
    if flip:
        return (f"True convolution a * w slides w reversed, [{numbers_text(w[::-1])}], so the first weight meets "
                f"the last sample of the window.")
    return f"Cross-correlation a ⋆ w (deep learning's convolution) slides w as it is, [{numbers_text(w)}]."


def step_sentence(frame: Conv1dFrame) -> str:
    return f"Output {frame.step.out_index[1]}: {frame.step.expression}"


def matrix_sentence(frame: Conv1dFrame) -> str:
    rows, cols = frame.matrix.shape
    return (f"The same as a matrix product: each of the {rows} rows of the {rows}×{cols} matrix M holds the kernel, "
            f"one place further right per row, so M @ a gives the {rows} outputs at once — the largest difference "
            f"from the sliding window is {format_number(frame.max_difference)}. The highlighted row makes output "
            f"{frame.step.out_index[1]}.")
