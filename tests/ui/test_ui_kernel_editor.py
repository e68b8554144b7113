"""Kernel editor: table ↔ document both ways, fractions, refusals, presets, Gaussian, actions, undo."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from convviz.model import PRESETS, ConvDocument, format_number, gaussian
from convviz.ui.filter.kernel_editor import REFUSED_COLOUR, KernelEditor
from convviz.ui.undo import DocumentEditor


@pytest.fixture
def panel(qtbot):
    editor = DocumentEditor(ConvDocument())
    widget = KernelEditor(editor)
    qtbot.addWidget(widget)
    widget.resize(420, 500)
    widget.show()
    yield widget
    widget.shutdown()


def test_table_shows_the_document_kernel_and_follows_it(panel):
    model, doc = panel.model, panel.doc
    assert (model.rowCount(), model.columnCount()) == doc.kernel.shape
    doc.apply(kernel=np.arange(6.0).reshape(2, 3) / 8)
    assert (model.rowCount(), model.columnCount()) == (2, 3)
    assert model.data(model.index(1, 2), Qt.ItemDataRole.EditRole) == 5 / 8
    assert model.data(model.index(1, 2)) == format_number(5 / 8)
    assert (panel.rows_spin.value(), panel.cols_spin.value()) == (2, 3)


def test_cell_edit_accepts_numbers_and_fractions(panel):
    model, doc = panel.model, panel.doc
    assert model.setData(model.index(0, 1), "1/9")
    assert doc.kernel[0, 1] == 1 / 9 and doc.preset is None
    assert model.setData(model.index(2, 2), "-2/16")
    assert doc.kernel[2, 2] == -0.125
    assert model.setData(model.index(1, 1), 2.5)
    assert doc.kernel[1, 1] == 2.5


def test_bad_text_is_refused_with_a_visible_hint(panel, qtbot):
    model, doc = panel.model, panel.doc
    before = np.array(doc.kernel)
    messages = []
    panel.message.connect(messages.append)
    index = model.index(1, 0)
    panel.table.edit(index)
    line = panel.table.viewport().findChild(QLineEdit)
    assert line is not None
    line.setText("abc")
    panel.table.itemDelegate().commitData.emit(line)   # what Enter does in the editor
    assert np.array_equal(doc.kernel, before)
    assert panel.hint.isVisible() and "abc" in panel.hint.text()
    assert messages and "not a number" in messages[-1]
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) == REFUSED_COLOUR
    assert model.data(index) == format_number(before[1, 0])


def test_opening_and_closing_an_editor_does_not_round_the_value(panel, qtbot):
    panel.doc.apply(kernel=np.full((3, 3), 1 / 9))
    panel.table.edit(panel.model.index(0, 0))
    line = panel.table.viewport().findChild(QLineEdit)
    assert line.text() == format_number(1 / 9)
    panel.table.itemDelegate().commitData.emit(line)
    assert panel.doc.kernel[0, 0] == 1 / 9


def test_preset_box_both_ways(panel):
    box, doc = panel.preset_box, panel.doc
    assert all(box.itemData(i) in PRESETS for i in range(box.count()))
    assert box.itemData(box.findData("laplacian"), Qt.ItemDataRole.ToolTipRole) == PRESETS["laplacian"].description
    i = box.findData("laplacian")
    box.setCurrentIndex(i)
    box.activated.emit(i)
    assert doc.preset == "laplacian" and np.array_equal(doc.kernel, PRESETS["laplacian"].kernel)
    doc.apply(kernel=PRESETS["emboss"].kernel, preset="emboss")
    assert box.currentData() == "emboss"
    panel.model.setData(panel.model.index(0, 0), "7")
    assert box.currentIndex() == -1 and box.placeholderText() == "Custom kernel"


def test_gaussian_size_and_sigma(panel):
    panel.gaussian_size.setValue(7)
    panel.gaussian_sigma.setValue(1.5)
    panel.gaussian_button.click()
    assert np.allclose(panel.doc.kernel, gaussian(7, 1.5))
    panel.gaussian_sigma.setValue(2.0)      # live once the Gaussian was made
    assert np.allclose(panel.doc.kernel, gaussian(7, 2.0))
    assert panel.model.setData(panel.model.index(0, 0), "5")   # another edit: the spins no longer change it
    panel.gaussian_sigma.setValue(3.0)
    assert panel.doc.kernel[0, 0] == 5 and panel.doc.kernel.shape == (7, 7)
    panel._preset_chosen(panel.preset_box.findData("sharpen"))
    panel.gaussian_size.setValue(5)
    assert panel.doc.preset == "sharpen" and np.array_equal(panel.doc.kernel, PRESETS["sharpen"].kernel)


def test_gaussian_spins_do_nothing_before_the_gaussian_is_made(panel):
    before = panel.doc.kernel
    panel.gaussian_sigma.setValue(2.5)
    panel.gaussian_size.setValue(9)
    assert panel.doc.kernel is before


def test_size_spins_both_ways_including_even_and_non_square(panel):
    panel.rows_spin.setValue(4)
    panel.cols_spin.setValue(1)
    assert panel.doc.kernel.shape == (4, 1)
    panel.doc.apply(kernel=np.ones((15, 2)))
    assert (panel.rows_spin.value(), panel.cols_spin.value()) == (15, 2)
    assert panel.rows_spin.maximum() == 15 and panel.rows_spin.minimum() == 1


def test_actions_change_the_kernel(panel):
    doc = panel.doc
    doc.apply(kernel=[[1.0, 2.0], [3.0, 4.0]])
    panel.actions_by_name["normalise"].trigger()
    assert np.allclose(doc.kernel, [[0.1, 0.2], [0.3, 0.4]])
    panel.scale_spin.setValue(10)
    panel.actions_by_name["scale"].trigger()
    assert np.allclose(doc.kernel, [[1, 2], [3, 4]])
    panel.actions_by_name["flip"].trigger()
    assert np.allclose(doc.kernel, [[4, 3], [2, 1]])
    panel.actions_by_name["transpose"].trigger()
    assert np.allclose(doc.kernel, [[4, 2], [3, 1]])
    panel.actions_by_name["randomise"].trigger()
    assert doc.kernel.shape == (2, 2) and np.all(np.abs(doc.kernel) <= 1)
    panel.actions_by_name["clear"].trigger()
    assert np.array_equal(doc.kernel, np.zeros((2, 2)))


def test_normalise_refuses_a_zero_sum(panel):
    doc = panel.doc
    doc.apply(kernel=PRESETS["sobel_x"].kernel)
    assert not panel.normalise()
    assert np.array_equal(doc.kernel, PRESETS["sobel_x"].kernel)
    assert panel.hint.isVisible() and "add up to 0" in panel.hint.text()


def test_each_edit_is_one_undo_step(panel):
    doc, stack = panel.doc, panel.editor.stack
    original = np.array(doc.kernel)
    panel.model.setData(panel.model.index(0, 0), "5")
    panel.actions_by_name["transpose"].trigger()
    assert stack.count() == 2
    stack.undo()
    assert doc.kernel[0, 0] == 5 and doc.kernel.shape == original.shape
    stack.undo()
    assert np.array_equal(doc.kernel, original) and doc.preset == "sobel_x"
    stack.redo()
    assert doc.kernel[0, 0] == 5
    assert panel.model.data(panel.model.index(0, 0)) == "5"


def test_grab_looks_like_a_kernel_editor(panel):
    image = panel.grab()
    assert image.width() > 300 and image.height() > 300
    image.save("/tmp/convviz-kernel-editor.png")


def test_a_valid_entry_clears_the_refusal_hint(panel):
    model = panel.model
    assert not model.setData(model.index(0, 0), "two")
    assert panel.hint.isVisible() and model.flash_cell == (0, 0)
    assert model.setData(model.index(0, 1), "3")
    assert not panel.hint.isVisible() and model.flash_cell is None
    assert model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole) is None
    panel.doc.apply(kernel=PRESETS["sobel_x"].kernel, preset="sobel_x")
    assert not panel.normalise() and panel.hint.isVisible()
    panel._preset_chosen(panel.preset_box.findData("box_blur"))   # any change of the kernel clears it too
    assert not panel.hint.isVisible()


def test_cells_are_as_wide_as_their_numbers(panel):
    kernel = np.array(PRESETS["sobel_x"].kernel)
    kernel[2, 0] = -1234.5678
    panel.doc.apply(kernel=kernel)
    fm = panel.table.fontMetrics()
    widths = panel.cell_widths()
    assert panel.model.data(panel.model.index(2, 0)) == format_number(-1234.5678) == "-1234.5678"
    assert widths[0] >= fm.horizontalAdvance("-1234.5678") + 12    # the whole number, with its margins
    assert widths[1] == widths[2] < widths[0]                      # the other columns stay narrow
    panel.doc.apply(kernel=np.ones((3, 3)))
    assert len(set(panel.cell_widths())) == 1 and panel.cell_widths()[0] < widths[0]
