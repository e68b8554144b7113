"""Translation equivariance model: shift, conv-of-shift vs shift-of-conv, border mask, dense layer (no Qt)."""

import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convviz.model import convolve, correlate, to_gray
from convviz.model.equivariance import (
    border_mask,
    centre_crop,
    dense_check,
    dense_weights,
    equivariance_check,
    liveliest_window,
    shift_image,
)


def test_shift_moves_down_right_and_fills():
    img = np.arange(12.0).reshape(3, 4) + 1
    out = shift_image(img, 1, 2)
    assert out.tolist() == [[0, 0, 0, 0], [0, 0, 1, 2], [0, 0, 5, 6]]
    back = shift_image(img, -1, -1, fill=-7)
    assert back.tolist() == [[6, 7, 8, -7], [10, 11, 12, -7], [-7, -7, -7, -7]]
    assert not shift_image(img, 3, 0).any()
    assert shift_image(img, 0, 0).tolist() == img.tolist()


def test_shift_keeps_channels():
    img = np.random.default_rng(0).random((5, 6, 3))
    out = shift_image(img, 2, -1)
    assert out.shape == img.shape
    np.testing.assert_array_equal(out[2:, :5], img[:3, 1:])


@settings(max_examples=120, deadline=None)
@given(h=st.integers(3, 12), w=st.integers(3, 12), kh=st.integers(1, 4), kw=st.integers(1, 4),
       dy=st.integers(-5, 5), dx=st.integers(-5, 5), dil=st.integers(1, 2),
       padding=st.sampled_from(["valid", "same", "full", 1, (0, 2)]), flip=st.booleans(),
       seed=st.integers(0, 10_000))
def test_difference_is_zero_outside_the_border_mask(h, w, kh, kw, dy, dx, dil, padding, flip, seed):
    if dil * (kh - 1) + 1 > h or dil * (kw - 1) + 1 > w:
        return
    rng = np.random.default_rng(seed)
    img = rng.integers(-9, 10, (h, w)).astype(float)
    ker = rng.integers(-3, 4, (kh, kw)).astype(float)
    check = equivariance_check(img, ker, dy, dx, padding, dilation=dil, flip=flip)
    op = convolve if flip else correlate
    np.testing.assert_array_equal(check.conv_of_shift, op(shift_image(img, dy, dx), ker, padding, dilation=dil))
    np.testing.assert_array_equal(check.shift_of_conv, shift_image(op(img, ker, padding, dilation=dil), dy, dx))
    np.testing.assert_array_equal(check.difference, check.conv_of_shift - check.shift_of_conv)
    assert check.border.shape == check.difference.shape
    assert check.max_difference_inside == 0.0
    assert not check.difference[~check.border].any()
    assert check.max_difference_border == (np.abs(check.difference[check.border]).max() if check.border.any() else 0)


def test_border_mask_is_a_thin_frame_and_the_border_does_differ():
    img = np.full((20, 20), 10.0)
    ker = np.ones((3, 3))
    check = equivariance_check(img, ker, 2, 3, "same")
    # rows 0-1 and cols 0-2 have no source after the shift; row 19 / col 19 read pixel 20,
    # which the shift pushed out of the frame (x's row 18)
    expected = np.ones((20, 20), bool)
    expected[2:19, 3:19] = False
    np.testing.assert_array_equal(check.border, expected)
    # row 19 sees two rows of 10s instead of three: 60 − 90; row 1 sees one row where there was none
    assert check.difference[19, 10] == -30.0 and check.difference[1, 10] == 30.0
    assert check.difference[19, 19] == 40.0 - 90.0
    assert check.max_difference_border >= 50.0


def test_zero_shift_has_no_border():
    assert not border_mask((7, 9), (3, 3), 0, 0, "same").any()
    check = equivariance_check(np.arange(63.0).reshape(7, 9), np.eye(3), 0, 0)
    assert check.max_difference_border == 0 and not check.difference.any()


def test_pooling_gives_the_same_number_when_the_pattern_stays_inside():
    img = np.zeros((30, 30))
    img[10:14, 10:14] = 200.0
    check = equivariance_check(img, np.ones((3, 3)), 5, -4)
    assert check.pooled_input == correlate(img, np.ones((3, 3)), "same").max() == 1800.0
    assert check.pooled_shifted == check.pooled_input


def test_centre_crop_crops_before_grey():
    img = np.zeros((10, 12, 3))
    img[4:6, 5:7] = (100.0, 100.0, 100.0)
    crop = centre_crop(img, 2)
    assert crop.shape == (2, 2)
    np.testing.assert_allclose(crop, 100.0)
    assert centre_crop(np.ones((3, 3)), 24).shape == (3, 3)


def test_centre_crop_of_an_8bit_photo_converts_only_the_crop():
    rng = np.random.default_rng(5)
    photo = rng.integers(0, 256, (1200, 1600, 3), dtype=np.uint8)   # 5.8 MB; float64 of it: 46 MB
    tracemalloc.start()
    try:
        crop = centre_crop(photo, 64)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000
    whole = to_gray(photo.astype(np.float64))
    np.testing.assert_array_equal(crop, whole[568:632, 768:832])
    assert crop.dtype == np.float64 and not np.shares_memory(crop, photo)
    flat = np.arange(100.0).reshape(10, 10)
    assert not np.shares_memory(centre_crop(flat, 4), flat)     # a crop never keeps the picture alive
    with pytest.raises(ValueError, match="2-D"):
        centre_crop(np.zeros(5), 2)


def test_dense_weights_are_reproducible():
    a, b = dense_weights(16, 16, seed=3), dense_weights(16, 16, seed=3)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, dense_weights(16, 16, seed=4))
    assert a.shape == (16, 16)


def test_dense_layer_does_not_follow_the_shift():
    img = np.zeros((24, 24))
    img[8:16, 8:16] = 200.0
    check = dense_check(img, 2, 3, seed=1)
    w = dense_weights(576, 576, seed=1)
    np.testing.assert_allclose(check.output.ravel(), w @ img.ravel())
    np.testing.assert_allclose(check.output_of_shift.ravel(), w @ shift_image(img, 2, 3).ravel())
    np.testing.assert_array_equal(check.shift_of_output, shift_image(check.output, 2, 3))
    assert check.relative_mismatch > 0.5
    assert dense_check(img, 0, 0).relative_mismatch == 0.0
    assert np.isnan(dense_check(img, 24, 0).relative_mismatch)


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        equivariance_check(np.ones((4, 4, 3)), np.ones((3, 3)), 1, 1)
    with pytest.raises(ValueError):
        dense_check(np.ones((4, 4, 3)), 1, 1)


def test_liveliest_window_finds_the_detail():
    img = np.full((40, 50), 100.0)
    img[30:34, 5:9] = [[0, 255, 0, 255]] * 4
    top, left = liveliest_window(img, 8)
    assert top <= 30 and top + 8 >= 34 and left <= 5 and left + 8 >= 9
    # against a brute-force search
    rng = np.random.default_rng(2)
    img = rng.random((15, 17)) * np.linspace(0, 3, 17)[None, :]
    best = max((img[r:r + 5, c:c + 5].var(), -r, -c) for r in range(11) for c in range(13))
    assert liveliest_window(img, 5) == (-best[1], -best[2])
    assert liveliest_window(np.ones((4, 4)), 24) == (0, 0)
    assert liveliest_window(np.ones((30, 4)), 24) in {(r, 0) for r in range(7)}


@settings(max_examples=80, deadline=None)
@given(h=st.integers(4, 12), w=st.integers(4, 12), k=st.integers(1, 3), sy=st.integers(1, 3), sx=st.integers(1, 3),
       my=st.integers(-3, 3), mx=st.integers(-3, 3), padding=st.sampled_from(["valid", "same", "full"]),
       seed=st.integers(0, 10_000))
def test_with_stride_shifts_by_multiples_are_exact(h, w, k, sy, sx, my, mx, padding, seed):
    rng = np.random.default_rng(seed)
    img = rng.integers(-9, 10, (h, w)).astype(float)
    ker = rng.integers(-3, 4, (k, k)).astype(float)
    check = equivariance_check(img, ker, my * sy, mx * sx, padding, stride=(sy, sx))
    assert check.exact and check.output_shift == (my, mx) and check.stride == (sy, sx)
    np.testing.assert_array_equal(check.shift_of_conv,
                                  shift_image(correlate(img, ker, padding, stride=(sy, sx)), my, mx))
    assert check.border.shape == check.difference.shape
    assert check.max_difference_inside == 0.0


def test_with_stride_other_shifts_break_equivariance():
    rng = np.random.default_rng(1)
    img = rng.integers(0, 256, (40, 40)).astype(float)
    check = equivariance_check(img, np.array([[1.0, -1.0]]), 0, 3, "same", stride=2)
    assert not check.exact and check.output_shift == (0, 2)
    expected = shift_image(correlate(img, [[1.0, -1.0]], "same", stride=2), 0, 2)
    np.testing.assert_array_equal(check.shift_of_conv, expected)
    assert check.max_difference_inside > 0
    assert equivariance_check(img, np.ones((3, 3)), -3, 1, stride=2).output_shift == (-2, 1)
