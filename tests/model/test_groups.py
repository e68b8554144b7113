"""Grouped and depthwise convolution: conv_layer(groups=), its costs, the separable comparison, the channel map."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import naive_correlate

from convviz.model import conv_layer, layer_costs
from convviz.model.costs import group_channels, separable_costs


def naive_grouped(x, w, groups, padding="valid", stride=(1, 1), dilation=(1, 1)):
    """Filter o correlates the input channels of its group with its own (KH, KW, C_in/G) kernel, by loops."""
    c_in, c_out = x.shape[2], w.shape[3]
    seen, per_group = c_in // groups, c_out // groups
    maps = []
    for o in range(c_out):
        g = o // per_group
        maps.append(naive_correlate(x[:, :, g * seen:(g + 1) * seen], w[:, :, :, o], padding, stride, dilation))
    return np.stack(maps, axis=2)


@settings(max_examples=40, deadline=None)
@given(
    groups=st.integers(1, 4), seen=st.integers(1, 3), per_group=st.integers(1, 3),
    h=st.integers(1, 7), w=st.integers(3, 7), k=st.integers(1, 3), s=st.integers(1, 2),
    padding=st.sampled_from(["valid", "same", 1]), bias=st.booleans(),
)
def test_grouped_conv_layer_matches_naive_loops(groups, seen, per_group, h, w, k, s, padding, bias):
    kh = min(k, h) if padding == "valid" else k
    rng = np.random.default_rng(groups * 100 + seen * 10 + per_group)
    x = rng.normal(size=(h, w, groups * seen))
    weights = rng.normal(size=(kh, k, seen, groups * per_group))
    b = rng.normal(size=groups * per_group) if bias else None
    ours = conv_layer(x, weights, b, groups=groups, padding=padding, stride=s)
    expected = naive_grouped(x, weights, groups, padding, (s, s))
    if bias:
        expected = expected + b
    assert ours.shape == expected.shape
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-12)


def test_groups_one_is_the_standard_layer_and_depthwise_filters_each_channel_alone():
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(9, 8, 4)), rng.normal(size=(3, 3, 4, 4))
    assert np.array_equal(conv_layer(x, w, groups=1), conv_layer(x, w))
    depthwise = rng.normal(size=(3, 3, 1, 4))
    out = conv_layer(x, depthwise, groups=4, padding="same", activation="relu")
    for c in range(4):
        expected = np.maximum(naive_correlate(x[:, :, c], depthwise[:, :, 0, c], "same"), 0)
        np.testing.assert_allclose(out[:, :, c], expected, rtol=0, atol=1e-12)


def test_depthwise_with_a_channel_multiplier():
    """groups = C_in with C_out = 2·C_in: two filters per channel, filters 2c and 2c+1 reading channel c."""
    rng = np.random.default_rng(1)
    x, w = rng.normal(size=(7, 6, 3)), rng.normal(size=(3, 3, 1, 6))
    out = conv_layer(x, w, groups=3)
    for o in range(6):
        np.testing.assert_allclose(out[:, :, o], naive_correlate(x[:, :, o // 2], w[:, :, 0, o]), rtol=0, atol=1e-12)


def test_float32_in_float32_out():
    x, w = np.ones((5, 5, 4), dtype=np.float32), np.ones((3, 3, 2, 4), dtype=np.float32)
    assert conv_layer(x, w, groups=2).dtype == np.float32


@pytest.mark.parametrize("x_shape,w_shape,groups,message", [
    ((5, 5, 4), (3, 3, 2, 6), 4, "groups=4 must divide both the input channels \\(4\\) and the filters \\(6\\)"),
    ((5, 5, 3), (3, 3, 1, 4), 2, "must divide both"),
    ((5, 5, 4), (3, 3, 4, 4), 2, "4 channels / 2 groups = 2 per filter but the filter bank expects 4"),
    ((5, 5, 4), (3, 3, 2, 4), 0, "groups must be a positive integer"),
    ((5, 5, 4), (3, 3, 2, 4), 1.5, "groups must be a positive integer"),
    ((5, 5, 4), (3, 3, 2, 4), True, "groups must be a positive integer"),
])
def test_bad_groups_raise_value_error(x_shape, w_shape, groups, message):
    with pytest.raises(ValueError, match=message):
        conv_layer(np.ones(x_shape), np.ones(w_shape), groups=groups)


# ---------------------------------------------------------------- costs


def test_grouped_costs_count_the_channels_each_filter_sees():
    standard = layer_costs((32, 32, 64), 3, 128, "same", bias=False)
    grouped = layer_costs((32, 32, 64), 3, 128, "same", bias=False, groups=4)
    assert grouped.conv_params == 3 * 3 * 16 * 128 == standard.conv_params // 4
    assert grouped.conv_macs == 32 * 32 * 128 * 3 * 3 * 16 == standard.conv_macs // 4
    assert grouped.dense_params == standard.dense_params and grouped.groups == 4
    depthwise = layer_costs((32, 32, 32), 3, 32, "same", groups=32)
    assert depthwise.conv_params == 3 * 3 * 32 + 32
    assert depthwise.conv_formula() == "(32/32)·3·3·32 + 32 = 320"
    assert standard.conv_formula() == "64·3·3·128 = 73,728"
    assert depthwise.as_dict()["groups"] == 32


def test_grouped_costs_equal_the_weights_conv_layer_uses():
    """The parameter count is the size of the weight array conv_layer accepts, plus the biases."""
    c = layer_costs((6, 6, 6), (3, 2), 9, groups=3)
    w = np.ones((3, 2, 2, 9))
    assert c.conv_params == w.size + 9
    out = conv_layer(np.ones((6, 6, 6)), w, np.zeros(9), groups=3)
    assert out.shape == c.output_shape
    assert c.conv_macs == out.size * 3 * 2 * 2


def test_bad_groups_in_costs():
    with pytest.raises(ValueError, match="must divide both"):
        layer_costs((8, 8, 3), 3, 64, groups=2)
    with pytest.raises(ValueError, match="positive integer"):
        layer_costs((8, 8, 3), 3, 3, groups=0)


def test_separable_costs_are_mobilenets_saving():
    s = separable_costs((112, 112, 32), 3, 64, "same", bias=False)
    assert s.depthwise.conv_params == 3 * 3 * 32 and s.pointwise.conv_params == 32 * 64
    assert s.separable_params == 288 + 2048 and s.standard.conv_params == 3 * 3 * 32 * 64
    assert s.depthwise.conv_macs == 112 * 112 * 32 * 9 and s.pointwise.conv_macs == 112 * 112 * 32 * 64
    assert s.separable_macs == s.depthwise.conv_macs + s.pointwise.conv_macs
    # the MobileNet paper: separable / standard = 1/N + 1/K²
    assert 1 / s.macs_ratio == pytest.approx(1 / 64 + 1 / 9)
    assert 1 / s.params_ratio == pytest.approx(1 / 64 + 1 / 9)
    assert s.as_dict()["depthwise"]["groups"] == 32


def test_separable_costs_with_bias_stride_and_multiplier():
    s = separable_costs((15, 15, 8), 3, 16, 1, stride=2, depth_multiplier=2)
    assert s.depthwise.output_shape == (8, 8, 16) and s.pointwise.output_shape == (8, 8, 16)
    assert s.depthwise.conv_params == 3 * 3 * 16 + 16 and s.pointwise.conv_params == 16 * 16 + 16
    assert s.standard.output_shape == s.pointwise.output_shape
    with pytest.raises(ValueError, match="depth_multiplier"):
        separable_costs((15, 15, 8), 3, 16, depth_multiplier=0)


def test_group_channels():
    assert group_channels(4, 4, 1) == [range(0, 4)] * 4
    assert group_channels(4, 8, 4) == [range(0, 1), range(0, 1), range(1, 2), range(1, 2), range(2, 3),
                                       range(2, 3), range(3, 4), range(3, 4)]
    with pytest.raises(ValueError, match="must divide"):
        group_channels(4, 6, 4)


def test_group_channels_agree_with_conv_layer():
    """Changing a channel a filter does not see leaves that filter's map alone."""
    rng = np.random.default_rng(2)
    x, w = rng.normal(size=(6, 6, 6)), rng.normal(size=(3, 3, 2, 6))
    before = conv_layer(x, w, groups=3)
    x2 = x.copy()
    x2[:, :, 4] += 1.0
    after = conv_layer(x2, w, groups=3)
    for o, channels in enumerate(group_channels(6, 6, 3)):
        assert (4 in channels) == (not np.allclose(before[:, :, o], after[:, :, o]))


# ---------------------------------------------------------------- PyTorch


def _torch_grouped(x, w, b, groups, padding, stride, dilation):
    torch = pytest.importorskip("torch")
    xt = torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1)))[None]
    wt = torch.from_numpy(np.ascontiguousarray(w.transpose(3, 2, 0, 1)))
    bt = None if b is None else torch.from_numpy(b)
    out = torch.nn.functional.conv2d(xt, wt, bt, stride=stride, padding=padding, dilation=dilation, groups=groups)
    return out[0].numpy().transpose(1, 2, 0)


@pytest.mark.parametrize("name,x_shape,w_shape,groups,padding,stride,dilation", [
    ("grouped", (10, 9, 6), (3, 3, 2, 9), 3, 0, 1, 1),
    ("depthwise", (10, 9, 5), (3, 3, 1, 5), 5, 1, 1, 1),
    ("depthwise multiplier", (10, 9, 4), (3, 3, 1, 12), 4, 0, 1, 1),
    ("depthwise padded strided", (11, 12, 4), (5, 3, 1, 4), 4, (2, 1), (2, 3), 1),
    ("depthwise dilated", (11, 12, 3), (3, 3, 1, 6), 3, 2, 1, 2),
    ("1-D grouped", (1, 20, 6), (1, 5, 3, 4), 2, (0, 2), (1, 2), 1),
    ("1-D depthwise", (1, 16, 4), (1, 3, 1, 4), 4, (0, 1), 1, (1, 2)),
])
def test_grouped_conv_layer_matches_torch(name, x_shape, w_shape, groups, padding, stride, dilation):
    pytest.importorskip("torch")
    rng = np.random.default_rng(len(name))
    x, w, b = rng.normal(size=x_shape), rng.normal(size=w_shape), rng.normal(size=w_shape[3])
    ours = conv_layer(x, w, b, groups=groups, padding=padding, stride=stride, dilation=dilation)
    theirs = _torch_grouped(x, w, b, groups, padding, stride, dilation)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)
