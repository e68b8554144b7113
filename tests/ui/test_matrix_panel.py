"""Matrix panel: the drawn matrix is the convolution's matrix (checked against one built by loops), coloured by
tap; the numbers shown are stated here; every control goes through the undo stack to the MatrixState."""

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

import convviz.ui  # noqa: F401
from convviz.model import ConvDocument, convolve, correlate, to_gray
from convviz.model.matrix_view import colour_by_tap
from convviz.ui.matrix.panel import MAX_ENTRIES, MatrixPanel

SOBEL_X = np.array([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]])


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


def matrix_by_loops(kernel, hw, pad=(0, 0), stride=(1, 1)):
    """The oracle: row o = (oy, ox), column i = (y, x); the weight kernel[y − oy·S + P, x − ox·S + P] (zero padding)."""
    kh, kw = kernel.shape
    h, w = hw
    oh = (h + 2 * pad[0] - kh) // stride[0] + 1
    ow = (w + 2 * pad[1] - kw) // stride[1] + 1
    m = np.zeros((oh * ow, h * w))
    for oy in range(oh):
        for ox in range(ow):
            for ky in range(kh):
                for kx in range(kw):
                    y, x = oy * stride[0] + ky - pad[0], ox * stride[1] + kx - pad[1]
                    if 0 <= y < h and 0 <= x < w:
                        m[oy * ow + ox, y * w + x] = kernel[ky, kx]
    return m


def test_default_crop_matrix_and_numbers(panel, doc):
    """Sobel x, same padding, the top-left 8×8 pixels: M is 64 × 64. The six non-zero taps land on
    2·(8·7) + 4·(7·7) = 308 entries, so 4,096 − 308 = 3,788 entries are 0."""
    x = doc.image[:8, :8]
    np.testing.assert_array_equal(panel.matrix, matrix_by_loops(SOBEL_X, (8, 8), pad=(1, 1)))
    np.testing.assert_array_equal(panel.x, x)
    np.testing.assert_array_equal(panel.expected, correlate(x, SOBEL_X, "same"))
    assert panel.max_difference == 0.0
    assert "max difference 0" in plain(panel.check_label)
    assert plain(panel.shape_label).startswith("M is 64 × 64: one row per output pixel (8×8)")
    assert plain(panel.sparsity_label) == (
        "Sparsity: 3,788 of 4,096 entries are 0 (92.5 %); the other 308 are copies of the kernel's 6 non-zero "
        "weights. 3 of its 9 weights are 0, so their coloured cells hold 0 too.")
    assert "16.4 kB (4,096 numbers)" in plain(panel.memory_label) and "36 bytes" in plain(panel.memory_label)
    # the picture: each tap in its own colour, no tap white
    rgb = panel.matrix_plot.image.image
    np.testing.assert_array_equal(rgb, colour_by_tap(panel.taps, 9))
    assert (panel.taps > 0).sum() == (7 + 8 + 7) ** 2      # Σ over the nine taps of (8 − |dy|)·(8 − |dx|)
    assert (rgb[panel.taps == 0] == 255).all() and not (rgb[panel.taps > 0] == 255).all(axis=-1).any()
    assert panel.view_stack.currentIndex() == 0


def test_a_kernel_without_zeros_says_the_same_weights(panel, doc):
    doc.apply(kernel=np.arange(1.0, 10.0).reshape(3, 3), padding="valid")
    assert plain(panel.sparsity_label) == (
        "Sparsity: 1,980 of 2,304 entries are 0 (85.9 %); the other 324 are copies of the same 9 weights.")
    assert panel.matrix.shape == (36, 64)         # 6×6 outputs, each with all 9 weights: 324


def test_crop_spin_both_ways(panel, doc):
    panel.crop_spin.setValue(5)
    assert panel.matrix.shape == (25, 25) and panel.state.crop == 5
    np.testing.assert_array_equal(panel.matrix, matrix_by_loops(SOBEL_X, (5, 5), pad=(1, 1)))
    panel.crop_spin.setValue(8)
    assert panel.matrix.shape == (64, 64)


def test_crop_box_never_claims_more_than_the_image(panel, doc):
    """Issue #12: lesson 7 asks for an 8 px crop of a 4×4 image; the box said 8 px."""
    doc.apply(image=np.arange(16.0).reshape(4, 4), padding="valid", kernel=np.array([[1.0, 0], [0, 2]]))
    assert panel.state.crop == 8
    assert panel.crop_spin.value() == 4 and panel.crop_spin.text() == "4 px"
    assert panel.crop_note.text() == "4×4 pixels (the whole image)"
    assert panel.setup_label.text().startswith("The whole 4×4 image;")
    assert panel.matrix.shape == (9, 16)
    doc.apply(image=np.zeros((20, 6)))                  # 8 rows of 6 columns
    assert panel.crop_spin.value() == 8 and panel.crop_note.text() == "8×6 pixels"
    assert panel.setup_label.text().startswith("The top-left 8×6 pixels of the image;")


def test_document_settings_flow_in(panel, doc):
    kernel = np.arange(6.0).reshape(2, 3)
    doc.apply(padding="valid", stride=2, dilation=1, kernel=kernel)
    x = doc.image[:8, :8]
    np.testing.assert_array_equal(panel.matrix, matrix_by_loops(kernel, (8, 8), stride=(2, 2)))
    np.testing.assert_array_equal(panel.matrix @ x.ravel(), correlate(x, kernel, "valid", stride=2).ravel())
    assert "M is 12 × 64" in plain(panel.shape_label)           # outputs ⌊6/2⌋+1 = 4 by ⌊5/2⌋+1 = 3
    doc.apply(flip=True)
    np.testing.assert_array_equal(panel.matrix, matrix_by_loops(kernel[::-1, ::-1], (8, 8), stride=(2, 2)))
    np.testing.assert_array_equal(panel.expected, convolve(x, kernel, "valid", stride=2))
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
    assert panel.mode_pages.currentIndex() == 1 and panel.mode_box.currentData() == "lecture"
    np.testing.assert_array_equal(panel.matrix, [[1, 2, 0, 0], [0, 1, 2, 0], [0, 0, 1, 2]])
    np.testing.assert_array_equal(panel.taps, [[1, 2, 0, 0], [0, 1, 2, 0], [0, 0, 1, 2]])
    labels = sorted(t.textItem.toPlainText() for t in panel.cell_texts)
    assert labels.count("w₁=1") == 3 and labels.count("w₂=2") == 3 and labels.count("0") == 6
    check = plain(panel.check_label)
    assert "M @ x = [5, 8, 11]" in check and "conv(x) = [5, 8, 11]" in check    # 1+4, 2+6, 3+8
    assert "M is 3 × 4" in plain(panel.shape_label)
    panel.weights_edit.setText("0.5, -1, 2")
    panel.weights_edit.editingFinished.emit()
    np.testing.assert_array_equal(panel.matrix, [[0.5, -1, 2, 0], [0, 0.5, -1, 2]])
    assert "M is 2 × 4" in plain(panel.shape_label) and panel.state.w == "0.5, -1, 2"
    # not a number: refused with the reason, the state and the matrix stay, the text stays to be fixed
    panel.signal_edit.setText("1, x")
    panel.signal_edit.editingFinished.emit()
    assert "not a number" in panel.error_label.text() and "still shows a = 1, 2, 3, 4" in panel.error_label.text()
    assert panel.state.a == "1, 2, 3, 4" and panel.signal_edit.text() == "1, x" and panel.signal_edit.styleSheet()
    np.testing.assert_array_equal(panel.matrix, [[0.5, -1, 2, 0], [0, 0.5, -1, 2]])
    panel.signal_edit.setText("1, 2, 3, 4")
    panel.signal_edit.editingFinished.emit()
    assert panel.matrix is not None and panel.error_label.text() == "" and not panel.signal_edit.styleSheet()
    panel.set_mode("image")
    assert panel.matrix.shape == (64, 64) and panel.mode_pages.currentIndex() == 0


def test_kernel_longer_than_the_signal_says_so(panel):
    panel.set_mode("lecture")
    panel.weights_edit.setText("1, 1, 1, 1, 1")
    panel.weights_edit.editingFinished.emit()
    assert panel.matrix is None and "larger than the padded input" in panel.error_label.text()


def test_kernel_larger_than_crop_says_so(panel, doc):
    doc.apply(padding="valid", kernel=np.ones((5, 5)))
    panel.crop_spin.setValue(3)
    assert panel.matrix is None and "larger than the padded input" in panel.error_label.text()
    panel.crop_spin.setValue(8)
    assert panel.matrix.shape == (16, 64)


def test_names(panel):
    for w in (panel, panel.mode_box, panel.crop_spin, panel.signal_edit, panel.weights_edit, panel.matrix_plot,
              panel.kernel_plot):
        assert w.objectName() and w.accessibleName()
    for w in (panel.mode_box, panel.crop_spin, panel.signal_edit, panel.weights_edit):
        assert w.toolTip()


def test_lesson_settings_round_trip(panel, qtbot, doc):
    panel.set_mode("lecture")
    panel.weights_edit.setText("3, -1")
    panel.weights_edit.editingFinished.emit()
    saved = panel.lesson_settings()
    assert saved == {"mode": "lecture", "crop": 8, "a": "1, 2, 3, 4", "w": "3, -1"}
    other = MatrixPanel(doc)
    qtbot.addWidget(other)
    other.apply_lesson_settings(saved)
    other.refresh_now()                   # a hidden panel draws when shown
    assert other.lesson_settings() == saved and other.panel_key == other.key == "matrix"
    np.testing.assert_array_equal(other.matrix, [[3, -1, 0, 0], [0, 3, -1, 0], [0, 0, 3, -1]])
    other.apply_lesson_settings({"mode": "image", "crop": 5})
    other.refresh_now()
    assert other.matrix.shape == (25, 25)
    for bad in ({"mode": "3d"}, {"crop": 0}, {"crop": 65}, {"a": "1, x"}, {"w": ""}, {"a": ",".join("1" * 17)}):
        with pytest.raises(ValueError):
            other.apply_lesson_settings(bad)
        assert other.lesson_settings() == {"mode": "image", "crop": 5, "a": "1, 2, 3, 4", "w": "3, -1"}


def test_every_edit_is_one_undo_step(panel):
    stack = panel.editor.stack
    panel.crop_spin.setValue(5)
    panel.set_mode("lecture")
    panel.signal_edit.setText("4, 3, 2")
    panel.signal_edit.editingFinished.emit()
    assert stack.count() == 3 and panel.matrix.shape == (2, 3)
    stack.undo()
    assert panel.state.a == "1, 2, 3, 4" and panel.signal_edit.text() == "1, 2, 3, 4" and panel.matrix.shape == (3, 4)
    stack.undo()
    assert panel.mode_box.currentData() == "image" and panel.matrix.shape == (25, 25)
    stack.undo()
    assert panel.crop_spin.value() == 8 and panel.matrix.shape == (64, 64)


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
    assert panel.side_scroll.geometry().top() >= panel.view_stack.geometry().bottom()
    assert panel.view_stack.width() > 0.9 * panel.splitter.width()
    wide_cell = drawn_cell_size(panel, qtbot)
    doc.apply(stride=(1, 1))
    assert panel.matrix.shape == (64, 64)
    assert panel.arrangement() == "beside"
    assert panel.side_scroll.geometry().right() <= panel.view_stack.geometry().left()
    assert panel.side_layout.direction() == panel.side_layout.Direction.TopToBottom
    # the wide matrix, given the full width, has cells larger than the square one's
    assert wide_cell > drawn_cell_size(panel, qtbot) * 1.5
    doc.apply(stride=(2, 2))
    assert panel.arrangement() == "below"
    assert panel.side_layout.direction() == panel.side_layout.Direction.LeftToRight


def test_presentation_fonts_scroll_the_notes_instead_of_cutting_their_lines(doc, qtbot):
    from ui_support import app_font, settle

    with app_font(factor=2.0) as big:
        panel = MatrixPanel(doc)
        qtbot.addWidget(panel)
        panel.resize(1260, 740)
        panel.show()
        panel.crop_spin.setValue(8)
        settle(qtbot)
        assert panel.arrangement() == "beside"
        for label in (panel.setup_label, panel.shape_label, panel.sparsity_label, panel.memory_label,
                      panel.check_label):
            assert label.height() >= label.heightForWidth(label.width()), label.objectName()   # every line whole
        assert panel.side_scroll.verticalScrollBar().maximum() > 0        # the column scrolls instead
        assert panel.check_label.font().pointSizeF() == pytest.approx(big.pointSizeF() * 4 / 3)
