"""Lessons 09, 10 and 12 set up the filter-bank and learned-filters panels (state and maps checked against
the model); bank sessions round-trip; bad banks and bad settings are refused and nothing changes."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from ui_support import make_window

from convviz.io.banks import bank_to_json, network_from_json
from convviz.io.lesson_state import settings_at
from convviz.io.lessons import load_lesson
from convviz.model import PRESETS, conv_layer
from convviz.model.bank import colour_difference_filter, filter_from_preset
from convviz.model.bank.lesson import layer_from_names
from convviz.model.training import KernelTrainer, hidden_kernel_target, working_copy


def _maps_equal_conv_layer(panel):
    """The shown maps equal conv_layer of the panel's image with its bank's weights, biases and activations."""
    assert panel.wait_for_maps()
    x = panel.document.input_image()
    x = x[:, :, None] if x.ndim == 2 else x
    first = panel.first_settings()
    for i, layer in enumerate(panel.network.layers):
        s = panel.network.settings_for(i, first)
        x = conv_layer(x, layer.weights(), layer.biases(), activation=layer.conv_activation, **s.kwargs())
        if i == panel.layer_index:
            break
    maps, _, _ = panel.shown_maps()
    np.testing.assert_allclose(np.stack(maps, axis=-1), x, rtol=1e-9, atol=1e-9)


def _go(window, name, i):
    c = window.classroom
    if c.lessons.lesson is None or not c.lessons.lesson.name.endswith(name):
        assert c.open_lesson(name)
    assert c.lessons.go(i)
    return c.lessons.lesson


def test_colour_lesson_builds_the_bank_it_describes(window):
    lesson = _go(window, "colour_stacked_filters", 0)
    bank = window.classroom.host.panel("bank")
    layer = bank.network[0]
    assert layer.names == ["sobel_x", "sobel_y", "gaussian_blur", "red_minus_green"]
    np.testing.assert_array_equal(layer.filters[1].weights, filter_from_preset("sobel_y", 3).weights)
    np.testing.assert_array_equal(layer.filters[3].weights, colour_difference_filter(3, 0, 1).weights)
    assert layer.activation == "none" and len(bank.network) == 1 and bank.document.image.ndim == 3
    _maps_equal_conv_layer(bank)
    _go(window, "colour_stacked_filters", 1)
    assert bank.tabs.currentIndex() == 3 and bank.pixel == (173, 114) and bank.filter_index == 0
    d = bank.decomposition
    assert d.isVisible()
    _go(window, "colour_stacked_filters", 2)
    assert bank.tabs.currentWidget() is bank.stack
    maps, _, _ = bank.shown_maps()
    h, w = maps[0].shape
    kh, kw, c_in, c_out = layer.weights().shape
    caption = lesson.slides[2].caption
    assert f"{h}×{w}×{c_out}" in caption and f"{kh}×{kw}×{c_in}×{c_out} = {kh * kw * c_in * c_out}" in caption
    _go(window, "colour_stacked_filters", 3)
    assert bank.document.image_name == "landscape.png" and bank.network[0].names == layer.names
    _maps_equal_conv_layer(bank)


def test_conv_layer_lesson_sets_activation_bias_and_layers(window):
    lesson = load_lesson("conv_layer")
    bank = window.classroom.host.panel("bank")
    expected = [("none", 0.0, 1), ("relu", 0.0, 1), ("relu", -400.0, 1), ("sigmoid", 0.0, 1), ("relu", 0.0, 2)]
    for i, (activation, bias, layers) in enumerate(expected):
        _go(window, "conv_layer", i)
        assert {layer.activation for layer in bank.network.layers} == {activation}, i
        assert list(bank.network[0].biases()) == [bias] * 3, i
        assert len(bank.network) == layers and bank.layer_index == layers - 1, i
        _maps_equal_conv_layer(bank)
    bias_caption = lesson.slides[2].caption
    assert "b = −400" in bias_caption and settings_at(lesson, 2, "bank")["bias"] == -400
    # the ReLU and bias slides really change the maps: the bias removes weak positive responses
    _go(window, "conv_layer", 1)
    bank.wait_for_maps()
    relu = np.stack(bank.shown_maps()[0], -1)
    _go(window, "conv_layer", 2)
    bank.wait_for_maps()
    biased = np.stack(bank.shown_maps()[0], -1)
    assert relu.min() == 0 and ((relu > 0) & (relu <= 400)).any() and not ((biased > 0) & (relu <= 400)).any()


def test_jumping_back_in_the_conv_layer_lesson_gives_the_same_bank(window):
    _go(window, "conv_layer", 0)
    bank = window.classroom.host.panel("bank")
    before = bank_to_json(bank.network)
    _go(window, "conv_layer", 4)
    assert len(bank.network) == 2
    _go(window, "conv_layer", 0)
    assert bank_to_json(bank.network) == before


def test_learned_filters_lesson_walks_the_phases_then_iterates(window):
    lesson = load_lesson("learned_filters")
    panel = window.classroom.host.panel("learning")
    expected = [(1, 0), (3, 0), (5, 1), (5, 150), (5, 500)]
    for i, (phase, iterations) in enumerate(expected):
        _go(window, "learned_filters", i)
        t = panel.trainer
        assert (t.phase_number, t.iteration) == (phase, iterations), i
        assert panel.target_box.currentData() == "sobel_x" and panel.auto_rate.isChecked()
    # the same numbers as the model run by hand
    copy = working_copy(window.document.input_image())
    target = hidden_kernel_target(copy.image, PRESETS["sobel_x"].kernel, 3, "valid")
    reference = KernelTrainer(copy.image, target, 3, seed=0)
    reference.run(500)
    np.testing.assert_allclose(panel.trainer.kernel, reference.kernel, rtol=1e-9)
    history = np.array(panel.trainer.history)
    assert len(history) == 500 and history[-1] < history[149] < history[0] / 100
    assert "After 150 iterations" in lesson.slides[3].caption
    _go(window, "learned_filters", 1)
    assert panel.trainer.loss is not None and panel.trainer.gradient is None


def test_learning_settings_round_trip_and_bad_values(window):
    panel = window.classroom.host.panel("learning")
    window.classroom.host.show_panel("learning")
    panel.apply_lesson_settings({"target": "sobel_y", "kernel_size": 5, "rate": 2e-6, "seed": 7, "scale": "unit",
                                 "iterations": 12, "phase": 3, "no such key": 1})
    got = panel.lesson_settings()
    assert got == {"target": "sobel_y", "kernel_size": 5, "padding": "valid", "scale": "0-1", "seed": 7,
                   "rate": 2e-6, "speed": 100.0, "iterations": 12, "phase": 3}
    assert panel.trainer.rate == 2e-6 and not panel.auto_rate.isChecked()
    for bad in ({"target": "nope"}, {"kernel_size": 4}, {"rate": -1}, {"rate": "fast"}, {"seed": -3},
                {"phase": 6}, {"iterations": 10 ** 9}, {"iterations": 2.5}):
        with pytest.raises(ValueError):
            panel.apply_lesson_settings(bad)
        assert panel.lesson_settings() == got, bad


def test_bank_settings_and_bad_values(window):
    host = window.classroom.host
    host.show_panel("bank")
    bank = host.panel("bank")
    bank.apply_lesson_settings({"filters": ["sobel_x", "motion_blur"], "activation": "tanh", "bias": [1, -2],
                                "layers": 3, "layer": 2, "selected_filter": 1, "pixel": [4, 5], "view": "enlarged",
                                "shared_scale": False, "unknown": "ignored"})
    assert bank.network[0].kernel_hw == (5, 5)  # the 3×3 Sobel is centred in the 5×5 motion blur's size
    got = bank.lesson_settings()
    assert got == {"filters": ["sobel_x", "motion_blur"], "activation": "tanh", "bias": [1, -2], "layers": 3,
                   "layer": 2, "selected_filter": 1, "pixel": [4, 5], "view": "enlarged", "shared_scale": False,
                   "scale": "auto", "zoom_field": True}
    _maps_equal_conv_layer(bank)
    before = bank_to_json(bank.network)
    for bad in ({"filters": ["sobel_x", "nope"]}, {"activation": "softmax"}, {"bias": [1, 2, 3]},
                {"bias": "big"}, {"layers": 0}, {"layers": 99}, {"layer": 4}, {"selected_filter": 9},
                {"pixel": [10 ** 6, 0]}, {"view": "3d"}, {"filters": []}):
        with pytest.raises(ValueError):
            bank.apply_lesson_settings(bad)
        assert bank_to_json(bank.network) == before and bank.lesson_settings() == got, bad


def test_colour_filters_need_a_colour_image():
    with pytest.raises(ValueError, match="colour image"):
        layer_from_names(["red_minus_green"], 1)
    assert layer_from_names(["sobel_x", "blue_minus_red"], 3).names == ["sobel_x", "blue_minus_red"]


def test_network_from_json_raises_value_error():
    for data in ([], {"layers": []}, {"layers": [{"filters": [{"slices": [[["x"]]]}]}]}):
        with pytest.raises(ValueError):
            network_from_json(data)


def test_session_round_trip_keeps_the_bank(window, qtbot, tmp_path):
    host = window.classroom.host
    host.show_panel("bank")
    bank = host.panel("bank")
    bank.apply_lesson_settings({"filters": ["sobel_y", "laplacian", "gaussian_blur"], "bias": [3, -20, 0],
                                "activation": "sigmoid", "layers": 2})
    edited = bank.network[0].with_filter(0, bank.network[0].filters[0].with_weight(0, 1, 1, 2.5))
    bank.set_network(bank.network.with_layer(0, edited)[0])   # an edit that no preset name describes
    bank.wait_for_maps()
    maps = np.stack(bank.shown_maps()[0], -1)
    path = tmp_path / "bank.convviz"
    assert window.classroom.save_session_to(path)
    saved = json.loads(path.read_text())
    assert saved["bank"] == bank_to_json(bank.network) and "bank.filters" not in saved["view"]

    other = make_window(qtbot, tmp_path)
    try:
        assert other.classroom.open_session_from(path)
        restored = other.classroom.host.panel("bank")
        assert bank_to_json(restored.network) == bank_to_json(bank.network)
        assert restored.layer_index == bank.layer_index
        restored.wait_for_maps()
        np.testing.assert_array_equal(np.stack(restored.shown_maps()[0], -1), maps)
    finally:
        other.close()


def test_session_with_a_malformed_bank_is_refused_and_the_bank_stays(window, tmp_path):
    host = window.classroom.host
    host.show_panel("bank")
    bank = host.panel("bank")
    bank.apply_lesson_settings({"filters": ["sobel_x", "sobel_y"], "activation": "relu"})
    before = bank_to_json(bank.network)
    image_before = window.document.image
    path = tmp_path / "bad.convviz"
    assert window.classroom.save_session_to(path)
    data = json.loads(path.read_text())
    data["bank"]["layers"][0]["filters"][0]["slices"] = [[[1, "two"]]]
    data["document"]["kernel"] = [[0, 1, 0], [1, 1, 1], [0, 1, 0]]
    path.write_text(json.dumps(data))
    assert not window.classroom.open_session_from(path)
    assert re.search(r"filter bank cannot be used.*not a number", window.last_error)
    assert bank_to_json(bank.network) == before and window.document.image is image_before
    assert not np.array_equal(window.document.kernel, [[0, 1, 0], [1, 1, 1], [0, 1, 0]])
    with pytest.raises(ValueError):
        bank.apply_bank_json(data["bank"])
    assert bank_to_json(bank.network) == before
