"""Issue #13: the bank keeps a colour photo's own uint8 values (no float64 copy); numbers read stay exact."""

from __future__ import annotations

import numpy as np

from convviz.model import conv_layer
from convviz.model.bank import LayerSettings, Network, default_bank
from convviz.model.bank.display import MapJob, MapRequest, explain_pixel


def test_uint8_photo_is_not_copied_and_channel_sums_are_exact():
    image = np.random.default_rng(2).integers(0, 256, (20, 23, 3), dtype=np.uint8)
    image.flags.writeable = False
    net = Network((default_bank(3),))
    result = MapJob()(MapRequest(net, image, False, LayerSettings("valid"), 0, 1))
    assert result.input.dtype == np.uint8 and np.shares_memory(result.input, image)
    e = explain_pixel(result, (7, 9))
    want = conv_layer(image.astype(np.float64), net[0].weights(), net[0].biases())[7, 9, 1]
    assert abs(e.decomposition.pre_activation - want) < 1e-9
    assert isinstance(e.decomposition.total, float)
