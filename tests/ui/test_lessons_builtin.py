"""The built-in lessons: every one loads, every slide applies to a document, and the numbers in
the captions are the numbers the model computes."""

from __future__ import annotations

import re

import numpy as np
import pytest

from convviz.io.lesson_state import COMPLETE_FIELDS, document_at, panel_at, settings_at
from convviz.io.lessons import PANEL_KEYS, builtin_lessons, load_lesson
from convviz.model import ConvDocument, layer_costs, steps

TOPICS = ["multiply_add", "filters_change_image", "output_size_padding", "stride_dilation",
          "correlation_vs_convolution", "dot_product_similarity", "conv_as_matrix",
          "weight_sharing_equivariance", "colour_stacked_filters", "conv_layer", "cost_savings", "learned_filters",
          "learn_from_labels", "pooling_invariance", "transposed_convolution", "depthwise_separable",
          "separable_and_frequency"]
NAMES = builtin_lessons()


def test_one_lesson_per_topic_in_teaching_order():
    assert NAMES == [f"{i:02d}_{t}" for i, t in enumerate(TOPICS, start=1)]


@pytest.mark.parametrize("name", NAMES)
def test_lesson_loads_and_every_slide_applies(name):
    lesson = load_lesson(name)
    assert 3 <= len(lesson.slides) <= 8
    assert lesson.title and lesson.description
    first = lesson.slides[0]
    assert set(COMPLETE_FIELDS) <= set(first.document), "the first slide must set up the whole document"
    assert first.panel in PANEL_KEYS
    doc = ConvDocument()
    for i, slide in enumerate(lesson.slides):
        assert slide.title and 40 <= len(slide.caption) <= 400, (name, i)
        doc.apply(**document_at(lesson, i))   # raises if the slide cannot be shown
        panel = panel_at(lesson, i)
        assert panel in PANEL_KEYS
        if panel == "player":
            settings = settings_at(lesson, i, "player")
            seq = steps(doc.input_image(), doc.kernel, doc.padding, stride=doc.stride, dilation=doc.dilation,
                        padding_mode=doc.padding_mode)
            assert 0 <= settings.get("step", 0) < len(seq), (name, i)


@pytest.mark.parametrize("name", NAMES)
def test_jumping_to_a_slide_equals_stepping_to_it(name):
    lesson = load_lesson(name)
    stepped = ConvDocument()
    for i in range(len(lesson.slides)):
        stepped.apply(**lesson.slides[i].document) if i else stepped.apply(**document_at(lesson, 0))
        jumped = ConvDocument()
        jumped.apply(**document_at(lesson, i))
        for key, value in stepped.state().items():
            if isinstance(value, np.ndarray):
                np.testing.assert_array_equal(value, getattr(jumped, key))
            else:
                assert value == getattr(jumped, key), (name, i, key)


def _player_step(lesson, i):
    doc = ConvDocument()
    doc.apply(**document_at(lesson, i))
    seq = steps(doc.input_image(), doc.kernel, doc.padding, stride=doc.stride, dilation=doc.dilation,
                padding_mode=doc.padding_mode)
    return seq[settings_at(lesson, i, "player")["step"]]


def test_multiply_add_captions_show_the_models_arithmetic():
    lesson = load_lesson("multiply_add")
    # slide 1 reveals no product, slide 2 two of them; from slide 3 on each step is shown whole
    assert [settings_at(lesson, i, "player")["revealed"] for i in (0, 1)] == [0, 2]
    first = _player_step(lesson, 1)
    for patch, weight, product in list(zip(first.patch.ravel(), first.kernel.ravel(), first.products.ravel()))[:2]:
        assert f"{patch:g}×{weight:g} = {product:g}" in lesson.slides[1].caption
    for i, slide in enumerate(lesson.slides[2:], start=2):
        assert settings_at(lesson, i, "player")["revealed"] is None
        assert _player_step(lesson, i).expression in slide.caption, i


def test_similarity_numbers_in_captions():
    lesson = load_lesson("dot_product_similarity")
    match, bright = _player_step(lesson, 1), _player_step(lesson, 2)
    assert f"dot product is {match.dot:.0f}" in lesson.slides[1].caption
    assert f"cosine similarity is {match.cosine:.2f}" in lesson.slides[1].caption
    assert f"bigger dot product, {bright.dot:.0f}" in lesson.slides[2].caption
    assert f"just {bright.cosine:.2f}" in lesson.slides[2].caption
    assert np.isnan(bright.pearson) and "undefined" in lesson.slides[3].caption


def test_output_sizes_in_captions():
    for name, i, size in [("output_size_padding", 0, "3"), ("output_size_padding", 1, "5×5"),
                          ("output_size_padding", 2, "7 outputs"), ("output_size_padding", 6, "252"),
                          ("stride_dilation", 0, "5×5"), ("stride_dilation", 2, "5×3")]:
        lesson = load_lesson(name)
        doc = ConvDocument()
        doc.apply(**document_at(lesson, i))
        h, w = doc.output_shape()
        shown = {"3": w == 3, "5×5": (h, w) == (5, 5), "7 outputs": w == 7, "252": w == 252, "5×3": (h, w) == (5, 3)}
        assert shown[size] and size in lesson.slides[i].caption, (name, i)


def test_flip_caption_numbers():
    lesson = load_lesson("correlation_vs_convolution")
    for i, value in ((0, 60), (1, 30)):
        doc = ConvDocument()
        doc.apply(**document_at(lesson, i))
        assert doc.compute()[0, 0] == value and f"= {value}" in lesson.slides[i].caption


def test_matrix_sizes_in_captions():
    lesson = load_lesson("conv_as_matrix")
    for i, (rows, cols) in ((0, (9, 16)), (2, (36, 64)), (3, (64, 64)), (4, (16, 64))):
        doc = ConvDocument()
        doc.apply(**document_at(lesson, i))
        h, w = doc.output_shape()
        assert (h * w, doc.image.size) == (rows, cols)
        text = lesson.slides[i].caption
        assert f"{rows}×{cols}" in text or (f"{rows} rows" in text and f"{cols} columns" in text), i


def test_cost_numbers_in_captions():
    costs = layer_costs((32, 32, 3), 5, 64, bias=False)
    text = " ".join(s.caption for s in load_lesson("cost_savings").slides)
    assert f"{costs.conv_params:,}" in text and f"{costs.dense_params:,}" in text
    assert f"{round(costs.ratio):,} times" in text
    assert f"{costs.conv_macs:,} in all" in text and f"{costs.dense_macs:,}" in text
    numbers = [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text) if "," in n]
    assert 50_176 in numbers and 3_072 in numbers
