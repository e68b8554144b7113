"""Lessons 14–17 (pooling and invariance, transposed convolution, depthwise-separable, separable kernels and the
frequency view): every number in a caption is the model's, and every slide, shown in the window, sets the
state its caption talks about and the panel shows those numbers."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.io import load_image
from convviz.io.lesson_state import document_at, panel_at, settings_at
from convviz.io.lessons import load_lesson
from convviz.model import PRESETS, ConvDocument, conv_transpose
from convviz.model.costs import separable_costs
from convviz.model.pooling import pool_steps
from convviz.model.pooling_view import pooling_source
from convviz.model.spectral_view import frequency_view, rank_sentence, separable_check, theorem_view
from convviz.model.states import PANEL_STATES
from convviz.model.transpose import transpose_output_formula, transpose_scatter_steps
from convviz.model.transpose_view import EXAMPLE_INPUT, EXAMPLE_KERNEL, checkerboard, image_crops
from convviz.model.units import count_text, ratio_text
from convviz.paths import resource_path

LESSONS = {"pooling_invariance": "pooling", "transposed_convolution": "transpose",
           "depthwise_separable": "spectral", "separable_and_frequency": "spectral"}
CONV = dict(padding="same", stride=1, dilation=1, padding_mode="zeros", flip=False)


def _doc_at(lesson, i) -> ConvDocument:
    doc = ConvDocument()
    doc.apply(**document_at(lesson, i))
    return doc


def _state_at(lesson, i, key):
    state = PANEL_STATES[key]()
    for j in range(i + 1):
        if lesson.slides[j].panel == key and lesson.slides[j].settings:
            state.apply(**state.changes_from(settings_at(lesson, j, key)))
    return state


@pytest.mark.parametrize("name, key", LESSONS.items())
def test_every_slide_shows_its_panel_with_valid_settings(name, key):
    lesson = load_lesson(name)
    assert 3 <= len(lesson.slides) <= 8
    for i, slide in enumerate(lesson.slides):
        assert panel_at(lesson, i) == key and slide.panel == key, (name, i)
        state = _state_at(lesson, i, key)      # raises if a slide's settings are refused
        assert state.settings()


# ------------------------------------------------------------------ the captions' numbers, from the model
def test_pooling_captions():
    lesson = load_lesson("pooling_invariance")
    caps = [s.caption for s in lesson.slides]
    doc = _doc_at(lesson, 0)
    st = _state_at(lesson, 0, "pooling")
    src = pooling_source(doc.image, "image", st.crop, 2, st.pool_kwargs())
    crop = src.shifted_crop(0, 0)
    assert pool_steps(crop, 2)[st.step].expression in caps[0]
    assert pool_steps(crop, 2, mode="avg")[1].expression in caps[2]
    assert _state_at(lesson, 2, "pooling").mode == "avg" and _state_at(lesson, 2, "pooling").step == 1
    assert len(pool_steps(crop, 2)) == 36 and _state_at(lesson, 1, "pooling").step == 35
    assert "12×12 crop becomes 6×6" in caps[1] and "256×256 picture becomes 128×128" in caps[1]
    assert doc.image.shape[:2] == (256, 256)
    for i, k in ((4, 2), (5, 3)):
        s = _state_at(lesson, i, "pooling")
        assert (s.source, s.dx, s.kernel_size, s.stride) == ("feature_map", 1, k, k)
        fmap = pooling_source(_doc_at(lesson, i).image, "feature_map", s.crop, k, s.pool_kwargs(),
                              kernel=PRESETS["sobel_x"].kernel, conv_kwargs=CONV)
        d = fmap.shift_difference(0, 1, k, **s.pool_kwargs())
        if k == 2:
            assert f"by {100 * d.unpooled_change:.0f} % of its mean" in caps[4]
            assert f"by only {100 * d.pooled_change:.0f} %" in caps[4]
        else:
            assert f"by only {100 * d.pooled_change:.0f} %" in caps[5]
        assert d.pooled_change < d.unpooled_change / 1.9


def test_transposed_convolution_captions():
    lesson = load_lesson("transposed_convolution")
    caps = [s.caption for s in lesson.slides]
    seq = transpose_scatter_steps(EXAMPLE_INPUT, EXAMPLE_KERNEL, stride=2)
    assert seq[0].expression in caps[0]
    out = conv_transpose(EXAMPLE_INPUT, EXAMPLE_KERNEL, stride=2)
    w = EXAMPLE_KERNEL
    assert out[2, 2] == 1 * w[2, 2] + 2 * w[2, 0] + 3 * w[0, 2] + 4 * w[0, 0] == 7
    assert "1·1 + 2·1 + 3·0 + 4·1 = 7" in caps[1] and out.shape == (5, 5) and "became 5×5" in caps[1]
    assert "D·(K − 1) − P = 2" in caps[2] and 1 * (3 - 1) - 0 == 2
    s = _state_at(lesson, 3, "transpose")
    formula = transpose_output_formula(2, 3, s.stride, s.padding, s.output_padding, s.dilation)
    assert formula in caps[3] and conv_transpose(EXAMPLE_INPUT, w, **s.transpose_kwargs()).shape == (4, 4)
    crops = image_crops(_doc_at(lesson, 4).image)
    ones, bilinear = checkerboard(crops.checker, "ones"), checkerboard(crops.checker, "bilinear")
    assert ones.crop.shape == (48, 48) and ones.upsampled.shape == (96, 96) and "48×48 → 96×96" in caps[4]
    assert sorted(np.unique(ones.inside).tolist()) == [1, 2, 4] and "1, 2 or 4 copies" in caps[4]
    assert np.unique(bilinear.inside).tolist() == [1.0] and "total weight of 1" in caps[5]


def test_depthwise_separable_captions():
    lesson = load_lesson("depthwise_separable")
    caps = [s.caption for s in lesson.slides]
    first = _state_at(lesson, 0, "spectral")
    s = separable_costs(*first.layer(), "same", bias=first.bias, depth_multiplier=first.multiplier)
    assert f"{count_text(s.standard.conv_params)} weights" in caps[0]
    assert f"{count_text(s.standard.conv_macs)} multiply-adds" in caps[0]
    assert f"{count_text(s.depthwise.conv_params)} weights and {count_text(s.depthwise.conv_macs)}" in caps[1]
    assert f"{count_text(s.pointwise.conv_params)} weights and {count_text(s.pointwise.conv_macs)}" in caps[2]
    assert f"{count_text(s.separable_params)} weights instead of {count_text(s.standard.conv_params)}" in caps[3]
    assert f"{count_text(s.separable_macs)} multiply-adds instead of {count_text(s.standard.conv_macs)}" in caps[3]
    assert f"{ratio_text(s.params_ratio)} fewer" in caps[3] and s.params_ratio == s.macs_ratio
    assert 1 / (1 / 64 + 1 / 9) == pytest.approx(s.params_ratio)
    for i in (4, 5):
        st = _state_at(lesson, i, "spectral")
        c = separable_costs(*st.layer(), "same", bias=st.bias, depth_multiplier=st.multiplier)
        assert f"{count_text(c.standard.conv_params)} weights against {count_text(c.separable_params)}" in caps[i]
        assert f"{ratio_text(c.params_ratio)} fewer" in caps[i]


def test_separable_and_frequency_captions():
    lesson = load_lesson("separable_and_frequency")
    caps = [s.caption for s in lesson.slides]
    crop = np.random.default_rng(0).uniform(0, 255, (64, 64))
    checks = {i: separable_check(_doc_at(lesson, i).kernel, crop, dict(padding="same")) for i in range(7)}
    assert checks[0].rank == 1 and "column [0.25, 0.5, 0.25] times the row [0.25, 0.5, 0.25]" in rank_sentence(
        checks[0])
    assert "column [0.25, 0.5, 0.25] times the row [0.25, 0.5, 0.25]" in caps[0] and checks[0].max_difference < 1e-9
    cost = checks[1].cost
    assert (cost.direct, cost.separable) == (25, 10) and f"{ratio_text(cost.ratio)[2:]} fewer" in caps[1]
    assert checks[2].column.tolist() == [1, 2, 1] and checks[2].row.tolist() == [-1, 0, 1]
    assert "[1, 2, 1]" in caps[2] and "[-1, 0, 1]" in caps[2]
    assert checks[3].rank == 2 and "[0, 1, 0] and [1, -4, 1] are not multiples" in rank_sentence(checks[3])
    assert "rank 2" in caps[3] and "[0, 1, 0] and [1, -4, 1]" in caps[3]
    blur = frequency_view(_doc_at(lesson, 4).kernel, 64)
    assert blur.centre_gain == pytest.approx(1) and blur.corner_gain == pytest.approx(0, abs=1e-12)
    assert "gain 1 in the middle" in caps[4] and "to 0 at the corners" in caps[4]
    edges = frequency_view(_doc_at(lesson, 5).kernel, 64)
    assert edges.centre_gain == pytest.approx(0, abs=1e-12) and edges.corner_gain == pytest.approx(8)
    assert "gain is 0 in the middle" in caps[5] and "8 at the corners" in caps[5]
    doc = _doc_at(lesson, 6)
    t = theorem_view(doc.image, doc.kernel, 128, flip=False)
    assert t.relative_difference < 1e-12 and "only rounding" in caps[6]


# ------------------------------------------------------------------ in the window
def _go(window, name, i):
    c = window.classroom
    if c.lessons.lesson is None or not c.lessons.lesson.name.endswith(name):
        assert c.open_lesson(name)
    assert c.lessons.go(i)
    return c.lessons.lesson


def test_pooling_lesson_in_the_window(window):
    lesson = _go(window, "pooling_invariance", 0)
    panel = window.classroom.host.panel("pooling")
    assert window.current_panel_key() == "pooling"
    assert "max(26, 59, 16, 45) = 59" in panel.step_text.text() and panel.step_index == 1
    _go(window, "pooling_invariance", 2)
    assert "(26 + 59 + 16 + 45) / 4 = 36.5" in panel.step_text.text()
    _go(window, "pooling_invariance", 3)
    assert panel.chain_label.text().endswith("max pool 2×2, stride 2 → 128×128")
    _go(window, "pooling_invariance", 4)
    assert "108 %" in panel.invariance_label.text() and "56 %" in panel.invariance_label.text()
    assert "108 %" in lesson.slides[4].caption
    _go(window, "pooling_invariance", 5)
    assert "by only 18 %" in panel.invariance_label.text() and panel.step_index == 15
    _go(window, "pooling_invariance", 0)       # jumping back gives the first slide again
    assert panel.lesson_settings()["source"] == "image" and panel.state.dx == 0


def test_transposed_lesson_in_the_window(window):
    _go(window, "transposed_convolution", 0)
    panel = window.classroom.host.panel("transpose")
    assert "x[0, 0] = 1 adds 1 × kernel to canvas rows 0–2, columns 0–2" in panel.step_text.text()
    _go(window, "transposed_convolution", 1)
    assert panel.canvas_grid.cell_text(2, 2) == "7"
    _go(window, "transposed_convolution", 2)
    assert panel.equal_label.text() == "Equal to the scatter: the largest difference is 0."
    _go(window, "transposed_convolution", 3)
    assert "(2−1)·2 − 2·1 + 1·(3−1) + 1 + 1 = 4" in panel.formula_label.text().replace("\u00a0", " ")
    _go(window, "transposed_convolution", 4)
    assert "1, 2, 4 in a checkerboard" in panel.checker_label.text()
    assert "48×48 → 96×96" in panel.checker_label.text()
    _go(window, "transposed_convolution", 5)
    assert "total weight of 1" in panel.checker_label.text()


def test_depthwise_lesson_in_the_window(window):
    lesson = _go(window, "depthwise_separable", 0)
    panel = window.classroom.host.panel("spectral")
    assert "18,432" in panel.cost_table.text() and "231,211,008" in panel.cost_table.text()
    _go(window, "depthwise_separable", 3)
    assert "≈ 7.9× fewer parameters" in panel.depthwise_label.text()
    _go(window, "depthwise_separable", 4)
    assert "2,359,296" in panel.cost_table.text() and "266,752" in panel.cost_table.text()
    assert "2,359,296" in lesson.slides[4].caption
    _go(window, "depthwise_separable", 5)
    assert "51,200" in panel.cost_table.text() and "2,848" in panel.cost_table.text()


def test_frequency_lesson_in_the_window(window):
    _go(window, "separable_and_frequency", 0)
    panel = window.classroom.host.panel("spectral")
    assert panel.column_grid.texts() == [["0.25"], ["0.5"], ["0.25"]] and "Rank 1" in panel.rank_label.text()
    assert "(rounding)" in panel.difference_label.text() or "is 0." in panel.difference_label.text()
    _go(window, "separable_and_frequency", 1)
    assert "5 + 5 = 10" in panel.cost_label.text()
    _go(window, "separable_and_frequency", 3)
    assert "Rank 2" in panel.rank_label.text() and panel.equals_label.text() == "≈"
    _go(window, "separable_and_frequency", 4)
    assert "gain 1 in the middle" in panel.frequency_label.text()
    _go(window, "separable_and_frequency", 5)
    assert "gain 0 in the middle" in panel.frequency_label.text() and "8 at the corners" in panel.frequency_label.text()
    _go(window, "separable_and_frequency", 6)
    assert panel.theorem.relative_difference < 1e-12
    image = load_image(resource_path("images", "landscape.png"))
    np.testing.assert_array_equal(window.document.image, image)


def test_a_session_keeps_the_four_tabs_settings_built_or_not(window, qtbot, tmp_path):
    from ui_support import make_window

    host = window.classroom.host
    host.show_panel("pooling")                     # one tab built, the others only as states
    wanted = {"pooling": {"source": "feature_map", "mode": "avg", "kernel_size": 3, "stride": 2, "padding": 1,
                          "count_include_pad": False, "crop": 10, "step": 7, "dy": 1, "dx": -2},
              "transpose": {"input": "image", "kernel": "document", "stride": 3, "padding": 1, "output_padding": 2,
                            "dilation": 1, "step": 2, "checker": "bilinear"},
              "spectral": {"response_size": 32, "crop": 64, "h": 56, "w": 56, "c": 128, "k": 5, "filters": 256,
                           "multiplier": 2, "bias": True},
              "conv1d": {"signal": [0.0, 10.0, 10.0, 0.0], "kernel": [1.0, -1.0], "padding": "full", "flip": True,
                         "step": 4}}
    for key, settings in wanted.items():
        assert host.apply_panel_settings(key, settings)
    path = tmp_path / "layers.convviz"
    assert window.classroom.save_session_to(path)
    other = make_window(qtbot, tmp_path)
    try:
        assert other.classroom.open_session_from(path)
        for key, settings in wanted.items():
            assert other.workspace.states[key].settings() == settings, key
        pooling = other.classroom.host.panel("pooling")
        other.classroom.host.show_panel("pooling")
        assert pooling.mode_box.currentData() == "avg" and pooling.step_index == 7
    finally:
        other.close()
