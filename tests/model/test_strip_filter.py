"""filter_for_display: the Filter tab's float32 drawing of a large output agrees with filter_image."""

import itertools

import numpy as np
import pytest

from convviz.model import filter_image
from convviz.model.colour import display_levels, scale_to_bytes
from convviz.model.strip_filter import can_filter_for_display, filter_for_display

MODES = ("zeros", "reflect", "replicate", "circular")
CASES = list(itertools.product(MODES, ["same", "full", "valid", (2, 3)], [(1, 1), (2, 3), (3, 1)], [(1, 1), (2, 1)]))


@pytest.mark.parametrize(("mode", "padding", "stride", "dilation"), CASES)
@pytest.mark.parametrize("gray", [False, True])
def test_agrees_with_filter_image_in_every_geometry(mode, padding, stride, dilation, gray):
    rng = np.random.default_rng(abs(hash((mode, str(padding), stride, dilation, gray))) % 2**32)
    for img in (rng.integers(0, 256, (17, 23, 3)).astype(np.uint8), rng.normal(size=(9, 40)) * 50,
                rng.integers(0, 256, (40, 9, 4)).astype(np.uint8)):
        k = rng.normal(size=(3, 4))
        k[1, 1] = 0.0                                     # a zero tap is skipped
        kw = dict(padding=padding, stride=stride, dilation=dilation, padding_mode=mode, flip=True, gray=gray)
        want = filter_image(img, k, **kw)
        got = filter_for_display(img, k, kw)
        assert got is not None and got.values.dtype == np.float32 and got.values.shape == want.shape
        np.testing.assert_allclose(got.values, want, rtol=1e-5, atol=1e-4 * max(1.0, np.abs(want).max()))
        assert got.value_range == (float(got.values.min()), float(got.values.max()))
        assert got.levels == display_levels(got.values, scale="auto")
        np.testing.assert_array_equal(got.display, scale_to_bytes(got.values, got.levels))
        assert not got.values.flags.writeable


@pytest.mark.parametrize("kernel", [
    [[0, 1, 0], [1, -4, 1], [0, 1, 0]],          # +1 taps first and later (added without a product)
    [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],        # a −1 tap first (negated), later ones subtracted
    [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
])
@pytest.mark.parametrize("shape", [(37, 29), (21, 18, 3)])
def test_unit_weights_are_added_and_subtracted_exactly(kernel, shape):
    """Integer weights on bytes: every sum is an integer below 2**24, so float32 holds it exactly."""
    img = np.random.default_rng(3).integers(0, 256, shape).astype(np.uint8)
    kw = dict(padding="same", stride=(1, 1), dilation=(1, 1), padding_mode="reflect", flip=False, gray=False)
    got = filter_for_display(img, np.array(kernel, float), kw)
    assert got is not None
    np.testing.assert_array_equal(got.values, filter_image(img, np.array(kernel, float), **kw))


def test_a_preview_holds_exactly_the_whole_outputs_values_at_its_pixels():
    rng = np.random.default_rng(7)
    img = rng.integers(0, 256, (301, 257, 3)).astype(np.uint8)
    k = rng.normal(size=(5, 3))
    kw = dict(padding="same", stride=(1, 2), dilation=(1, 1), padding_mode="reflect", flip=False, gray=False)
    whole = filter_for_display(img, k, kw)
    preview = filter_for_display(img, k, {**kw, "stride": (3, 6)})
    assert whole is not None and preview is not None
    np.testing.assert_array_equal(preview.values, whole.values[::3, ::3])


@pytest.mark.parametrize("scale", ["auto", "input", "full"])
def test_levels_follow_the_scale(scale):
    img = np.full((30, 30), 200, np.uint8)
    got = filter_for_display(img, np.full((3, 3), 0.5), dict(padding="valid"), scale=scale)
    assert got is not None and got.values.max() == pytest.approx(900.0)
    assert got.levels == display_levels(got.values, scale=scale)


def test_a_cancelled_computation_stops_and_returns_none():
    img = np.zeros((400, 300), np.uint8)
    asked = []
    assert filter_for_display(img, np.ones((3, 3)), dict(padding="same"),
                              cancelled=lambda: asked.append(1) or True) is None
    assert asked


def test_errors_and_what_it_leaves_to_the_float64_engine():
    with pytest.raises(ValueError, match="Reflect padding"):
        filter_for_display(np.ones((1, 5), np.uint8), np.ones((3, 3)), dict(padding="same", padding_mode="reflect"))
    with pytest.raises(ValueError):
        filter_for_display(np.ones((2, 2), np.uint8), np.ones((3, 3)), dict(padding="valid"))
    assert can_filter_for_display(np.ones((4, 4), np.uint8), np.ones((3, 3)))
    assert not can_filter_for_display(np.array([[np.nan, 1.0]]), np.ones((1, 1)))   # NaN spreads as in SciPy
    assert not can_filter_for_display(np.ones((4, 4, 3)), np.ones((3, 3, 3)))         # a channel-summing kernel


def test_whether_a_read_only_image_is_finite_is_remembered_while_it_lives():
    import gc

    from convviz.model import strip_filter

    finite, holed = np.ones((20, 20)), np.ones((20, 20))
    holed[3, 4] = np.nan
    for a in (finite, holed):
        a.flags.writeable = False
    assert strip_filter._all_finite(finite) and not strip_filter._all_finite(holed)
    assert {(id(finite), "finite"), (id(holed), "finite")} <= set(strip_filter._REMEMBERED)
    writeable = np.ones((5, 5))
    assert strip_filter._all_finite(writeable) and (id(writeable), "finite") not in strip_filter._REMEMBERED
    key = (id(holed), "finite")
    del holed, a
    gc.collect()
    assert key not in strip_filter._REMEMBERED


def test_a_read_only_float64_image_is_read_in_float32_kept_while_it_lives():
    """The float32 copy gives the same numbers as converting each strip's rows (and is made once)."""
    import gc

    from convviz.model import strip_filter

    rng = np.random.default_rng(11)
    img = rng.normal(size=(300, 200)) * 100
    k = rng.normal(size=(3, 3))
    kw = dict(padding="same", stride=(1, 1), dilation=(1, 1), padding_mode="reflect", flip=False, gray=False)
    per_strip = filter_for_display(img, k, kw)                       # writeable: converted strip by strip
    img.flags.writeable = False
    once = filter_for_display(img, k, kw)
    assert per_strip is not None and once is not None
    np.testing.assert_array_equal(once.values, per_strip.values)
    key = (id(img), "float32")
    copy = strip_filter._REMEMBERED[key][1]
    assert copy.dtype == np.float32 and np.array_equal(copy, img.astype(np.float32))
    del img
    gc.collect()
    assert key not in strip_filter._REMEMBERED                       # gone with the image


@pytest.mark.parametrize(("mode", "padding", "stride", "dilation"), CASES[::3])
def test_a_rank_one_kernel_is_applied_as_a_column_times_a_row(mode, padding, stride, dilation):
    from convviz.model import strip_filter

    rng = np.random.default_rng(11)
    k = np.outer(rng.normal(size=5), rng.normal(size=4))
    k[:, 1] = 0.0                                          # a zero column stays out of the row pass
    assert strip_filter._rank_one(k) is not None and strip_filter._rank_one(rng.normal(size=(5, 4))) is None
    for img in (rng.integers(0, 256, (23, 31, 3)).astype(np.uint8), rng.normal(size=(26, 19)) * 40):
        kw = dict(padding=padding, stride=stride, dilation=dilation, padding_mode=mode, flip=False, gray=False)
        want = filter_image(img, k, **kw)
        got = filter_for_display(img, k, kw)
        np.testing.assert_allclose(got.values, want, rtol=1e-5, atol=1e-4 * max(1.0, np.abs(want).max()))
    whole = filter_for_display(img, k, dict(padding="same"))
    preview = filter_for_display(img, k, dict(padding="same", stride=3))
    np.testing.assert_array_equal(preview.values, whole.values[::3, ::3])
