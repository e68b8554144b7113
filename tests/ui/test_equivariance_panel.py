"""Equivariance panel: every image and number shown comes from convviz.model.equivariance; every control
(the shift, Alt+arrows included) goes through the undo stack to the EquivarianceState."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

import convviz.ui  # noqa: F401
from convviz.model import ConvDocument, display_rgb, format_number
from convviz.model.equivariance import centre_crop, dense_check, equivariance_check, liveliest_window, shift_image
from convviz.ui.equivariance.panel import DEFAULT_CROP, DEFAULT_SHIFT, DENSE_SIDE, MAX_SHIFT, EquivariancePanel

DY, DX = DEFAULT_SHIFT


@pytest.fixture
def doc():
    rng = np.random.default_rng(5)
    img = rng.integers(0, 256, (90, 100, 3)).astype(float)
    return ConvDocument(image=img, kernel=np.array([[1.0, 2, 0], [0, -1, 3], [1, 1, -2]]), padding="same")


@pytest.fixture
def panel(qtbot, doc):
    p = EquivariancePanel(doc)
    qtbot.addWidget(p)
    p.resize(1300, 900)
    p.show()
    return p


def plain(label):
    return label.text().replace("<b>", "").replace("</b>", "")


def expected_check(doc, crop_side, dy, dx):
    crop = centre_crop(doc.image, crop_side)
    return crop, equivariance_check(crop, doc.kernel, dy, dx, doc.padding, dilation=doc.dilation, flip=doc.flip)


def test_conv_row_matches_the_model(panel, doc):
    crop, check = expected_check(doc, DEFAULT_CROP, DY, DX)
    np.testing.assert_array_equal(panel.crop, crop)
    np.testing.assert_array_equal(panel.check.conv_of_shift, check.conv_of_shift)
    np.testing.assert_array_equal(panel.check.shift_of_conv, check.shift_of_conv)
    np.testing.assert_array_equal(panel.check.border, check.border)
    np.testing.assert_array_equal(panel.plots["shifted"].values, shift_image(crop, DY, DX))
    np.testing.assert_array_equal(panel.plots["difference"].values, check.difference)
    m = np.abs(check.difference).max()
    np.testing.assert_array_equal(panel.plots["difference"].image.image,
                                  display_rgb(check.difference, levels=(-m, m)))
    assert check.max_difference_inside == 0
    assert "largest difference 0." in plain(panel.conv_label)
    assert f"largest difference {format_number(check.max_difference_border)}." in plain(panel.border_label)
    assert f"{int(check.border.sum()):,} of {check.border.size:,} output pixels" in plain(panel.border_label)
    overlay = panel.border_item.image
    assert (overlay[..., 3][check.border] > 0).all() and (overlay[..., 3][~check.border] == 0).all()


def test_pooling_numbers(panel):
    c = panel.check
    text = plain(panel.pool_label)
    assert f"is {format_number(c.pooled_input)} before" in text and f"{format_number(c.pooled_shifted)} after" in text
    assert "invariance" in text and "equivariance" in text


def test_dense_row_matches_the_model(panel):
    top, left = liveliest_window(panel.crop, DENSE_SIDE)
    small = panel.crop[top:top + DENSE_SIDE, left:left + DENSE_SIDE]
    sy, sx = min(DY, DENSE_SIDE // 4), min(DX, DENSE_SIDE // 4)
    assert panel.dense_shift == (sy, sx)
    d = dense_check(small, sy, sx, seed=0)
    np.testing.assert_array_equal(panel.plots["dense_input"].values, small)
    np.testing.assert_array_equal(panel.dense.output, d.output)
    np.testing.assert_array_equal(panel.plots["dense_of_shift"].values, d.output_of_shift)
    np.testing.assert_array_equal(panel.plots["shift_of_dense"].values, d.shift_of_output)
    assert f"{100 * d.relative_mismatch:.0f} %" in plain(panel.dense_label)
    assert d.relative_mismatch > 0.3
    assert f"moved by {sy}, {sx}" in plain(panel.dense_label)
    rect = panel.dense_rect.rect()
    assert (rect.x(), rect.y(), rect.width(), rect.height()) == (left, top, DENSE_SIDE, DENSE_SIDE)
    panel.seed_spin.setValue(7)
    np.testing.assert_array_equal(panel.dense.output, dense_check(small, sy, sx, seed=7).output)
    assert not np.array_equal(panel.dense.output, d.output)


def test_shift_controls_both_ways(panel, doc, qtbot):
    panel.dy_spin.setValue(-4)
    panel.dx_spin.setValue(2)
    assert panel.check.shift == (-4, 2) and panel.dense.shift == (-4, 2)
    assert "moved by" not in plain(panel.dense_label)
    np.testing.assert_array_equal(panel.check.conv_of_shift, expected_check(doc, DEFAULT_CROP, -4, 2)[1].conv_of_shift)
    qtbot.mouseClick(panel.arrow_buttons["right"], Qt.LeftButton)
    assert panel.shift() == (-4, 3) and panel.check.shift == (-4, 3)
    qtbot.mouseClick(panel.arrow_buttons["up"], Qt.LeftButton)
    qtbot.mouseClick(panel.arrow_buttons["left"], Qt.LeftButton)
    qtbot.mouseClick(panel.arrow_buttons["down"], Qt.LeftButton)
    assert panel.check.shift == (-4, 2)
    qtbot.mouseClick(panel.reset_button, Qt.LeftButton)
    assert panel.check.shift == (0, 0) and not panel.check.difference.any() and not panel.check.border.any()
    assert panel.dense.relative_mismatch == 0


def test_crop_spin_and_large_images_stay_small(panel, doc):
    panel.crop_spin.setValue(32)
    assert panel.crop.shape == (32, 32) and panel.check.conv_of_shift.shape == (32, 32)
    doc.apply(image=np.zeros((3000, 3000, 3)))
    assert panel.crop.shape == (32, 32)
    assert "centre 32×32 pixels" in panel.note_label.text()


def test_document_settings_flow_in(panel, doc):
    doc.apply(flip=True, dilation=2, padding="valid")
    crop, check = expected_check(doc, DEFAULT_CROP, DY, DX)
    np.testing.assert_array_equal(panel.check.conv_of_shift, check.conv_of_shift)
    assert panel.check.conv_of_shift.shape == (86, 96)
    doc.apply(stride=2, padding_mode="reflect", padding="same")
    assert "zero padding" in panel.note_label.text()
    assert not panel.check.exact and "breaks it" in plain(panel.conv_label)     # the default shift is odd
    panel.set_shift(16, 24)
    check = equivariance_check(panel.crop, doc.kernel, 16, 24, "same", stride=2, dilation=2, flip=True)
    assert check.exact and check.output_shift == (8, 12)
    np.testing.assert_array_equal(panel.check.shift_of_conv, check.shift_of_conv)
    assert panel.check.max_difference_inside == 0 and "moves by 8, 12" in plain(panel.conv_label)
    panel.dx_spin.setValue(25)
    assert not panel.check.exact and panel.check.max_difference_inside > 0
    assert "breaks it" in plain(panel.conv_label) and "by 8, 12.5 pixels" in plain(panel.conv_label)
    assert "nearest move 8, 13" in plain(panel.conv_label)
    assert f"largest difference {format_number(panel.check.max_difference_inside)} away" in plain(panel.conv_label)
    panel.dx_spin.setValue(DX)
    doc.apply(stride=1, padding="valid")
    panel.crop_spin.setValue(40)
    doc.apply(kernel=np.ones((15, 15)), dilation=5)       # fits the image, not the 40×40 crop
    assert panel.check is None and "larger than the padded input" in panel.error_label.text()
    panel.crop_spin.setValue(DEFAULT_CROP)
    assert panel.check is not None and panel.error_label.text() == ""


def test_hidden_panel_waits_until_shown(qtbot, doc):
    p = EquivariancePanel(doc)
    qtbot.addWidget(p)
    before = p.check
    doc.apply(kernel=np.ones((3, 3)))
    assert p.check is before and p.stale       # not visible: nothing computed
    p.show()
    np.testing.assert_array_equal(p.check.conv_of_shift, expected_check(doc, DEFAULT_CROP, DY, DX)[1].conv_of_shift)


def test_names(panel):
    for w in (panel.dy_spin, panel.dx_spin, panel.crop_spin, panel.seed_spin, panel.reset_button,
              *panel.arrow_buttons.values()):
        assert w.objectName() and w.accessibleName() and w.toolTip()
    assert panel.objectName() == "equivariancePanel"


def test_lesson_settings_round_trip(panel, qtbot, doc):
    panel.apply_lesson_settings({"dy": -2, "dx": 7, "crop": 40, "seed": 3})
    assert panel.lesson_settings() == {"dy": -2, "dx": 7, "crop": 40, "seed": 3}
    assert panel.check.shift == (-2, 7) and panel.crop.shape == (40, 40) and panel.panel_key == "equivariance"
    assert panel.dy_spin.value() == -2 and panel.seed_spin.value() == 3
    for bad in ({"dy": 65}, {"dx": 1.5}, {"crop": 4}, {"seed": -1}, {"dy": "up"}):
        with pytest.raises(ValueError):
            panel.apply_lesson_settings(bad)
        assert panel.lesson_settings() == {"dy": -2, "dx": 7, "crop": 40, "seed": 3}
    panel.apply_lesson_settings({"dy": 0, "dx": 4})             # lesson 8, slide 1: the other keys stay
    assert panel.lesson_settings() == {"dy": 0, "dx": 4, "crop": 40, "seed": 3}


def test_every_edit_is_one_undo_step_alt_arrows_too(panel, qtbot):
    stack = panel.editor.stack
    panel.set_shift(0, 0)
    panel.activateWindow()
    qtbot.waitActive(panel)
    qtbot.keyClick(panel, Qt.Key_Right, Qt.AltModifier)
    qtbot.keyClick(panel, Qt.Key_Right, Qt.AltModifier)
    qtbot.keyClick(panel, Qt.Key_Up, Qt.AltModifier)
    panel.seed_spin.setValue(4)
    assert panel.shift() == (-1, 2) and panel.check.shift == (-1, 2) and panel.state.seed == 4
    assert stack.count() == 5
    stack.undo()
    assert panel.seed_spin.value() == 0
    stack.undo()
    assert panel.shift() == (0, 2) and panel.dy_spin.value() == 0 and panel.check.shift == (0, 2)
    stack.undo()
    stack.undo()
    assert panel.shift() == (0, 0)
    stack.undo()
    assert panel.shift() == DEFAULT_SHIFT


def test_the_shift_stops_at_its_limit(panel):
    panel.set_shift(MAX_SHIFT, -MAX_SHIFT)
    count = panel.editor.stack.count()
    panel.nudge(1, 0)
    panel.nudge(0, -1)
    assert panel.shift() == (MAX_SHIFT, -MAX_SHIFT) and panel.editor.stack.count() == count
    panel.nudge(-1, 1)
    assert panel.shift() == (MAX_SHIFT - 1, -MAX_SHIFT + 1)


def test_border_sentence_says_one_true_thing(panel, doc):
    """Issue #12: 'largest difference 0' and 'the kernel sees different numbers near the edge' in one sentence."""
    img = np.zeros((60, 60))
    img[25:35, 20:30] = 200.0                              # a patch far from every edge
    doc.apply(image=img, padding="same")
    panel.set_shift(0, 4)
    c = panel.check
    assert c.border.any() and c.max_difference_border == 0
    text = plain(panel.border_label)
    assert "largest difference 0 here too" in text and "different numbers" not in text
    assert f"{int(c.border.sum()):,} of {c.border.size:,} output pixels" in text
    panel.set_shift(0, 0)
    assert plain(panel.border_label).startswith("No border")
    assert "With no shift" in plain(panel.dense_label) and "differ by" not in plain(panel.dense_label)
    panel.set_shift(0, 35)                                  # the patch now crosses the right edge
    assert panel.check.max_difference_border > 0
    assert "the kernel sees different numbers near the edge" in plain(panel.border_label)


# -- presentation fit (issue #12): pictures wrap as equal tiles, titles whole, editing-only controls marked ---------

@pytest.fixture
def big_font(qapp):
    """The application font at 27 pt (presentation mode ×3 on a 9 pt desktop), restored afterwards."""
    from PySide6.QtGui import QFont
    original = QFont(qapp.font())
    big = QFont(original)
    big.setPointSizeF(27.0)
    qapp.setFont(big)
    yield big
    qapp.setFont(original)


def settle(qtbot):
    from PySide6.QtWidgets import QApplication
    for _ in range(5):
        QApplication.processEvents()
    qtbot.wait(10)


def test_pictures_share_a_wide_row_as_equal_tiles(panel, qtbot):
    settle(qtbot)
    conv = [panel.plots[k] for k, _ in panel.conv_row.KEYS]
    assert len({p.y() for p in conv}) == 1                                  # one row at 1300 px
    assert max(p.width() for p in conv) - min(p.width() for p in conv) <= 1
    assert all(p.height() > p.width() for p in conv)                        # the picture and its title above


def test_big_fonts_wrap_the_pictures_and_never_scroll_sideways(panel, big_font, qtbot):
    from PySide6.QtWidgets import QScrollArea
    panel.resize(1000, 700)
    settle(qtbot)
    scroll = panel.findChild(QScrollArea)
    assert scroll.horizontalScrollBar().maximum() == 0
    conv = [panel.plots[k] for k, _ in panel.conv_row.KEYS]
    assert len({p.y() for p in conv}) > 1                                    # wrapped onto more rows
    assert max(p.width() for p in conv) - min(p.width() for p in conv) <= 1  # the last row's tiles as large
    for plot in panel.plots.values():
        assert plot.width() >= plot.fontMetrics().horizontalAdvance(plot.title_text) + 16, plot.title_text
        right = plot.mapTo(scroll.widget(), plot.rect().topRight()).x()
        assert right <= scroll.viewport().width()


def test_editing_only_controls_are_marked_and_empty_lines_take_no_room(panel):
    from ui_support import in_editing_chrome

    def marked(widget):
        return in_editing_chrome(widget, panel)

    assert marked(panel.crop_spin) and marked(panel.seed_spin)
    assert not marked(panel.dx_spin) and not any(marked(b) for b in panel.arrow_buttons.values())
    assert not marked(panel.plots["difference"]) and not marked(panel.conv_label)
    assert not panel.error_label.isVisible()
    assert panel.note_label.isVisible() == bool(panel.note_label.text())
