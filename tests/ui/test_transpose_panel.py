"""Transposed conv panel: the canvas, the zero-inserted equivalent, the formula and the checkerboard show the
model's numbers (conv_transpose, transpose_scatter_steps, zero_inserted); stepping keys work; settings go
through the undo stack to the TransposeState."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

import convviz.ui  # noqa: F401
from convviz.model import ConvDocument, conv_transpose, correlate
from convviz.model.step_view import cell_texts
from convviz.model.transpose import transpose_scatter_steps, zero_inserted
from convviz.model.transpose_view import EXAMPLE_INPUT, EXAMPLE_KERNEL
from convviz.ui.transpose.panel import TransposePanel


@pytest.fixture
def doc():
    rng = np.random.default_rng(3)
    img = np.full((64, 64), 40.0) + rng.integers(0, 3, (64, 64))
    img[20:44, 30:50] = 210
    return ConvDocument(image=img)


@pytest.fixture
def panel(show_panel, doc):
    return show_panel(TransposePanel(doc))


def test_names(panel):
    assert panel.objectName() == "transposePanel" and panel.key == "transpose" and panel.shortcut == "Ctrl+Alt+1"
    for name in ("transposeInputBox", "transposeKernelBox", "transposeStrideSpin", "transposePaddingSpin",
                 "transposeOutputPaddingSpin", "transposeDilationSpin", "transposeInputGrid", "transposeKernelGrid",
                 "transposeContributionGrid", "transposeCanvasGrid", "transposeStepText", "transposePlayButton",
                 "transposeStepForwardButton", "transposeStepSlider", "transposeZeroInsertedGrid",
                 "transposeFlippedGrid", "transposeResultGrid", "transposeEqual", "transposeFormula",
                 "transposeCheckerBox", "transposeCheckerCropView", "transposeCheckerUpsampledView",
                 "transposeCheckerCoverageView", "transposeCheckerText"):
        widget = panel.findChild(object, name)
        assert widget is not None and widget.accessibleName(), name


def test_the_scatter_of_the_example(panel, grid_texts):
    seq = transpose_scatter_steps(EXAMPLE_INPUT, EXAMPLE_KERNEL, stride=2)
    assert grid_texts(panel.input_grid) == [["1", "2"], ["3", "4"]]
    assert grid_texts(panel.kernel_grid) == cell_texts(EXAMPLE_KERNEL)
    for i, step in enumerate(seq):
        panel.jump(i)
        assert panel.input_grid.current() == step.in_index
        assert grid_texts(panel.contribution_grid) == cell_texts(step.contribution)
        assert grid_texts(panel.canvas_grid) == cell_texts(step.running_canvas)
        rows, cols = panel.canvas_grid.window()
        assert list(rows) == list(step.rows) and list(cols) == list(step.cols)
        assert step.expression in panel.step_text.text()
    assert grid_texts(panel.canvas_grid) == cell_texts(conv_transpose(EXAMPLE_INPUT, EXAMPLE_KERNEL, stride=2))
    assert panel.step_bar.position_label.text() == "step 4 / 4"


def test_the_same_as_a_convolution_and_the_formula(panel, grid_texts):
    panel.spins["padding"].setValue(1)
    panel.spins["output_padding"].setValue(1)
    x, w = EXAMPLE_INPUT, EXAMPLE_KERNEL
    out = conv_transpose(x, w, stride=2, padding=1, output_padding=1)
    z = zero_inserted(x, 2, 1, w.shape, 1, 1)
    assert grid_texts(panel.zero_grid) == cell_texts(z)
    assert grid_texts(panel.flipped_grid) == cell_texts(w[::-1, ::-1])
    assert grid_texts(panel.result_grid) == cell_texts(correlate(z, w[::-1, ::-1])) == cell_texts(out)
    assert panel.equal_label.text() == "Equal to the scatter: the largest difference is 0."
    assert "rows     (2−1)·2 − 2·1 + 1·(3−1) + 1 + 1 = 4" in panel.formula_label.text().replace("\u00a0", " ")
    assert out.shape == (4, 4)
    panel.step_bar.last_button.click()
    assert panel.canvas_grid.is_padding(0, 0) and "hatched: cropped" in panel.canvas_grid.title()


def test_image_input_and_document_kernel(panel, doc, grid_texts):
    panel.input_box.setCurrentIndex(panel.input_box.findData("image"))
    panel.kernel_box.setCurrentIndex(panel.kernel_box.findData("document"))
    x = panel.crops.scatter
    assert x.shape == (4, 4)
    panel.step_bar.last_button.click()
    assert grid_texts(panel.canvas_grid) == cell_texts(conv_transpose(x, doc.kernel, stride=2))
    doc.apply(kernel=np.array([[1.0, -1.0], [2.0, 0.5]]))
    assert grid_texts(panel.kernel_grid) == [["1", "-1"], ["2", "0.5"]]
    assert grid_texts(panel.result_grid) == cell_texts(conv_transpose(x, doc.kernel, stride=2))


def test_checkerboard(panel):
    b = panel.board
    np.testing.assert_array_equal(panel.checker_plots["upsampled"].values,
                                  conv_transpose(b.crop, np.ones((3, 3)), stride=2, padding=1, output_padding=1))
    assert b.upsampled.shape == (96, 96) and "1, 2, 4 in a checkerboard" in panel.checker_label.text()
    panel.checker_box.setCurrentIndex(panel.checker_box.findData("bilinear"))
    assert panel.state.checker == "bilinear" and "overlaps even out" in panel.checker_label.text()
    np.testing.assert_array_equal(np.unique(panel.board.inside), [1.0])


def test_stepping_keys(panel, qtbot):
    panel.activateWindow()
    panel.canvas_grid.setFocus()
    qtbot.keyClick(panel.canvas_grid, Qt.Key_Right)
    assert panel.state.step == 1
    qtbot.keyClick(panel.canvas_grid, Qt.Key_End)
    assert panel.state.step == 3
    qtbot.keyClick(panel.canvas_grid, Qt.Key_Left)
    assert panel.state.step == 2
    qtbot.keyClick(panel.canvas_grid, Qt.Key_Home)
    assert panel.state.step == 0 and panel.editor.stack.count() == 0


def test_settings_are_undoable_and_keep_the_output_padding_allowed(panel):
    stack = panel.editor.stack
    panel.spins["stride"].setValue(3)
    panel.spins["output_padding"].setValue(2)
    panel.spins["stride"].setValue(1)          # output padding 2 is no longer allowed: it follows
    assert (panel.state.stride, panel.state.output_padding) == (1, 0)
    assert stack.count() == 3
    stack.undo()
    assert (panel.state.stride, panel.state.output_padding) == (3, 2) and panel.spins["stride"].value() == 3
    panel.spins["output_padding"].setValue(3)  # not smaller than the stride: refused
    assert panel.state.output_padding == 2 and panel.spins["output_padding"].value() == 2


def test_lesson_settings_round_trip(panel):
    settings = {"input": "image", "kernel": "document", "stride": 3, "padding": 1, "output_padding": 2,
                "dilation": 2, "step": 5, "checker": "bilinear"}
    panel.apply_lesson_settings(settings)
    assert panel.lesson_settings() == settings and panel.step_index == 5
    with pytest.raises(ValueError):
        panel.apply_lesson_settings({"output_padding": 3, "stride": 2, "dilation": 1})
    assert panel.lesson_settings() == settings


def test_large_pictures_are_cropped_in_the_worker(qtbot):
    doc = ConvDocument(image=np.random.default_rng(2).uniform(0, 255, (800, 700)))
    p = TransposePanel(doc)
    qtbot.addWidget(p)
    p.show()
    assert p.wait_for_image()
    assert p.crops.scatter.shape == (4, 4) and p.board.upsampled.shape == (96, 96)
