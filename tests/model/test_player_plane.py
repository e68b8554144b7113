"""The player's picture is read where it is shown (issue #13): an ImagePlane of a photo gives exactly the
values of its whole luminance or channel, and a prepared 12-megapixel photo holds no float64 copy of it."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.model import ConvDocument, correlate, steps, to_gray
from convviz.model.numeric_input import region_numbers
from convviz.model.player_frames import build_player, grid_cells, overview_rgb
from convviz.model.player_plane import ImagePlane, as_plane
from convviz.model.player_region import busiest_crop, player_region, region_grid
from convviz.model.player_source import prepare

RNG = np.random.default_rng(7)
PHOTO = RNG.integers(0, 256, size=(70, 90, 3), dtype=np.uint8)
FLOAT_PHOTO = RNG.uniform(-5, 300, size=(33, 41, 3))


@pytest.mark.parametrize("image", [PHOTO, FLOAT_PHOTO], ids=["uint8", "float64"])
@pytest.mark.parametrize("channel", [None, 0, 2])
def test_plane_values_equal_the_whole_plane_exactly(image, channel):
    whole = to_gray(image) if channel is None else image[:, :, channel].astype(np.float64)
    plane = ImagePlane(image, channel)
    assert plane.shape == whole.shape and plane.size == whole.size and plane.dtype == np.float64
    np.testing.assert_array_equal(np.asarray(plane), whole)
    np.testing.assert_array_equal(plane[3:17, 5:30], whole[3:17, 5:30])
    np.testing.assert_array_equal(plane[4, 2:9], whole[4, 2:9])
    np.testing.assert_array_equal(plane[1:6, -1], whole[1:6, -1])
    assert plane[-1, -2] == whole[-1, -2]
    rows, cols = np.array([0, 0, 5, 31]), np.array([40, 2, 2, 7])
    np.testing.assert_array_equal(plane.take(rows, cols), whole[np.ix_(rows, cols)])
    np.testing.assert_array_equal(plane.sampled(4), whole[::4, ::4])
    stripes = list(plane.stripes(8))
    assert [r for r, _ in stripes] == list(range(0, whole.shape[0], 8))
    np.testing.assert_array_equal(np.concatenate([v for _, v in stripes]), whole)


def test_a_grey_image_is_its_own_plane_and_bad_indices_are_refused():
    grey = PHOTO[:, :, 1]
    plane = as_plane(grey)
    np.testing.assert_array_equal(plane[10:12, 0:3], grey[10:12, 0:3].astype(np.float64))
    assert as_plane(plane) is plane
    with pytest.raises(ValueError, match="2-D image"):
        as_plane(PHOTO)
    with pytest.raises(ValueError, match="Channel 3"):
        ImagePlane(PHOTO, 3)
    with pytest.raises(ValueError, match="two slices"):
        plane[np.array([1, 2]), 3]
    with pytest.raises(IndexError):
        plane[70, 0]


def test_busiest_crop_of_a_plane_equals_the_crop_of_the_whole_luminance():
    for side in (8, 16, 33):
        assert busiest_crop(ImagePlane(PHOTO), side) == busiest_crop(to_gray(PHOTO), side)
    assert busiest_crop(ImagePlane(PHOTO, 1), 16) == busiest_crop(PHOTO[:, :, 1].astype(float), 16)


@pytest.mark.parametrize("padding, mode", [("same", "zeros"), ("full", "reflect"), (2, "circular"),
                                           ("valid", "replicate")])
def test_a_build_on_a_plane_has_the_numbers_of_the_whole_luminance(padding, mode):
    kernel = np.array([[0.5, -1.25, 2.0], [1.0, 0.0, -3.0], [0.1, 0.2, 0.3]])
    doc = ConvDocument(image=PHOTO, kernel=kernel, preset=None, padding=padding, padding_mode=mode, stride=2)
    lum = to_gray(PHOTO)
    crop = (0, 60, 16, 16)    # touches the top and the right border: padding shown
    on_plane = build_player(doc, ImagePlane(PHOTO), crop)
    on_array = build_player(doc, lum, crop)
    np.testing.assert_array_equal(on_plane.grid, on_array.grid)
    np.testing.assert_array_equal(on_plane.in_image, on_array.in_image)
    np.testing.assert_array_equal(on_plane.output, on_array.output)
    assert on_plane.grid.dtype == np.float64
    whole = correlate(lum, kernel, padding, stride=2, padding_mode=mode)
    region = on_plane.region
    np.testing.assert_allclose(on_plane.output, whole[region.out_rows.start:region.out_rows.stop,
                                                      region.out_cols.start:region.out_cols.stop], rtol=0, atol=1e-9)
    full_steps = steps(lum, kernel, padding, stride=2, padding_mode=mode)
    for j in (0, on_plane.count - 1):
        want = full_steps[region.global_index(j)]
        np.testing.assert_array_equal(on_plane.steps[j].patch, want.patch)
        assert on_plane.steps[j].value == pytest.approx(want.value, abs=1e-9)
    for a, b in zip(grid_cells(on_plane), grid_cells(on_array)):
        np.testing.assert_array_equal(a.colours, b.colours)
        assert a.texts == b.texts
    np.testing.assert_array_equal(region_numbers(on_plane.source, crop, 3, 4), np.rint(lum[0:3, 60:64]))


def test_overview_of_a_plane_samples_it_like_the_array():
    big = RNG.integers(0, 256, size=(600, 520, 3), dtype=np.uint8)
    np.testing.assert_array_equal(overview_rgb(ImagePlane(big, 0)), overview_rgb(big[:, :, 0].astype(float)))
    np.testing.assert_array_equal(overview_rgb(ImagePlane(big)), overview_rgb(to_gray(big)))


def _arrays(obj, seen=None):
    """Every ndarray reachable from ``obj``'s fields (dataclasses, named tuples, planes, lists)."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return []
    seen.add(id(obj))
    if isinstance(obj, np.ndarray):
        return [obj]
    found = []
    fields = getattr(obj, "__dict__", None) or (obj._asdict() if hasattr(obj, "_asdict") else None)
    items = fields.values() if isinstance(fields, dict) else obj if isinstance(obj, (list, tuple)) else ()
    for v in items:
        found += _arrays(v, seen)
    return found


def test_a_prepared_12_megapixel_photo_holds_only_the_document_image_and_the_crop():
    photo = np.zeros((3000, 4000, 3), dtype=np.uint8)
    photo[1000:1010, 2000:2010] = 255          # the one textured place
    photo.flags.writeable = False
    doc = ConvDocument(image=photo, kernel=np.ones((3, 3)) / 9, preset=None, padding="same")
    for channel in (None, 1):
        prepared = prepare(photo, False, channel, 16)
        r, c, h, w = prepared.busiest
        assert h == w == 16 and 1000 - 16 < r <= 1010 and 2000 - 16 < c <= 2010
        build = build_player(doc, prepared.source, prepared.busiest)
        held = [a for a in _arrays(prepared) + _arrays(build) if a is not photo and not np.shares_memory(a, photo)]
        assert sum(a.nbytes for a in held) < 64_000, sorted(a.shape for a in held)[-3:]
        assert prepared.source.image is photo    # the document's uint8 image, not a float64 copy
        region = player_region(photo.shape, (3, 3), "same", crop=prepared.busiest)
        grid, in_image = region_grid(prepared.source, region)
        assert in_image.all()       # a crop inside the photo: no padding shown
        (r0, c0), (gh, gw) = region.image_position(0, 0), grid.shape
        part = photo[r0:r0 + gh, c0:c0 + gw]
        np.testing.assert_array_equal(grid, to_gray(part) if channel is None else part[:, :, channel])
