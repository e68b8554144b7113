"""1-D panel: the aligned rows, the products, the output and M @ a show the model's numbers; typed numbers,
padding and flip are undoable edits of the Conv1dState; stepping keys work; bad input is explained."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

import convviz.ui  # noqa: F401
from convviz.model import ConvDocument, conv_matrix, convolve, correlate, steps
from convviz.model.step_view import cell_text
from convviz.ui.conv1d.panel import Conv1dPanel


@pytest.fixture
def panel(show_panel):
    return show_panel(Conv1dPanel(ConvDocument()))


def type_into(qtbot, edit, text):
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key_Return)


def test_names(panel):
    assert panel.objectName() == "conv1dPanel" and panel.key == "conv1d" and panel.shortcut == "Ctrl+Alt+3"
    for name in ("conv1dSignalEdit", "conv1dKernelEdit", "conv1dPaddingBox", "conv1dFlipBox", "conv1dLectureButton",
                 "conv1dSignalGrid", "conv1dKernelGrid", "conv1dProductsGrid", "conv1dOutputGrid", "conv1dStepText",
                 "conv1dPlayButton", "conv1dStepForwardButton", "conv1dStepSlider", "conv1dMatrixGrid",
                 "conv1dMatrixSignalGrid", "conv1dMatrixOutputGrid", "conv1dMatrixText", "conv1dPaddingText"):
        widget = panel.findChild(object, name)
        assert widget is not None and widget.accessibleName(), name


@pytest.mark.parametrize("padding", ["valid", "same", "full"])
def test_every_step_shows_the_models_numbers(panel, padding, grid_texts):
    panel.padding_box.setCurrentIndex(panel.padding_box.findData(padding))
    a, w = np.array([[1.0, 2, 3, 4]]), np.array([[1.0, 2]])
    seq = steps(a, w, padding)
    out = correlate(a, w, padding)[0]
    for i, step in enumerate(seq):
        panel.jump(i)
        assert step.expression in panel.step_text.text()
        assert panel.output_grid.current() == (0, i) and grid_texts(panel.output_grid)[0][:i + 1] == [cell_text(v)
                                                                                               for v in out[:i + 1]]
        under = grid_texts(panel.under_grid)[0]
        assert [t for t in under if t] == ["1", "2"]
        assert [t for t in grid_texts(panel.products_grid)[0] if t] == [cell_text(v) for v in step.products[0]]
    m = conv_matrix(w, a.shape, padding)
    assert panel.matrix_grid.texts() == [[cell_text(v) for v in r] for r in m]
    assert [r[0] for r in panel.product_grid.texts()] == [cell_text(v) for v in m @ a[0]]
    assert panel.step_bar.position_label.text() == f"step {len(seq)} / {len(seq)}"


def test_the_highlighted_matrix_row_follows_the_step(panel):
    panel.jump(2)
    marked = [r for r in range(panel.matrix_grid.rowCount())
              if panel.matrix_grid.item(r, 0).background().style() != Qt.NoBrush]
    assert marked == [2] and "makes output 2" in panel.matrix_label.text()


def test_typed_numbers_flip_and_undo(panel, qtbot, grid_texts):
    stack = panel.editor.stack
    type_into(qtbot, panel.signal_edit, "3, -1, 4, 1, 5")
    type_into(qtbot, panel.kernel_edit, "1 0 -2")
    assert panel.state.signal == (3, -1, 4, 1, 5) and panel.state.kernel == (1, 0, -2)
    panel.flip_box.setChecked(True)
    panel.step_bar.last_button.click()
    expected = convolve(np.array([[3.0, -1, 4, 1, 5]]), np.array([[1.0, 0, -2]]), "valid")[0]
    assert grid_texts(panel.output_grid)[0] == [cell_text(v) for v in expected]
    assert "reversed, [-2, 0, 1]" in panel.operation_label.text()
    assert stack.count() == 3
    stack.undo()
    assert not panel.state.flip and not panel.flip_box.isChecked()
    stack.undo()
    assert panel.state.kernel == (1, 2) and panel.kernel_edit.text() == "1, 2"


def test_bad_numbers_are_explained_and_change_nothing(panel, qtbot):
    type_into(qtbot, panel.kernel_edit, "1, two")
    assert "'two' in the kernel w is not a number" in panel.input_hint.text() and panel.state.kernel == (1, 2)
    type_into(qtbot, panel.kernel_edit, "1, 2, 3, 4, 5")
    assert "cannot be longer" in panel.input_hint.text() and panel.state.kernel == (1, 2)
    assert panel.kernel_edit.text() == "1, 2" and panel.editor.stack.count() == 0
    panel.lecture_button.click()
    assert panel.input_hint.text() == ""


def test_stepping_keys(panel, qtbot):
    panel.activateWindow()
    panel.output_grid.setFocus()
    qtbot.keyClick(panel.output_grid, Qt.Key_Right)
    qtbot.keyClick(panel.output_grid, Qt.Key_Right)
    assert panel.state.step == 2 and panel.step_index == 2
    qtbot.keyClick(panel.output_grid, Qt.Key_Home)
    assert panel.state.step == 0
    qtbot.keyClick(panel.output_grid, Qt.Key_End)
    assert panel.state.step == 2          # valid: 3 outputs


def test_lesson_settings_round_trip(panel):
    settings = {"signal": [0, 10, 10, 0], "kernel": [1, 0, 2], "padding": "same", "flip": True, "step": 3}
    panel.apply_lesson_settings(settings)
    assert panel.lesson_settings() == settings and panel.signal_edit.text() == "0, 10, 10, 0"
    assert panel.step_index == 3
    with pytest.raises(ValueError):
        panel.apply_lesson_settings({"padding": "reflect"})
    assert panel.lesson_settings() == settings
