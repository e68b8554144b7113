"""format_number keeps the integer part's zeros when it rounds to whole numbers (no Qt)."""

from __future__ import annotations

import pytest

from convviz.model import format_number
from convviz.model.step_texts import cell_number


@pytest.mark.parametrize(("value", "digits", "expected"), [
    (210.025, 0, "210"), (110.2, 0, "110"), (99.96, 0, "100"), (-150.4, 0, "-150"), (1000.3, 0, "1000"),
    (210.025, 1, "210"), (12.50, 2, "12.5"), (0.1111, 4, "0.1111"), (60.0, 4, "60"), (-0.0001, 2, "-0.0001"),
])
def test_format_number_keeps_integer_zeros(value, digits, expected):
    assert format_number(value, digits) == expected


def test_player_cells_show_hundreds_whole():
    assert cell_number(210.025) == "210"
    assert cell_number(199.7) == "200"
    assert cell_number(50.04) == "50"
