"""The Learned filters panel's background work: Run/Pause in the one worker (a chunk per frame,
≤ 30 a second, one undo step), stopping on hide/close, divergence, and target images decoded off
the GUI thread."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea

from convviz.model import PRESETS, correlate
from convviz.model.decade_ticks import MAX_LABELS, power_of_ten_text
from convviz.model.training import working_copy
from convviz.model.training_run import FILE_TARGET
from convviz.ui.learning import driver as driver_module
from convviz.ui.learning.panel import LearningPanel

SOBEL_X = PRESETS["sobel_x"].kernel


def set_combo(box, data):
    index = box.findData(data)
    assert index >= 0
    box.setCurrentIndex(index)


def fast(panel):
    set_combo(panel.speed_box, "max")


@pytest.fixture
def panel(learning_panel):
    return learning_panel


def test_run_and_pause_in_the_worker_then_converge_to_sobel(panel, qtbot):
    set_combo(panel.speed_box, 100.0)   # paced: convergence (~670 iterations) is seconds away
    qtbot.mouseClick(panel.run_button, Qt.LeftButton)
    assert panel.is_running() and panel.run_button.isChecked() and panel.run_button.text().startswith("Pause")
    qtbot.waitUntil(lambda: panel.trainer.iteration > 20, timeout=10000)
    qtbot.mouseClick(panel.run_button, Qt.LeftButton)
    assert not panel.is_running() and not panel.run_button.isChecked()
    assert panel.run_button.text().startswith("Run")
    stopped_at = panel.trainer.iteration
    assert panel.state.iterations == stopped_at and panel.editor.stack.undoText() == f"Run {stopped_at} iterations"
    qtbot.wait(100)
    assert panel.trainer.iteration == stopped_at and not panel.driver.runner.pending
    assert f"Iteration {stopped_at}" in panel.status_label.text()
    assert panel.kernel_view.values() == pytest.approx(panel.trainer.kernel)
    # run on: the run stops by itself once the updates no longer change the kernel
    fast(panel)
    panel.run_button.click()
    qtbot.waitUntil(lambda: not panel.is_running(), timeout=30000)
    t = panel.trainer
    assert t.converged and t.kernel_error(SOBEL_X) < 1e-3 and panel.state.iterations == t.iteration
    np.testing.assert_array_equal(panel.kernel_view.values(), t.kernel)
    assert np.abs(panel.kernel_view.values() - SOBEL_X).max() < 1e-3
    assert "converged" in panel.status_label.text()
    y = panel.loss_plot.curve.getOriginalDataset()[1]
    assert len(y) == len(t.history) and y[-1] < 1e-6 * y[0]
    # each run is one undo step; undoing it replays the learning to where the run started
    panel.editor.stack.undo()
    assert panel.trainer.iteration == stopped_at and panel.state.iterations == stopped_at


def test_a_run_draws_at_most_30_snapshots_a_second_and_keeps_the_gui_responsive(panel, qtbot):
    fast(panel)
    drawn = []
    panel.driver.changed.connect(lambda: drawn.append(time.perf_counter()))
    ticks = []
    timer_start = time.perf_counter()
    panel.run()
    while time.perf_counter() - timer_start < 1.0:
        qtbot.wait(5)
        ticks.append(time.perf_counter())
    panel.pause()
    assert 5 <= len(drawn) <= 31, len(drawn)
    assert max(np.diff(ticks)) < 0.5            # the event loop kept turning while the worker iterated


def test_closing_and_hiding_stop_the_run(panel, qtbot):
    fast(panel)
    panel.run()
    assert panel.is_running()
    qtbot.waitUntil(lambda: panel.driver.chunks > 0, timeout=5000)
    panel.hide()
    assert not panel.is_running() and not panel.driver.runner.pending
    at = panel.trainer.iteration
    assert at > 0 and panel.state.iterations == at        # the run so far is kept (and undoable)
    qtbot.wait(100)
    assert panel.trainer.iteration == at
    panel.show()
    panel.run()
    panel.close()
    assert not panel.is_running() and not panel.driver.runner.pending


def test_changing_settings_while_running_pauses_first(panel, qtbot):
    fast(panel)
    panel.run()
    qtbot.waitUntil(lambda: panel.driver.chunks > 0, timeout=5000)
    set_combo(panel.size_box, 5)
    assert not panel.is_running() and panel.trainer.iteration == 0 and panel.trainer.kernel_shape == (5, 5)
    assert panel.editor.stack.undoText().startswith("Kernel size")


def test_a_new_speed_applies_to_the_run_going_on(panel, qtbot):
    set_combo(panel.speed_box, 2.0)
    panel.run()
    set_combo(panel.speed_box, "max")
    assert panel.is_running() and panel.state.speed == "max"
    qtbot.waitUntil(lambda: panel.trainer.iteration > 50, timeout=10000)   # far more than 2 a second
    panel.pause()
    assert [panel.editor.stack.text(i) for i in range(panel.editor.stack.count())][-2:] == [
        "Speed: As fast as possible", f"Run {panel.trainer.iteration} iterations"]


def test_an_outside_change_during_a_run_wins(panel, qtbot):
    fast(panel)
    panel.run()
    qtbot.waitUntil(lambda: panel.driver.chunks > 0, timeout=5000)
    panel.apply_lesson_settings({"iterations": 3, "phase": 2})     # a lesson slide while running
    assert not panel.is_running()
    assert (panel.trainer.iteration, panel.trainer.phase) == (3, "predict")


def test_too_large_a_rate_is_detected_explained_and_fixed(panel, qtbot):
    fast(panel)
    limit = panel.trainer.advice.limit
    panel.set_rate(1.5 * limit)
    panel.run()
    qtbot.waitUntil(lambda: not panel.is_running(), timeout=10000)
    t = panel.trainer
    assert t.diverged and not t.halted
    assert panel.warning_box.isVisible() and panel.suggest_button.isVisible()
    assert "rose in 3 iterations in a row" in panel.warning_label.text()
    assert f"{t.suggested_rate:.3g}" in panel.suggest_button.text()
    # while it diverges, the prediction drawn is that of the kernel drawn (issue #12)
    image = panel.document.image
    np.testing.assert_allclose(panel.prediction_view.values, correlate(image, panel.kernel_view.values()), rtol=1e-9)
    suggested = t.suggested_rate
    qtbot.mouseClick(panel.suggest_button, Qt.LeftButton)
    t = panel.trainer
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
    assert panel.trainer.halted
    assert "infinite" in panel.warning_label.text() or "NaN" in panel.warning_label.text()
    assert not panel.step_button.isEnabled() and not panel.phase_button.isEnabled() and not panel.run_button.isEnabled()
    panel.suggest_button.click()
    t = panel.trainer
    assert not t.halted and t.iteration == 0 and t.rate == pytest.approx(t.advice.stable)
    assert panel.step_button.isEnabled() and panel.run_button.isEnabled()


def test_target_images_are_decoded_in_the_worker(panel, qtbot, tmp_path, monkeypatch):
    doc = panel.document
    threads = []
    real = driver_module.load_image
    monkeypatch.setattr(driver_module, "load_image",
                        lambda path: threads.append(threading.current_thread()) or real(path))
    target = np.clip(np.rint(correlate(doc.image, PRESETS["box_blur"].kernel, "same")), 0, 255).astype(np.uint8)
    good = tmp_path / "edges.png"
    Image.fromarray(target).save(good)
    with qtbot.waitSignal(panel.targetLoaded, timeout=10000) as loaded:
        panel.load_target(good)
    assert loaded.args == [True] and threads and threads[0] is not threading.main_thread()
    assert panel.target_box.currentData() == FILE_TARGET and "edges.png" in panel.target_box.currentText()
    assert "Unknown" in panel.target_kernel_view.placeholder()
    np.testing.assert_allclose(panel.trainer.target, target[1:-1, 1:-1])
    assert "difference" not in panel.status_label.text()
    assert "target" not in panel.lesson_settings()                 # a file is not a lesson setting
    small = tmp_path / "small.png"
    Image.fromarray(target[:10, :10]).save(small)
    with qtbot.waitSignal(panel.targetLoaded, timeout=10000) as loaded:
        panel.load_target(small)
    assert loaded.args == [False]
    assert "same size" in panel.warning_label.text() and panel.warning_box.isVisible()
    np.testing.assert_allclose(panel.trainer.target, target[1:-1, 1:-1])
    junk = tmp_path / "junk.png"
    junk.write_text("not an image")
    with qtbot.waitSignal(panel.targetLoaded, timeout=10000) as loaded:
        panel.load_target(junk)
    assert loaded.args == [False] and "cannot be used" in panel.warning_label.text()
    set_combo(panel.target_box, "sobel_x")
    np.testing.assert_allclose(panel.trainer.target, correlate(doc.image, SOBEL_X))
    set_combo(panel.target_box, FILE_TARGET)                         # the loaded image stays selectable
    np.testing.assert_allclose(panel.trainer.target, target[1:-1, 1:-1])
    panel.editor.stack.undo()
    assert panel.target_box.currentData() == "sobel_x"
    doc.apply(image=np.zeros((30, 30)))                              # the target no longer fits the input
    panel.editor.stack.redo()
    assert panel.trainer is None and "input is now 30×30" in panel.warning_label.text()


def test_the_newest_prepare_wins_and_stale_ones_are_dropped(panel, qtbot):
    d = panel.driver
    requests = []
    for seed in (1, 2, 3):
        panel.state.apply(seed=seed)
        requests.append(panel._request())
    adopted = []
    d.changed.connect(lambda: adopted.append(d.progress))
    for r in requests:
        d.prepare_later(r)
    qtbot.waitUntil(lambda: not d.runner.pending, timeout=10000)
    assert len(adopted) == 1 and adopted[0].request is requests[-1] and adopted[0].trainer.seed == 3


def test_long_replays_run_in_the_worker(panel, qtbot):
    panel.apply_lesson_settings({"iterations": 400, "phase": 5})
    assert panel.driver.preparing                 # visible: the replay is computing in the background
    qtbot.waitUntil(lambda: not panel.driver.preparing, timeout=20000)
    assert panel.driver.progress.trainer.iteration == 400 and "Iteration 400" in panel.status_label.text()


def _ancestors(widget):
    while widget is not None:
        widget = widget.parentWidget()
        yield widget


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


def test_screenshot(panel, qtbot):
    fast(panel)
    panel.resize(1280, 760)
    panel.run()
    qtbot.waitUntil(lambda: not panel.is_running(), timeout=30000)
    panel.grab().save("/tmp/learning_panel.png")


def test_tab_in_the_main_window_steps_runs_and_stops_on_close(window, qtbot):
    assert "learning" not in window.panels               # built when its tab is first shown
    page = window.panel_pages["learning"]
    index = window.tabs.indexOf(page)
    assert window.tabs.tabText(index) == "Learned filters"
    assert window.view_actions["learning"].shortcut().toString() == "Ctrl+8"
    window.view_actions["learning"].trigger()
    assert window.tabs.currentWidget() is page
    panel = window.panels["learning"]
    assert isinstance(panel, LearningPanel) and panel.isVisible()
    assert panel.state is window.workspace.states["learning"]
    qtbot.wait(50)
    areas = [w for w in _ancestors(panel) if isinstance(w, QScrollArea)]
    assert all(not a.verticalScrollBar().isVisible() for a in areas)       # 1280×800: it fits, no scrolling
    assert panel.board.geometry().bottom() < panel.info_label.geometry().top()
    copy = working_copy(window.document.input_image())
    np.testing.assert_allclose(panel.trainer.image, copy.image)
    panel.next_phase()
    assert panel.trainer.phase == "predict" and window.undo_stack.undoText() == "Next phase"
    fast(panel)
    panel.run()
    window.tabs.setCurrentIndex(0)          # another tab: the run pauses
    assert not panel.is_running()
    window.tabs.setCurrentWidget(page)
    panel.run()
    window.close()
    assert not panel.is_running() and not panel.driver.runner.pending
