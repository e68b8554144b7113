"""Grouped convolution on the bank (issue #15): maps, channel sums and the state's groups, without Qt."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.model import ConvDocument, conv_layer
from convviz.model.bank import LayerSettings, MapCalculator, Network, default_bank, random_filter
from convviz.model.bank.display import MapJob, MapRequest, explain_pixel
from convviz.model.bank.groups import check_layer_groups, group_choices, grouped_weights, groups_lines, masked_layer
from convviz.model.costs import group_channels
from convviz.model.states.bank import BankState


def six_filters(c_in=3) -> Network:
    rng = np.random.default_rng(3)
    return Network((default_bank(c_in).with_filters(
        [random_filter(rng, (3, 3), c_in, name=f"r{i}") for i in range(6)]),))


def image(h=17, w=19, c=3):
    return np.random.default_rng(5).uniform(0, 255, (h, w, c))


def test_group_choices_divide_both_channel_counts():
    assert group_choices(3, 6) == [1, 3]
    assert group_choices(4, 6) == [1, 2]
    assert group_choices(3, 4) == [1]
    layer = six_filters()[0]
    with pytest.raises(ValueError, match="divide both"):
        check_layer_groups(2, layer)


@pytest.mark.parametrize("groups", [1, 3])
def test_maps_equal_grouped_conv_layer(groups):
    net, x = six_filters(), image()
    w = grouped_weights(net[0], groups)
    assert w.shape == (3, 3, 3 // groups, 6)
    stages = MapCalculator().compute(net, x, first=LayerSettings("same"), dtype=np.float64, groups=(groups,))
    want = conv_layer(x, w, groups=groups, padding="same")
    np.testing.assert_allclose(np.stack(stages[0].pre_activation, axis=-1), want, rtol=0, atol=1e-9)
    np.testing.assert_allclose(stages[0].stacked(), np.maximum(want, 0), rtol=0, atol=1e-9)   # ReLU
    # filter o sees only its block of channels: the same as an ordinary convolution with the others zeroed
    masked = masked_layer(net[0], groups).weights()
    np.testing.assert_allclose(conv_layer(x, masked, padding="same"), want, rtol=0, atol=1e-9)


def test_calculator_recomputes_when_groups_change():
    net, x, calc = six_filters(), image(), MapCalculator()
    first = LayerSettings("valid")

    def pre(groups=()):
        return np.stack(calc.compute(net, x, first=first, dtype=np.float64, groups=groups)[0].pre_activation, -1)

    standard, depthwise = pre(), pre((3,))
    assert not np.allclose(standard, depthwise)
    np.testing.assert_allclose(depthwise, conv_layer(x, grouped_weights(net[0], 3), groups=3), atol=1e-9, rtol=0)
    np.testing.assert_allclose(standard, conv_layer(x, net[0].weights()), atol=1e-9, rtol=0)
    np.testing.assert_allclose(pre(), standard, atol=0, rtol=0)


def test_channel_sums_of_a_grouped_filter_see_only_its_channels():
    net, x = six_filters(), image()
    req = MapRequest(net, x, False, LayerSettings("valid"), 0, 4, groups=(3,))
    result = MapJob()(req)
    e = explain_pixel(result, (5, 6))
    seen = group_channels(3, 6, 3)[4]
    values = e.decomposition.channel_values
    assert [c for c in range(3) if values[c] != 0.0] == list(seen)
    assert e.decomposition.value == pytest.approx(e.map_value, abs=1e-9)
    assert e.map_value == pytest.approx(result.shown.maps[4][5, 6], abs=1e-9)


def test_groups_lines_name_the_channels():
    lines = groups_lines(six_filters()[0], 3, ("R", "G", "B"))
    assert lines[0].endswith(": R") and lines[2].endswith(": G") and lines[5].endswith(": B")


def test_state_groups_round_trip_and_fallback():
    doc = ConvDocument(image=image())
    state = BankState()
    state.bind_document(doc)
    state.apply(**state.checked(network=six_filters()))
    state.apply(**state.changes_from({"groups": [3]}))
    assert state.groups == (3,)
    settings = state.settings()
    assert settings["groups"] == [3]
    other = BankState()
    other.bind_document(doc)
    other.apply(**other.checked(network=six_filters()))
    other.apply(**other.changes_from(settings))
    assert other.groups_for(other.network_for()[0]) == (3,)
    with pytest.raises(ValueError, match="divide both"):
        state.changes_from({"groups": [2]})
    # a bank whose channels no longer divide: shown as standard convolution
    state.apply(**state.checked(network=None))
    assert state.groups_for(state.network_for()[0]) == (1,)
    assert "groups" not in state.settings()
