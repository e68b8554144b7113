"""Matrix panel: the drawn matrix is conv_matrix, coloured by tap; every number shown matches the model."""

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

import convviz.ui  # noqa: F401
from convviz.model import ConvDocument, conv_matrix, convolve, correlate, to_gray
from convviz.ui.costs_common import bytes_text, count_text
from convviz.ui.matrix_drawing import BLANK, colour_by_tap, tap_colours, tap_index_matrix
from convviz.ui.matrix_panel import MAX_ENTRIES, MatrixPanel


@pytest.fixture
def doc():
    rng = np.random.default_rng(0)
    return ConvDocument(image=rng.integers(0, 256, (20, 24)).astype(float))


@pytest.fixture
def panel(qtbot, doc):
    p = MatrixPanel(doc)
    qtbot.addWidget(p)
    p.resize(1200, 760)
    p.show()
    return p


def plain(label):
    return label.text().replace("<b>", "").replace("</b>", "").replace("<br>", "\n")


def test_tap_index_matrix_marks_every_weight_with_its_tap():
    kernel = np.arange(1.0, 10.0).reshape(3, 3) * 7
    for padding, stride, dilation in (("valid", 1, 1), ("same", 1, 1), ("full", 2, 1), ((1, 2), 1, 2)):
        taps = tap_index_matrix((3, 3), (6, 7), padding, stride=stride, dilation=dilation)
        m = conv_matrix(kernel, (6, 7), padding, stride=stride, dilation=dilation)
        np.testing.assert_array_equal(m, np.where(taps > 0, kernel.ravel()[taps - 1], 0.0))
    rgb = colour_by_tap(np.array([[0, 1], [2, 0]]), 2)
    assert rgb[0, 0].tolist() == BLANK.tolist() and rgb[0, 1].tolist() == tap_colours(2)[0].tolist()
    assert len({tuple(c) for c in tap_colours(18)}) == 18


def test_default_crop_matrix_and_numbers(panel, doc):
    x = doc.image[:8, :8]
    m = conv_matrix(doc.kernel, (8, 8), "same")
    np.testing.assert_array_equal(panel.matrix, m)
    np.testing.assert_array_equal(panel.x, x)
    assert panel.max_difference == float(np.abs(m @ x.ravel() - correlate(x, doc.kernel, "same").ravel()).max())
    assert panel.max_difference == 0.0
    assert "max difference 0" in plain(panel.check_label)
    assert "M is 64 × 64" in plain(panel.shape_label)
    zeros = m.size - np.count_nonzero(m)
    assert f"{count_text(zeros)} of {count_text(m.size)} entries are 0 ({100 * zeros / m.size:.1f} %)" in \
        plain(panel.sparsity_label)
    assert bytes_text(m.size * 4) in plain(panel.memory_label) and "36 bytes" in plain(panel.memory_label)
    # the picture: each tap in its own colour, zeros white
    rgb = panel.matrix_plot.image.image
    expected = colour_by_tap(tap_index_matrix((3, 3), (8, 8), "same"), 9)
    np.testing.assert_array_equal(rgb, expected)
    assert (rgb[panel.taps == 0] == 255).all() and not (rgb[panel.taps > 0] == 255).all(axis=-1).any()
    assert panel.view_stack.currentIndex() == 0


def test_crop_spin_both_ways(panel, doc):
    panel.crop_spin.setValue(5)
    assert panel.matrix.shape == (25, 25)
    np.testing.assert_array_equal(panel.matrix, conv_matrix(doc.kernel, (5, 5), "same"))
    panel.crop_spin.setValue(8)
    assert panel.matrix.shape == (64, 64)


def test_document_settings_flow_in(panel, doc):
    doc.apply(padding="valid", stride=2, dilation=1, kernel=np.arange(6.0).reshape(2, 3))
    x = doc.image[:8, :8]
    m = conv_matrix(doc.kernel, (8, 8), "valid", stride=2)
    np.testing.assert_array_equal(panel.matrix, m)
    np.testing.assert_array_equal(m @ x.ravel(), correlate(x, doc.kernel, "valid", stride=2).ravel())
    assert "M is 12 × 64" in plain(panel.shape_label)
    doc.apply(flip=True)
    np.testing.assert_array_equal(panel.matrix, conv_matrix(doc.kernel[::-1, ::-1], (8, 8), "valid", stride=2))
    np.testing.assert_array_equal(panel.expected, convolve(x, doc.kernel, "valid", stride=2))
    assert panel.max_difference == 0.0 and "flipped kernel" in panel.setup_label.text()
    doc.apply(padding_mode="reflect")
    assert "zero padding" in panel.note_label.text()
    doc.apply(padding_mode="zeros")
    assert panel.note_label.text() == ""


def test_small_matrix_prints_its_weights(panel, doc):
    doc.apply(padding="valid")
    panel.crop_spin.setValue(4)               # 4 × 16
    assert panel.matrix.shape == (4, 16)
    texts = {(round(t.pos().y() - 0.5), round(t.pos().x() - 0.5)): t.textItem.toPlainText() for t in panel.cell_texts}
    assert len(texts) == 64
    assert [texts[(0, c)] for c in range(7)] == ["-1", "0", "1", "0", "-2", "0", "2"]
    assert texts[(1, 1)] == "-1" and texts[(1, 0)] == "0"
    for (r, c), text in texts.items():
        assert float(text) == panel.matrix[r, c]
    assert "M @ x = [" in plain(panel.check_label)
    panel.crop_spin.setValue(5)              # 9 × 25: too many columns for labels
    assert panel.cell_texts == []


def test_too_large_matrix_is_not_built(panel, doc):
    big = np.zeros((3000, 3000, 3))
    doc.apply(image=big, padding="same")
    panel.crop_spin.setValue(64)              # 4096 × 4096
    assert 4096 * 4096 > MAX_ENTRIES
    assert panel.matrix is None and panel.view_stack.currentIndex() == 1
    text = panel.too_large_label.text()
    assert "4,096 × 4,096 = 16,777,216" in text and "too large to draw" in text and "67.1 MB" in text
    panel.crop_spin.setValue(6)
    assert panel.matrix.shape == (36, 36) and panel.view_stack.currentIndex() == 0
    np.testing.assert_array_equal(panel.x, to_gray(big[:6, :6]))
    assert "grey" in panel.setup_label.text()


def test_lecture_mode_1d(panel):
    panel.set_mode("lecture")
    assert panel.mode_pages.currentIndex() == 1
    np.testing.assert_array_equal(panel.matrix, [[1, 2, 0, 0], [0, 1, 2, 0], [0, 0, 1, 2]])
    np.testing.assert_array_equal(panel.taps, [[1, 2, 0, 0], [0, 1, 2, 0], [0, 0, 1, 2]])
    labels = sorted(t.textItem.toPlainText() for t in panel.cell_texts)
    assert labels.count("w₁=1") == 3 and labels.count("w₂=2") == 3 and labels.count("0") == 6
    check = plain(panel.check_label)
    assert "M @ x = [5, 8, 11]" in check and "conv(x) = [5, 8, 11]" in check
    assert correlate(np.array([[1.0, 2, 3, 4]]), np.array([[1.0, 2]])).ravel().tolist() == [5, 8, 11]
    assert "M is 3 × 4" in plain(panel.shape_label)
    panel.weights_edit.setText("0.5, -1, 2")
    panel.weights_edit.editingFinished.emit()
    np.testing.assert_array_equal(panel.matrix, conv_matrix([[0.5, -1, 2]], (1, 4)))
    assert "M is 2 × 4" in plain(panel.shape_label)
    panel.signal_edit.setText("1, x")
    panel.signal_edit.editingFinished.emit()
    assert panel.matrix is None and "not a number" in panel.error_label.text()
    panel.signal_edit.setText("1, 2, 3, 4")
    panel.signal_edit.editingFinished.emit()
    assert panel.matrix is not None and panel.error_label.text() == ""
    panel.set_mode("image")
    assert panel.matrix.shape == (64, 64) and panel.mode_pages.currentIndex() == 0


def test_kernel_larger_than_crop_says_so(panel, doc):
    doc.apply(padding="valid", kernel=np.ones((5, 5)))
    panel.crop_spin.setValue(3)
    assert panel.matrix is None and "larger than the padded input" in panel.error_label.text()
    panel.crop_spin.setValue(8)
    assert panel.matrix.shape == (16, 64)


def test_names(panel):
    for w in (panel, panel.mode_box, panel.crop_spin, panel.signal_edit, panel.weights_edit, panel.matrix_plot):
        assert w.objectName() and w.accessibleName()
    for w in (panel.mode_box, panel.crop_spin, panel.signal_edit, panel.weights_edit):
        assert w.toolTip()


def test_lesson_settings_round_trip(panel, qtbot, doc):
    panel.set_mode("lecture")
    panel.weights_edit.setText("3, -1")
    panel.weights_edit.editingFinished.emit()
    saved = panel.lesson_settings()
    other = MatrixPanel(doc)
    qtbot.addWidget(other)
    other.apply_lesson_settings(saved)
    assert other.lesson_settings() == saved and other.panel_key == "matrix"
    np.testing.assert_array_equal(other.matrix, conv_matrix([[3.0, -1.0]], (1, 4)))
    other.apply_lesson_settings({"mode": "image", "crop": 5})
    assert other.matrix.shape == (25, 25)


def drawn_cell_size(panel, qtbot):
    """Pixels per matrix cell as drawn (the view keeps the matrix's aspect)."""
    QApplication.processEvents()   # let the layout settle
    view = panel.matrix_plot.plot.getViewBox()
    return view.width() / (view.viewRange()[0][1] - view.viewRange()[0][0])


def test_a_wide_matrix_gets_the_notes_below_it_and_a_square_one_beside_it(panel, doc, qtbot):
    panel.crop_spin.setValue(8)
    doc.apply(padding="same", stride=(2, 2))
    assert panel.matrix.shape == (16, 64)
    assert panel.arrangement() == "below"
    assert panel.side.geometry().top() >= panel.view_stack.geometry().bottom()
    assert panel.view_stack.width() > 0.9 * panel.splitter.width()
    wide_cell = drawn_cell_size(panel, qtbot)
    doc.apply(stride=(1, 1))
    assert panel.matrix.shape == (64, 64)
    assert panel.arrangement() == "beside"
    assert panel.side.geometry().right() <= panel.view_stack.geometry().left()
    assert panel.side_layout.direction() == panel.side_layout.Direction.TopToBottom
    # the wide matrix, given the full width, has cells larger than the square one's
    assert wide_cell > drawn_cell_size(panel, qtbot) * 1.5
    doc.apply(stride=(2, 2))
    assert panel.arrangement() == "below"
    assert panel.side_layout.direction() == panel.side_layout.Direction.LeftToRight
