"""The Filter bank's colour scales, receptive-field zoom and shape notation (issue #12), without Qt:
levels against convviz.model.colour.display_levels, the zoom window worked out by hand, and the
bank's PyTorch weight shape against torch when it is installed."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.model import conv_layer
from convviz.model.bank import LayerSettings, Network, default_bank
from convviz.model.bank.display import MapJob, MapRequest
from convviz.model.bank.maps import ROBUST_SAMPLE, robust_levels
from convviz.model.bank.network import Region
from convviz.model.bank.receptive import MIN_ZOOM_SIDE, zoom_picture, zoom_window
from convviz.model.colour import display_levels, display_rgb

RNG = np.random.default_rng(21)
GREY = RNG.uniform(0, 255, (40, 50))
COLOUR = RNG.uniform(0, 255, (40, 50, 3))
FIRST = LayerSettings("same")
GREY_BANK = Network((default_bank(1).with_activation("none"),))          # sobel_x, sobel_y, blur


def job(scale="auto", shared=False, image=GREY, bank=GREY_BANK, layer=0):
    return MapJob()(MapRequest(bank, image, False, FIRST, layer, 0, shared_scale=shared, scale=scale))


@pytest.mark.parametrize("scale", ["auto", "input", "full", "robust"])
def test_each_map_has_its_own_levels_from_display_levels(scale):
    result = job(scale)
    for m, levels in zip(result.shown.maps, result.levels):
        assert levels == display_levels(m, scale=scale)


def test_auto_draws_a_blur_on_the_inputs_scale_and_edges_centred_on_zero():
    result = job("auto")
    sobel_x, _, blur = result.shown.maps
    assert 0 <= blur.min() and blur.max() <= 255 and result.levels[2] == (0.0, 255.0)   # like the input
    m = float(np.abs(sobel_x).max())
    assert sobel_x.min() < 0 and result.levels[0] == (-m, m)                             # diverging, centred
    assert result.thumbs[0].shape == (40, 50, 3)


def test_the_shared_scale_darkens_the_blur_and_each_map_its_own_does_not():
    """The reason for the per-map default: beside ReLU'd Sobel maps (up to 1020) a blur (0–255) is drawn
    nearly black on one shared scale."""
    relu = Network((default_bank(1),))
    shared, own = job("full", shared=True, bank=relu), job("auto", bank=relu)
    hi = max(r[1] for r in shared.ranges)
    assert set(shared.levels) == {(0.0, hi)} and hi > 700
    np.testing.assert_array_equal(own.thumbs[2], display_rgb(own.shown.maps[2], levels=(0.0, 255.0)))
    blur_shared, blur_own = shared.thumbs[2].mean(), own.thumbs[2].mean()
    assert blur_shared < 0.35 * blur_own


def test_shared_levels_at_each_scale():
    maps = job("auto").shown.maps
    both = np.concatenate([m.ravel() for m in maps])
    for scale in ("auto", "input", "full", "robust"):
        levels = job(scale, shared=True).levels
        assert len(set(levels)) == 1 and levels[0] == display_levels(both, scale=scale), scale


def test_robust_levels_read_a_sample_of_large_maps():
    big = RNG.normal(0, 10, (3000, 2000))
    big[0, 0] = 1e6                                       # one outlier does not set the scale
    lo, hi = robust_levels([big])
    step = int(np.ceil(3000 / int(ROBUST_SAMPLE ** 0.5)))
    assert (lo, hi) == display_levels(big[::step, ::step], scale="robust") and 20 < hi < 35 and lo == -hi


def test_the_channel_sums_are_drawn_at_the_chosen_scale():
    bank = Network((default_bank(3),))
    auto, full = job("auto", image=COLOUR, bank=bank), job("full", image=COLOUR, bank=bank)
    assert auto.partial_levels == full.partial_levels                  # Sobel's parts are signed either way
    blur = MapJob()(MapRequest(bank, COLOUR, False, FIRST, 0, 3, scale="auto"))
    assert blur.partial_levels == (0.0, 255.0)                         # a blur of each channel stays in 0–255
    assert MapJob()(MapRequest(bank, COLOUR, False, FIRST, 0, 3, scale="full")).partial_levels[1] < 255


def test_a_bad_scale_is_refused():
    with pytest.raises(ValueError, match="Unknown colour scale 'log'"):
        MapRequest(GREY_BANK, GREY, False, FIRST, 0, 0, scale="log")


def test_zoom_window_centres_the_field_inside_the_image():
    assert zoom_window(Region(100, 102, 200, 202), (512, 512)) == Region(89, 112, 189, 212)   # 24×24 around 3×3
    assert zoom_window(Region(-1, 1, -1, 1), (512, 512)) == Region(0, 23, 0, 23)            # padding: moved in
    assert zoom_window(Region(505, 511, 0, 6), (512, 600)) == Region(484, 511, 0, 27)       # 7×7: 4 × 7 = 28
    assert zoom_window(Region(3, 5, 3, 5), (10, 8)) == Region(0, 9, 0, 7)                   # the whole image
    assert zoom_window(Region(0, 0, 0, 0), (512, 512)).size == (MIN_ZOOM_SIDE, MIN_ZOOM_SIDE)
    with pytest.raises(ValueError, match="at least one pixel"):
        zoom_window(Region(0, 0, 0, 0), (0, 5))


def test_zoom_picture_is_the_input_drawn_at_full_resolution():
    window = Region(10, 33, 20, 43)
    picture = zoom_picture(COLOUR, window)
    np.testing.assert_array_equal(picture, np.rint(COLOUR[10:34, 20:44]).astype(np.uint8))
    grey = zoom_picture(GREY, window)
    assert grey.shape == (24, 24, 3) and np.array_equal(grey[..., 0], np.rint(GREY[10:34, 20:44]).astype(np.uint8))


def test_the_pytorch_weight_shape_is_what_torch_uses():
    torch = pytest.importorskip("torch")
    bank = Network((default_bank(3),))
    shape = bank.stage_shapes((40, 50, 3), LayerSettings("valid"))[0]
    w = bank[0].weights()                                              # HWIO (3, 3, 3, 4)
    conv = torch.nn.Conv2d(3, 4, 3, bias=False, dtype=torch.float64)
    assert tuple(conv.weight.shape) == shape.torch_shape == (4, 3, 3, 3) and shape.hwio_shape == w.shape
    with torch.no_grad():
        conv.weight.copy_(torch.from_numpy(w.transpose(3, 2, 0, 1).copy()))
        out = conv(torch.from_numpy(COLOUR.transpose(2, 0, 1)[None].copy()))[0].numpy().transpose(1, 2, 0)
    np.testing.assert_allclose(out, conv_layer(COLOUR, w, padding="valid"), rtol=1e-12, atol=1e-9)


def test_pictures_are_asked_for_as_large_as_they_are_drawn():
    from convviz.model.bank.display import picture_side
    from convviz.model.bank.maps import thumbnail

    for hw, drawn in (((300, 400), 300), ((300, 400), 150), ((3000, 4000), 301), ((40, 48), 500), ((7, 5), 1)):
        side = picture_side(hw, drawn)
        assert max(thumbnail(np.zeros(hw), side).shape) >= min(drawn, max(hw)), (hw, drawn)
    assert picture_side((300, 400), 300) == 400 and picture_side((300, 400), 150) == 200
    assert picture_side((3000, 4000), 301) == picture_side((3000, 4000), 305) == 308    # small resizes ask nothing
