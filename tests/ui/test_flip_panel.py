"""Correlation vs convolution panel: the flipped kernel, the document's flip switch, and the
commutativity example, each number against correlate/convolve."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from ui_support import settle, top_in

import convviz.ui  # noqa: F401
from convviz.model import PRESETS, ConvDocument, convolve, correlate, format_number
from convviz.ui.flip.panel import LECTURE_A, LECTURE_W, FlipPanel


@pytest.fixture
def doc():
    return ConvDocument()


@pytest.fixture
def panel(qtbot, doc):
    p = FlipPanel(doc)
    qtbot.addWidget(p)
    p.resize(1200, 900)
    p.show()
    return p


def as_texts(a):
    return [[format_number(v) for v in row] for row in np.atleast_2d(a)]


def plain(label):
    return label.text().replace("<b>", "").replace("</b>", "")


def test_lecture_example_numbers(panel):
    assert panel.example_box.currentData() == "lecture"
    assert panel.a_grid.texts() == as_texts(LECTURE_A) and panel.w_grid.texts() == as_texts(LECTURE_W)
    for key, op, first, second in (("conv_aw", convolve, LECTURE_A, LECTURE_W),
                                   ("conv_wa", convolve, LECTURE_W, LECTURE_A),
                                   ("corr_aw", correlate, LECTURE_A, LECTURE_W),
                                   ("corr_wa", correlate, LECTURE_W, LECTURE_A)):
        expected = op(first, second, "full")
        assert panel.grids[key].texts() == as_texts(expected), key
    # the middle of A ⋆ W is the lecture's valid correlation: 60, 70, 50 in the first row
    assert panel.grids["corr_aw"].texts()[1][1:4] == ["60", "70", "50"]
    assert panel.grids["conv_aw"].texts() == panel.grids["conv_wa"].texts()
    assert panel.grids["corr_aw"].texts() != panel.grids["corr_wa"].texts()
    assert "A * W = W * A" in plain(panel.conv_verdict) and "commutative" in plain(panel.conv_verdict)
    differ = int(np.count_nonzero(correlate(LECTURE_A, LECTURE_W, "full") != correlate(LECTURE_W, LECTURE_A, "full")))
    assert f"A ⋆ W ≠ W ⋆ A: {differ} numbers differ" in plain(panel.corr_verdict)
    assert "half a turn" in plain(panel.corr_verdict)
    marked = np.array([[panel.grids["corr_wa"].item(r, c).background().style() != Qt.NoBrush
                        for c in range(5)] for r in range(5)])
    differs = correlate(LECTURE_A, LECTURE_W, "full") != correlate(LECTURE_W, LECTURE_A, "full")
    np.testing.assert_array_equal(marked, differs)
    assert marked.sum() == differ
    assert not any(panel.grids["conv_wa"].item(r, c).background().style() != Qt.NoBrush
                   for r in range(5) for c in range(5))


def test_one_d_example(panel):
    panel.example_box.setCurrentIndex(panel.example_box.findData("one_d"))
    assert panel.grids["conv_aw"].texts() == [["1", "4", "7", "10", "8"]] == panel.grids["conv_wa"].texts()
    assert panel.grids["corr_aw"].texts() == [["2", "5", "8", "11", "4"]]
    assert panel.grids["corr_wa"].texts() == [["4", "11", "8", "5", "2"]]
    assert "4 numbers differ" in plain(panel.corr_verdict)


def test_current_kernel_example_follows_the_document(panel, doc):
    panel.example_box.setCurrentIndex(panel.example_box.findData("current"))
    k = np.asarray(doc.kernel)
    assert panel.w_grid.texts() == as_texts(k)
    assert panel.grids["conv_wa"].texts() == as_texts(convolve(k, LECTURE_A, "full"))
    doc.apply(kernel=PRESETS["gaussian_blur"].kernel)
    g = np.asarray(PRESETS["gaussian_blur"].kernel)
    assert panel.grids["corr_aw"].texts() == as_texts(correlate(LECTURE_A, g, "full"))
    assert panel.grids["conv_aw"].texts() == panel.grids["conv_wa"].texts()


def test_flipped_kernel_switch_both_ways(panel, doc, qtbot):
    assert not panel.flipped_grid.isVisible()
    qtbot.mouseClick(panel.show_flip_button, Qt.LeftButton)
    assert panel.flipped_grid.isVisible() and panel.show_flip_button.text() == "Hide the flipped kernel"
    k = np.asarray(doc.kernel)
    assert panel.kernel_grid.texts() == as_texts(k)
    assert panel.flipped_grid.texts() == as_texts(k[::-1, ::-1])
    assert "opposite sign" in panel.kernel_note.text()          # Sobel: half a turn = minus sign
    doc.apply(kernel=np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert panel.flipped_grid.texts() == [["4", "3"], ["2", "1"]]
    assert "changes this kernel" in panel.kernel_note.text()
    doc.apply(kernel=PRESETS["box_blur"].kernel)
    assert "same output" in panel.kernel_note.text()
    qtbot.mouseClick(panel.show_flip_button, Qt.LeftButton)
    assert not panel.flipped_grid.isVisible()


def test_document_flip_both_ways(panel, doc):
    assert not panel.flip_box.isChecked() and "cross-correlation" in plain(panel.app_label)
    assert "default" in plain(panel.app_label)
    panel.flip_box.setChecked(True)
    assert doc.flip is True and "true convolution" in plain(panel.app_label)
    doc.apply(flip=False)
    assert not panel.flip_box.isChecked() and "cross-correlation" in plain(panel.app_label)
    doc.apply(flip=True)
    assert panel.flip_box.isChecked()


def test_names(panel):
    for w in (panel.flip_box, panel.show_flip_button, panel.example_box, panel.kernel_grid, panel.flipped_grid,
              *panel.grids.values()):
        assert w.objectName() and w.accessibleName() and w.toolTip()
    assert panel.objectName() == "flipPanel"


def test_lesson_settings_round_trip(panel):
    panel.apply_lesson_settings({"example": "one_d", "show_flipped": True})
    assert panel.lesson_settings() == {"example": "one_d", "show_flipped": True} and panel.key == "flip"
    assert panel.grids["corr_aw"].texts() == [["2", "5", "8", "11", "4"]] and panel.flipped_grid.isVisible()


def test_every_edit_is_one_undo_step(panel):
    """The flip checkbox, the example and the flipped-kernel button go through the undo stack."""
    stack = panel.editor.stack
    panel.flip_box.setChecked(True)
    panel.example_box.setCurrentIndex(panel.example_box.findData("one_d"))
    panel.show_flip_button.setChecked(True)
    assert stack.count() == 3 and panel.document.flip and panel.state.example == "one_d" and panel.state.show_flipped
    stack.undo()
    assert not panel.state.show_flipped and not panel.show_flip_button.isChecked()
    stack.undo()
    assert panel.state.example == "lecture" and panel.example_box.currentData() == "lecture"
    stack.undo()
    assert not panel.document.flip and not panel.flip_box.isChecked()


def test_state_drives_the_widgets_without_qt_in_between(panel):
    """A session or lesson sets the Qt-free state; the panel follows."""
    panel.state.apply(example="one_d", show_flipped=True)
    assert panel.example_box.currentData() == "one_d" and panel.show_flip_button.isChecked()
    assert panel.grids["conv_aw"].texts() == [["1", "4", "7", "10", "8"]]


# -- presentation fit (issue #12): grids follow the font, pairs stack, numbers are never cut ----------------------

def whole_numbers_shown(grid):
    """Every column is at least as wide as its widest number in the grid's font, plus the cell's padding."""
    metrics = grid.fontMetrics()
    texts = grid.texts()
    return all(grid.columnWidth(c) >= max(metrics.horizontalAdvance(row[c]) for row in texts) + 19
               for c in range(grid.columnCount()))


def test_grid_numbers_follow_the_application_font(panel, big_font, qtbot):
    settle(qtbot)
    for grid in (panel.a_grid, panel.kernel_grid, *panel.grids.values()):
        assert grid.font().pointSizeF() == 27.0, grid.objectName()       # room enough at 1200 px: full size
        assert whole_numbers_shown(grid), grid.objectName()
    assert panel.a_grid.rowHeight(0) >= grid.fontMetrics().height()


def test_pairs_side_by_side_when_wide_and_stacked_when_narrow(panel, big_font, qtbot):
    from PySide6.QtWidgets import QScrollArea
    scroll = panel.findChild(QScrollArea)

    def top(widget):
        return top_in(scroll.widget(), widget)

    panel.apply_lesson_settings({"example": "current"})                    # A 4×4 and the Sobel kernel: 6×6 results
    settle(qtbot)
    assert top(panel.a_grid) == top(panel.w_grid)                          # A beside W
    assert top(panel.grids["conv_aw"]) == top(panel.grids["conv_wa"])
    panel.resize(720, 700)
    settle(qtbot)
    assert top(panel.w_grid) > top(panel.a_grid) + panel.a_grid.height()    # one column: W under A, …
    assert top(panel.grids["conv_wa"]) > top(panel.grids["conv_aw"]) + panel.grids["conv_aw"].height()
    assert scroll.horizontalScrollBar().maximum() == 0                      # nothing off to the side
    for grid in (panel.a_grid, *panel.grids.values()):
        assert whole_numbers_shown(grid)


def test_a_large_grid_shrinks_its_numbers_to_the_width_without_cutting_them(panel, doc, big_font, qtbot):
    from PySide6.QtWidgets import QScrollArea

    from convviz.ui.widgets.font_fit import FLOOR_POINTS
    doc.apply(kernel=np.round(np.random.default_rng(1).random((7, 7)), 4))
    panel.apply_lesson_settings({"example": "current", "show_flipped": True})
    panel.resize(900, 700)
    settle(qtbot)
    scroll = panel.findChild(QScrollArea)
    assert scroll.horizontalScrollBar().maximum() == 0
    for grid in (panel.kernel_grid, panel.flipped_grid, panel.w_grid, *panel.grids.values()):
        assert FLOOR_POINTS <= grid.font().pointSizeF() < 27.0, grid.objectName()   # smaller, to fit
        assert grid.width() <= scroll.viewport().width()
        assert whole_numbers_shown(grid), grid.objectName()
        assert grid.horizontalScrollBar().maximum() == 0
    assert panel.grids["corr_wa"].texts() == as_texts(correlate(np.asarray(doc.kernel), LECTURE_A, "full"))


def test_marked_cells_are_dark_on_the_light_mark(panel):
    grid = panel.grids["corr_wa"]
    marked = [grid.item(r, c) for r in range(grid.rowCount()) for c in range(grid.columnCount())
              if grid.item(r, c).background().style() != Qt.NoBrush]
    assert marked and all(item.foreground().style() != Qt.NoBrush and item.foreground().color().lightness() < 60
                          for item in marked)
