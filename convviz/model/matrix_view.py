"""What the "As a matrix" tab shows, Qt-free: the problem the matrix acts on, the tap picture and the sentences.

The tap of every matrix entry comes from :func:`~convviz.model.conv_matrix` itself: the
matrix of a kernel whose weights are the tap numbers ``1 … KH·KW`` holds, at each entry,
the number of the tap that put a weight there (0 where no tap does). Taps are drawn in
their own colours, so the repeated (shared) weights show.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._args import as_pair
from .costs import BYTES_PER_WEIGHT
from .filtering import to_gray
from .matrix import conv_matrix
from .numbers import parse_number
from .shapes import output_shape
from .stepping import format_number
from .units import bytes_text, count_text

#: above this many entries the matrix is not built or drawn (8 MB in float64)
MAX_ENTRIES = 1024 * 1024
#: the largest side of the top-left crop the matrix acts on, and of the 1-D example
MAX_CROP = 64
MAX_LIST = 16
#: matrices up to this many rows × columns get their weights printed in the cells
LABEL_ROWS, LABEL_COLS = 12, 16
#: kernels up to this many taps get their weights printed on the colour key
MAX_KEY_LABELS = 49
SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
#: a qualitative palette (Tableau 20 without its greys): neighbouring taps get clearly different colours
PALETTE = np.array([
    (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75),
    (227, 119, 194), (188, 189, 34), (23, 190, 207), (174, 199, 232), (255, 187, 120), (152, 223, 138),
    (255, 152, 150), (197, 176, 213), (196, 156, 148), (247, 182, 210), (219, 219, 141), (158, 218, 229),
], dtype=np.uint8)
BLANK = np.array((255, 255, 255), dtype=np.uint8)


# -- taps and colours -----------------------------------------------------------------
def tap_numbers(kernel_hw) -> np.ndarray:
    """``(KH, KW)`` array of tap numbers ``1 … KH·KW`` in row-major order."""
    kh, kw = (int(v) for v in kernel_hw)
    return np.arange(1, kh * kw + 1, dtype=np.float64).reshape(kh, kw)


def tap_index_matrix(kernel_hw, input_hw, padding="valid", *, stride=1, dilation=1) -> np.ndarray:
    """Integer matrix, same shape as ``conv_matrix``: the tap number (1-based) at each entry, 0 for none."""
    taps = conv_matrix(tap_numbers(kernel_hw), input_hw, padding, stride=stride, dilation=dilation)
    return np.rint(taps).astype(np.int64)


def tap_colours(n_taps: int) -> np.ndarray:
    """``(n_taps, 3)`` uint8 colours, one per tap (the palette repeats after 18 taps)."""
    return PALETTE[np.arange(n_taps) % len(PALETTE)]


def colour_by_tap(tap_index: np.ndarray, n_taps: int) -> np.ndarray:
    """``(rows, cols, 3)`` uint8 picture: each tap in its own colour, white where no tap is."""
    table = np.vstack([BLANK[None, :], tap_colours(n_taps)])
    return table[tap_index]


def tap_symbol(tap: int) -> str:
    """``3`` → ``w₃``."""
    return f"w{str(int(tap)).translate(SUBSCRIPT)}"


def cell_text(tap: int, value: float, symbols: bool) -> str:
    """The text in one matrix cell: ``0`` where no tap is, else the weight (``w₁=1`` with ``symbols``)."""
    if tap == 0:
        return "0"
    return f"{tap_symbol(tap)}={format_number(value)}" if symbols else format_number(value)


def key_text(tap: int, value: float, symbols: bool) -> str:
    """The text on one tap of the kernel's colour key (``w₁ = 1`` with ``symbols``)."""
    return f"{tap_symbol(tap)} = {format_number(value)}" if symbols else format_number(value)


def ticks(n: int, symbol: str = "") -> list[tuple[float, str]]:
    """Ticks at cell centres: every cell when few (``a₁ a₂ …`` with a ``symbol``), else about ten, 0-based."""
    if symbol:
        return [(i + 0.5, f"{symbol}{str(i + 1).translate(SUBSCRIPT)}") for i in range(n)]
    step = 1 if n <= 16 else int(np.ceil(n / 10))
    return [(i + 0.5, str(i)) for i in range(0, n, step)]


def arrangement(matrix_shape, size, side_width: int, below_height: int) -> str:
    """``"below"`` when the notes under the matrix leave it clearly larger cells than beside it, else
    ``"beside"``. ``matrix_shape`` ``(rows, cols)``; ``size`` ``(width, height)`` of the tab in pixels."""
    rows, cols = matrix_shape
    width, height = max(size[0], 1), max(size[1], 1)
    beside = min((width - side_width) / cols, height / rows)
    below = min(width / cols, (height - below_height) / rows)
    return "below" if below > beside * 1.1 else "beside"


# -- what the matrix acts on ----------------------------------------------------------
def parse_number_list(text: str, name: str) -> np.ndarray:
    """``"1, 2, 3/4"`` → ``[1, 2, 0.75]`` (at most ``MAX_LIST`` numbers); ``ValueError`` says what to type."""
    if not isinstance(text, str):
        raise ValueError(f"Type the numbers of {name}, separated by commas.")
    parts = [p for p in text.replace(";", ",").split(",") if p.strip()]
    if not parts:
        raise ValueError(f"Type the numbers of {name}, separated by commas.")
    if len(parts) > MAX_LIST:
        raise ValueError(f"{name} may have at most {MAX_LIST} numbers, not {len(parts)}.")
    try:
        return np.array([parse_number(p) for p in parts], dtype=np.float64)
    except ValueError as err:
        raise ValueError(f"In {name}: {err}") from None


def padding_text(padding) -> str:
    return padding if isinstance(padding, str) else f"{padding[0]}×{padding[1]} pixels"


def crop_hw(image_hw, crop: int) -> tuple[int, int]:
    """The size of the top-left ``crop × crop`` part of an image of ``image_hw`` (smaller at its edges)."""
    return min(int(crop), int(image_hw[0])), min(int(crop), int(image_hw[1]))


def largest_crop(image_hw) -> int:
    """The largest crop side that still changes the crop: ``min(MAX_CROP, max(H, W))``."""
    return max(1, min(MAX_CROP, max(int(image_hw[0]), int(image_hw[1]))))


@dataclass(frozen=True)
class MatrixProblem:
    """A 2-D input ``x``, the ``kernel`` as the document holds it and the settings; ``applied`` is the
    kernel as it slides (turned half a turn for true convolution)."""

    x: np.ndarray
    kernel: np.ndarray
    padding: str | tuple[int, int]
    stride: int | tuple[int, int]
    dilation: int | tuple[int, int]
    flip: bool
    description: str

    @property
    def applied(self) -> np.ndarray:
        return self.kernel[::-1, ::-1] if self.flip else self.kernel

    @property
    def output_hw(self) -> tuple[int, int]:
        return output_shape(self.x.shape, self.kernel.shape, self.padding, stride=self.stride, dilation=self.dilation)

    @property
    def entries(self) -> int:
        oh, ow = self.output_hw
        return oh * ow * self.x.size


def image_problem(image, kernel, crop: int, padding="valid", *, stride=1, dilation=1, flip=False) -> MatrixProblem:
    """The top-left ``crop × crop`` pixels of ``image`` (luminance of a colour image) and the document's kernel."""
    h, w = crop_hw(np.shape(image)[:2], crop)
    part = np.asarray(image)[:h, :w]
    colour = part.ndim == 3
    x = to_gray(part) if colour else np.asarray(part, dtype=np.float64)
    (sh, sw), (dh, dw) = as_pair(stride, "stride", minimum=1), as_pair(dilation, "dilation", minimum=1)
    kernel = np.asarray(kernel, dtype=np.float64)
    whole = (h, w) == tuple(np.shape(image)[:2])
    where = f"The whole {h}×{w} image" if whole else f"The top-left {h}×{w} pixels of the image"
    words = [where + (" (as grey: the matrix acts on one channel)" if colour else ""),
             f"kernel {kernel.shape[0]}×{kernel.shape[1]}, padding {padding_text(padding)}, "
             f"stride {sh}×{sw}, dilation {dh}×{dw}",
             "true convolution: the matrix holds the flipped kernel" if flip else "cross-correlation (no flip)"]
    return MatrixProblem(x, kernel, padding, (sh, sw), (dh, dw), bool(flip), "; ".join(words) + ".")


def lecture_problem(a_text: str, w_text: str) -> MatrixProblem:
    """The 1-D example: signal ``a`` and kernel ``w`` typed as comma-separated numbers (valid, stride 1)."""
    a = parse_number_list(a_text, "a")
    w = parse_number_list(w_text, "w")
    return MatrixProblem(a[None, :], w[None, :], "valid", 1, 1, False,
                         f"a has length {a.size}, w has length {w.size}; valid padding, stride 1, "
                         "cross-correlation (no flip).")


# -- sentences ------------------------------------------------------------------------
def shape_sentence(output_hw, input_hw) -> str:
    rows, cols = output_hw[0] * output_hw[1], input_hw[0] * input_hw[1]
    return (f"<b>M is {count_text(rows)} × {count_text(cols)}</b>: one row per output pixel "
            f"({output_hw[0]}×{output_hw[1]}), one column per input pixel ({input_hw[0]}×{input_hw[1]}).")


def memory_sentence(entries: int, kernel_size: int) -> str:
    return (f"Memory (float32): the matrix needs {bytes_text(entries * BYTES_PER_WEIGHT)} "
            f"({count_text(entries)} numbers); the kernel needs {bytes_text(kernel_size * BYTES_PER_WEIGHT)} "
            f"({kernel_size} numbers).")


def sparsity_sentence(matrix: np.ndarray, kernel: np.ndarray) -> str:
    """How many entries are 0, and what the others are: copies of the kernel's non-zero weights."""
    total = int(matrix.size)
    nonzero = int(np.count_nonzero(matrix))
    zeros = total - nonzero
    k_size, k_nonzero = int(kernel.size), int(np.count_nonzero(kernel))
    start = f"Sparsity: {count_text(zeros)} of {count_text(total)} entries are 0 ({100 * zeros / total:.1f} %)"
    if k_nonzero == 0:
        return f"{start}: every weight of the kernel is 0."
    if k_nonzero == k_size:
        return f"{start}; the other {count_text(nonzero)} are copies of the same {k_size} weights."
    k_zero = k_size - k_nonzero
    return (f"{start}; the other {count_text(nonzero)} are copies of the kernel's {k_nonzero} non-zero "
            f"weight{'s' if k_nonzero != 1 else ''}. {k_zero} of its {k_size} weights "
            f"{'are' if k_zero != 1 else 'is'} 0, so {'their' if k_zero != 1 else 'its'} coloured cells "
            "hold 0 too.")


def check_sentence(x: np.ndarray, product: np.ndarray, expected: np.ndarray, max_difference: float) -> str:
    """``M @ x`` beside the convolution (the numbers when there are at most 16) and the largest difference."""
    same = "equals" if max_difference == 0 else "matches (to rounding)"
    if product.size <= 16:
        def numbers(v):
            return ", ".join(format_number(a) for a in np.ravel(v))
        body = (f"x = [{numbers(x)}]<br>" if x.size <= 16 else "") + \
            f"M @ x = [{numbers(product)}]<br>conv(x) = [{numbers(expected)}]<br>"
    else:
        body = f"M @ x and the convolution: {product.size} numbers each<br>"
    return f"{body}<b>M @ x {same} the convolution: max difference {format_number(max_difference)}</b>"


def too_large_sentence(output_hw, input_hw) -> str:
    rows, cols = output_hw[0] * output_hw[1], input_hw[0] * input_hw[1]
    return (f"The matrix would be {count_text(rows)} × {count_text(cols)} = {count_text(rows * cols)} "
            f"numbers ({bytes_text(rows * cols * BYTES_PER_WEIGHT)} in float32): too large to draw.\n"
            "Make the crop smaller.")


def padding_note(padding_mode: str) -> str:
    if padding_mode == "zeros":
        return ""
    return (f"The image uses '{padding_mode}' padding; the matrix shows zero padding "
            "(a padded pixel outside the image has no column).")


def crop_note(image_hw, crop: int) -> str:
    """What the crop box's number means here, e.g. ``4×4 pixels (the whole image)``."""
    h, w = crop_hw(image_hw, crop)
    whole = (h, w) == (int(image_hw[0]), int(image_hw[1]))
    return f"{h}×{w} pixels" + (" (the whole image)" if whole else "")
