"""The Filter tab's worker functions: the exact preview, float32 display copies and exact single values."""

import numpy as np
import pytest

from convviz.model import filter_image
from convviz.model.filter_output import compute_output, output_value_at, preview_every

MODES = ("zeros", "reflect", "replicate", "circular")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("padding", ["same", "full", "valid", (2, 3)])
@pytest.mark.parametrize("gray", [False, True])
def test_one_output_value_equals_the_whole_computation(mode, padding, gray):
    rng = np.random.default_rng(hash((mode, str(padding), gray)) % 2**32)
    img = rng.integers(0, 256, (11, 13, 3)).astype(np.float64)
    k = rng.normal(size=(3, 4))
    kw = dict(padding=padding, stride=(2, 1), dilation=(1, 2), padding_mode=mode, flip=True, gray=gray)
    whole = filter_image(img, k, **kw)
    for r in range(whole.shape[0]):
        for c in range(whole.shape[1]):
            np.testing.assert_allclose(output_value_at(img, k, kw, (r, c)), whole[r, c], atol=1e-9)


def test_a_channel_summing_kernel_gives_one_value():
    rng = np.random.default_rng(2)
    img, k = rng.uniform(0, 255, (6, 7, 3)), rng.normal(size=(3, 3, 3))
    kw = dict(padding="same", stride=(1, 1), dilation=(1, 1), padding_mode="reflect", flip=False, gray=False)
    whole = filter_image(img, k, **kw)
    assert output_value_at(img, k, kw, (2, 5)) == pytest.approx(whole[2, 5], abs=1e-9)


def test_preview_is_every_sth_pixel_of_the_whole_output_exactly():
    rng = np.random.default_rng(3)
    img = rng.integers(0, 256, (90, 70)).astype(np.float64)
    kw = dict(padding="same", stride=(1, 2), dilation=(1, 1), padding_mode="zeros", flip=False, gray=False)
    k = np.arange(9.0).reshape(3, 3) - 4
    whole = compute_output(img, k, kw)
    preview = compute_output(img, k, kw, "auto", 3)
    assert preview.preview and preview.every == 3 and preview.full_hw == whole.values.shape
    np.testing.assert_array_equal(preview.values, whole.values[::3, ::3])


def test_large_outputs_are_kept_in_float32_small_ones_in_float64():
    kw = dict(padding="same", stride=(1, 1), dilation=(1, 1), padding_mode="zeros", flip=False, gray=False)
    assert compute_output(np.ones((50, 50)), np.ones((3, 3)), kw).values.dtype == np.float64
    assert compute_output(np.ones((1100, 1000)), np.ones((3, 3)), kw).values.dtype == np.float32
    assert preview_every((1000, 1000)) == 1 and preview_every((3000, 4000)) == 4


def test_no_preview_when_the_whole_output_is_expected_soon():
    from convviz.model.filter_output import WHOLE_WITHOUT_PREVIEW_S, tap_pixels

    assert preview_every((3000, 4000), None) == 4                              # unknown: previewed
    assert preview_every((3000, 4000), WHOLE_WITHOUT_PREVIEW_S + 0.01) == 4
    assert preview_every((3000, 4000), WHOLE_WITHOUT_PREVIEW_S) == 1
    assert tap_pixels((10, 20, 3), np.array([[0.0, 1.0], [2.0, 0.0]]), (9, 19)) == 9 * 19 * 3 * 2
    gaussian = np.outer([1.0, 4.0, 6.0, 4.0, 1.0], [1.0, 4.0, 6.0, 4.0, 1.0])       # 25 taps, applied as 5 + 5
    assert tap_pixels((10, 20), gaussian, (10, 20)) == 10 * 20 * 10


def test_the_cost_of_a_whole_output_is_expected_from_the_last_one_of_the_same_image():
    from convviz.model.filter_output import WholeOutputCost

    kw = dict(padding="same", stride=(1, 1), dilation=(1, 1), padding_mode="zeros", flip=False, gray=False)
    img, other = np.ones((1100, 1000)), np.ones((1100, 1000))
    three, five = np.ones((3, 3)), np.ones((5, 5))
    cost = WholeOutputCost()
    assert cost.expected(img, three, (1100, 1000)) is None                     # nothing measured yet
    cost.measured(compute_output(img, three, kw, "auto", 2), 1.0)              # a preview teaches nothing
    assert cost.expected(img, three, (1100, 1000)) is None
    cost.measured(compute_output(img, three, kw), 0.9)                         # 9 taps a value: 0.9 s
    assert cost.expected(img, three, (1100, 1000)) == pytest.approx(0.9)
    assert cost.expected(img, five, (1100, 1000)) == pytest.approx(0.9 * 10 / 9)   # 5×5 ones: applied as 5 + 5
    assert cost.expected(other, three, (1100, 1000)) is None                   # another image: unknown


def test_a_photo_sized_output_and_input_come_with_what_a_view_draws_of_them():
    from convviz.model.filter_output import prepare_input
    from convviz.model.screen_sample import reduction_step, screen_sample

    img = np.random.default_rng(8).integers(0, 256, (2100, 2000, 3)).astype(np.uint8)
    kw = dict(padding="same", stride=(1, 1), dilation=(1, 1), padding_mode="zeros", flip=False, gray=False)
    out = compute_output(img, np.ones((3, 3)) / 9, kw)
    step = reduction_step(2100, 2000)
    assert step == 2 and out.display is not None
    np.testing.assert_array_equal(out.reduced, out.display[::2, ::2])
    np.testing.assert_array_equal(prepare_input(img, False).reduced, img[::2, ::2])
    assert screen_sample(img[:1000]) is None and prepare_input(img[:1000], True).reduced is None


def test_exports_are_the_whole_output_exact_values_and_colours_at_any_levels():
    from convviz.model.colour import display_rgb
    from convviz.model.filter_output import exact_values, output_rgb

    img = np.random.default_rng(14).integers(0, 256, (2100, 2000, 3)).astype(np.uint8)
    k = np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])
    kw = dict(padding="same", stride=(1, 1), dilation=(1, 1), padding_mode="zeros", flip=False, gray=False)
    out = compute_output(img, k, kw)
    assert out.sample_step == 2 and out.values.dtype == np.float32
    whole = filter_image(img, k, **kw)
    exact = exact_values(out)
    assert exact.dtype == np.float64 and np.array_equal(exact, whole)
    for levels in (out.auto_levels, (-10.0, 10.0)):                  # its own bytes, then bytes made again
        rgb = output_rgb(out, "coolwarm", levels)
        want = display_rgb(whole, levels=levels)
        assert rgb.shape == want.shape and np.abs(rgb.astype(int) - want).max() <= 1
    with pytest.raises(ValueError, match="still being computed"):
        exact_values(compute_output(img, k, kw, "auto", 3))
