"""The "Learned filters" panel: every control both ways, every number against the model, undo.

Runs, the worker and loading target images: test_learning_run.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase

from convviz.model import PRESETS, ConvDocument, correlate, format_number, mse_loss_grad
from convviz.model.training import hidden_kernel_target, rate_advice, working_copy
from convviz.ui.learning.panel import LearningPanel

SOBEL_X = PRESETS["sobel_x"].kernel


def texts(values, digits=3):
    return [[format_number(x, digits) for x in row] for row in np.asarray(values)]


def set_combo(box, data):
    index = box.findData(data)
    assert index >= 0
    box.setCurrentIndex(index)


@pytest.fixture
def panel(learning_panel):
    return learning_panel


def test_fonts_exist(qapp):
    assert QFontDatabase.families()


def test_starts_at_step_one_with_the_seeded_random_kernel(panel):
    doc = panel.document
    t = panel.trainer
    assert t.phase == "random" and t.seed == 0 and t.kernel_shape == (3, 3)
    assert panel.phase_label.text().startswith("Step 1 of 5 — random start")
    assert panel.kernel_view.cell_texts() == texts(t.kernel)
    assert panel.target_kernel_view.cell_texts() == texts(SOBEL_X)
    assert "Appears at step 4" in panel.gradient_view.placeholder()
    assert panel.prediction_view.values is None and "appears at step 2" in panel.prediction_view.title()
    np.testing.assert_allclose(panel.target_view.values, correlate(doc.image, SOBEL_X))
    assert "Iteration 0" in panel.status_label.text()
    assert format_number(t.kernel_error(SOBEL_X), 3) in panel.status_label.text()
    assert "40×40 input itself" in panel.info_label.text() and "0–255" in panel.info_label.text()
    assert f"{t.advice.limit:.3g}" in panel.info_label.text()
    assert not panel.warning_box.isVisible()
    assert "font-weight: bold" in panel.phase_chips[0].styleSheet()
    for w in (panel.target_box, panel.size_box, panel.padding_box, panel.scale_box, panel.rate_edit,
              panel.auto_rate, panel.seed_spin, panel.speed_box, panel.phase_button, panel.step_button,
              panel.run_button, panel.reset_button, panel.load_button, panel.kernel_view, panel.loss_plot,
              panel.prediction_view, panel.target_view, panel.suggest_button):
        assert w.objectName() and w.accessibleName() and w.toolTip(), w.objectName()
    assert panel.key == "learning" and panel.title == "Learned filters" and panel.shortcut == "Ctrl+8"


def test_next_phase_shows_each_of_the_five_steps_with_the_models_numbers(panel, qtbot):
    doc = panel.document
    start = panel.trainer.kernel.copy()
    qtbot.mouseClick(panel.phase_button, Qt.LeftButton)
    assert panel.trainer.phase == "predict" and panel.phase_label.text().startswith("Step 2 of 5 — convolve")
    np.testing.assert_allclose(panel.prediction_view.values, correlate(doc.image, start))
    assert panel.prediction_view.title() == "Prediction (learned kernel)"
    assert "font-weight: bold" in panel.phase_chips[1].styleSheet()
    assert "font-weight: bold" not in panel.phase_chips[0].styleSheet()
    qtbot.mouseClick(panel.phase_button, Qt.LeftButton)
    loss, grad = mse_loss_grad(doc.image, correlate(doc.image, SOBEL_X), start)
    t = panel.trainer
    assert t.phase == "loss" and t.loss == pytest.approx(loss, rel=1e-12)
    assert f"MSE = {format_number(t.loss, 4)}" in panel.phase_label.text()
    assert f"loss (MSE) {format_number(t.loss, 4)}" in panel.status_label.text()
    x, y = panel.loss_plot.curve.getOriginalDataset()
    assert list(y) == pytest.approx([loss])
    assert "Appears at step 4" in panel.gradient_view.placeholder()
    qtbot.mouseClick(panel.phase_button, Qt.LeftButton)
    assert panel.phase_label.text().startswith("Step 4 of 5 — backpropagate")
    assert panel.gradient_view.cell_texts() == texts(grad)
    qtbot.mouseClick(panel.phase_button, Qt.LeftButton)
    t = panel.trainer
    np.testing.assert_allclose(t.kernel, start - t.rate * grad)
    assert panel.kernel_view.cell_texts() == texts(t.kernel)
    # the prediction drawn is that of the kernel drawn: the updated one (issue #12)
    np.testing.assert_allclose(panel.prediction_view.values, correlate(doc.image, t.kernel), rtol=1e-12)
    assert panel.phase_label.text().startswith("Step 5 of 5 — update")
    assert t.update_example().expression() in panel.phase_label.text()
    assert "Iteration 1" in panel.status_label.text()
    qtbot.mouseClick(panel.phase_button, Qt.LeftButton)
    assert panel.trainer.phase == "predict" and panel.trainer.iteration == 1


def test_keyboard_shortcuts_step_and_reset(panel, qtbot):
    panel.activateWindow()
    qtbot.waitActive(panel)
    qtbot.keyClick(panel, Qt.Key_N)
    assert panel.trainer.phase == "predict"
    qtbot.keyClick(panel, Qt.Key_I)
    assert panel.trainer.phase == "update" and panel.trainer.iteration == 1
    qtbot.keyClick(panel, Qt.Key_P)
    assert panel.is_running() and panel.run_button.isChecked()
    qtbot.keyClick(panel, Qt.Key_P)
    assert not panel.is_running() and not panel.run_button.isChecked()
    qtbot.keyClick(panel, Qt.Key_R, Qt.ShiftModifier)
    assert panel.trainer.phase == "random" and panel.trainer.iteration == 0
    panel.phase_button.setFocus()     # clicker keys work while the focus is in the panel
    qtbot.keyClick(panel.phase_button, Qt.Key_Right)
    assert panel.trainer.phase == "predict"
    qtbot.keyClick(panel.phase_button, Qt.Key_PageDown)
    assert panel.trainer.phase == "loss"
    qtbot.keyClick(panel.phase_button, Qt.Key_Space)
    assert panel.is_running()
    qtbot.keyClick(panel.phase_button, Qt.Key_Space)
    assert not panel.is_running() and panel.trainer.phase in ("update", "loss")


def test_step_iteration_matches_the_model_and_reset_returns_to_the_seed(panel, qtbot):
    doc = panel.document
    start = panel.trainer.kernel.copy()
    for _ in range(3):
        qtbot.mouseClick(panel.step_button, Qt.LeftButton)
    t = panel.trainer
    assert t.iteration == 3 and len(t.history) == 3
    k = start
    for _ in range(3):
        _, g = mse_loss_grad(doc.image, correlate(doc.image, SOBEL_X), k)
        k = k - t.rate * g
    np.testing.assert_allclose(t.kernel, k, rtol=1e-12)
    assert panel.kernel_view.cell_texts() == texts(t.kernel)
    assert list(panel.loss_plot.curve.getOriginalDataset()[1]) == pytest.approx(t.history)
    qtbot.mouseClick(panel.reset_button, Qt.LeftButton)
    t = panel.trainer
    assert t.iteration == 0 and t.history == [] and t.phase == "random"
    np.testing.assert_array_equal(t.kernel, start)
    assert panel.kernel_view.cell_texts() == texts(start)
    assert len(panel.loss_plot.curve.getOriginalDataset()[1] or []) == 0


def test_every_step_is_one_undo_step_and_undo_replays_the_same_numbers(panel, qtbot):
    stack = panel.editor.stack
    qtbot.mouseClick(panel.step_button, Qt.LeftButton)
    qtbot.mouseClick(panel.step_button, Qt.LeftButton)
    qtbot.mouseClick(panel.phase_button, Qt.LeftButton)
    after_two = panel.trainer.used_kernel.copy()
    assert stack.count() == 3 and stack.undoText() == "Next phase"
    stack.undo()
    assert (panel.trainer.iteration, panel.trainer.phase) == (2, "update")
    assert panel.state.iterations == 2 and panel.state.phase == 5
    stack.undo()
    assert panel.trainer.iteration == 1 and "Iteration 1" in panel.status_label.text()
    stack.redo()
    stack.redo()
    np.testing.assert_allclose(panel.trainer.used_kernel, after_two, rtol=1e-12)
    assert panel.trainer.phase == "predict" and panel.kernel_view.cell_texts() == texts(after_two)
    set_combo(panel.size_box, 5)                           # a setting: one step, back to the random start
    assert stack.undoText().startswith("Kernel size") and panel.trainer.iteration == 0
    stack.undo()
    assert panel.size_box.currentData() == 3 and panel.trainer.kernel_shape == (3, 3)
    assert (panel.trainer.iteration, panel.trainer.phase) == (2, "predict")


def test_rate_edit_and_auto_both_ways(panel, qtbot):
    t = panel.trainer
    assert panel.auto_rate.isChecked() and not panel.rate_edit.isEnabled()
    assert t.rate == pytest.approx(t.advice.stable) and panel.rate_edit.text() == f"{t.rate:.3g}"
    panel.auto_rate.setChecked(False)
    assert panel.rate_edit.isEnabled() and panel.state.rate == pytest.approx(t.advice.stable)
    panel.rate_edit.clear()
    qtbot.keyClicks(panel.rate_edit, "1e-7")
    qtbot.keyClick(panel.rate_edit, Qt.Key_Return)
    assert panel.trainer.rate == 1e-7 and not panel.auto_rate.isChecked() and panel.state.rate == 1e-7
    assert "rate 1e-07" in panel.status_label.text()
    panel.rate_edit.setText("0")
    panel.rate_edit.editingFinished.emit()
    assert panel.trainer.rate == 1e-7 and panel.rate_edit.text() == "1e-07"
    assert panel.warning_box.isVisible() and "not a positive number" in panel.warning_label.text()
    panel.auto_rate.setChecked(True)
    t = panel.trainer
    assert t.rate == pytest.approx(t.advice.stable) and panel.rate_edit.text() == f"{t.advice.stable:.3g}"
    assert not panel.warning_box.isVisible()
    # a manual rate survives a new setup; auto follows the new input
    panel.set_rate(2e-7)
    set_combo(panel.padding_box, "same")
    assert panel.trainer.rate == 2e-7 and panel.trainer.padding == "same"


def test_kernel_size_padding_scale_seed_both_ways(panel):
    doc = panel.document
    set_combo(panel.size_box, 5)
    t = panel.trainer
    assert t.kernel_shape == (5, 5) and len(panel.kernel_view.cell_texts()) == 5
    assert panel.target_kernel_view.cell_texts() == texts(SOBEL_X)
    np.testing.assert_allclose(panel.target_view.values, hidden_kernel_target(doc.image, SOBEL_X, 5))
    set_combo(panel.size_box, 3)
    assert panel.trainer.kernel_shape == (3, 3)
    set_combo(panel.padding_box, "same")
    assert panel.trainer.target.shape == (40, 40) and "40×40 (same padding)" in panel.info_label.text()
    set_combo(panel.padding_box, "valid")
    assert panel.trainer.target.shape == (38, 38)
    raw_rate = panel.trainer.rate
    set_combo(panel.scale_box, "0-1")
    assert panel.trainer.image.max() <= 1 and "divided by 255" in panel.info_label.text()
    assert panel.trainer.rate == pytest.approx(raw_rate * 255**2)
    set_combo(panel.scale_box, "0-255")
    assert panel.trainer.rate == pytest.approx(raw_rate)
    k0 = panel.trainer.kernel.copy()
    panel.seed_spin.setValue(7)
    assert panel.trainer.seed == 7 and not np.array_equal(panel.trainer.kernel, k0)
    assert "(seed 7)" in panel.phase_label.text()
    panel.seed_spin.setValue(0)
    np.testing.assert_array_equal(panel.trainer.kernel, k0)
    panel.state.apply(kernel_size=7, padding="same", scale="0-1", seed=3)    # the widgets follow the state
    assert (panel.size_box.currentData(), panel.padding_box.currentData(), panel.scale_box.currentData(),
            panel.seed_spin.value()) == (7, "same", "0-1", 3)


def test_hidden_kernel_choice_both_ways(panel):
    doc = panel.document
    set_combo(panel.target_box, "box_blur")
    assert panel.trainer is not None
    np.testing.assert_allclose(panel.target_view.values, correlate(doc.image, PRESETS["box_blur"].kernel))
    assert panel.target_kernel_view.cell_texts() == texts(PRESETS["box_blur"].kernel)
    assert panel.state.target == "box_blur"
    set_combo(panel.target_box, "sobel_x")
    assert panel.trainer is not None and panel.target_kernel_view.cell_texts() == texts(SOBEL_X)


def test_settings_that_cannot_be_learned_say_why_and_recover(qtbot):
    panel = LearningPanel(ConvDocument(image=np.random.default_rng(0).uniform(0, 255, (6, 6))))
    qtbot.addWidget(panel)
    panel.show()
    set_combo(panel.size_box, 9)                      # a 9×9 kernel on a 6×6 image
    assert panel.trainer is None
    assert "Cannot learn with these settings" in panel.warning_label.text() and panel.warning_box.isVisible()
    assert not panel.phase_button.isEnabled() and not panel.run_button.isEnabled()
    assert panel.kernel_view.placeholder() and panel.target_view.values is None
    panel.next_phase()                                 # nothing to step, nothing breaks
    set_combo(panel.size_box, 3)
    assert panel.trainer is not None and not panel.warning_box.isVisible() and panel.phase_button.isEnabled()
    panel.close()


def test_a_large_colour_input_is_learned_on_a_small_grey_copy(panel):
    rgb = np.random.default_rng(0).uniform(0, 255, (300, 200, 3))
    panel.document.apply(image=rgb)
    copy = working_copy(rgb)
    np.testing.assert_allclose(panel.trainer.image, copy.image)
    assert panel.trainer.image.shape == (100, 66)
    assert "66×100 copy" in panel.info_label.text() and "200×300 input's luminance" in panel.info_label.text()
    assert panel.trainer.rate == pytest.approx(rate_advice(copy.image, 3).stable)


def test_lesson_settings_round_trip_and_replay(panel):
    panel.apply_lesson_settings({"target": "sobel_y", "kernel_size": 5, "rate": 2e-6, "seed": 7, "scale": "unit",
                                 "iterations": 12, "phase": 3})
    got = panel.lesson_settings()
    assert got == {"target": "sobel_y", "kernel_size": 5, "padding": "valid", "scale": "0-1", "seed": 7,
                   "rate": 2e-6, "speed": 100.0, "iterations": 12, "phase": 3}
    t = panel.trainer
    assert (t.iteration, t.phase, t.rate, t.seed) == (12, "loss", 2e-6, 7)
    assert not panel.auto_rate.isChecked() and panel.target_box.currentData() == "sobel_y"
    with pytest.raises(ValueError):
        panel.apply_lesson_settings({"kernel_size": 4})
    assert panel.lesson_settings() == got
