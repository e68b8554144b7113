"""The "Learned filters" panel: every control both ways, every number against the model."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase

from convviz.model import PRESETS, ConvDocument, correlate, format_number, mse_loss_grad
from convviz.model.training import hidden_kernel_target, rate_advice, working_copy
from convviz.ui.learning.loss_axis import MAX_LABELS, DecadeAxis, decade_range, power_of_ten_text
from convviz.ui.learning.panel import FILE_TARGET, LearningPanel

SOBEL_X = PRESETS["sobel_x"].kernel


def noise_image(shape=(40, 40), seed=3) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0, 255, shape)


@pytest.fixture
def doc():
    return ConvDocument(image=noise_image())


@pytest.fixture
def panel(qtbot, doc):
    p = LearningPanel(doc)
    qtbot.addWidget(p)
    p.resize(1200, 800)
    p.show()
    qtbot.waitExposed(p)
    yield p
    p.close()
    assert not p.is_running()


def texts(values, digits=3):
    return [[format_number(x, digits) for x in row] for row in np.asarray(values)]


def set_combo(box, data):
    index = box.findData(data)
    assert index >= 0
    box.setCurrentIndex(index)


def fast(panel):
    set_combo(panel.speed_box, None)


def test_fonts_exist(qapp):
    assert QFontDatabase.families()


def test_starts_at_step_one_with_the_seeded_random_kernel(panel, doc):
    t = panel.trainer
    assert t.phase == "random" and t.seed == 0 and t.kernel_shape == (3, 3)
    assert panel.phase_label.text().startswith("Step 1 of 5 — random start")
    assert panel.kernel_view.cell_texts() == texts(t.kernel)
    assert panel.target_kernel_view.cell_texts() == texts(SOBEL_X)
    assert "Appears at step 4" in panel.gradient_view.placeholder()
    assert panel.prediction_view.values is None
    np.testing.assert_allclose(panel.target_view.values, correlate(doc.image, SOBEL_X))
    assert "Iteration 0" in panel.status_label.text()
    assert f"{t.kernel_error(SOBEL_X):.4g}"[:4] in panel.status_label.text()
    assert "40×40 input itself" in panel.info_label.text() and "0–255" in panel.info_label.text()
    assert f"{t.advice.limit:.3g}" in panel.info_label.text()
    assert not panel.warning_box.isVisible()
    assert "font-weight: bold" in panel.phase_chips[0].styleSheet()
    for w in (panel.target_box, panel.size_box, panel.rate_edit, panel.run_button, panel.kernel_view):
        assert w.objectName() and w.accessibleName()
    for w in (panel.target_box, panel.size_box, panel.padding_box, panel.scale_box, panel.rate_edit,
              panel.auto_rate, panel.seed_spin, panel.speed_box, panel.phase_button, panel.step_button,
              panel.run_button, panel.reset_button, panel.load_button):
        assert w.toolTip()


def test_next_phase_shows_each_of_the_five_steps_with_the_models_numbers(panel, qtbot, doc):
    t = panel.trainer
    start = t.kernel.copy()
    qtbot.mouseClick(panel.phase_button, Qt.LeftButton)
    assert t.phase == "predict" and panel.phase_label.text().startswith("Step 2 of 5 — convolve")
    np.testing.assert_allclose(panel.prediction_view.values, correlate(doc.image, start))
    assert "font-weight: bold" in panel.phase_chips[1].styleSheet()
    assert "font-weight: bold" not in panel.phase_chips[0].styleSheet()
    qtbot.mouseClick(panel.phase_button, Qt.LeftButton)
    loss, grad = mse_loss_grad(doc.image, correlate(doc.image, SOBEL_X), start)
    assert t.phase == "loss" and t.loss == pytest.approx(loss, rel=1e-12)
    assert f"MSE = {format_number(t.loss, 4)}" in panel.phase_label.text()
    assert f"loss (MSE) {format_number(t.loss, 4)}" in panel.status_label.text()
    x, y = panel.loss_curve.getOriginalDataset()
    assert list(y) == pytest.approx([loss])
    assert "Appears at step 4" in panel.gradient_view.placeholder()
    qtbot.mouseClick(panel.phase_button, Qt.LeftButton)
    assert panel.phase_label.text().startswith("Step 4 of 5 — backpropagate")
    assert panel.gradient_view.cell_texts() == texts(grad)
    qtbot.mouseClick(panel.phase_button, Qt.LeftButton)
    np.testing.assert_allclose(t.kernel, start - t.rate * grad)
    assert panel.kernel_view.cell_texts() == texts(t.kernel)
    assert panel.phase_label.text().startswith("Step 5 of 5 — update")
    assert t.update_example().expression() in panel.phase_label.text()
    assert "Iteration 1" in panel.status_label.text()
    qtbot.mouseClick(panel.phase_button, Qt.LeftButton)
    assert t.phase == "predict" and t.iteration == 1


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


def test_step_iteration_matches_the_model_and_reset_returns_to_the_seed(panel, qtbot, doc):
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
    assert list(panel.loss_curve.getOriginalDataset()[1]) == pytest.approx(t.history)
    qtbot.mouseClick(panel.reset_button, Qt.LeftButton)
    assert t.iteration == 0 and t.history == [] and t.phase == "random"
    np.testing.assert_array_equal(t.kernel, start)
    assert panel.kernel_view.cell_texts() == texts(start)
    assert len(panel.loss_curve.getOriginalDataset()[1] or []) == 0


def test_run_and_pause_in_a_worker_then_converge_to_sobel(panel, qtbot):
    set_combo(panel.speed_box, 100.0)   # paced: convergence (~670 iterations) is seconds away
    qtbot.mouseClick(panel.run_button, Qt.LeftButton)
    assert panel.is_running() and panel.run_button.isChecked() and panel.run_button.text().startswith("Pause")
    qtbot.waitUntil(lambda: panel.trainer.iteration > 20, timeout=10000)
    qtbot.mouseClick(panel.run_button, Qt.LeftButton)
    assert not panel.is_running() and not panel.run_button.isChecked()
    assert panel.run_button.text().startswith("Run")
    stopped_at = panel.trainer.iteration
    qtbot.wait(100)
    assert panel.trainer.iteration == stopped_at
    assert f"Iteration {stopped_at}" in panel.status_label.text()
    assert panel.kernel_view.cell_texts() == texts(panel.trainer.kernel)
    # run on: the worker stops by itself once the updates no longer change the kernel
    fast(panel)
    panel.run_button.click()
    qtbot.waitUntil(lambda: not panel.is_running(), timeout=30000)
    t = panel.trainer
    assert t.converged and t.kernel_error(SOBEL_X) < 1e-3
    assert panel.kernel_view.cell_texts() == texts(t.kernel)
    assert np.abs(panel.kernel_view.values() - SOBEL_X).max() < 1e-3
    assert "converged" in panel.status_label.text()
    y = panel.loss_curve.getOriginalDataset()[1]
    assert len(y) == len(t.history) and y[-1] < 1e-6 * y[0]


def test_closing_and_hiding_stop_the_worker(panel, qtbot):
    panel.run()
    worker = panel._worker
    assert worker.isRunning()
    panel.hide()
    assert not worker.isRunning() and not panel.is_running()
    panel.show()
    panel.run()
    worker = panel._worker
    panel.close()
    assert not worker.isRunning() and panel._worker is None


def test_changing_settings_while_running_pauses_first(panel, qtbot):
    fast(panel)
    panel.run()
    worker = panel._worker
    set_combo(panel.size_box, 5)
    assert not worker.isRunning() and panel.trainer.iteration == 0 and panel.trainer.kernel_shape == (5, 5)


def test_rate_edit_and_auto_both_ways(panel, qtbot):
    t = panel.trainer
    assert panel.auto_rate.isChecked() and not panel.rate_edit.isEnabled()
    assert t.rate == pytest.approx(t.advice.stable) and panel.rate_edit.text() == f"{t.rate:.3g}"
    panel.auto_rate.setChecked(False)
    assert panel.rate_edit.isEnabled()
    panel.rate_edit.clear()
    qtbot.keyClicks(panel.rate_edit, "1e-7")
    qtbot.keyClick(panel.rate_edit, Qt.Key_Return)
    assert t.rate == 1e-7 and not panel.auto_rate.isChecked()
    assert "rate 1e-07" in panel.status_label.text()
    panel.rate_edit.setText("0")
    panel.rate_edit.editingFinished.emit()
    assert t.rate == 1e-7 and panel.rate_edit.text() == "1e-07"
    assert panel.warning_box.isVisible() and "not a positive number" in panel.warning_label.text()
    panel.auto_rate.setChecked(True)
    assert t.rate == pytest.approx(t.advice.stable) and panel.rate_edit.text() == f"{t.advice.stable:.3g}"
    # a manual rate survives a rebuild; auto follows the new input
    panel.set_rate(2e-7)
    set_combo(panel.padding_box, "same")
    assert panel.trainer.rate == 2e-7 and panel.trainer.padding == "same"


def test_too_large_a_rate_is_detected_explained_and_fixed(panel, qtbot):
    fast(panel)
    t = panel.trainer
    panel.set_rate(1.5 * t.advice.limit)
    panel.run()
    qtbot.waitUntil(lambda: not panel.is_running(), timeout=10000)
    assert t.diverged and not t.halted
    assert panel.warning_box.isVisible() and panel.suggest_button.isVisible()
    assert "rose in 3 iterations in a row" in panel.warning_label.text()
    assert f"{t.suggested_rate:.3g}" in panel.suggest_button.text()
    suggested = t.suggested_rate
    qtbot.mouseClick(panel.suggest_button, Qt.LeftButton)
    assert t.rate == suggested and not t.diverged and not panel.warning_box.isVisible()


def test_overflow_halts_and_the_suggestion_starts_again(panel, qtbot):
    fast(panel)
    panel.set_rate(1.0)
    panel.run()
    qtbot.waitUntil(lambda: not panel.is_running(), timeout=10000)
    t = panel.trainer
    assert t.diverged and not t.halted   # Run stops when the loss starts rising, to explain it
    assert "rose in 3 iterations in a row" in panel.warning_label.text()
    panel.run()                          # Run again: watch it blow up
    qtbot.waitUntil(lambda: not panel.is_running(), timeout=10000)
    assert t.halted
    assert "infinite" in panel.warning_label.text() or "NaN" in panel.warning_label.text()
    assert not panel.step_button.isEnabled() and not panel.phase_button.isEnabled() and not panel.run_button.isEnabled()
    panel.suggest_button.click()
    assert not t.halted and t.iteration == 0 and t.rate == pytest.approx(t.advice.stable)
    assert panel.step_button.isEnabled() and panel.run_button.isEnabled()


def test_kernel_size_padding_scale_seed_both_ways(panel, doc):
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


def test_hidden_kernel_choice_both_ways(panel, doc):
    set_combo(panel.target_box, "box_blur")
    np.testing.assert_allclose(panel.target_view.values, correlate(doc.image, PRESETS["box_blur"].kernel))
    assert panel.target_kernel_view.cell_texts() == texts(PRESETS["box_blur"].kernel)
    set_combo(panel.target_box, "sobel_x")
    assert panel.target_kernel_view.cell_texts() == texts(SOBEL_X)


def test_loaded_target_image(panel, doc, tmp_path):
    target = np.clip(np.rint(correlate(doc.image, PRESETS["box_blur"].kernel, "same")), 0, 255).astype(np.uint8)
    good = tmp_path / "edges.png"
    Image.fromarray(target).save(good)
    assert panel.load_target(good)
    assert panel.target_box.currentData() == FILE_TARGET and "edges.png" in panel.target_box.currentText()
    assert "Unknown" in panel.target_kernel_view.placeholder()
    np.testing.assert_allclose(panel.trainer.target, target[1:-1, 1:-1])
    assert "difference" not in panel.status_label.text()
    small = tmp_path / "small.png"
    Image.fromarray(target[:10, :10]).save(small)
    assert not panel.load_target(small)
    assert "same size" in panel.warning_label.text() and panel.warning_box.isVisible()
    np.testing.assert_allclose(panel.trainer.target, target[1:-1, 1:-1])
    junk = tmp_path / "junk.png"
    junk.write_text("not an image")
    assert not panel.load_target(junk) and "cannot be used" in panel.warning_label.text()
    set_combo(panel.target_box, "sobel_x")
    np.testing.assert_allclose(panel.trainer.target, correlate(doc.image, SOBEL_X))


def test_a_large_colour_input_is_learned_on_a_small_grey_copy(panel, doc):
    rgb = np.random.default_rng(0).uniform(0, 255, (300, 200, 3))
    doc.apply(image=rgb)
    copy = working_copy(rgb)
    np.testing.assert_allclose(panel.trainer.image, copy.image)
    assert panel.trainer.image.shape == (100, 66)
    assert "66×100 copy" in panel.info_label.text() and "200×300 input's luminance" in panel.info_label.text()
    assert panel.trainer.rate == pytest.approx(rate_advice(copy.image, 3).stable)


def test_screenshot(panel, qtbot, tmp_path):
    fast(panel)
    panel.run()
    qtbot.waitUntil(lambda: not panel.is_running(), timeout=30000)
    panel.grab().save("/tmp/learning_panel.png")


def test_tab_in_the_main_window_steps_runs_and_stops_on_close(qtbot, tmp_path):
    from ui_support import make_window

    window = make_window(qtbot, tmp_path)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    assert "learning" not in window.panels               # built when its tab is first shown
    page = window.panel_pages["learning"]
    index = window.tabs.indexOf(page)
    assert window.tabs.tabText(index) == "Learned filters"
    assert window.view_actions["learning"].shortcut().toString() == "Ctrl+8"
    window.view_actions["learning"].trigger()
    assert window.tabs.currentWidget() is page
    panel = window.panels["learning"]
    assert isinstance(panel, LearningPanel) and panel.isVisible()
    copy = working_copy(window.document.input_image())
    np.testing.assert_allclose(panel.trainer.image, copy.image)
    panel.next_phase()
    assert panel.trainer.phase == "predict"
    fast(panel)
    panel.run()
    worker = panel._worker
    window.tabs.setCurrentIndex(0)          # another tab: the run pauses
    assert not worker.isRunning() and not panel.is_running()
    window.tabs.setCurrentWidget(page)
    panel.run()
    worker = panel._worker
    window.close()
    assert not worker.isRunning() and not panel.is_running()


def test_worker_snapshots_newest_wins_stale_dropped(panel, qtbot):
    from convviz.ui.learning.worker import take_snapshot

    t = panel.trainer
    gen = panel._generation
    t.run(2)
    first = take_snapshot(t, gen, SOBEL_X)
    t.run(3)
    newest = take_snapshot(t, gen, SOBEL_X)
    t.run(4)
    stale = take_snapshot(t, gen - 1, SOBEL_X)
    panel._on_snapshot(first)
    panel._on_snapshot(newest)
    panel._on_snapshot(stale)
    qtbot.waitUntil(lambda: not panel._render_timer.isActive() and panel._pending is None, timeout=5000)
    assert "Iteration 5 " in panel.status_label.text()
    assert panel.kernel_view.cell_texts() == texts(newest.kernel)
    panel._on_snapshot(newest)
    panel.close()
    assert not panel._render_timer.isActive()


def loss_axis_labels(panel):
    """``(labelled strings, minor strings)`` the loss plot's left axis draws for its current range."""
    axis = panel.loss_plot.getAxis("left")
    low, high = panel.loss_plot.getViewBox().viewRange()[1]
    labelled, minor = [], []
    for spacing, values in axis.tickValues(low, high, 300):
        strings = axis.tickStrings(values, 1.0, spacing)
        (minor if spacing is None else labelled).extend(strings)
    return labelled, minor


def test_loss_axis_is_labelled_in_powers_of_ten_before_and_after_iterations(panel):
    labelled, minor = loss_axis_labels(panel)      # no iteration yet: an empty decade, 1 to 10
    assert labelled == ["10⁰", "10¹"] and minor and set(minor) == {""}
    panel.apply_lesson_settings({"iterations": 200})
    history = np.asarray(panel.trainer.history)
    low, high = np.floor(np.log10(history.min())), np.ceil(np.log10(history.max()))
    labelled, minor = loss_axis_labels(panel)
    exponents = [int(s[2:].translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789"))) for s in labelled]
    assert labelled == [power_of_ten_text(e) for e in exponents] and 2 <= len(labelled) <= MAX_LABELS
    steps = set(np.diff(exponents))
    assert len(steps) == 1 and exponents[0] - low < min(steps) and high - exponents[-1] < min(steps)
    assert set(minor) <= {""}
    y_low, y_high = panel.loss_plot.getViewBox().viewRange()[1]
    assert y_low <= np.log10(history.min()) and y_high >= np.log10(history.max())


def test_decade_helpers():
    assert [power_of_ten_text(e) for e in (0, 2, -3, 12)] == ["10⁰", "10²", "10⁻³", "10¹²"]
    assert decade_range([]) == (0, 1) and decade_range([np.nan, -1.0]) == (0, 1)
    assert decade_range([150.0, 30_000.0]) == (2, 5)
    assert decade_range([100.0]) == (2, 3)
    axis = DecadeAxis("left")
    axis.setLogMode(False, True)
    levels = axis.tickValues(0.0, 30.0, 300)     # 31 decades: every 5th labelled, no minor ticks
    assert levels[0] == (5.0, [0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0]) and levels[1] == (None, [])
