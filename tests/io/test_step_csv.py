"""The current step as CSV (no Qt): one row per tap, then the totals, with the step's exact numbers."""

from __future__ import annotations

import csv
import io

import numpy as np

from convviz.io.step_csv import HEADER, step_csv
from convviz.model import steps

IMAGE = np.array([[0, 10, 10, 0], [20, 30, 30, 20], [10, 20, 20, 10], [0, 5, 5, 0]], dtype=float)
KERNEL = np.array([[1, 0], [0, 2]], dtype=float)


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_taps_and_totals_of_the_lecture_example():
    rows = rows_of(step_csv(steps(IMAGE, KERNEL)[2], total_steps=9))
    assert rows[0] == list(HEADER)
    assert rows[1:5] == [["0", "0", "", "0", "2", "no", "10", "1", "10"],
                         ["0", "1", "", "0", "3", "no", "0", "0", "0"],
                         ["1", "0", "", "1", "2", "no", "30", "0", "0"],
                         ["1", "1", "", "1", "3", "no", "20", "2", "40"]]
    summary = {r[0]: r[1] for r in rows[6:] if r}
    cosine, pearson = float(summary.pop("cosine_similarity")), float(summary.pop("pearson_correlation"))
    assert summary == {"quantity": "value", "step": "3 of 9", "output_row": "0", "output_col": "2",
                       "sum_of_products": "50", "dot_product": "50",
                       "arithmetic": "(10×1) + (0×0) + (30×0) + (20×2) = 50"}
    # patch (10, 0, 30, 20), kernel (1, 0, 0, 2): 50 / (√1400 √5), and covariance 5 / √(500 × 2.75)
    assert abs(cosine - 50 / np.sqrt(7000)) < 1e-15 and abs(pearson - 5 / np.sqrt(1375)) < 1e-15


def test_padding_taps_and_exact_fractions():
    s = steps(IMAGE, np.full((3, 3), 1 / 9), "same")[0]
    rows = rows_of(step_csv(s))
    taps = rows[1:10]
    assert [r[5] for r in taps] == ["yes", "yes", "yes", "yes", "no", "no", "yes", "no", "no"]
    assert taps[0][3:5] == ["-1", "-1"] and taps[4][7] == repr(1 / 9)
    assert {r[0]: r[1] for r in rows[11:] if r}["step"] == "1"      # no total given
