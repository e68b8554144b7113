"""BankState (Qt-free): the bank as the tab's undoable state, its lesson form, and sessions without the tab."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.model import ConvDocument
from convviz.model.bank import (
    BankLayer,
    LayerSettings,
    Network,
    default_bank,
    filter_from_preset,
    random_filter,
)
from convviz.model.states.bank import BankState
from convviz.model.workspace import Workspace

RNG = np.random.default_rng(5)
COLOUR = RNG.uniform(0, 255, (30, 34, 3))
GREY = RNG.uniform(0, 255, (30, 34))


def bound(image=COLOUR, **doc) -> BankState:
    workspace = Workspace(ConvDocument(image=image, **{"padding": "same", **doc}))
    state = workspace.states["bank"]
    assert isinstance(state, BankState)
    return state


def colour_bank(n=5) -> Network:
    rng = np.random.default_rng(1)
    return Network((BankLayer(tuple(random_filter(rng, (3, 3), 3, name=f"f{i}") for i in range(n)), "relu",
                              LayerSettings()),))


def test_default_state_is_the_default_bank_of_the_image():
    state = bound()
    assert state.network is None and state.network_for()[0] == Network((default_bank(3),))
    assert state.settings() == {"layers": 1, "layer": 1, "selected_filter": 0, "view": "maps",
                                "shared_scale": False, "scale": "auto", "zoom_field": True, "activation": "relu",
                                "bias": 0}       # each map its own colour scale: a blur is not drawn black
    grey = bound(GREY)
    assert grey.network_for()[0][0].names == ["sobel_x", "sobel_y", "blur"]


def test_lesson_settings_build_the_bank_for_the_image_channels():
    """On a grey image the named filters get one slice: sobel_x is the 3×3 Sobel, not three of them summed."""
    grey = bound(GREY)
    grey.apply(**grey.changes_from({"filters": ["sobel_x", "laplacian"], "activation": "none", "bias": [1, -2]}))
    layer = grey.network[0]
    assert layer.in_channels == 1 and layer.activation == "none" and list(layer.biases()) == [1.0, -2.0]
    np.testing.assert_array_equal(layer.filters[0].weights, filter_from_preset("sobel_x", 1).weights)
    with pytest.raises(ValueError, match="colour image"):
        grey.changes_from({"filters": ["red_minus_green"]})
    colour = bound()
    colour.apply(**colour.changes_from({"filters": ["red_minus_green", "sobel_y"]}))
    assert colour.network[0].in_channels == 3 and colour.network[0].names == ["red_minus_green", "sobel_y"]


def test_settings_round_trip_and_bad_values_change_nothing():
    state = bound()
    wanted = {"filters": ["sobel_x", "motion_blur"], "activation": "tanh", "bias": [1, -2], "layers": 3, "layer": 2,
              "selected_filter": 1, "pixel": [4, 5], "view": "enlarged", "shared_scale": True, "scale": "robust",
              "zoom_field": False}
    state.apply(**state.changes_from({**wanted, "unknown": "ignored"}))
    assert state.settings() == wanted
    assert state.network[0].kernel_hw == (5, 5) and len(state.network) == 3
    before = state.values()
    for bad in ({"filters": ["sobel_x", "nope"]}, {"activation": "softmax"}, {"bias": [1, 2, 3]}, {"bias": "big"},
                {"layers": 0}, {"layers": 99}, {"layer": 4}, {"selected_filter": 9}, {"pixel": [10 ** 6, 0]},
                {"pixel": [1]}, {"view": "3d"}, {"filters": []}, {"shared_scale": "yes"}, {"scale": "log"},
                {"zoom_field": 1}, [1, 2]):
        with pytest.raises(ValueError):
            state.changes_from(bad)
        assert state.values() == before, bad


def test_pixel_is_checked_against_the_map_of_the_bound_image():
    state = bound(padding="valid")               # 30×34 → 28×32 with a 3×3 layer
    state.changes_from({"pixel": [27, 31]})
    with pytest.raises(ValueError, match="row"):
        state.changes_from({"pixel": [28, 0]})
    lone = BankState()                           # no document: any whole-number pixel is taken
    assert lone.changes_from({"pixel": [1000, 2000]})["pixel"] == (1000, 2000)
    with pytest.raises(ValueError):
        lone.changes_from({"pixel": [-1, 0]})


def test_a_new_bank_layer_or_filter_goes_back_to_the_strongest_pixel():
    state = bound()
    state.apply(pixel=(3, 4))
    assert "pixel" not in state.changes_from({"view": "stack"})
    assert state.changes_from({"selected_filter": 2})["pixel"] is None
    assert state.changes_from({"activation": "tanh"})["pixel"] is None
    assert state.changes_from({"selected_filter": 2, "pixel": [5, 6]})["pixel"] == (5, 6)


def test_settings_that_describe_the_default_keep_it_the_default():
    state = bound()
    assert "network" not in state.changes_from({"activation": "relu", "bias": 0, "layers": 1})
    state.apply(**state.changes_from({"bias": 3}))
    assert state.network is not None and list(state.network[0].biases()) == [3.0] * 4


def test_an_edited_bank_is_only_shown_adapted_and_comes_back_exactly():
    doc = ConvDocument(image=COLOUR)
    state = Workspace(doc).states["bank"]
    bank = colour_bank()
    state.apply(network=bank)
    doc.apply(gray=True)
    shown, notes = state.network_for()
    assert shown[0].in_channels == 1 and "summed" in notes[0] and state.network is bank
    np.testing.assert_array_equal(shown[0].filters[2].weights[:, :, 0], bank[0].filters[2].weights.sum(axis=2))
    doc.apply(gray=False)
    assert state.network_for() == (bank, [])


def test_selection_is_checked_against_the_bank():
    state = bound()
    with pytest.raises(ValueError, match="Layer 2 does not exist"):
        state.apply(layer_index=1)
    with pytest.raises(ValueError, match="Filter 5 does not exist"):
        state.apply(filter_index=4)            # the colour default has 4 filters
    state.apply(network=colour_bank(6), filter_index=5)
    with pytest.raises(ValueError, match="has 2 filter"):
        state.apply(network=colour_bank(2))    # the selected filter would not exist
    assert state.network == colour_bank(6)
    assert bound(GREY).selection(bound(GREY).network_for()[0]) == (0, 0)
    grey = bound(GREY)
    grey.apply(filter_index=3)                  # chosen on a colour image; a grey default bank has 3 filters
    assert grey.selection(grey.network_for()[0]) == (0, 2) and grey.settings()["selected_filter"] == 2


def test_a_sessions_bank_comes_first_and_its_settings_are_checked_against_it():
    state = bound()
    bank = colour_bank(6)
    changes = state.changes_from({"filters": ["sobel_x"], "layers": 1, "selected_filter": 5, "pixel": [2, 3],
                                  "view": "channel sums"}, bank=bank)
    assert changes["network"] is bank and changes["filter_index"] == 5 and changes["pixel"] == (2, 3)
    assert state.changes_from({}, bank=Network((default_bank(3),)))["network"] is None   # the default stays it
    with pytest.raises(ValueError):
        state.changes_from({"selected_filter": 6}, bank=bank)


def test_changes_for_a_loaded_bank_keep_what_fits():
    state = bound()
    state.apply(network=colour_bank(6), filter_index=5, pixel=(7, 8))
    changes = state.changes_for_bank(colour_bank(3))
    assert changes["filter_index"] == 2 and "pixel" not in changes and changes["network"] == colour_bank(3)
    assert state.changes_for_bank(Network((default_bank(3),)))["network"] is None


def test_workspace_settings_hold_the_bank_tab_built_or_not():
    workspace = Workspace(ConvDocument(image=COLOUR))
    workspace.apply_settings({"bank": {"filters": ["sobel_y", "gaussian_blur"], "bias": 2, "view": "stack"}})
    assert workspace.settings()["bank"] == {"layers": 1, "layer": 1, "selected_filter": 0, "view": "stack",
                                            "shared_scale": False, "scale": "auto", "zoom_field": True,
                                            "filters": ["sobel_y", "gaussian_blur"], "activation": "relu", "bias": 2}


def test_filters_and_banks_compare_by_value():
    a = filter_from_preset("sobel_x", 3)
    b = filter_from_preset("sobel_x", 3)
    assert a == b and hash(a) == hash(b) and a != a.with_bias(1) and a != a.renamed("x")
    assert a != a.with_weight(0, 0, 0, 5.0) and a != filter_from_preset("sobel_x", 1)
    assert Network((default_bank(3),)) == Network((default_bank(3),)) != Network((default_bank(1),))


def test_a_bank_over_the_weight_limit_is_refused_and_nothing_changes():
    from convviz.model.limits import MAX_BANK_WEIGHTS

    state = bound()
    wide = BankLayer(tuple(random_filter(RNG, (3, 3), 3).renamed(f"f{i}") for i in range(256)), "relu",
                     LayerSettings())
    deep = BankLayer(tuple(random_filter(RNG, (5, 5), 256).renamed(f"g{i}") for i in range(160)), "relu",
                     LayerSettings())
    big = Network((wide, deep))
    assert big.weight_count == 3 * 3 * 3 * 256 + 5 * 5 * 256 * 160 > MAX_BANK_WEIGHTS
    before = state.settings()
    with pytest.raises(ValueError, match=r"That bank has 1,030,912 weights; at most 1,000,000 are allowed"):
        state.apply(network=big, layer_index=1)
    assert state.network is None and state.settings() == before
    fits, _ = big.with_layer(1, deep.resized((4, 4)))
    state.apply(network=fits)                                  # 4×4: 662,272 weights
    assert state.network is fits and fits.weight_count == 3 * 3 * 3 * 256 + 4 * 4 * 256 * 160
    grey = bound(GREY)                                         # shown on a grey image, layer 1 reads one channel
    def layer(side, c_in, c_out):
        return BankLayer(tuple(random_filter(RNG, (side, side), c_in).renamed(f"f{i}") for i in range(c_out)),
                         "relu", LayerSettings())

    near = Network((layer(15, 1, 256), layer(3, 256, 256), layer(3, 256, 120)))     # 923,904 weights
    assert near.weight_count <= MAX_BANK_WEIGHTS < near.adapted_to(3)[0].weight_count
    grey.apply(network=near)
    with pytest.raises(ValueError, match="That bank has"):     # on a colour image it would not fit
        state.apply(network=near)
