"""The Pooling tab's map read where needed: FeatureMapPlane against the whole ReLU(filter_image(luminance)), and
pooling_source on a photo-sized 8-bit picture without a whole float64 map."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from convviz.model import filter_image, pool
from convviz.model._args import border_read, source_index
from convviz.model.filtering import to_gray
from convviz.model.pooling_map import FeatureMapPlane
from convviz.model.pooling_view import (
    INVARIANCE_SIDE,
    chain_text,
    crop_with_margin,
    kept_area,
    pooled_thumbnail,
    pooling_source,
)
from convviz.model.step_view import thumbnail

SOBEL = np.array([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]])
SETTINGS = [
    dict(padding="same"),
    dict(padding="valid", stride=2),
    dict(padding="full", stride=(3, 2), dilation=2),
    dict(padding=(2, 1), padding_mode="reflect", flip=True),
    dict(padding="same", padding_mode="replicate", dilation=(1, 3)),
    dict(padding=3, padding_mode="circular", stride=2),
]


def whole_map(image, kernel, kwargs, relu=True):
    conv = filter_image(to_gray(image), kernel, **kwargs)
    return np.maximum(conv, 0.0) if relu else conv


@pytest.mark.parametrize("kwargs", SETTINGS)
@pytest.mark.parametrize("relu", [True, False])
def test_feature_map_plane_equals_the_whole_map_wherever_it_is_read(kwargs, relu):
    rng = np.random.default_rng(3)
    image = rng.integers(0, 256, (37, 45, 3), dtype=np.uint8)
    kernel = rng.normal(size=(3, 4))
    whole = whole_map(image, kernel, kwargs, relu)
    plane = FeatureMapPlane(image, kernel, kwargs, relu=relu)
    assert plane.shape == whole.shape
    np.testing.assert_allclose(np.asarray(plane), whole, rtol=0, atol=1e-9)
    oh, ow = whole.shape
    rows = rng.integers(0, oh, 9)                      # any order, repeats
    cols = np.sort(rng.integers(0, ow, 7))
    np.testing.assert_allclose(plane.take(rows, cols), whole[np.ix_(rows, cols)], rtol=0, atol=1e-9)
    for s in (1, 2, 5):
        np.testing.assert_allclose(plane.sampled(s), whole[::s, ::s], rtol=0, atol=1e-9)
    np.testing.assert_allclose(plane[2:9, 3:20], whole[2:9, 3:20], rtol=0, atol=1e-9)
    np.testing.assert_allclose(plane[4, 1:6], whole[4, 1:6], rtol=0, atol=1e-9)
    stripes = np.concatenate([values for _r0, values in plane.stripes(4)])
    np.testing.assert_allclose(stripes, whole, rtol=0, atol=1e-9)
    if relu:
        assert np.asarray(plane).min() >= 0


def test_feature_map_plane_of_a_grey_float_image_and_a_large_kernel():
    rng = np.random.default_rng(4)
    image = rng.normal(size=(150, 140))
    kernel = rng.normal(size=(9, 9))            # the engine's FFT path for the whole map
    kwargs = dict(padding="same")
    whole = whole_map(image, kernel, kwargs)
    plane = FeatureMapPlane(image, kernel, kwargs)
    np.testing.assert_allclose(plane.sampled(3), whole[::3, ::3], rtol=0, atol=1e-9)
    np.testing.assert_allclose(plane[50:90, 10:130], whole[50:90, 10:130], rtol=0, atol=1e-9)


def test_feature_map_plane_refuses_what_the_whole_map_refuses():
    image = np.zeros((10, 10, 3), dtype=np.uint8)
    with pytest.raises(ValueError, match="2-D kernel"):
        FeatureMapPlane(image, np.ones((3, 3, 3)))
    with pytest.raises(ValueError):
        FeatureMapPlane(image, np.ones((12, 12)))              # larger than the unpadded picture
    plane = FeatureMapPlane(image, SOBEL, dict(padding="same"))
    with pytest.raises(ValueError, match="go from 0 to 9"):
        plane.take([10], [0])


def test_source_index_maps_padding_as_numpy_pads():
    positions = np.arange(-4, 9)
    line = np.arange(5)
    for mode, np_mode in (("reflect", "reflect"), ("replicate", "edge"), ("circular", "wrap")):
        np.testing.assert_array_equal(line[source_index(positions, 5, mode)], np.pad(line, 4, mode=np_mode))
        np.testing.assert_array_equal(line[border_read(positions, 5, mode)], np.pad(line, 4, mode=np_mode))
    zeros = source_index(positions, 5, "zeros")
    np.testing.assert_array_equal(zeros, [-1] * 4 + [0, 1, 2, 3, 4] + [-1] * 4)
    np.testing.assert_array_equal(border_read(positions, 5, "zeros"), [0] * 4 + [0, 1, 2, 3, 4] + [4] * 4)
    np.testing.assert_array_equal(source_index(positions, 1, "reflect"), np.zeros(13, dtype=int))
    with pytest.raises(ValueError, match="Unknown padding mode 'mirror'"):
        border_read(positions, 5, "mirror")


@pytest.mark.parametrize("mode", ["max", "avg"])
def test_pooled_thumbnail_of_a_plane_equals_the_whole_pooled_map_sampled(mode):
    rng = np.random.default_rng(6)
    image = rng.integers(0, 256, (300, 280, 3), dtype=np.uint8)
    kwargs = dict(padding="same", stride=1)
    whole = whole_map(image, SOBEL, kwargs)
    options = dict(stride=2, padding=1, mode=mode, count_include_pad=False)
    shape, picture = pooled_thumbnail(FeatureMapPlane(image, SOBEL, kwargs), 3, max_side=64, **options)
    pooled = pool(whole, 3, **options)
    s = -(-max(pooled.shape) // 64)
    assert shape == pooled.shape
    np.testing.assert_allclose(picture, pooled[::s, ::s], rtol=0, atol=1e-9)


def test_a_photo_sized_feature_map_is_prepared_without_a_whole_float64_map():
    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:4000, 0:1000]           # tall: the memory used grows with the width (rows are read in blocks)
    photo = np.stack([128 + 100 * np.sin(x / 40.0) * np.cos(y / 55.0), x * 255.0 / 1000, y * 255.0 / 4000], axis=2)
    photo = np.clip(photo + rng.normal(0, 12, photo.shape), 0, 255).astype(np.uint8)   # 12 MB
    kwargs = dict(padding="same", stride=1, dilation=1, padding_mode="zeros", flip=False)
    pool_kwargs = dict(stride=2, padding=0, mode="max", count_include_pad=True)
    tracemalloc.start()
    try:
        source = pooling_source(photo, "feature_map", 12, 2, pool_kwargs, kernel=SOBEL, conv_kwargs=kwargs)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    whole = whole_map(photo, SOBEL, kwargs)       # 32 MB of float64; the luminance and the convolution as much
    assert peak < 0.5 * whole.nbytes              # a few blocks of rows at a time, whatever the picture's height
    assert (source.crop, source.margin) == crop_with_margin(whole, 12)   # the busiest crop, room to move
    area, origin = kept_area(whole, source.crop)
    assert source.origin == origin and source.area.shape == (INVARIANCE_SIDE, INVARIANCE_SIDE)
    np.testing.assert_allclose(source.area, area, rtol=0, atol=1e-9)
    gray = to_gray(photo)
    pictures = [stage.picture for stage in source.chain]
    np.testing.assert_array_equal(pictures[0], thumbnail(gray))
    np.testing.assert_allclose(pictures[1], thumbnail(filter_image(gray, SOBEL, **kwargs)), rtol=0, atol=1e-9)
    np.testing.assert_allclose(pictures[2], thumbnail(whole), rtol=0, atol=1e-9)
    np.testing.assert_allclose(pictures[3], thumbnail(pool(whole, 2, **pool_kwargs)), rtol=0, atol=1e-9)
    assert [stage.shape for stage in source.chain] == [(4000, 1000)] * 3 + [(2000, 500)]
    assert [stage.every for stage in source.chain] == [16, 16, 16, 8]
    assert chain_text(source).endswith(". Pictures: input every 16th pixel, conv every 16th pixel, ReLU every 16th "
                                       "pixel, max pool every 8th pixel.")
    small = pooling_source(photo[:200, :150], "feature_map", 12, 2, pool_kwargs, kernel=SOBEL, conv_kwargs=kwargs)
    assert "Pictures" not in chain_text(small) and all(stage.every == 1 for stage in small.chain)


def test_a_photo_sized_luminance_is_pooled_without_a_whole_float64_copy():
    rng = np.random.default_rng(8)
    photo = rng.integers(0, 256, (4000, 1000, 3), dtype=np.uint8)
    pool_kwargs = dict(stride=2, padding=0, mode="avg", count_include_pad=True)
    tracemalloc.start()
    try:
        source = pooling_source(photo, "image", 12, 2, pool_kwargs)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    gray = to_gray(photo)                          # 32 MB of float64
    assert peak < 0.5 * gray.nbytes
    assert (source.crop, source.margin) == crop_with_margin(gray, 12)
    top, left = source.origin
    np.testing.assert_array_equal(source.area, gray[top:top + INVARIANCE_SIDE, left:left + INVARIANCE_SIDE])
    np.testing.assert_array_equal(source.chain[0].picture, thumbnail(gray))
    np.testing.assert_allclose(source.chain[-1].picture, thumbnail(pool(gray, 2, **pool_kwargs)), rtol=0, atol=1e-9)
