"""The player's numbers add up (issue #12): the products shown sum to the sum shown, in the exact
styles exactly (parsed back as fractions), in the rounded style to within its rounding; every
exact number is the model's (float) number to round-off. No Qt."""

from __future__ import annotations

import re
from fractions import Fraction

import numpy as np
import pytest

from convviz.model import PRESETS, correlate, steps, to_gray
from convviz.model.step_numbers import decimal_text, number_style, value_decimals
from convviz.model.step_texts import expression_text, product_cell, product_values, sum_text

RNG = np.random.default_rng(12)


def number(text: str) -> Fraction:
    """A number as the player writes it: ``-40``, ``11.9375``, ``10/9``, ``123.456/16``."""
    top, _, bottom = text.strip().partition("/")
    return Fraction(top) / (int(bottom) if bottom else 1)


def shown_sum(text: str) -> Fraction:
    """The exact sum of ``Sum = 250/9 ≈ 27.7778`` (the part before a ``≈``; ``a = b`` must agree)."""
    value = text.split("=", 1)[1] if text.startswith("Sum =") else text.split("≈", 1)[1]
    exact = value.split("≈")[0]
    parts = [number(p) for p in exact.split("=")]
    assert all(p == parts[0] for p in parts), f"{text}: the two forms differ"
    return parts[0]


def cell_parts(cell: str) -> tuple[Fraction, Fraction, Fraction, str]:
    value, weight, product = cell.split("\n")
    sign, product = product.split(" ", 1)
    return number(value), number(weight.lstrip("×")), number(product), sign


def photo_luminance(h=12, w=12):
    return to_gray(RNG.integers(0, 256, size=(h, w, 3)).astype(float))


EXACT_CASES = [
    ("lecture", np.array([[0, 10, 10, 0], [20, 30, 30, 20], [10, 20, 20, 10], [0, 5, 5, 0]], float),
     np.array([[1, 0], [0, 2]], float), "decimal"),
    ("box blur", RNG.integers(0, 256, (8, 8)).astype(float), PRESETS["box_blur"].kernel, "fraction"),
    ("binomial", RNG.integers(0, 256, (8, 8)).astype(float), PRESETS["gaussian_blur"].kernel, "decimal"),
    ("binomial on a luminance", photo_luminance(), PRESETS["gaussian_blur"].kernel, "fraction"),
    ("box blur on a luminance", photo_luminance(), PRESETS["box_blur"].kernel, "fraction"),
    ("sobel on a luminance", photo_luminance(), PRESETS["sobel_x"].kernel, "decimal"),
    ("unsharp mask", RNG.integers(0, 256, (9, 9)).astype(float), PRESETS["unsharp_mask"].kernel, "fraction"),
    ("motion blur", RNG.integers(0, 256, (9, 9)).astype(float), PRESETS["motion_blur"].kernel, "decimal"),
    ("typed halves", np.array([[12.5, -4.5, 3], [0.25, 7, 1], [2, 2, 2]]), np.array([[0.5, -1], [1 / 3, 2]]),
     "fraction"),
]


@pytest.mark.parametrize("name, image, kernel, mode", EXACT_CASES, ids=[c[0] for c in EXACT_CASES])
def test_exact_products_add_up_to_the_sum_shown(name, image, kernel, mode):
    style = number_style(image, kernel)
    assert style.mode == mode
    want = correlate(image, kernel)
    for step in list(steps(image, kernel))[:6]:
        cells = [product_cell(step, i, style) for i in range(kernel.size)]
        parts = [cell_parts(c) for c in cells]
        assert all(sign == "=" and p * w == x for p, w, x, sign in parts), cells      # each product is exact
        total = shown_sum(sum_text(step, kernel.size, style))
        assert sum((x for *_, x, _ in parts), Fraction(0)) == total                  # and they add up
        assert float(total) == pytest.approx(want[step.out_index], rel=1e-12, abs=1e-9)
        # the arithmetic in the readout says the same, term by term
        expression = expression_text(step, None, style)
        terms = re.findall(r"\(([^×()]+)×([^()]+)\)", expression)
        if kernel.size <= 9:
            assert len(terms) == kernel.size
            assert sum((number(p) * number(w) for p, w in terms), Fraction(0)) == total
        assert expression.endswith(" " + sum_text(step, kernel.size, style).split(" ", 1)[1])   # "= 250/9 ≈ …"


def test_the_lecture_example_reads_as_the_lecture_writes_it():
    image, kernel = EXACT_CASES[0][1], EXACT_CASES[0][2]
    step = steps(image, kernel)[0]
    assert expression_text(step) == step.expression == "(0×1) + (10×0) + (20×0) + (30×2) = 60"
    assert sum_text(step, 4) == "Sum = 60" and sum_text(step, 1) == "Sum so far = 0  (1 of 4 products)"
    assert expression_text(step, 2) == "(0×1) + (10×0) + …  (so far 0, 2 more)"


def test_box_blur_no_longer_reads_one_eleven_plus_two_twenty_two():
    """The issue's example: 10, 20 and 40 under a box blur are 10/9 + 20/9 + 40/9, not 1.11 + 2.22 + 4.44."""
    image = np.array([[10, 20, 40], [10, 20, 40], [10, 20, 40.0]])
    step = steps(image, PRESETS["box_blur"].kernel)[0]
    assert product_values(step) == [["10/9", "20/9", "40/9"]] * 3
    assert sum_text(step, 9) == "Sum = 210/9 ≈ 23.3333"
    assert expression_text(step).endswith("(40×1/9) = 210/9 ≈ 23.3333")


def test_a_luminance_is_written_with_its_three_decimals_and_the_sum_exactly():
    """0.299 R + 0.587 G + 0.114 B of whole numbers has three decimals: shown as they are, not rounded."""
    lum = to_gray(np.array([[[200, 100, 50], [10, 20, 30]], [[1, 2, 3], [255, 255, 0]]], float))
    assert value_decimals(lum) == 3             # 124.2, 18.15, 1.815, 225.93
    step = steps(lum, np.array([[1 / 16, 2 / 16], [2 / 16, 4 / 16]]))[0]
    assert [c.splitlines()[0] for c in (product_cell(step, i) for i in range(4))] == \
        ["124.2", "18.15", "1.815", "225.93"]
    assert product_cell(step, 3) == "225.93\n×4/16\n= 903.72/16"
    assert sum_text(step, 4) == "Sum = 1067.85/16 = 66.740625"     # 124.2 + 2·18.15 + 2·1.815 + 4·225.93
    assert float(shown_sum(sum_text(step, 4))) == pytest.approx(step.value, rel=1e-12)


def test_anything_else_is_rounded_marked_and_adds_up_to_its_rounding():
    image = RNG.uniform(0, 255, (7, 7))
    kernel = PRESETS["gaussian_blur_5x5"].kernel
    style = number_style(image, kernel)
    assert style.mode == "rounded" and value_decimals(image) is None
    for step in list(steps(image, kernel))[:3]:
        total = sum_text(step, kernel.size, style)
        assert total.startswith("Sum ≈ ")
        products = [float(t) for row in product_values(step, style) for t in row]
        unit = 10.0 ** -style.rounded_decimals
        assert abs(sum(products) - float(total.split("≈ ")[1])) <= kernel.size * unit / 2 + unit / 2
        assert abs(float(total.split("≈ ")[1]) - step.value) <= unit / 2 + 1e-12
        assert " ≈ " in expression_text(step, None, style) and "≈" in product_cell(step, 0, style)


def test_decimal_text_and_value_decimals():
    assert [decimal_text(Fraction(n, d)) for n, d in [(60, 1), (-1, 16), (55, 2), (-3, 1), (0, 5)]] == \
        ["60", "-0.0625", "27.5", "-3", "0"]
    with pytest.raises(ValueError):
        decimal_text(Fraction(1, 3))
    assert value_decimals(np.array([1.0, 2.5, 3.25])) == 2
    assert value_decimals(np.array([np.nan])) is None and value_decimals(np.zeros((0,))) == 0
