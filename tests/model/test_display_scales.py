"""Honest display: outputs within 0–255 keep the input's scale, round-off never makes an output signed,
and a robust scale for signed outputs (issue #12)."""

import numpy as np
import pytest

from convviz.model import PRESETS, correlate, gaussian
from convviz.model.colour import display_levels, is_signed, levels_from_range


def _photo(shape=(256, 256)):
    rng = np.random.default_rng(3)
    img = rng.integers(0, 256, shape).astype(np.float64)
    img[:40, :40] = 0.0
    return img


def test_a_large_blur_through_the_fft_is_never_negative():
    """Gaussian 7×7 σ 1.5 on a photo takes the FFT path; its round-off must not dip below 0."""
    img = _photo()
    out = correlate(img, gaussian(7, 1.5), "same")
    assert out.min() >= 0.0
    ref = correlate(img[:64, :64], gaussian(7, 1.5), "same")          # the direct path on a small crop
    np.testing.assert_allclose(out[10:50, 10:50], ref[10:50, 10:50], atol=1e-9)
    assert not is_signed(out) and display_levels(out, scale="auto") == (0.0, 255.0)


def test_an_edge_kernel_of_one_sign_keeps_its_sign():
    out = correlate(_photo(), -np.ones((9, 9)) / 81, "same")
    assert out.max() <= 0.0


def test_round_off_below_zero_does_not_make_values_signed():
    v = np.array([[-1.5e-13, 100.0], [254.0, 3.0]])
    assert not is_signed(v)
    assert display_levels(v) == (0.0, 254.0)
    assert display_levels(v, scale="auto") == (0.0, 255.0)
    assert is_signed(np.array([-1.0, 100.0]))
    assert is_signed(np.array([-1e-14, 1e-14]))                  # all tiny: the sign is real


@pytest.mark.parametrize("scale, expected", [
    ("full", (0.0, 230.0)), ("input", (0.0, 255.0)), ("auto", (0.0, 255.0))])
def test_identity_output_is_drawn_on_the_input_scale(scale, expected):
    img = np.full((8, 8), 230.0)
    out = correlate(img, PRESETS["identity"].kernel, "same")
    assert display_levels(out, scale=scale) == expected


def test_outputs_beyond_255_use_their_full_range_automatically():
    v = np.array([0.0, 300.0])
    assert display_levels(v, scale="auto") == (0.0, 300.0)
    assert display_levels(v, scale="input") == (0.0, 255.0)


def test_signed_outputs_are_centred_on_zero_and_robust_ignores_a_few_extremes():
    v = np.concatenate([np.linspace(-10, 10, 1000), [-900.0, 800.0]])
    assert display_levels(v) == (-900.0, 900.0)
    low, high = display_levels(v, scale="robust")
    assert low == -high and 9.0 < high < 11.0
    assert display_levels(v, scale="input") == (-255.0, 255.0)
    assert levels_from_range(-3.0, 5.0) == (-5.0, 5.0)


def test_unknown_scale_is_refused():
    with pytest.raises(ValueError, match="scale"):
        display_levels(np.ones(3), scale="loud")
