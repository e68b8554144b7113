"""Learn from labels panel: names, the five phases, a training run in the worker, the numbers shown
against the model trained by hand, the send buttons, the state's round trip and undo."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer
from ui_support import make_window

from convviz.model import ConvDocument
from convviz.model.cnn import TinyCNN, TrainingRun, filters_as_network, load_dataset
from convviz.model.states.cnn import phases_done
from convviz.ui.cnn.panel import CNNPanel

WAIT = 120_000   # ms: the worker replays and trains on a loaded CI machine too


@pytest.fixture(scope="module")
def data():
    return load_dataset()


@pytest.fixture
def panel(qtbot, show_panel):
    p = show_panel(CNNPanel(ConvDocument()))
    qtbot.waitUntil(p.shows_state, timeout=WAIT)
    yield p
    p.close()
    assert not p.is_running()
    p.shutdown()


def by_hand(data, phases: int, **kwargs) -> TrainingRun:
    seed = kwargs.pop("seed", 0)
    run = TrainingRun(TinyCNN(kwargs.pop("filters", 8), kwargs.pop("kernel_size", 5), seed), data, seed=seed,
                      **kwargs)
    for _ in range(phases):
        run.next_phase()
    return run


def settle(qtbot, panel):
    qtbot.waitUntil(panel.shows_state, timeout=WAIT)


def test_names_key_and_shortcut(panel):
    assert panel.objectName() == "cnnPanel" and (panel.key, panel.title, panel.shortcut) == (
        "cnn", "Learn from labels", "Ctrl+Alt+L")
    c, b = panel.controls, panel.board
    widgets = (c.filters_spin, c.kernel_spin, c.seed_spin, c.rate_spin, c.batch_spin, c.epochs_spin, c.speed_box,
               c.phase_button, c.batch_button, c.train_button, c.reset_button, b.filter_view, b.gradient_view,
               b.feature_view, b.image_view, b.test_spin, b.probability_view, b.loss_view, b.accuracy_view,
               b.confusion_view, b.bank_button, b.filter_spin, b.kernel_button)
    names = [w.objectName() for w in widgets]
    assert all(n.startswith("cnn") for n in names) and len(set(names)) == len(names)
    assert all(w.accessibleName() and w.toolTip() for w in widgets)
    assert [chip.objectName() for chip in panel.phases.chips] == [f"cnnPhaseChip{i}" for i in range(1, 6)]


def test_the_random_start_is_the_models(panel, data):
    run = by_hand(data, 1)
    np.testing.assert_array_equal(panel.board.filter_view.values, np.moveaxis(run.net.conv_weights[:, :, 0], -1, 0))
    assert panel.phases.label.text().startswith("Random start: 8 filters of 5×5")
    assert panel.phases.chips[0].styleSheet() != panel.phases.chips[1].styleSheet()
    assert not panel.board.gradient_view.isVisible()


def test_stepping_the_five_phases(panel, qtbot, data):
    expected = ["convolve", "loss", "backpropagate", "update", "convolve"]
    for i, name in enumerate(expected, start=2):
        qtbot.mouseClick(panel.controls.phase_button, Qt.MouseButton.LeftButton)
        settle(qtbot, panel)
        p = panel.progress
        assert p.last.name == name and p.request.phases_done == i
        number = p.phase_number
        current = panel.phases.chips[number - 1].styleSheet()
        assert all(chip.styleSheet() != current for j, chip in enumerate(panel.phases.chips) if j != number - 1)
        run = by_hand(data, i)
        assert panel.phases.label.text() == run._last.text        # the model's own sentence, its numbers
        np.testing.assert_array_equal(panel.progress.net.conv_weights, run.net.conv_weights)
        if name == "backpropagate":
            grads = run.net.gradients(run._last.images, run._last.labels)["conv_weights"]
            np.testing.assert_allclose(panel.board.gradient_view.values, np.moveaxis(grads[:, :, 0], -1, 0),
                                       rtol=1e-12, atol=1e-15)
            assert panel.board.gradient_view.isVisible() and "Gradient" in panel.board.gradient_view.title()
        elif name == "update":
            assert panel.board.gradient_view.isVisible() and "Change" in panel.board.gradient_view.title()
            assert "Epoch 0.02 (1 update," in panel.status_label.text()
        else:
            assert not panel.board.gradient_view.isVisible()
    assert panel.state.position == (1, 2) and panel.editor.stack.count() == 5
    qtbot.keyClick(panel, Qt.Key.Key_N)                          # the key does the same
    assert panel.state.position == (1, 3)
    panel.step_batch()
    assert panel.state.position == (2, 5)
    panel.reset()
    settle(qtbot, panel)
    assert panel.progress.last.name == "random" and panel.state.position == (0, 1)


def test_training_in_the_worker_reaches_well_above_chance(panel, qtbot, data):
    panel.edit("Speed", speed="max")
    panel.edit("Train for 3 epochs", epochs=3)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(panel.driver.chunks))
    timer.start(10)
    qtbot.mouseClick(panel.controls.train_button, Qt.MouseButton.LeftButton)
    assert panel.is_running() and panel.controls.train_button.text() == "Pause (P)"
    qtbot.waitUntil(lambda: not panel.is_running(), timeout=WAIT)
    timer.stop()
    # the window kept serving events while the worker trained, and drew the run as it went
    assert len(set(ticks)) >= 3 and ticks[0] < ticks[-1]
    assert panel.state.position == (135, 5) and panel.editor.stack.undoText() == "Train 135 mini-batches"
    assert not panel.controls.train_button.isEnabled()           # 3 epochs done
    p = panel.progress
    run = by_hand(data, phases_done(135, 5))
    np.testing.assert_array_equal(p.net.conv_weights, run.net.conv_weights)
    accuracy = run.net.accuracy(data.test_images, data.test_labels)
    assert accuracy > 0.8                                         # chance is 0.1
    counts = run.net.confusion_matrix(data.test_images, data.test_labels)
    np.testing.assert_array_equal(panel.board.confusion_view.counts(), counts)
    assert f"{int(np.trace(counts))} of 359 right ({100 * accuracy:.1f} %)" in panel.board.confusion_view.title()
    assert f"test accuracy {100 * accuracy:.1f} %" in panel.status_label.text()
    np.testing.assert_allclose(panel.board.probability_view.values, run.net.forward(data.test_images[:1])[0],
                               rtol=1e-12)
    np.testing.assert_allclose(panel.board.feature_view.values,
                               np.moveaxis(run.net.feature_maps(data.test_images[0]), -1, 0), rtol=1e-12)
    history = [e.test_accuracy for e in run.history]
    assert list(panel.board.accuracy_view.dot_values[1][1:]) == [100 * a for a in history]
    assert len(panel.board.loss_view.line_values[1]) == 135
    panel.editor.stack.undo()                                     # the run is one undo step
    settle(qtbot, panel)
    assert panel.progress.last.name == "random"


def test_pause_keeps_what_is_drawn(panel, qtbot):
    panel.edit("Speed", speed=5.0)
    panel.train()
    qtbot.waitUntil(lambda: panel.driver.chunks >= 2, timeout=WAIT)
    panel.pause()
    drawn = panel.progress.request
    assert not panel.is_running() and panel.state.position == drawn.position and drawn.iterations >= 2
    assert panel.editor.stack.undoText() == f"Train {drawn.iterations} mini-batches"
    assert panel.shows_state()


def test_test_image_and_filter_choice(panel, qtbot, data):
    panel.board.test_spin.setValue(42)
    assert panel.state.test_index == 41
    assert panel.board.readout_label.text().startswith(f"Test image 42 of 359: a handwritten {data.test_labels[41]}")
    np.testing.assert_array_equal(panel.board.image_view.values, data.test_images[41])
    panel.board.filter_spin.setValue(3)
    assert panel.state.filter_index == 2 and panel.board.kernel_button.text() == "Use filter 3 as the kernel"
    assert panel.board.filter_view.selected == 2
    panel.controls.filters_spin.setValue(2)                       # fewer filters: the last one stays chosen
    settle(qtbot, panel)
    assert panel.state.filter_index == 1 and panel.board.filter_spin.maximum() == 2


def test_send_buttons(panel, qtbot):
    panel.step_batch()
    settle(qtbot, panel)
    net = panel.progress.net
    qtbot.mouseClick(panel.board.bank_button, Qt.MouseButton.LeftButton)
    bank = panel.workspace.state("bank")
    expected = filters_as_network(net)
    np.testing.assert_array_equal(bank.network[0].weights(), expected[0].weights())
    np.testing.assert_array_equal(bank.network[0].biases(), expected[0].biases())
    assert bank.network[0].names == [f"learned {i}" for i in range(1, 9)] and bank.filter_index == 0
    assert panel.editor.stack.undoText() == "Learned filters to the Filter bank"
    assert "Sent 8 learned filters" in panel.message_label.text()
    panel.board.filter_spin.setValue(4)
    qtbot.mouseClick(panel.board.kernel_button, Qt.MouseButton.LeftButton)
    np.testing.assert_array_equal(panel.document.kernel, net.conv_weights[:, :, 0, 3])
    assert panel.document.preset is None and panel.editor.stack.undoText() == "Learned filter 4"
    panel.editor.stack.undo()
    assert panel.document.preset == "sobel_x"
    panel.editor.stack.undo()
    panel.editor.stack.undo()
    assert bank.network is None


def test_settings_edits_are_undo_steps(panel, qtbot):
    c, stack = panel.controls, panel.editor.stack
    edits = [(c.filters_spin, 4, "filters"), (c.kernel_spin, 3, "kernel_size"), (c.seed_spin, 7, "seed"),
             (c.rate_spin, 0.1, "learning_rate"), (c.batch_spin, 16, "batch_size"), (c.epochs_spin, 2, "epochs")]
    for spin, value, field in edits:
        spin.setValue(value)
        assert getattr(panel.state, field) == value
    c.speed_box.setCurrentIndex(c.speed_box.findData("max"))
    assert panel.state.speed == "max" and stack.count() == len(edits) + 1
    settle(qtbot, panel)
    assert panel.progress.request.setup == (4, 3, 7, 0.1, 16)
    stack.undo()                                                  # the speed
    assert panel.state.speed == 100.0 and panel.state.epochs == 2
    stack.undo()                                                  # the epochs
    assert panel.state.epochs == 10 and panel.state.batch_size == 16
    while stack.canUndo():
        stack.undo()
    assert panel.state.setup == (8, 5, 0, 0.05, 32)
    assert c.filters_spin.value() == 8 and c.rate_spin.value() == 0.05
    settle(qtbot, panel)


def test_lesson_settings_round_trip_and_bad_values(panel, qtbot, data):
    settings = {"filters": 4, "kernel_size": 3, "seed": 2, "learning_rate": 0.1, "batch_size": 64, "epochs": 2,
                "speed": 20.0, "test_index": 5, "filter_index": 3, "iterations": 7, "phase": 3}
    panel.apply_lesson_settings({**settings, "unknown": 1})
    assert panel.lesson_settings() == settings
    settle(qtbot, panel)
    run = by_hand(data, phases_done(7, 3), filters=4, kernel_size=3, seed=2, lr=0.1, batch_size=64)
    np.testing.assert_array_equal(panel.progress.net.conv_weights, run.net.conv_weights)
    assert panel.progress.last.name == "loss"
    for bad in ({"filters": 100}, {"phase": 1}, {"test_index": -1}, {"speed": "warp"}, {"learning_rate": "fast"}):
        with pytest.raises(ValueError):
            panel.apply_lesson_settings(bad)
        assert panel.lesson_settings() == settings


def test_in_the_window_a_session_brings_the_training_back(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    try:
        window.resize(1280, 800)
        window.show()
        assert window.show_panel("cnn")
        panel = window.panel("cnn")
        panel.apply_lesson_settings({"iterations": 3, "phase": 4, "test_index": 10})
        settle(qtbot, panel)
        path = tmp_path / "cnn.convviz"
        assert window.classroom.save_session_to(path)
        other = make_window(qtbot, tmp_path)
        try:
            assert other.classroom.open_session_from(path)
            assert other.workspace.state("cnn").position == (3, 4)
            other.show()
            other.show_panel("cnn")
            restored = other.panel("cnn")
            settle(qtbot, restored)
            np.testing.assert_array_equal(restored.progress.net.conv_weights, panel.progress.net.conv_weights)
            assert restored.board.test_spin.value() == 11
        finally:
            other.close()
    finally:
        window.close()


def test_controls_wrap_in_a_narrow_panel(panel, qtbot):
    """The settings and buttons flow onto more rows instead of making the panel wider than its window."""
    c = panel.controls
    wide_rows = {c.filters_spin.mapTo(panel, c.filters_spin.rect().topLeft()).y(),
                 c.speed_box.mapTo(panel, c.speed_box.rect().topLeft()).y()}
    assert len(wide_rows) == 1                                   # 1280 px: the settings fit in one row
    panel.resize(760, 760)
    qtbot.waitUntil(lambda: panel.width() == 760)
    speed = c.speed_box.mapTo(panel, c.speed_box.rect().topLeft())
    assert speed.y() > c.filters_spin.mapTo(panel, c.filters_spin.rect().topLeft()).y()
    for w in (c.speed_box, c.reset_button, panel.board.kernel_button):
        right = w.mapTo(panel, w.rect().topRight()).x()
        assert right <= panel.width(), w.objectName()
    assert panel.minimumSizeHint().width() < 800


def test_another_tab_pauses_the_training(window, qtbot):
    """Training stops when its tab is hidden; what it did is one undo step, and it shows again on return."""
    window.show_panel("cnn")
    panel = window.panel("cnn")
    settle(qtbot, panel)
    panel.edit("Speed", speed=5.0)
    panel.train()
    qtbot.waitUntil(lambda: panel.driver.chunks >= 1, timeout=WAIT)
    window.show_panel("flip")
    assert not panel.is_running() and panel.state.iterations >= 1
    assert panel.editor.stack.undoText().startswith("Train ")
    window.show_panel("cnn")
    settle(qtbot, panel)
    assert panel.progress.request.position == panel.state.position
