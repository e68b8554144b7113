"""Bank maps at display resolution (issue #13): sampled maps equal the whole maps sampled (float64, to
1e-9), a later layer reads the previous layer exactly, the enlarged map is the whole map, the channel
sums are read from the pixel's own window, and what the bank keeps for a 12-megapixel photo is bounded."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.model import conv_layer, correlate, to_gray
from convviz.model.bank import LayerSettings, Network, decompose, default_bank, default_next_layer, random_filter
from convviz.model.bank.channels import channel_partial_maps, input_patch
from convviz.model.bank.display import MapJob, MapRequest, explain_pixel
from convviz.model.bank.groups import grouped_weights
from convviz.model.bank.sampled import (
    FullMap,
    SampledInput,
    SampledNetwork,
    channel_values,
    full_map,
    pixel_patch,
    sampled_grid,
    stage_values,
)
from convviz.model.player_plane import ImagePlane
from convviz.model.step_view import thumbnail_step

RNG = np.random.default_rng(21)
PHOTO = RNG.integers(0, 256, (47, 61, 3), dtype=np.uint8)
SETTINGS = [LayerSettings("same"), LayerSettings("valid", (2, 1), (1, 2)), LayerSettings((2, 3), 1, 1, "reflect"),
            LayerSettings("full", 1, 2, "circular"), LayerSettings("same", (1, 3), 1, "replicate")]


def two_layers(c_in: int) -> Network:
    second = default_next_layer(4 if c_in == 3 else 3).with_settings(LayerSettings("same", 2, 1, "reflect"))
    return Network((default_bank(c_in),)).appended(second)[0]


def whole_maps(x, net: Network, first: LayerSettings, groups=(1, 1)):
    """Every layer's whole maps with conv_layer (float64): the oracle."""
    out, x = [], np.asarray(x, dtype=np.float64)
    x = x[:, :, None] if x.ndim == 2 else x
    for i, layer in enumerate(net.layers):
        g = groups[i] if i < len(groups) else 1
        w = grouped_weights(layer, g) if g > 1 else layer.weights()
        x = conv_layer(x, w, layer.biases(), groups=g, activation=layer.conv_activation,
                       **net.settings_for(i, first).kwargs())
        out.append(x)
    return out


@pytest.mark.parametrize("first", SETTINGS, ids=range(len(SETTINGS)))
@pytest.mark.parametrize("gray", [False, True])
def test_sampled_maps_equal_the_whole_maps_sampled(first, gray):
    net = two_layers(1 if gray else 3)
    oracle = whole_maps(to_gray(PHOTO) if gray else PHOTO, net, first)
    sampled = SampledNetwork(net, SampledInput(PHOTO, gray), first)
    for layer in range(2):
        whole = oracle[layer]
        assert sampled.output_hw(layer) == whole.shape[:2]
        for step in (1, 2, 3, 7):
            rows, cols = sampled_grid(whole.shape, step)
            np.testing.assert_allclose(stage_values(sampled, layer, rows, cols), whole[::step, ::step],
                                       rtol=0, atol=1e-9)
        np.testing.assert_allclose(full_map(sampled, layer, 2), whole[:, :, 2], rtol=0, atol=1e-9)


def test_grouped_layers_and_pre_activation_and_chosen_filters():
    net = Network((default_bank(3).with_filters([random_filter(RNG, (3, 3), 3, name=f"r{i}") for i in range(6)]),))
    oracle = whole_maps(PHOTO, net, LayerSettings("same"), groups=(3,))[0]
    sampled = SampledNetwork(net, SampledInput(PHOTO), LayerSettings("same"), (3,))
    rows, cols = sampled_grid(oracle.shape, 4)
    np.testing.assert_allclose(stage_values(sampled, 0, rows, cols), oracle[::4, ::4], rtol=0, atol=1e-9)
    pre = stage_values(sampled, 0, rows, cols, filters=[4, 1], pre=True)   # ReLU not applied
    raw = whole_maps(PHOTO, Network((net[0].with_activation(None),)), LayerSettings("same"), groups=(3,))[0]
    np.testing.assert_allclose(pre, raw[::4, ::4][:, :, [4, 1]], rtol=0, atol=1e-9)
    assert (pre < 0).any()


@pytest.mark.parametrize("first", SETTINGS[:3], ids=range(3))
def test_a_pixel_window_and_channel_partials_are_those_of_the_whole_input(first):
    net = two_layers(3)
    oracle = whole_maps(PHOTO, net, first)
    sampled = SampledNetwork(net, SampledInput(PHOTO), first)
    for layer, source in ((0, PHOTO), (1, [oracle[0][:, :, c] for c in range(4)])):
        h, w = oracle[layer].shape[:2]
        settings = net.settings_for(layer, first)
        for pixel in ((0, 0), (h - 1, w - 1), (h // 2, 3)):
            want = input_patch(source, net[layer].kernel_hw, pixel, settings)
            np.testing.assert_allclose(pixel_patch(sampled, layer, pixel), want, rtol=0, atol=1e-9)
        rows, cols = sampled_grid((h, w), 3)
        got = channel_values(sampled, layer, rows, cols, 1, range(net[layer].in_channels))
        want = channel_partial_maps(source, net[layer], 1, settings, step=3)
        for g, wnt in zip(got, want):
            np.testing.assert_allclose(g, wnt, rtol=0, atol=1e-9)
    with pytest.raises(ValueError, match="outside"):
        pixel_patch(sampled, 0, oracle[0].shape[:2])


def test_full_map_is_made_when_read():
    net = Network((default_bank(3),))
    lazy = FullMap(SampledNetwork(net, SampledInput(PHOTO)), 0, 3)
    assert lazy.shape == PHOTO.shape[:2] and np.shape(lazy) == PHOTO.shape[:2]
    np.testing.assert_allclose(np.asarray(lazy), whole_maps(PHOTO, net, LayerSettings("same"))[0][:, :, 3],
                               rtol=0, atol=1e-9)
    assert thumbnail_step((3000, 4000), 400) == 10 and thumbnail_step((30, 40), 400) == 1


LARGE = RNG.integers(0, 256, (1030, 1110, 3), dtype=np.uint8)     # 1.14 MP: shown sampled
LARGE.flags.writeable = False


@pytest.mark.parametrize("layer", [0, 1])
def test_a_large_image_is_shown_sampled_exactly_and_explained_exactly(layer):
    net = two_layers(3)
    first = LayerSettings("same")
    whole = whole_maps(LARGE, net, first)[layer]
    job = MapJob()
    result = job(MapRequest(net, LARGE, False, first, layer, 1, thumb_side=160))
    s = result.step
    assert s == thumbnail_step(whole.shape, 160) > 1 and result.map_hw == whole.shape[:2] and result.dtype == np.float64
    for m, n in zip(result.shown.maps, range(whole.shape[2])):
        np.testing.assert_allclose(m, whole[::s, ::s, n], rtol=0, atol=1e-9)
    r, c = result.strongest
    assert r % s == 0 and c % s == 0
    assert abs(whole[r, c, 1]) == pytest.approx(np.abs(whole[::s, ::s, 1][3:-3, 3:-3]).max(), abs=1e-9)
    pixel = (500, 333)                          # between the sampled pixels: computed from its window
    e = explain_pixel(result, pixel)
    assert e.map_dtype == "float64" and e.map_value == pytest.approx(whole[pixel][1], abs=1e-9)
    src = LARGE if layer == 0 else whole_maps(LARGE, net, first)[0]
    d = decompose(src, net[layer], 1, pixel, net.settings_for(layer, first))
    np.testing.assert_allclose(e.decomposition.channel_values, d.channel_values, rtol=0, atol=1e-9)
    assert result.enlarged is None and result.enlarged_map()[1] == s
    enlarged = job(MapRequest(net, LARGE, False, first, layer, 1, thumb_side=160, full_map=True))
    assert enlarged.enlarged.shape == whole.shape[:2] and enlarged.enlarged_map()[1] == 1
    np.testing.assert_allclose(enlarged.enlarged, whole[:, :, 1], rtol=1e-6, atol=1e-3)   # float32 for display
    assert enlarged.shown.maps[0] is result.shown.maps[0]      # the sampled maps were kept, not made again


def test_a_large_grey_reading_is_never_converted_whole():
    net = Network((default_bank(1),))
    result = MapJob()(MapRequest(net, LARGE, True, LayerSettings("same"), 0, 0, thumb_side=200))
    assert isinstance(result.input, ImagePlane) and result.input.image is LARGE
    whole = correlate(to_gray(LARGE), net[0].filters[0].weights[:, :, 0], "same")
    np.testing.assert_allclose(result.shown.maps[0], np.maximum(whole, 0)[::6, ::6], rtol=0, atol=1e-9)


def _arrays(obj, seen):
    """Every ndarray reachable from ``obj`` through attributes, dicts, lists and tuples."""
    if id(obj) in seen or isinstance(obj, (str, bytes, int, float, type(None))):
        return []
    seen.add(id(obj))
    if isinstance(obj, np.ndarray):
        return [obj]
    if isinstance(obj, dict):
        items = list(obj.keys()) + list(obj.values())
    elif isinstance(obj, (list, tuple, set, frozenset)):
        items = list(obj)
    elif hasattr(obj, "__dict__"):
        items = list(vars(obj).values())
    else:
        items = [getattr(obj, f) for f in getattr(type(obj), "__dataclass_fields__", {})]
    found = []
    for item in items:
        found += _arrays(item, seen)
    return found


def test_what_the_bank_keeps_for_a_12_megapixel_photo_is_bounded():
    photo = np.zeros((3000, 4000, 3), dtype=np.uint8)
    photo[::7] = 200
    photo.flags.writeable = False
    job = MapJob()
    req = MapRequest(Network((default_bank(3),)), photo, False, LayerSettings("same"), 0, 0, thumb_side=400)
    result = job(req)
    assert result.step == 10 and len(result.shown.maps) == 4

    def held(*objects):
        seen: set[int] = set()
        arrays = [a for o in objects for a in _arrays(o, seen)]
        return sum(a.nbytes for a in arrays if not np.shares_memory(a, photo))

    # ~14 MB: four 300×400 float64 maps and their pre-activations, partials, thumbnails (was ~400 MB)
    assert held(job, result) < 20_000_000
    enlarged = job(MapRequest(req.network, photo, False, req.first, 0, 0, thumb_side=400, full_map=True))
    assert enlarged.enlarged.dtype == np.float32
    assert held(job, enlarged) < 20_000_000 + 48_000_000    # plus the one enlarged map, float32
    back = job(req)
    assert back.enlarged is None and held(job, back) < 20_000_000    # the enlarged map is dropped again
