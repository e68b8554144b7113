"""What the Filter bank tab's worker computes (convviz.model.bank.display) and the edits it offers
(convviz.model.bank.edits), without Qt, against conv_layer, to_gray and hand-made weights."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.model import conv_layer, to_gray
from convviz.model.bank import (
    BankLayer,
    LayerSettings,
    Network,
    colour_difference_filter,
    decompose,
    default_bank,
    default_next_layer,
    filter_from_preset,
    strongest_pixel,
)
from convviz.model.bank.display import (
    INPUT_THUMB_SIDE,
    MapJob,
    MapRequest,
    explain_pixel,
    input_channels,
    input_shape,
)
from convviz.model.bank.edits import (
    added_after,
    blank_filter,
    colour_differences,
    with_first_slice_everywhere,
    with_preset_slice,
    with_weight,
)

RNG = np.random.default_rng(11)
IMAGE = RNG.uniform(0, 255, (26, 31, 3))
IMAGE.flags.writeable = False
FIRST = LayerSettings("same")


def network() -> Network:
    net, _ = Network((default_bank(3),)).appended(default_next_layer(4))
    return net


def expected(image, net, layer):
    x = image[:, :, None] if image.ndim == 2 else image
    for i in range(layer + 1):
        lay = net[i]
        x = conv_layer(x, lay.weights(), lay.biases(), activation=lay.conv_activation,
                       **net.settings_for(i, FIRST).kwargs())
    return x


def test_input_shape_and_channels():
    assert input_shape((5, 6, 3), False) == (5, 6, 3) and input_channels((5, 6, 3), False) == 3
    assert input_shape((5, 6, 3), True) == (5, 6) and input_channels((5, 6, 3), True) == 1
    assert input_shape((5, 6), False) == (5, 6) and input_channels((5, 6), True) == 1


@pytest.mark.parametrize("gray", [False, True])
def test_job_maps_equal_conv_layer(gray):
    net, _ = network().adapted_to(1 if gray else 3)
    result = MapJob()(MapRequest(net, IMAGE, gray, FIRST, 1, 2, shared_scale=False))
    image = to_gray(IMAGE) if gray else IMAGE
    np.testing.assert_array_equal(result.input, image)
    assert not result.input.flags.writeable and IMAGE.flags.writeable is False
    np.testing.assert_allclose(result.shown.stacked(), expected(image, net, 1), rtol=1e-12, atol=1e-9)
    assert result.chosen == 2 and result.strongest == strongest_pixel(result.shown.maps[2], margin=3)
    assert len(result.thumbs) == 3 and result.thumbs[0].dtype == np.uint8
    assert result.input_thumb.shape == IMAGE.shape[:2] + (3,)


def test_job_reuses_what_did_not_change():
    job, net = MapJob(), network()
    first = job(MapRequest(net, IMAGE, False, FIRST, 0, 0, shared_scale=True))
    again = job(MapRequest(net, IMAGE, False, FIRST, 0, 1, shared_scale=True))
    assert again.recomputed == [] and again.input is first.input
    assert all(a is b for a, b in zip(first.thumbs, again.thumbs))        # same maps, same levels: kept
    layer = net[0]
    edited, _ = net.with_layer(0, layer.with_filter(3, layer.filters[3].with_weight(0, 0, 0, 9.0)))
    third = job(MapRequest(edited, IMAGE, False, FIRST, 0, 3, shared_scale=False))
    assert third.recomputed == [3] and third.thumbs[0] is not first.thumbs[0]   # own levels: recoloured


def test_a_large_input_gets_a_small_picture():
    big = RNG.uniform(0, 255, (900, 1700))
    result = MapJob()(MapRequest(Network((default_bank(1),)), big, False, FIRST, 0, 0))
    assert max(result.input_thumb.shape[:2]) <= INPUT_THUMB_SIDE
    # 1.5 MP of maps: shown sampled (every 11th pixel for 160-pixel thumbnails), in float64
    assert result.step == 11 and result.dtype == np.float64 and result.shown.maps[0].shape == (82, 155)


def test_explain_pixel_equals_decompose_and_the_receptive_field():
    net = network()
    result = MapJob()(MapRequest(net, IMAGE, False, FIRST, 1, 1))
    explained = explain_pixel(result, (4, 7))
    d = decompose(result.stages[0].maps, net[1], 1, (4, 7), net[1].settings)
    assert explained.decomposition.channel_values == d.channel_values and explained.filter_name == net[1].names[1]
    assert explained.channel_names == ("1. Sobel x", "2. Sobel y", "3. Red minus green", "4. Blur")
    assert explained.map_value == pytest.approx(d.value, rel=1e-12) and explained.map_dtype == "float64"
    assert explained.regions == net.receptive_field((4, 7), 1, FIRST)
    first_layer = MapJob()(MapRequest(net, IMAGE, False, FIRST, 0, 0))
    assert explain_pixel(first_layer, (0, 0)).channel_names == ("R", "G", "B")
    with pytest.raises(ValueError, match="outside"):
        explain_pixel(result, (100, 0))


def test_edits():
    f = filter_from_preset("sobel_x", 3)
    one = with_weight(f, 1, 0, 0, 7.0)
    assert one.weights[0, 0, 1] == 7.0 and one.weights[0, 0, 0] == -1.0
    every = with_weight(f, 1, 0, 0, 7.0, every_channel=True)
    assert np.all(every.weights[0, 0, :] == 7.0) and every.same_on_every_channel
    sharp = with_preset_slice(f, "sharpen", 2)
    assert sharp.slice(2)[1, 1] == 5 and sharp.slice(0)[1, 1] == 0
    assert with_preset_slice(f, "sharpen").same_on_every_channel
    mixed = colour_difference_filter(3, 0, 1)
    assert with_first_slice_everywhere(mixed).same_on_every_channel
    layer = BankLayer((f, f.renamed("b")), "relu", LayerSettings())
    new, at, name = added_after(layer, f, 0)
    assert (at, name, new.names) == (1, "sobel_x 2", ["sobel_x", "sobel_x 2", "b"])
    assert not blank_filter(layer).weights.any() and blank_filter(layer).weights.shape == (3, 3, 3)
    assert colour_differences(1) == []
    assert [label for _, _, label in colour_differences(3)] == [
        "R minus G", "R minus B", "G minus R", "G minus B", "B minus R", "B minus G"]
    assert len(colour_differences(6)) == 12                      # between the first four channels
