"""convviz.model.bank: filters, layers, chained shapes, receptive field, decomposition, cached maps."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.model import PRESETS, conv_layer, correlate, display_levels
from convviz.model.bank import (
    BankFilter,
    BankLayer,
    LayerSettings,
    MapCalculator,
    Network,
    adaptation_message,
    channel_partial_maps,
    colour_difference_filter,
    decompose,
    default_bank,
    default_next_layer,
    display_dtype,
    filter_from_preset,
    input_patch,
    levels_from_range,
    map_range,
    random_filter,
    shared_levels,
    strongest_pixel,
    thumbnail,
    thumbnail_step,
    unique_name,
)

RNG = np.random.default_rng(7)
IMAGE = RNG.uniform(0, 255, (23, 29, 3))


def small_layer(c_in=3, k=3, n=4, activation="relu", settings=None) -> BankLayer:
    rng = np.random.default_rng(1)
    filters = tuple(random_filter(rng, (k, k), c_in, name=f"f{i}").with_bias(i - 1.5) for i in range(n))
    return BankLayer(filters, activation, settings or LayerSettings())


# -- filters and layers ---------------------------------------------------------
def test_filter_slices_and_same_slice():
    f = filter_from_preset("sobel_x", 3)
    assert f.weights.shape == (3, 3, 3) and f.same_on_every_channel
    g = f.with_slice(1, np.zeros((3, 3)))
    assert not g.same_on_every_channel
    assert np.array_equal(g.slice(1), np.zeros((3, 3))) and np.array_equal(g.slice(0), PRESETS["sobel_x"].kernel)
    h = g.with_all_slices(np.ones((3, 3)))
    assert h.same_on_every_channel and np.all(h.weights == 1)
    assert f.weights.flags.writeable is False
    with pytest.raises(ValueError):
        f.with_slice(0, np.zeros((2, 2)))


def test_filter_refuses_bad_values():
    with pytest.raises(ValueError, match="finite"):
        BankFilter("x", np.full((3, 3, 1), np.nan))
    with pytest.raises(ValueError, match="finite"):
        BankFilter("x", np.ones((3, 3, 1)), bias=np.inf)
    with pytest.raises(ValueError, match="at most"):
        BankFilter("x", np.ones((17, 3, 1)))


def test_layer_edits_and_hwio():
    layer = small_layer()
    w = layer.weights()
    assert w.shape == (3, 3, 3, 4)
    for i, f in enumerate(layer.filters):
        assert np.array_equal(w[..., i], f.weights)
    assert np.array_equal(layer.biases(), [-1.5, -0.5, 0.5, 1.5])
    assert layer.duplicated(1).names == ["f0", "f1", "f1 copy", "f2", "f3"]
    assert layer.removed(0).names == ["f1", "f2", "f3"]
    assert layer.moved(0, 2).names == ["f1", "f2", "f0", "f3"]
    assert layer.moved(3, 0).names == ["f3", "f0", "f1", "f2"]
    assert layer.with_filter(2, layer.filters[2].renamed("edge")).names == ["f0", "f1", "edge", "f3"]
    grown = layer.added(filter_from_preset("gaussian_blur_5x5", 1))
    assert grown.out_channels == 5 and grown.filters[-1].weights.shape == (3, 3, 3)
    with pytest.raises(ValueError, match="at least one filter"):
        BankLayer((layer.filters[0],)).removed(0)
    with pytest.raises(ValueError, match="same shape"):
        BankLayer((layer.filters[0], filter_from_preset("sobel_x", 1)))
    with pytest.raises(ValueError, match="activation"):
        layer.with_activation("softmax")
    assert layer.parameter_count() == 3 * 3 * 3 * 4 + 4
    assert unique_name("a", ["a", "a 2"]) == "a 3"


def test_resize_keeps_the_centre():
    f = filter_from_preset("sobel_x", 1)
    big = f.resized((5, 5))
    assert np.array_equal(big.slice(0)[1:4, 1:4], PRESETS["sobel_x"].kernel)
    assert big.slice(0)[0].sum() == 0 and big.slice(0)[:, 0].sum() == 0
    assert np.array_equal(big.resized((3, 3)).weights, f.weights)


def test_channel_adaptation_keeps_grey_response():
    grey = RNG.uniform(0, 255, (9, 9))
    rgb_of_grey = np.repeat(grey[:, :, None], 3, axis=2)
    f3 = colour_difference_filter(3, 0, 2).with_slice(1, RNG.normal(size=(3, 3)))
    f1 = f3.adapted_to(1)
    assert f1.weights.shape == (3, 3, 1)
    assert np.allclose(correlate(grey, f1.slice(0)), correlate(rgb_of_grey, f3.weights))
    back = f1.adapted_to(3)
    assert np.allclose(correlate(rgb_of_grey, back.weights), correlate(grey, f1.slice(0)))
    f4 = f3.adapted_to(4)
    assert np.array_equal(f4.weights[:, :, :3], f3.weights) and np.all(f4.weights[:, :, 3] == 0)
    assert "summed" in adaptation_message(3, 1) and "divided by 3" in adaptation_message(1, 3)


def test_default_banks():
    colour = default_bank(3)
    assert colour.names == ["sobel_x", "sobel_y", "red minus green", "blur"] and colour.activation == "relu"
    assert colour.filters[0].same_on_every_channel and colour.filters[1].same_on_every_channel
    rg = colour.filters[2]
    assert np.all(rg.slice(0) == 1) and np.all(rg.slice(1) == -1)
    assert np.all(rg.slice(2) == 0)
    assert default_bank(1).names == ["sobel_x", "sobel_y", "blur"]
    assert default_next_layer(4).in_channels == 4


# -- chained layers ---------------------------------------------------------------------
def test_chain_shapes_and_adaptation():
    net = Network((small_layer(n=4),))
    net, msgs = net.appended()
    assert msgs == [] and net[1].in_channels == 4
    shapes = net.stage_shapes((23, 29, 3))
    assert shapes[0].input_shape == (23, 29, 3)
    assert shapes[0].bank_shape == (3, 3, 3, 4) and shapes[0].hwio_shape == (3, 3, 3, 4)
    assert shapes[0].output_shape == (23, 29, 4)
    assert shapes[1].input_shape == (23, 29, 4) and shapes[1].output_shape == (21, 27, 3)
    # removing a filter of layer 1 adapts layer 2 and says so
    net2, msgs = net.with_layer(0, net[0].removed(0))
    assert net2[1].in_channels == 3 and len(msgs) == 1 and "Layer 2" in msgs[0]
    with pytest.raises(ValueError, match="previous C_out"):
        Network((small_layer(n=4), small_layer(c_in=5)))
    # stride on layer 1 from the document settings
    doc_settings = LayerSettings("valid", (2, 2))
    shapes = net.stage_shapes((23, 29, 3), doc_settings)
    assert shapes[0].output_shape == (11, 14, 4) and shapes[1].output_shape == (9, 12, 3)
    with pytest.raises(ValueError, match="Layer 2"):
        net.stage_shapes((4, 4, 3), LayerSettings("valid"))


def test_receptive_field_grows_through_layers():
    l1 = small_layer(k=3, settings=LayerSettings("valid"))
    net, _ = Network((l1,)).appended(small_layer(c_in=4, k=3, settings=LayerSettings("valid")))
    regions = net.receptive_field((0, 0))
    assert regions[0].size == (5, 5) and regions[1].size == (3, 3)
    assert regions[0] == (0, 4, 0, 4)
    # with stride 2 in layer 1, layer 2's 3 taps are 2 apart
    regions = net.receptive_field((1, 2), first=LayerSettings("valid", 2))
    assert regions[0].size == (7, 7) and regions[0].top == 2 and regions[0].left == 4
    # brute force: perturb input pixels and see which change output (1, 2) of layer 2
    s1 = LayerSettings("same", 2)
    x = RNG.uniform(0, 1, (15, 15, 3))
    net_same, _ = Network((small_layer(k=3, activation="none"),)).appended(
        small_layer(c_in=4, k=3, activation="none", settings=LayerSettings("same")))

    def out(img):
        y = conv_layer(img, net_same[0].weights(), **s1.kwargs())
        return conv_layer(y, net_same[1].weights(), **net_same[1].settings.kwargs())[1, 2]

    base = out(x)
    touched = np.zeros((15, 15), bool)
    for r in range(15):
        for c in range(15):
            y = x.copy()
            y[r, c] += 1.0
            touched[r, c] = np.any(out(y) != base)
    region = net_same.receptive_field((1, 2), first=s1)[0].clipped((15, 15))
    rows, cols = np.nonzero(touched)
    assert rows.min() >= region.top and rows.max() <= region.bottom
    assert cols.min() >= region.left and cols.max() <= region.right
    assert (rows.min(), rows.max(), cols.min(), cols.max()) == tuple(region)


# -- decomposition ----------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("activation", ["none", "relu", "sigmoid", "tanh"])
def test_decomposition_equals_conv_layer(mode, activation):
    s = LayerSettings("same", (2, 1), (1, 2), mode)
    layer = small_layer(k=3, activation=activation, settings=s)
    full = conv_layer(IMAGE, layer.weights(), layer.biases(), activation=layer.conv_activation, **s.kwargs())
    for idx in [(0, 0), (5, 7), (full.shape[0] - 1, full.shape[1] - 1)]:
        for fi in range(layer.out_channels):
            d = decompose(IMAGE, layer, fi, idx)
            assert d.value == pytest.approx(full[idx + (fi,)], rel=1e-12, abs=1e-9)
            for c in range(3):
                ref = correlate(IMAGE[:, :, c], layer.filters[fi].slice(c), **s.kwargs())[idx]
                assert d.channel_values[c] == pytest.approx(ref, rel=1e-12, abs=1e-9)
            assert d.total == pytest.approx(sum(d.channel_values))
            assert d.pre_activation == d.total + layer.filters[fi].bias
    with pytest.raises(ValueError, match="outside"):
        decompose(IMAGE, layer, 0, (100, 0))


def test_input_patch_on_grey_and_partial_maps():
    s = LayerSettings("full", 1, 1, "zeros")
    grey = IMAGE[:, :, 0]
    patch = input_patch(grey, (3, 3), (0, 0), s)
    assert patch.shape == (3, 3, 1) and patch[:2, :, 0].sum() == 0 and patch[2, 2, 0] == grey[0, 0]
    layer = small_layer(activation="none")
    partial = channel_partial_maps(IMAGE, layer, 2)
    pre = sum(partial) + layer.filters[2].bias
    assert np.allclose(pre, conv_layer(IMAGE, layer.weights(), layer.biases(), padding="same")[..., 2])
    as_list = [IMAGE[:, :, c] for c in range(3)]
    assert np.array_equal(channel_partial_maps(as_list, layer, 2, channels=[1])[0], partial[1])
    d_list, d_arr = decompose(as_list, layer, 1, (4, 5)), decompose(IMAGE, layer, 1, (4, 5))
    assert d_list.channel_values == d_arr.channel_values
    with pytest.raises(ValueError, match="mismatch"):
        channel_partial_maps(as_list[:2], layer, 0)
    for padding in ("same", "valid", "full"):
        s = LayerSettings(padding, (2, 1), (1, 2), "reflect")
        full = channel_partial_maps(IMAGE, layer, 1, s)
        for step in (2, 3, 5):
            sampled = channel_partial_maps(IMAGE, layer, 1, s, step=step)
            for a, b in zip(sampled, full):
                assert a.shape == b[::step, ::step].shape
                assert np.allclose(a, b[::step, ::step], rtol=1e-12, atol=1e-9)


# -- cached maps -------------------------------------------------------------------------------------
def reference(net, image, first=None, dtype=np.float64):
    x = image.astype(dtype)
    outs = []
    for i, layer in enumerate(net.layers):
        x = conv_layer(x, layer.weights(), layer.biases(), activation=layer.conv_activation,
                       **net.settings_for(i, first).kwargs())
        outs.append(x)
    return outs


def test_maps_equal_conv_layer_and_only_edited_filter_recomputes():
    net, _ = Network((small_layer(n=5),)).appended()
    calc = MapCalculator()
    res = calc.compute(net, IMAGE)
    assert res[0].recomputed == [0, 1, 2, 3, 4] and res[0].maps[0].dtype == np.float64
    for got, ref in zip(res, reference(net, IMAGE)):
        assert np.allclose(got.stacked(), ref, rtol=1e-12, atol=1e-10)
    layer = net[0]
    edited = layer.with_filter(3, layer.filters[3].with_weight(1, 0, 2, 5.0))
    net2, _ = net.with_layer(0, edited)
    res2 = calc.compute(net2, IMAGE)
    assert res2[0].recomputed == [3]
    for i in (0, 1, 2, 4):
        assert res2[0].maps[i] is res[0].maps[i]
    assert not np.array_equal(res2[0].maps[3], res[0].maps[3])
    assert res2[1].recomputed == [0, 1, 2]            # the next layer's input changed
    for got, ref in zip(res2, reference(net2, IMAGE)):
        assert np.allclose(got.stacked(), ref, rtol=1e-12, atol=1e-10)
    # bias and activation: no convolution, right values
    net3, _ = net2.with_layer(0, edited.with_activation("tanh").with_filter(0, edited.filters[0].with_bias(9)))
    res3 = calc.compute(net3, IMAGE)
    assert res3[0].recomputed == []
    for got, ref in zip(res3, reference(net3, IMAGE)):
        assert np.allclose(got.stacked(), ref, rtol=1e-12, atol=1e-12)
    # reorder: no convolution either
    net4, _ = net3.with_layer(0, net3[0].moved(4, 0))
    assert calc.compute(net4, IMAGE)[0].recomputed == []
    # a new image object recomputes everything, settings too
    assert calc.compute(net4, IMAGE.copy())[0].recomputed == [0, 1, 2, 3, 4]
    res5 = calc.compute(net4, IMAGE, first=LayerSettings("valid", 2))
    assert res5[0].maps[0].shape == (11, 14)
    for got, ref in zip(res5, reference(net4, IMAGE, LayerSettings("valid", 2))):
        assert np.allclose(got.stacked(), ref, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("activation", ["none", "relu", "sigmoid", "tanh"])
def test_each_activation_and_bias(activation):
    layer = small_layer(activation=activation)
    res = MapCalculator().compute(Network((layer,)), IMAGE)[0]
    pre = conv_layer(IMAGE, layer.weights(), padding="same")
    expected = {"none": lambda v: v, "relu": lambda v: np.maximum(v, 0),
                "sigmoid": lambda v: 1 / (1 + np.exp(-v)), "tanh": np.tanh}[activation]
    for i, f in enumerate(layer.filters):
        assert np.allclose(res.maps[i], expected(pre[..., i] + f.bias), rtol=1e-12, atol=1e-12)


def test_float32_for_large_inputs():
    assert display_dtype((512, 512)) == np.float32 and display_dtype((256, 256)) == np.float64
    big = RNG.uniform(0, 255, (520, 400, 3))
    layer = small_layer(n=2)
    res = MapCalculator().compute(Network((layer,)), big)[0]
    assert res.maps[0].dtype == np.float32
    ref = conv_layer(big, layer.weights(), layer.biases(), padding="same", activation="relu")
    assert np.allclose(res.stacked(), ref, rtol=1e-4, atol=1e-2)


def test_levels_match_display_levels():
    for values in (np.array([[-3.0, 2.0]]), np.array([[0.0, 5.0]]), np.zeros((2, 2)), np.array([[1.0, 4.0]])):
        assert levels_from_range(*map_range(values)) == display_levels(values)
    a, b = np.array([[-1.0, 0.5]]), np.array([[0.0, 7.0]])
    assert shared_levels([map_range(a), map_range(b)]) == display_levels(np.concatenate([a, b], axis=1))
    assert thumbnail(np.zeros((512, 300)), 160).shape == (128, 75) and thumbnail_step((512, 300), 160) == 4
    assert thumbnail(np.zeros((50, 60)), 160).shape == (50, 60)


def test_strongest_pixel():
    v = np.zeros((4, 5))
    assert strongest_pixel(v) == (0, 0)
    v[2, 3], v[1, 1] = -7, 5
    assert strongest_pixel(v) == (2, 3)
    v[0, 0] = np.nan
    assert strongest_pixel(v) == (2, 3)
    big = np.zeros((20, 20))
    big[0, 5], big[9, 9] = 10, 3
    assert strongest_pixel(big) == (0, 5) and strongest_pixel(big, margin=2) == (9, 9)
