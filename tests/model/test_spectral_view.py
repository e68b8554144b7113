"""What the Separable and frequency tab shows, without Qt: rank, column and row, the two passes, the cost, the
frequency gains, the convolution theorem check and the depthwise-separable costs — against the model and
NumPy by hand."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from convviz.model import PRESETS, correlate, format_number, frequency_response, to_gray
from convviz.model.costs import separable_costs
from convviz.model.equivariance import centre_crop
from convviz.model.spectral_view import (
    cost_sentence,
    depthwise_rows,
    depthwise_sentence,
    difference_sentence,
    effective_kernel,
    frequency_sentence,
    frequency_view,
    rank_sentence,
    separable_check,
    theorem_sentence,
    theorem_view,
    vector_text,
)

CONV = dict(padding="same", stride=1, dilation=1, padding_mode="zeros")


@pytest.fixture
def crop():
    return np.random.default_rng(0).uniform(0, 255, (40, 40))


def test_sobel_is_a_column_times_a_row(crop):
    c = separable_check(PRESETS["sobel_x"].kernel, crop, CONV)
    assert c.rank == 1 and c.column.tolist() == [1, 2, 1] and c.row.tolist() == [-1, 0, 1]
    np.testing.assert_array_equal(np.outer(c.column, c.row), PRESETS["sobel_x"].kernel)
    np.testing.assert_array_equal(c.direct, correlate(crop, PRESETS["sobel_x"].kernel, "same"))
    np.testing.assert_array_equal(c.after_column, correlate(crop, np.array([[1.0], [2], [1]]), "same"))
    assert c.max_difference == float(np.max(np.abs(c.two_pass_output - c.direct))) < 1e-9
    assert "column [1, 2, 1] times the row [-1, 0, 1]" in rank_sentence(c)
    assert cost_sentence(c).startswith("Multiplies per output pixel: 3×3 = 9 in one 2-D pass, 3 + 3 = 6")
    assert f"is {format_number(c.max_difference)}" in difference_sentence(c)
    h, w = crop.shape
    assert f"on the picture's {h}×{w} centre crop ({h}×{w} output)" in difference_sentence(c)
    np.testing.assert_allclose(c.singular_values, np.linalg.svd(PRESETS["sobel_x"].kernel, compute_uv=False))


def test_laplacian_is_rank_two_and_says_why(crop):
    c = separable_check(PRESETS["laplacian"].kernel, crop, CONV)
    assert c.rank == 2
    text = rank_sentence(c)
    assert "Rank 2" in text and "[0, 1, 0] and [1, -4, 1] are not multiples" in text
    assert "only a rank-1 kernel" in cost_sentence(c)
    assert c.max_difference > 1 and "closest rank-1" in difference_sentence(c)


def test_strided_dilated_reflect_padding_still_equal(crop):
    k = PRESETS["gaussian_blur_5x5"].kernel
    conv = dict(padding=(1, 3), stride=(2, 1), dilation=2, padding_mode="reflect")
    c = separable_check(k, crop, conv)
    np.testing.assert_array_equal(c.direct, correlate(crop, k, (1, 3), stride=(2, 1), dilation=2,
                                                      padding_mode="reflect"))
    assert c.rank == 1 and c.max_difference < 1e-9 and c.cost.direct == 25 and c.cost.separable == 10


def test_effective_kernel_and_vectors():
    k = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(effective_kernel(k, True), k[::-1, ::-1])
    np.testing.assert_array_equal(effective_kernel(k, False), k)
    assert vector_text([1.0, 0.25, -2]) == "[1, 0.25, -2]"
    assert "all zeros" in rank_sentence(separable_check(np.zeros((3, 3)), np.ones((8, 8)), CONV))


@pytest.mark.parametrize("key, kind", [("gaussian_blur", "a blur (low-pass)"), ("box_blur", "a blur"),
                                       ("laplacian", "edge or detail filter"), ("sobel_x", "edge or detail"),
                                       ("sharpen", "boosts fine detail"), ("identity", "about equally")])
def test_frequency_sentence_follows_the_gains(key, kind):
    k = PRESETS[key].kernel
    f = frequency_view(k, 32)
    np.testing.assert_array_equal(f.magnitude, np.abs(frequency_response(k, (32, 32))))
    assert f.centre_gain == pytest.approx(abs(k.sum()), abs=1e-12)
    text = frequency_sentence(f)
    assert kind in text
    assert f"gain {format_number(f.centre_gain, 3)} in the middle" in text
    assert f"at most {format_number(f.max_gain, 3)}" in text


def test_theorem_view_checks_the_product(crop):
    img = np.random.default_rng(1).uniform(0, 255, (70, 90, 3))
    k = PRESETS["sobel_y"].kernel
    for flip in (False, True):
        v = theorem_view(img, k, 32, flip=flip)
        np.testing.assert_array_equal(v.crop, centre_crop(img, 32))
        t = v.theorem
        expected = np.max(np.abs(t.image_spectrum * t.kernel_spectrum - t.output_spectrum))
        assert v.max_difference == expected and v.relative_difference < 1e-12
        np.testing.assert_array_equal(v.output_log, np.log1p(np.abs(t.output_spectrum)))
        text = theorem_sentence(v)
        assert "32×32" in text and ("convolution" if flip else "correlation") in text


def test_theorem_view_of_an_8bit_photo_reads_only_its_centre():
    photo = np.random.default_rng(2).integers(0, 256, (1200, 1600, 3), dtype=np.uint8)   # float64: 46 MB
    tracemalloc.start()
    try:
        v = theorem_view(photo, PRESETS["sobel_x"].kernel, 128, flip=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4_000_000                     # the crop, its spectra and their pictures
    np.testing.assert_array_equal(v.crop, to_gray(photo.astype(np.float64))[536:664, 736:864])


def test_depthwise_rows_are_separable_costs():
    s = separable_costs((112, 112, 32), 3, 64, "same", bias=False)
    rows = depthwise_rows(s)
    assert rows == [("standard 3×3 conv", "18,432", "231,211,008"), ("depthwise 3×3", "288", "3,612,672"),
                    ("pointwise 1×1", "2,048", "25,690,112"), ("depthwise + pointwise", "2,336", "29,302,784")]
    text = depthwise_sentence(s)
    assert "3·3·32·64 = 18,432 weights" in text and "≈ 7.9× fewer parameters" in text
    assert f"{s.params_ratio:.1f}" == "7.9"
    doubled = depthwise_sentence(separable_costs((16, 16, 4), 5, 8, "same", depth_multiplier=2))
    assert "(×2)" in doubled
