"""Pooling panel: the grids and sentences show the model's numbers (pool, pool_steps,
pooled_shift_difference); stepping keys, the shift buttons and every setting work; settings go through the
undo stack to the PoolingState; large pictures are prepared in the worker."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

import convviz.ui  # noqa: F401
from convviz.model import ConvDocument, correlate, pool, to_gray
from convviz.model.pooling import pool_steps, pooled_shift_difference
from convviz.model.step_view import cell_texts
from convviz.ui.pooling.panel import PoolingPanel


def blocks_image():
    """A 48×48 picture of bright squares with a little noise, so pooling has something to keep."""
    rng = np.random.default_rng(7)
    img = np.full((48, 48), 30.0) + rng.integers(0, 5, (48, 48))
    img[10:20, 13:30] = 220
    img[28:40, 5:17] = 150
    return img


@pytest.fixture
def doc():
    return ConvDocument(image=blocks_image(), padding="same")


@pytest.fixture
def panel(show_panel, doc):
    return show_panel(PoolingPanel(doc))


def crop_of(panel):
    r, c, h, w = panel.source.crop
    dy, dx = panel.state.dy, panel.state.dx
    top, left = panel.source.origin
    return panel.source.area[r - dy - top:r - dy - top + h, c - dx - left:c - dx - left + w]


def test_names(panel):
    assert panel.objectName() == "poolingPanel" and panel.key == "pooling" and panel.shortcut == "Ctrl+9"
    for name in ("poolingSourceBox", "poolingModeBox", "poolingWindowSpin", "poolingStrideSpin",
                 "poolingPaddingSpin", "poolingCropSpin", "poolingCountPadBox", "poolingInputGrid",
                 "poolingWindowGrid", "poolingOutputGrid", "poolingStepText", "poolingPlayButton",
                 "poolingStepForwardButton", "poolingStepBackButton", "poolingStepSlider", "poolingStepPosition",
                 "poolingShiftLeft", "poolingShiftRight", "poolingShiftUp", "poolingShiftDown", "poolingNoShift",
                 "poolingInvariance", "poolingChain", "poolingChainView0"):
        widget = panel.findChild(object, name)
        assert widget is not None and widget.accessibleName(), name


def test_grids_show_the_models_pooling(panel, grid_texts):
    crop = crop_of(panel)
    assert crop.shape == (12, 12)
    out = pool(crop, 2)
    seq = pool_steps(crop, 2)
    panel.step_bar.last_button.click()
    assert panel.step_index == len(seq) - 1 == 35
    assert grid_texts(panel.output_grid) == cell_texts(out)
    assert grid_texts(panel.input_grid) == cell_texts(crop)
    panel.jump(8)
    step = seq[8]
    assert step.expression in panel.step_text.text()
    assert panel.output_grid.current() == step.out_index == (1, 2) and panel.output_grid.filled() == 9
    assert panel.output_grid.cell_text(1, 3) == ""          # not filled in yet
    rows, cols = panel.input_grid.window()
    assert list(rows) == list(step.rows) and list(cols) == list(step.cols)
    assert panel.input_grid.accent() == step.winner
    assert grid_texts(panel.window_grid) == cell_texts(step.window)
    assert panel.step_bar.position_label.text() == "step 9 / 36"


def test_average_pooling_with_padding(panel, grid_texts):
    panel.mode_box.setCurrentIndex(panel.mode_box.findData("avg"))
    panel.window_spin.setValue(3)
    panel.padding_spin.setValue(1)
    assert panel.count_pad_box.isEnabled()
    panel.count_pad_box.setChecked(False)
    crop = crop_of(panel)
    options = dict(stride=2, padding=1, mode="avg", count_include_pad=False)
    out = pool(crop, 3, **options)
    panel.jump(0)
    step = pool_steps(crop, 3, **options)[0]
    assert step.divisor == 4 and step.expression in panel.step_text.text()
    assert "4 real pixels only" in panel.step_text.text()
    assert panel.input_grid.is_padding(0, 0) and panel.input_grid.cell_text(0, 0) == "0"
    panel.step_bar.last_button.click()
    assert grid_texts(panel.output_grid) == cell_texts(out)


def test_stepping_keys_and_buttons(panel, qtbot):
    panel.activateWindow()
    panel.input_grid.setFocus()
    qtbot.keyClick(panel.input_grid, Qt.Key_Right)
    qtbot.keyClick(panel.input_grid, Qt.Key_Right)
    assert panel.state.step == 2
    qtbot.keyClick(panel.input_grid, Qt.Key_Left)
    assert panel.state.step == 1
    qtbot.keyClick(panel.input_grid, Qt.Key_End)
    assert panel.state.step == 35 and not panel.step_bar.forward_button.isEnabled()
    qtbot.keyClick(panel.input_grid, Qt.Key_Right)
    assert panel.state.step == 35
    qtbot.keyClick(panel.input_grid, Qt.Key_Home)
    assert panel.state.step == 0 and not panel.step_bar.back_button.isEnabled()
    qtbot.keyClick(panel.input_grid, Qt.Key_Space)
    assert panel.step_bar.playing
    qtbot.waitUntil(lambda: panel.state.step >= 2, timeout=3000)
    qtbot.keyClick(panel.input_grid, Qt.Key_Space)
    assert not panel.step_bar.playing
    panel.step_bar.slider.setValue(20)
    assert panel.state.step == 20
    assert panel.editor.stack.count() == 0        # moving is not an undoable edit


def test_playing_stops_at_the_end(panel, qtbot):
    panel.jump(34)
    panel.step_bar.play_button.click()
    qtbot.waitUntil(lambda: not panel.step_bar.playing, timeout=3000)
    assert panel.state.step == 35


def test_moving_the_input_shows_the_models_shift_numbers(panel, qtbot):
    panel.activateWindow()
    panel.input_grid.setFocus()
    qtbot.keyClick(panel.input_grid, Qt.Key_Right, Qt.AltModifier)
    panel.arrow_buttons["down"].click()
    assert (panel.state.dy, panel.state.dx) == (1, 1)
    r, c, h, w = panel.source.crop
    img = blocks_image()
    np.testing.assert_array_equal(crop_of(panel), img[r - 1:r - 1 + h, c - 1:c - 1 + w])
    d = pooled_shift_difference(img, (1, 1), 2)
    text = panel.invariance_label.text()
    assert f"by {100 * d.unpooled_change:.0f} % of their mean" in text
    assert f"by only {100 * d.pooled_change:.0f} %" in text
    changed = np.argwhere(pool(crop_of(panel), 2) != pool(img[r:r + h, c:c + w], 2))
    assert f"{len(changed)} of the 36 pooled outputs changed" in text
    panel.step_bar.last_button.click()
    assert set(panel.output_grid.marked()) == {tuple(x) for x in changed}
    for _ in range(6):
        panel.arrow_buttons["right"].click()
    assert panel.state.dx == 4                       # the limit
    panel.no_shift_button.click()
    assert (panel.state.dy, panel.state.dx) == (0, 0) and "Move the input" in panel.invariance_label.text()


def test_feature_map_row_and_shapes(panel, doc):
    panel.source_box.setCurrentIndex(panel.source_box.findData("feature_map"))
    conv = correlate(doc.image, doc.kernel, "same")
    np.testing.assert_array_equal(panel.source.area, np.maximum(conv, 0))
    text = panel.chain_label.text()
    assert text == ("input 48×48 (luminance)  →  conv sobel_x 3×3 → 48×48  →  ReLU → 48×48  →  "
                    "max pool 2×2, stride 2 → 24×24")
    assert all(plot.isVisible() for plot in panel.chain_plots)
    np.testing.assert_array_equal(panel.chain_plots[3].values, pool(np.maximum(conv, 0), 2))
    doc.apply(stride=2)
    assert "conv sobel_x 3×3 → 24×24" in panel.chain_label.text() and "→ 12×12" in panel.chain_label.text()
    panel.source_box.setCurrentIndex(panel.source_box.findData("image"))
    assert not panel.chain_plots[3].isVisible() and "conv" not in panel.chain_label.text()


def test_settings_are_undoable_edits(panel):
    stack = panel.editor.stack
    panel.mode_box.setCurrentIndex(panel.mode_box.findData("avg"))
    panel.window_spin.setValue(3)
    panel.arrow_buttons["left"].click()
    assert stack.count() == 3 and panel.state.mode == "avg" and panel.state.kernel_size == 3 and panel.state.dx == -1
    stack.undo()
    assert panel.state.dx == 0
    stack.undo()
    assert panel.state.kernel_size == 2 and panel.window_spin.value() == 2
    stack.undo()
    assert panel.state.mode == "max" and panel.mode_box.currentData() == "max"


def test_a_smaller_window_takes_the_padding_down_and_bad_values_are_refused(panel):
    panel.window_spin.setValue(4)
    panel.padding_spin.setValue(2)
    panel.window_spin.setValue(2)
    assert (panel.state.kernel_size, panel.state.padding) == (2, 1)
    panel.padding_spin.setValue(3)       # more than half the window: refused, the spin shows the state again
    assert panel.state.padding == 1 and panel.padding_spin.value() == 1


def test_lesson_settings_round_trip(panel):
    settings = {"source": "feature_map", "mode": "avg", "kernel_size": 3, "stride": 3, "padding": 1,
                "count_include_pad": False, "crop": 9, "step": 4, "dy": -1, "dx": 2}
    panel.apply_lesson_settings(settings)
    assert panel.lesson_settings() == settings
    assert panel.step_index == 4 and panel.mode_box.currentData() == "avg" and panel.crop_spin.value() == 9
    with pytest.raises(ValueError):
        panel.apply_lesson_settings({"mode": "median"})
    assert panel.lesson_settings() == settings


def test_large_pictures_are_prepared_in_the_worker(qtbot):
    rng = np.random.default_rng(1)
    doc = ConvDocument(image=rng.uniform(0, 255, (700, 600)))
    p = PoolingPanel(doc)
    qtbot.addWidget(p)
    p.show()
    assert p.wait_for_source()
    assert p.source.map_shape == (700, 600) and p.frame is not None
    assert p.source.measured_area().shape == (512, 512)
    assert "512×512 map" in p.invariance_label.text() or "Move the input" in p.invariance_label.text()


def test_an_8bit_photo_feature_map_is_pooled_where_shown_and_says_the_pictures_are_reduced(qtbot):
    rng = np.random.default_rng(2)
    photo = rng.integers(0, 256, (900, 1300, 3), dtype=np.uint8)
    doc = ConvDocument(image=photo, padding="same")
    p = PoolingPanel(doc)
    qtbot.addWidget(p)
    p.show()
    p.source_box.setCurrentIndex(p.source_box.findData("feature_map"))
    assert p.wait_for_source()
    whole = np.maximum(correlate(to_gray(photo), doc.kernel, "same"), 0)
    np.testing.assert_allclose(crop_of(p), whole[tuple(slice(v, v + n) for v, n in zip(p.source.crop[:2],
                                                                                       p.source.crop[2:]))],
                               rtol=0, atol=1e-9)
    assert p.chain_label.text().endswith("Pictures: input every 6th pixel, conv every 6th pixel, ReLU every 6th "
                                         "pixel, max pool every 3rd pixel.")
    np.testing.assert_allclose(p.chain_plots[2].values, whole[::6, ::6], rtol=0, atol=1e-9)
