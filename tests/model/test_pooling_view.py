"""What the Pooling tab shows, without Qt: the map, the crop with room to move, one step's cells and words,
the layer row and the shift numbers — each against pool / pool_steps / pooled_shift_difference."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.model import correlate, pool
from convviz.model.filtering import to_gray
from convviz.model.player_region import busiest_crop
from convviz.model.pooling import pooled_shift_difference
from convviz.model.pooling_view import (
    INVARIANCE_SIDE,
    crop_with_margin,
    invariance_sentence,
    pool_frame,
    pooled_thumbnail,
    pooling_source,
    step_sentence,
)
from convviz.model.states.pooling import PoolingState
from convviz.model.step_view import (
    BLANK_RGB,
    cell_text,
    clamp_step,
    grid_rgb,
    step_readout,
    step_target,
    thumbnail,
)

SOBEL = np.array([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]])
POOL = dict(stride=2, padding=0, mode="max", count_include_pad=True)


def test_step_target_moves_and_stops_at_the_ends():
    assert [step_target(3, a, 10) for a in ("first", "back", "forward", "last")] == [0, 2, 4, 9]
    assert step_target(0, "back", 10) is None and step_target(0, "first", 10) is None
    assert step_target(9, "forward", 10) is None and step_target(50, "forward", 10) is None
    assert step_target(50, "back", 10) == 8   # a step past the end counts as the last one
    assert step_target(0, "forward", 0) is None
    with pytest.raises(ValueError, match="Unknown step action"):
        step_target(0, "sideways", 3)
    assert clamp_step(7, 3) == 2 and clamp_step(-1, 3) == 0 and clamp_step(4, 0) == 0
    assert step_readout(4, 36) == "step 5 / 36" and step_readout(0, 0) == "no steps"


def test_cells_texts_and_thumbnails():
    assert [cell_text(v) for v in (230.0, 12.345, 0.12345, -np.inf, 426.6667)] == ["230", "12.3", "0.12", "−∞", "427"]
    rgb = grid_rgb(np.array([[0.0, 255.0], [-np.inf, 10.0]]), (0.0, 255.0))
    assert rgb.shape == (2, 2, 3) and tuple(rgb[1, 0]) == BLANK_RGB and tuple(rgb[0, 1]) == (255, 255, 255)
    big = np.arange(1000 * 600).reshape(1000, 600)
    t = thumbnail(big, 256)
    assert max(t.shape) <= 256 and t[1, 1] == big[4, 4]


def test_source_of_the_image_is_its_luminance_and_its_busiest_crop():
    rng = np.random.default_rng(0)
    img = rng.uniform(0, 255, (80, 90, 3))
    s = pooling_source(img, "image", 12, 2, POOL)
    np.testing.assert_array_equal(s.area, to_gray(img))     # a small map is kept whole
    assert s.origin == (0, 0) and s.map_shape == (80, 90)
    r, c, h, w = s.crop
    assert (h, w) == (12, 12) and s.margin == 4
    br, bc, _, _ = busiest_crop(to_gray(img), 12)
    assert (r, c) == (min(max(br, 4), 80 - 16), min(max(bc, 4), 90 - 16))
    assert [st.shape for st in s.chain] == [(80, 90), (40, 45)]
    np.testing.assert_array_equal(s.chain[-1].picture, pool(to_gray(img), 2))
    assert "max pool 2×2, stride 2 → 40×45" in s.chain[-1].label


def test_feature_map_is_relu_of_the_documents_convolution():
    rng = np.random.default_rng(1)
    img = rng.uniform(0, 255, (40, 40))
    s = pooling_source(img, "feature_map", 8, 3, dict(POOL, stride=3), kernel=SOBEL,
                       conv_kwargs=dict(padding="valid", stride=1, dilation=1, padding_mode="zeros", flip=True),
                       kernel_name="sobel_x")
    conv = correlate(img, SOBEL[::-1, ::-1], "valid")
    np.testing.assert_array_equal(s.area, np.maximum(conv, 0))
    assert s.map_shape == (38, 38)
    assert [st.name for st in s.chain] == ["input", "conv", "ReLU", "max pool"]
    assert [st.shape for st in s.chain] == [(40, 40), (38, 38), (38, 38), (12, 12)]
    assert s.chain[1].label == "conv sobel_x 3×3 → 38×38" and s.chain[3].title == "max pool: 12×12"
    with pytest.raises(ValueError, match="Unknown pooling source"):
        pooling_source(img, "sound", 8, 2, POOL)


@pytest.mark.parametrize("k, options", [
    (2, dict(stride=2, padding=0, mode="max", count_include_pad=True)),
    (3, dict(stride=2, padding=1, mode="max", count_include_pad=True)),
    (3, dict(stride=1, padding=1, mode="avg", count_include_pad=True)),
    (3, dict(stride=3, padding=1, mode="avg", count_include_pad=False)),
    (4, dict(stride=None, padding=2, mode="avg", count_include_pad=False)),
])
@pytest.mark.parametrize("shape", [(30, 41), (700, 530)])
def test_pooled_thumbnail_is_the_pooled_map_subsampled(k, options, shape):
    m = np.random.default_rng(6).uniform(-50, 200, shape)
    size, picture = pooled_thumbnail(m, k, **options, max_side=64)
    pooled = pool(m, k, **options)
    s = max(1, -(-max(pooled.shape) // 64))
    assert size == pooled.shape and picture.shape == pooled[::s, ::s].shape and max(picture.shape) <= 64
    if options["mode"] == "max":
        np.testing.assert_array_equal(picture, pooled[::s, ::s])
    else:
        np.testing.assert_allclose(picture, pooled[::s, ::s], rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match="Unknown pooling mode"):
        pooled_thumbnail(m, k, mode="median")


def test_small_maps_get_a_centred_crop_and_the_margin_they_have_room_for():
    m = np.arange(100.0).reshape(10, 10)
    assert crop_with_margin(m, 8) == ((1, 1, 8, 8), 1)
    assert crop_with_margin(m, 12) == ((0, 0, 10, 10), 0)
    s = pooling_source(m, "image", 12, 2, POOL)
    with pytest.raises(ValueError, match="at most 0 pixels"):
        s.shifted_crop(0, 1)


def test_shifted_crop_and_the_shift_numbers_are_the_models():
    rng = np.random.default_rng(2)
    img = rng.uniform(0, 255, (64, 64))
    s = pooling_source(img, "image", 12, 2, POOL)
    r, c, h, w = s.crop
    np.testing.assert_array_equal(s.shifted_crop(0, 0), img[r:r + h, c:c + w])
    np.testing.assert_array_equal(s.shifted_crop(1, -2), img[r - 1:r - 1 + h, c + 2:c + 2 + w])
    d = s.shift_difference(1, -2, 2, **POOL)
    expected = pooled_shift_difference(img, (1, -2), 2, **POOL)
    assert d == expected
    big = rng.uniform(0, 255, (700, 650))
    area = pooling_source(big, "image", 12, 2, POOL).measured_area()
    assert area.shape == (INVARIANCE_SIDE, INVARIANCE_SIDE)


def test_a_large_map_keeps_only_the_part_around_the_crop():
    rng = np.random.default_rng(5)
    big = rng.uniform(0, 255, (1300, 900))
    big[1000:1040, 700:760] += 300          # the busiest place, far from the centre
    s = pooling_source(big, "image", 12, 2, POOL)
    r, c, h, w = s.crop
    top, left = s.origin
    assert s.map_shape == (1300, 900) and s.area.shape == (INVARIANCE_SIDE, INVARIANCE_SIDE)
    np.testing.assert_array_equal(s.area, big[top:top + INVARIANCE_SIDE, left:left + INVARIANCE_SIDE])
    for dy, dx in ((0, 0), (4, -4), (-3, 2)):
        np.testing.assert_array_equal(s.shifted_crop(dy, dx), big[r - dy:r - dy + h, c - dx:c - dx + w])
    np.testing.assert_array_equal(s.context(), big[r - 4:r + h + 4, c - 4:c + w + 4])
    assert s.shift_difference(1, 1, 2, **POOL) == pooled_shift_difference(s.area, (1, 1), 2, **POOL)
    # copies: nothing the tab keeps holds the whole map (or the picture it came from) alive
    assert s.area.base is None and not s.area.flags.writeable
    assert all(stage.picture.base is None and max(stage.picture.shape) <= 256 for stage in s.chain)


@pytest.mark.parametrize("mode, padding, cip", [("max", 0, True), ("max", 1, True), ("avg", 1, True),
                                                 ("avg", 1, False)])
def test_frame_is_the_step_of_the_model(mode, padding, cip):
    rng = np.random.default_rng(3)
    crop = rng.integers(0, 9, (6, 7)).astype(float)
    moved = np.roll(crop, 1, axis=1)
    options = dict(stride=2, padding=padding, mode=mode, count_include_pad=cip)
    out = pool(crop, 3, **options)
    for index in range(out.size):
        f = pool_frame(crop, moved, index, 3, **options)
        r, c = divmod(index, out.shape[1])
        assert f.count == out.size and f.current == (r, c) and f.filled == index + 1
        assert f.step.value == out[r, c]
        np.testing.assert_array_equal(f.output, out)
        assert f.input_rgb.shape[:2] == (6 + 2 * padding, 7 + 2 * padding) == f.input_padding.shape
        assert f.input_padding.sum() == f.input_padding.size - 42
        assert list(f.window_rows) == [r * 2 - padding + a + padding for a in range(3)]
        if mode == "max":
            wr, wc = f.winner
            assert crop[wr - padding, wc - padding] == out[r, c]
            a, b = f.window_winner
            assert f.step.window[a, b] == out[r, c]
            assert "the largest value is at input" in step_sentence(f)
        else:
            assert f.winner is None and f.window_winner is None
        assert f.step.expression in step_sentence(f)
    changed = {tuple(x) for x in np.argwhere(out != pool(moved, 3, **options))}
    assert set(f.changed) == changed
    assert pool_frame(crop, crop, 999, 3, **options).step.index == out.size - 1   # clamped
    pad_text = "−∞" if mode == "max" else "0"
    if padding:
        assert f.input_texts[0][0] == pad_text


def test_invariance_sentence_has_the_models_numbers():
    rng = np.random.default_rng(4)
    img = np.zeros((40, 40))
    img[10:30, 21] = 200 + rng.uniform(0, 1, 20)   # stays in its 2×2 windows when moved 1 right
    s = pooling_source(img, "image", 12, 2, POOL)
    f = pool_frame(s.shifted_crop(0, 1), s.shifted_crop(0, 0), 0, 2, **POOL)
    d = s.shift_difference(0, 1, 2, **POOL)
    text = invariance_sentence(d, "max pool 2×2, stride 2", s.measured_area().shape, f)
    assert f"by {100 * d.unpooled_change:.0f} % of their mean" in text
    assert f"by only {100 * d.pooled_change:.0f} %" in text
    assert f"{len(f.changed)} of the 36 pooled outputs changed" in text
    assert d.pooled_change < d.unpooled_change
    still = invariance_sentence(s.shift_difference(0, 0, 2, **POOL), "x", (40, 40), f)
    assert "Move the input" in still


def test_state_checks_the_window_padding_and_crop_together():
    st = PoolingState()
    with pytest.raises(ValueError, match="more than half"):
        st.apply(kernel_size=2, padding=2)
    with pytest.raises(ValueError, match="does not fit"):
        st.apply(kernel_size=6, crop=4)
    with pytest.raises(ValueError, match="Unknown pooling mode"):
        st.apply(mode="median")
    assert st.nudged(0, 1) == {"dx": 1} and PoolingState(dx=4).nudged(0, 1) == {}
    assert st.settings()["mode"] == "max" and st.pool_kwargs()["stride"] == 2
