"""The Filter bank's groups control (issue #15): offered values, maps from conv_layer(groups=), undo."""

from __future__ import annotations

import numpy as np
import pytest
from bank_support import shown_bank_panel

from convviz.model import ConvDocument, conv_layer
from convviz.model.bank import Network, default_bank, random_filter
from convviz.model.bank.groups import grouped_weights


@pytest.fixture
def panel(qtbot):
    rng = np.random.default_rng(1)
    img = rng.uniform(0, 255, (30, 34, 3))
    p = shown_bank_panel(qtbot, ConvDocument(image=img, padding="valid"))
    layer = default_bank(3).with_filters([random_filter(rng, (3, 3), 3, name=f"r{i}") for i in range(6)])
    p.state.apply(network=Network((layer,)))
    p.refresh_now()
    assert p.wait_for_maps()
    yield p
    p.close()


def test_only_dividing_groups_are_offered(panel):
    box = panel.layers.layer_groups
    assert [box.itemData(i) for i in range(box.count())] == [1, 3]
    assert "dividing both C_in and C_out" in box.toolTip()


def test_depthwise_maps_and_undo(panel):
    box = panel.layers.layer_groups
    box.setCurrentIndex(1)
    assert panel.state.groups == (3,)
    assert panel.wait_for_maps()
    x = panel.document.input_image()
    want = conv_layer(x, grouped_weights(panel.network[0], 3), groups=3)
    got = np.stack(panel.result.shown.pre_activation, axis=-1).astype(np.float64)
    assert got.dtype == np.float64 and panel.result.dtype == np.float64
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)
    assert "depthwise" in panel.layers.groups_label.text() and "6. r5: B" in panel.layers.groups_label.text()
    panel.editor.stack.undo()
    panel.refresh_now()
    assert panel.state.groups == ()
    assert box.currentData() == 1
    assert panel.wait_for_maps()
    want = conv_layer(x, panel.network[0].weights())
    np.testing.assert_allclose(np.stack(panel.result.shown.pre_activation, axis=-1), want, rtol=0, atol=1e-9)
