"""Layer stack costs: per-layer rows built on layer_costs, totals and receptive field (no Qt)."""

import pytest

from convviz.model import layer_costs
from convviz.model.layer_stack import ConvLayerSpec, stack_costs


def test_each_layer_feeds_the_next():
    specs = [ConvLayerSpec(5, 64, 1, "valid"), ConvLayerSpec(3, 32, 2, "same"), ConvLayerSpec(3, 10, 1, 1)]
    s = stack_costs((32, 32, 3), specs, bias=True)
    first = layer_costs((32, 32, 3), 5, 64, "valid", bias=True)
    second = layer_costs((28, 28, 64), 3, 32, "same", stride=2, bias=True)
    third = layer_costs(second.output_shape, 3, 10, 1, bias=True)
    assert [row.costs for row in s.layers] == [first, second, third]
    assert second.output_shape == (14, 14, 32)
    assert s.output_shape == third.output_shape == (14, 14, 10)
    assert s.total_params == first.conv_params + second.conv_params + third.conv_params
    assert s.total_params == (5 * 5 * 3 * 64 + 64) + (3 * 3 * 64 * 32 + 32) + (3 * 3 * 32 * 10 + 10)
    assert s.total_macs == first.conv_macs + second.conv_macs + third.conv_macs
    assert s.total_bytes == 4 * s.total_params


def test_receptive_field_grows_with_kernels_and_strides():
    s = stack_costs((64, 64, 1), [ConvLayerSpec(3, 8, 2, "same"), ConvLayerSpec(3, 8, 2, "same"),
                                  ConvLayerSpec(3, 8, 1, "same")])
    # r: 1 → 3 (jump 1→2) → 3 + 2·2 = 7 (jump 4) → 7 + 2·4 = 15
    assert [row.receptive_field for row in s.layers] == [(3, 3), (7, 7), (15, 15)]
    assert [row.jump for row in s.layers] == [(2, 2), (4, 4), (4, 4)]
    assert s.receptive_field == (15, 15)


def test_dilation_and_rectangular_kernels():
    s = stack_costs((40, 40, 1), [ConvLayerSpec((3, 5), 4, 1, "valid", dilation=2)])
    assert s.layers[0].receptive_field == (5, 9)
    assert s.layers[0].costs.output_shape == (36, 32, 4)


def test_empty_stack():
    s = stack_costs((8, 8, 3), [])
    assert s.total_params == 0 and s.output_shape == (8, 8, 3) and s.receptive_field == (1, 1)


def test_a_layer_that_does_not_fit_is_named():
    with pytest.raises(ValueError, match="Layer 2"):
        stack_costs((8, 8, 1), [ConvLayerSpec(5, 4, 1, "valid"), ConvLayerSpec(5, 4, 1, "valid")])
    with pytest.raises(ValueError, match="Layer 1"):
        stack_costs((8, 8, 1), [ConvLayerSpec(3, 0)])
