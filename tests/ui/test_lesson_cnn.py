"""Lesson 13 (Learn from labels): every number in its captions is the model's, and in the window each
slide shows the network its caption describes, ending with a learned filter on a photo."""

from __future__ import annotations

import math

import numpy as np
import pytest

from convviz.io.lesson_state import document_at, settings_at
from convviz.io.lessons import load_lesson
from convviz.model import PRESETS, ConvDocument, correlate, pearson
from convviz.model.cnn_view import CNNRequest, prepare
from convviz.model.states.cnn import TEST_IMAGE_COUNT, TRAIN_IMAGE_COUNT, CNNState, batches_per_epoch

NAME = "13_learn_from_labels"
WAIT = 120_000


@pytest.fixture(scope="module")
def lesson():
    return load_lesson(NAME)


def progress_at(lesson, i):
    state = CNNState()
    state.apply(**state.changes_from(settings_at(lesson, i, "cnn")))
    return state, prepare(CNNRequest.from_state(state))


def test_the_slides_walk_the_five_phases_then_train(lesson):
    positions = [settings_at(lesson, i, "cnn") for i in range(7)]
    assert [(s["iterations"], s["phase"]) for s in positions] == [(0, 1), (0, 2), (0, 3), (0, 4), (1, 5), (225, 5),
                                                                   (225, 5)]
    assert lesson.slides[-1].panel == "filter"


def test_caption_numbers_are_the_models(lesson):
    c = [s.caption for s in lesson.slides]
    state, start = progress_at(lesson, 0)
    correct = int(np.trace(start.confusion))
    k, f = state.kernel_size, state.filters
    assert "eight 5×5 filters" in c[0] and (f, k) == (start.net.filters, start.net.kernel_size) == (8, 5)
    assert f"{correct} of the {TEST_IMAGE_COUNT} test digits right ({100 * correct / TEST_IMAGE_COUNT:.1f} %)" in c[0]
    assert correct / TEST_IMAGE_COUNT < 0.1                                   # no better than guessing

    _, convolved = progress_at(lesson, 1)
    b, h, w, maps = convolved.last.feature_maps.shape
    assert f"mini-batch of {b} handwritten" in c[1] and f"with the {maps} filters" in c[1]
    assert f"{b * maps} feature maps of {h}×{w}" in c[1]

    _, loss = progress_at(lesson, 2)
    assert f"{loss.last.loss:.4f} on average over the {b} images" in c[2] and f"ln 10 = {math.log(10):.4f}" in c[2]

    _, backprop = progress_at(lesson, 3)
    assert f"{np.linalg.norm(backprop.last.gradients['conv_weights']):.4f}" in c[3]

    state, update = progress_at(lesson, 4)
    assert update.net.updates == 1 and f"learning rate {state.learning_rate:g}" in c[4]
    assert f"{TRAIN_IMAGE_COUNT:,} training images" in c[4]
    assert f"is {batches_per_epoch(state.batch_size)} of them" in c[4]

    state, trained = progress_at(lesson, 5)
    right = int(np.trace(trained.confusion))
    epochs = trained.request.iterations / batches_per_epoch(state.batch_size)
    assert epochs == 5 == state.epochs and "After 5 epochs (225 updates)" in c[5]
    assert f"gets {right} of the {TEST_IMAGE_COUNT} test digits right: {100 * trained.test_accuracy:.1f} %" in c[5]
    assert trained.test_accuracy > 0.9 and trained.run.history[-1].test_accuracy == trained.test_accuracy


def test_filter_5_became_a_horizontal_edge_detector(lesson):
    state, trained = progress_at(lesson, 6)
    assert state.filter_index == 4 and "Filter 5 (framed)" in lesson.slides[6].caption
    w = trained.net.conv_weights[:, :, 0, 4]
    assert w[:2].max() < 0 < w[3:].min()          # negative in its top rows, positive in its bottom rows
    template = np.outer([-1, -1, 0, 1, 1], np.ones(5))
    assert np.sum(w * template) / np.linalg.norm(w) / np.linalg.norm(template) > 0.9
    start = prepare(CNNRequest()).net.conv_weights[:, :, 0, 4]
    assert np.sum(start * template) / np.linalg.norm(start) / np.linalg.norm(template) < 0.5   # it was not, at first


def test_the_photo_slide_uses_that_filter(lesson):
    _, trained = progress_at(lesson, 6)
    doc = ConvDocument()
    doc.apply(**document_at(lesson, 7))
    np.testing.assert_allclose(doc.kernel, trained.net.conv_weights[:, :, 0, 4], atol=5e-5)
    image = doc.input_image()
    assert image.ndim == 2 and doc.image_name == "landscape.png"
    r = pearson(correlate(image, doc.kernel, "same"), correlate(image, PRESETS["sobel_y"].kernel, "same"))
    assert r < -0.5 and f"correlation is {r:.2f}".replace("-", "−") in lesson.slides[7].caption


def test_in_the_window_each_slide_shows_what_its_caption_says(window, qtbot, lesson):
    c = window.classroom
    assert c.open_lesson(NAME)
    panel = window.panel("cnn")
    for i in range(7):
        assert c.lessons.go(i)
        assert window.current_panel_key() == "cnn"
        qtbot.waitUntil(panel.shows_state, timeout=WAIT)
        _, expected = progress_at(lesson, i)
        np.testing.assert_array_equal(panel.progress.net.conv_weights, expected.net.conv_weights)
        assert panel.progress.phase_number == expected.phase_number
    assert "test accuracy 94.7 % (340 of 359)" in panel.status_label.text()
    assert panel.board.filter_view.selected == 4 and panel.board.kernel_button.text() == "Use filter 5 as the kernel"
    assert c.lessons.go(7)
    assert window.current_panel_key() == "filter"
    np.testing.assert_allclose(window.document.kernel, panel.progress.net.conv_weights[:, :, 0, 4], atol=5e-5)
    assert c.lessons.go(3)                         # back: the gradient phase again
    qtbot.waitUntil(panel.shows_state, timeout=WAIT)
    assert panel.progress.last.name == "backpropagate" and panel.board.gradient_view.isVisible()
