"""What the Filter tab's magnifier writes about one output pixel: numbers that add up (as the player
writes them), the exact float64 sum, where the window lies, and a colour pixel channel by channel."""

import numpy as np

from convviz.model import PRESETS, gaussian
from convviz.model.filter_output import output_window
from convviz.model.magnifier_texts import (
    exact_text,
    header_text,
    sum_text,
    value_text,
    where_text,
    window_cell_texts,
    window_colours,
    window_exact_cell,
    window_product_texts,
)


def _kwargs(**over):
    kw = dict(padding="valid", stride=(1, 1), dilation=(1, 1), padding_mode="zeros", flip=False, gray=False)
    kw.update(over)
    return kw


def test_texts_add_up_as_the_player_writes_them_and_the_float64_sum_is_exact():
    img = np.arange(25.0).reshape(5, 5) * 10
    img[2, 2] = 121.0                                                  # a sum that is not a multiple of 9
    w = output_window(img, PRESETS["box_blur"].kernel, _kwargs(), (1, 1))
    texts = window_cell_texts(w)
    assert texts[0][0] == "60\n×1/9\n= 60/9" and texts[1][1] == "121\n×1/9\n= 121/9"
    assert sum_text(w) == "Sum of the 9 products = 1081/9 ≈ 120.1111"          # the fractions add up exactly
    assert header_text(w) == "Output (row 1, col 1) ≈ 120.1111" and value_text(w) == f"{1081 / 9!r}"
    weight = float(PRESETS["box_blur"].kernel[0, 0])
    assert window_exact_cell(w, 0, 0) == f"Input row 1, column 1:\n60 × {weight!r} = {60 * weight!r}"

    assert window_product_texts(w)[0] == ["60/9", "70/9", "80/9"]     # small cells: the products alone
    g = output_window(img, gaussian(3, 1.0), _kwargs(), (1, 1))       # no exact form: rounded, marked ≈
    assert all(t.split("\n")[2].startswith("≈ ") for row in window_cell_texts(g) for t in row)
    assert all(t.startswith("≈") for row in window_product_texts(g) for t in row)
    assert sum_text(g).startswith("Sum of the 9 products ≈ ")
    assert sum_text(g).endswith(f"(exactly {g.value!r})")


def test_integer_sums_are_written_plainly_and_padding_is_named():
    img = np.array([[0.0, 10.0], [20.0, 30.0]])
    w = output_window(img, np.array([[1.0, 0.0], [0.0, 2.0]]), _kwargs(padding=1, padding_mode="replicate"), (1, 1))
    assert w.value == 60.0 and sum_text(w) == "Sum of the 4 products = 60"
    assert where_text(w) == "Input rows 0–1, columns 0–1"
    corner = output_window(img, np.ones((2, 2)), _kwargs(padding=1, padding_mode="replicate"), (0, 0))
    assert corner.patch.tolist() == [[0.0, 0.0], [0.0, 0.0]] and corner.value == 0.0
    assert "3 of 4 taps on the padding (hatched, holding replicate values)" in where_text(corner)
    assert "padding, replicate" in window_exact_cell(corner, 0, 0)
    dil = output_window(np.zeros((9, 9)), np.ones((3, 3)), _kwargs(dilation=(2, 2)), (0, 0))
    assert "dilation 2: every 2nd pixel" in where_text(dil)


def test_colour_texts_name_the_channel_and_colours_are_the_input_pixels():
    img = np.zeros((4, 4, 3))
    img[..., 0], img[..., 1], img[..., 2] = 200.0, 100.75, 300.0
    w = output_window(img, np.ones((2, 2)) / 4, _kwargs(), (0, 0))
    assert header_text(w) == "Output (row 0, col 0) = (200, 100.75, 300)" == f"Output (row 0, col 0) = {value_text(w)}"
    assert sum_text(w, 1) == "G: sum of the 4 products = 100.75" and sum_text(w, 0) == "R: sum of the 4 products = 200"
    assert window_cell_texts(w, 1)[0][0] == "100.75\n×0.25\n= 25.1875"
    assert window_colours(w)[0, 0].tolist() == [200, 101, 255]          # as the input view draws it (clipped)
    summed = output_window(img, np.ones((2, 2, 3)) / 4, _kwargs(), (0, 0))
    assert sum_text(summed, 2) == "B: sum of its 4 products = 300; all 3 channels together = 600.75"
    assert exact_text(0.1 + 0.2) == "0.30000000000000004" and exact_text(2.5) == "2.5"
