"""No-Qt tests of the kernel editor's pure parts: number parsing, kernel actions, view geometry."""

import math

import numpy as np
import pytest

from convviz.model import correlate, output_shape
from convviz.model.kernel_edits import cleared, flipped, normalised, randomised, resized, scaled, transposed
from convviz.model.numbers import parse_number
from convviz.model.view_geometry import Rect, output_rect, padded_rect, pixel_at


@pytest.mark.parametrize("text, value", [
    ("2", 2.0), ("-0.5", -0.5), (" 3 ", 3.0), (".25", 0.25), ("1e-3", 1e-3), ("1/9", 1 / 9),
    ("-2/16", -0.125), ("3 / 4", 0.75), ("\u22122", -2.0), ("0,5", 0.5), ("+4", 4.0), ("1/-4", -0.25),
])
def test_parse_number_accepts_numbers_and_fractions(text, value):
    assert parse_number(text) == pytest.approx(value, abs=0, rel=1e-15)


@pytest.mark.parametrize("text", ["", "  ", "abc", "1/0", "nan", "inf", "1/2/3", "2x", "--1", "1e999", "/3"])
def test_parse_number_refuses_other_text(text):
    with pytest.raises(ValueError, match="type a number"):
        parse_number(text)


def test_normalised_divides_by_the_sum_and_refuses_zero_sum():
    k = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert np.allclose(normalised(k), k / 10)
    assert normalised(k).sum() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="add up to 0"):
        normalised([[-1.0, 0.0, 1.0]])


def test_scale_flip_transpose_clear():
    k = np.arange(6.0).reshape(2, 3)
    assert np.array_equal(scaled(k, -2), -2 * k)
    assert np.array_equal(flipped(k), [[5, 4, 3], [2, 1, 0]])
    assert np.array_equal(transposed(k), k.T)
    assert np.array_equal(cleared((2, 3)), np.zeros((2, 3)))
    with pytest.raises(ValueError):
        scaled(k, float("nan"))


def test_flipped_kernel_turns_correlation_into_convolution():
    rng = np.random.default_rng(1)
    img, k = rng.normal(size=(7, 8)), rng.normal(size=(3, 2))
    from convviz.model import convolve
    assert np.allclose(correlate(img, flipped(k), "same"), convolve(img, k, "same"))


def test_randomised_is_in_range_and_rounded():
    k = randomised((4, 5), np.random.default_rng(0))
    assert k.shape == (4, 5)
    assert k.min() >= -1 and k.max() <= 1
    assert np.allclose(k * 100, np.round(k * 100))
    assert not np.all(k == k[0, 0])


def test_resized_keeps_the_centre():
    k = np.arange(1.0, 10.0).reshape(3, 3)
    grown = resized(k, 5, 5)
    assert grown.shape == (5, 5) and grown[2, 2] == 5 and grown.sum() == k.sum()
    assert np.array_equal(resized(grown, 3, 3), k)
    assert np.array_equal(resized(k, 1, 1), [[5.0]])
    assert resized(k, 3, 4).shape == (3, 4)
    with pytest.raises(ValueError):
        resized(k, 0, 3)


@pytest.mark.parametrize("padding", ["valid", "same", "full", (2, 1)])
@pytest.mark.parametrize("kernel_hw", [(3, 3), (2, 4), (5, 1)])
@pytest.mark.parametrize("stride, dilation", [(1, 1), (2, 1), (1, 2), ((2, 3), (1, 2))])
def test_output_rect_centres_each_output_pixel_on_its_window(padding, kernel_hw, stride, dilation):
    hw = (11, 13)
    oh, ow = output_shape(hw, kernel_hw, padding, stride=stride, dilation=dilation)
    rect = output_rect(hw, kernel_hw, padding, stride=stride, dilation=dilation)
    assert rect.width / ow == (stride if isinstance(stride, int) else stride[1])
    # An impulse at input (r, c) shows where each output pixel's window is: compare centres.
    pad = padded_rect(hw, kernel_hw, padding, dilation=dilation)
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    dh, dw = (dilation, dilation) if isinstance(dilation, int) else dilation
    for i, j in [(0, 0), (oh - 1, ow - 1)]:
        centre_y = pad.y + i * sh + dh * (kernel_hw[0] - 1) / 2 + 0.5
        centre_x = pad.x + j * sw + dw * (kernel_hw[1] - 1) / 2 + 0.5
        assert pixel_at(centre_x, centre_y, rect, (oh, ow)) == (i, j)
        assert rect.y + (i + 0.5) * rect.height / oh == pytest.approx(centre_y)
        assert rect.x + (j + 0.5) * rect.width / ow == pytest.approx(centre_x)


def test_same_padding_output_lies_exactly_on_the_input():
    assert output_rect((256, 300), (3, 3), "same") == Rect(0, 0, 300, 256)
    assert padded_rect((256, 300), (3, 3), "same") == Rect(-1, -1, 302, 258)
    assert padded_rect((10, 10), (3, 3), "valid") == Rect(0, 0, 10, 10)


def test_pixel_at_outside_is_none():
    rect = Rect(0, 0, 10, 5)
    assert pixel_at(-0.01, 1, rect, (5, 10)) is None
    assert pixel_at(10.0, 1, rect, (5, 10)) is None
    assert pixel_at(9.99, 4.99, rect, (5, 10)) == (4, 9)
    assert pixel_at(0, 0, Rect(0, 0, 0, 0), (1, 1)) is None
    assert math.isfinite(rect.width)
