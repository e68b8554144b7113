"""State of the "As a matrix" tab: what the matrix acts on (a crop of the image, or the 1-D example)."""

from __future__ import annotations

from dataclasses import dataclass

from psygnal import evented

from ..matrix_view import MAX_CROP, parse_number_list
from ..panel_state import PanelState, choice, whole_number

MATRIX_MODES = {"image": "2-D: a crop of the image", "lecture": "1-D: the lecture's example"}
MAX_TEXT = 400


@evented
@dataclass
class MatrixState(PanelState):
    """``mode``: a key of :data:`MATRIX_MODES`; ``crop``: side of the top-left crop of the image;
    ``a`` and ``w``: the 1-D signal and kernel as typed (comma-separated numbers, at most 16 each)."""

    mode: str = "image"
    crop: int = 8
    a: str = "1, 2, 3, 4"
    w: str = "1, 2"

    def _check_mode(self, value):
        return choice(value, tuple(MATRIX_MODES), "matrix mode")

    def _check_crop(self, value):
        return whole_number(value, "crop size", 1, MAX_CROP)

    def _check_a(self, value):
        return _numbers_text(value, "a")

    def _check_w(self, value):
        return _numbers_text(value, "w")


def _numbers_text(value, name: str) -> str:
    """The typed text, stripped, if it reads as 1–16 numbers; ``ValueError`` says what is wrong."""
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise ValueError(f"Type the numbers of {name}, separated by commas.")
    parse_number_list(value, name)
    return value.strip()
