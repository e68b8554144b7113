"""The player's numbers as input (no Qt): small grey images typed cell by cell, the lecture's
example, and a numeric image cut from a region of a photo.
"""

from __future__ import annotations

import numpy as np

from .flipping import LECTURE_A, LECTURE_W

#: grey images up to this side are edited as numbers
NUMERIC_MAX_SIDE = 16
#: the lecture's 4×4 input and 2×2 kernel (the same as the flip tab's A and W)
LECTURE_IMAGE, LECTURE_KERNEL = LECTURE_A, LECTURE_W
LECTURE_NAME = "lecture 4×4 example"


def lecture_example() -> dict:
    """Document changes that show the lecture's example: its input and kernel, valid padding,
    stride and dilation 1, cross-correlation."""
    return dict(image=LECTURE_IMAGE, kernel=LECTURE_KERNEL, padding="valid", preset=None, image_name=LECTURE_NAME,
                stride=(1, 1), dilation=(1, 1), flip=False)


def numeric_editable(image: np.ndarray) -> bool:
    """True for the images edited as numbers: grey, at most :data:`NUMERIC_MAX_SIDE` on each side."""
    return image.ndim == 2 and max(image.shape) <= NUMERIC_MAX_SIDE


def resized(image: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """``image`` (2-D) cut or grown to ``rows``×``cols``: kept cells stay, new cells are 0."""
    new = np.zeros((rows, cols))
    h, w = min(rows, image.shape[0]), min(cols, image.shape[1])
    new[:h, :w] = image[:h, :w]
    return new


def with_cell(image: np.ndarray, row: int, col: int, value: float) -> np.ndarray:
    """A copy of ``image`` with cell ``(row, col)`` set to ``value``."""
    new = np.array(image, dtype=np.float64)
    new[row, col] = value
    return new


def region_numbers(source: np.ndarray, crop: tuple[int, int, int, int], rows: int, cols: int) -> np.ndarray:
    """The top-left ``rows``×``cols`` of ``crop`` in ``source``, rounded to whole numbers (a new
    numeric input made from the player's region)."""
    r0, c0 = crop[:2]
    return np.rint(source[r0:r0 + rows, c0:c0 + cols])
