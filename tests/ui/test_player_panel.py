"""The step-through player panel: numbers equal the model, controls, keys, clicks, regions, cleanup."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt, QThreadPool, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QSlider, QWidget

from convviz.model import ConvDocument, convolve, correlate, format_number, steps, to_gray
from convviz.model.player_region import busiest_crop
from convviz.model.similarity_map import cosine_similarity_map
from convviz.model.step_texts import cell_number, product_cell
from convviz.ui.player import PlayerPanel
from convviz.ui.widgets import CellGrid

LECTURE_IMAGE = np.array([[0, 10, 10, 0], [20, 30, 30, 20], [10, 20, 20, 10], [0, 5, 5, 0]], float)
LECTURE_KERNEL = np.array([[1, 0], [0, 2]], float)


@pytest.fixture
def doc():
    return ConvDocument(image=LECTURE_IMAGE, kernel=LECTURE_KERNEL, preset=None, padding="valid")


@pytest.fixture
def panel(qtbot, doc):
    p = PlayerPanel(doc)
    qtbot.addWidget(p)
    p.resize(1300, 820)
    return p


def child(panel, cls, name):
    w = panel.findChild(cls, name)
    assert w is not None, name
    return w


def click_cell(qtbot, grid: CellGrid, row: int, col: int):
    centre = grid.cell_rect(row, col).center().toPoint()
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=centre)


def shown(qtbot, panel):
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is panel)
    panel.setFocus()
    return panel


def test_fonts_available(qapp):
    assert QFontDatabase.families()


def test_required_object_names(panel):
    for cls, name in [(QPushButton, "playButton"), (QPushButton, "stepForwardButton"),
                      (QPushButton, "stepBackButton"), (QSlider, "stepSlider"), (QLabel, "stepReadout"),
                      (QPushButton, "firstStepButton"), (QPushButton, "lastStepButton"),
                      (QWidget, "speedSpin"), (QWidget, "loopCheck"), (QWidget, "lectureModeCheck"),
                      (QWidget, "similarityMapCheck"), (QWidget, "numericGridEditor"),
                      (QPushButton, "lectureExampleButton")]:
        w = child(panel, cls, name)
        assert w.accessibleName() and w.toolTip()


def test_lecture_example_numbers_equal_steps(panel):
    seq = steps(LECTURE_IMAGE, LECTURE_KERNEL)
    out = correlate(LECTURE_IMAGE, LECTURE_KERNEL)
    readout = child(panel, QLabel, "stepReadout")
    products = child(panel, CellGrid, "productsGrid")
    output = child(panel, CellGrid, "playerOutputGrid")
    assert panel.step_count == len(seq) == 9
    for i in range(9):
        panel.set_step(i)
        s = seq[i]
        text = readout.text()
        assert s.expression in text
        assert f"dot product  patch · kernel = {format_number(s.dot)}" in text
        assert f"|patch| = {format_number(s.patch_norm)}" in text
        assert f"|kernel| = {format_number(s.kernel_norm)}" in text
        assert f"cosine similarity  (patch · kernel) / (|patch| |kernel|) = {format_number(s.cosine)}" in text
        assert f"Pearson correlation of patch and kernel = {format_number(s.pearson)}" in text
        assert child(panel, QLabel, "sumLabel").text() == f"Sum = {format_number(s.value)}"
        for r in range(2):
            for c in range(2):
                assert products.cell_text(r, c) == product_cell(s, r * 2 + c)
        # the output fills in: computed cells show their value, the rest are blank
        for j in range(9):
            r, c = divmod(j, 3)
            assert output.cell_text(r, c) == (cell_number(out[r, c]) if j <= i else "")
        assert output.current() == s.out_index
    panel.set_step(0)
    assert "(0×1) + (10×0) + (20×0) + (30×2) = 60" in readout.text()


def test_input_grid_shows_values_window_and_padding(panel, doc):
    grid = child(panel, CellGrid, "playerInputGrid")
    assert grid.cell_text(1, 1) == "30"
    panel.set_step(4)
    rows, cols = grid.window()
    assert rows.tolist() == [1, 2] and cols.tolist() == [1, 2]
    doc.apply(padding="same", dilation=2)
    panel.set_step(0)
    # 'same' with dilation 2 pads 1 on each side: a 6×6 grid with a padding frame
    assert grid.shape() == (6, 6)
    assert grid.is_padding(0, 0) and grid.is_padding(5, 5) and not grid.is_padding(1, 1)
    rows, cols = grid.window()
    assert rows.tolist() == [0, 2] and cols.tolist() == [0, 2]  # dilated taps are spaced out


@pytest.mark.parametrize("padding", ["valid", "same", "full", (1, 2)])
@pytest.mark.parametrize("stride,dilation", [(1, 1), (2, 1), (1, 2), ((2, 1), (1, 2))])
@pytest.mark.parametrize("mode", ["zeros", "reflect", "circular"])
def test_every_padding_stride_dilation(panel, doc, padding, stride, dilation, mode):
    try:
        doc.apply(padding=padding, stride=stride, dilation=dilation, padding_mode=mode)
    except ValueError:
        pytest.skip("the document refuses this combination")
    seq = steps(LECTURE_IMAGE, LECTURE_KERNEL, padding, stride=stride, dilation=dilation, padding_mode=mode)
    assert panel.step_count == len(seq)
    readout = child(panel, QLabel, "stepReadout")
    grid = child(panel, CellGrid, "playerInputGrid")
    for i in range(len(seq)):
        panel.set_step(i)
        assert seq[i].expression in readout.text()
        rows, cols = grid.window()
        # the window's cells hold the patch values
        for a, r in enumerate(rows.tolist()):
            for b, c in enumerate(cols.tolist()):
                assert grid.cell_text(r, c) == cell_number(seq[i].patch[a, b])


def test_flip_uses_flipped_kernel_and_says_so(panel, doc):
    doc.apply(flip=True)
    panel.set_step(2)
    flipped = LECTURE_KERNEL[::-1, ::-1]
    s = steps(LECTURE_IMAGE, flipped)[2]
    assert s.expression in panel.findChild(QLabel, "stepReadout").text()
    assert s.value == convolve(LECTURE_IMAGE, LECTURE_KERNEL)[0, 2]
    assert "flipped" in panel.findChild(QLabel, "playerSourceLabel").text()


def test_buttons_and_slider(qtbot, panel):
    fwd, back = child(panel, QPushButton, "stepForwardButton"), child(panel, QPushButton, "stepBackButton")
    first, last = child(panel, QPushButton, "firstStepButton"), child(panel, QPushButton, "lastStepButton")
    slider = child(panel, QSlider, "stepSlider")
    qtbot.mouseClick(fwd, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(fwd, Qt.MouseButton.LeftButton)
    assert panel.step_index == 2 and slider.value() == 2
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert panel.step_index == 1
    qtbot.mouseClick(last, Qt.MouseButton.LeftButton)
    assert panel.step_index == 8 and slider.value() == 8 and slider.maximum() == 8
    qtbot.mouseClick(fwd, Qt.MouseButton.LeftButton)
    assert panel.step_index == 8  # stays at the end
    qtbot.mouseClick(first, Qt.MouseButton.LeftButton)
    assert panel.step_index == 0
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert panel.step_index == 0
    slider.setValue(5)
    assert panel.step_index == 5
    assert steps(LECTURE_IMAGE, LECTURE_KERNEL)[5].expression in child(panel, QLabel, "stepReadout").text()


def test_play_pause_loop_and_speed(qtbot, panel):
    play = child(panel, QPushButton, "playButton")
    clock = panel._clock
    qtbot.mouseClick(play, Qt.MouseButton.LeftButton)
    assert panel.is_playing() and play.text().strip() == "Pause"
    clock.tick.emit()
    clock.tick.emit()
    assert panel.step_index == 2
    qtbot.mouseClick(play, Qt.MouseButton.LeftButton)
    assert not panel.is_playing() and play.text().strip() == "Play"
    # no loop: the last tick stops the player at the end
    panel.set_step(7)
    panel.play()
    clock.tick.emit()
    assert panel.is_playing() and panel.step_index == 8
    clock.tick.emit()
    assert not panel.is_playing() and panel.step_index == 8
    # play at the end starts again from the first step
    panel.play()
    assert panel.step_index == 0
    panel.set_step(8)
    child(panel, QWidget, "loopCheck").setChecked(True)
    clock.tick.emit()
    assert panel.is_playing() and panel.step_index == 0
    panel.pause()
    speed = child(panel, QWidget, "speedSpin")
    speed.setValue(60)
    assert clock.speed == 60 and clock._timer.interval() <= 16
    speed.setValue(0.5)
    assert clock.speed == 0.5 and clock._timer.interval() >= 1990
    speed.setValue(100)
    assert clock.speed == 60


def test_clock_emits_at_most_once_per_timer_event(qtbot):
    from convviz.ui.player.clock import StepClock

    clock = StepClock(speed=60)
    ticks = []
    clock.tick.connect(lambda: ticks.append(1))
    clock.start()
    clock._on_timeout()  # no time has passed: nothing due
    assert ticks == []
    clock._done = -5  # pretend we fell behind by six steps
    clock._on_timeout()
    assert ticks == [1] and clock.dropped == 4  # five were due, one shown
    clock.stop()
    assert not clock.is_running()


def test_keyboard_shortcuts(qtbot, panel):
    shown(qtbot, panel)
    for key, expected in [(Qt.Key.Key_Right, 1), (Qt.Key.Key_PageDown, 2), (Qt.Key.Key_Left, 1),
                          (Qt.Key.Key_PageUp, 0), (Qt.Key.Key_End, 8), (Qt.Key.Key_Home, 0)]:
        qtbot.keyClick(panel, key)
        assert panel.step_index == expected, key
    qtbot.keyClick(panel, Qt.Key.Key_Space)
    assert panel.is_playing()
    qtbot.keyClick(panel, Qt.Key.Key_Space)
    assert not panel.is_playing()


def test_space_is_not_swallowed_by_a_focused_button(qtbot, panel):
    shown(qtbot, panel)
    fwd = child(panel, QPushButton, "stepForwardButton")
    fwd.setFocus()
    assert QApplication.focusWidget() is fwd
    qtbot.keyClick(fwd, Qt.Key.Key_Space)
    assert panel.is_playing() and panel.step_index == 0
    qtbot.keyClick(fwd, Qt.Key.Key_Right)
    assert not panel.is_playing() and panel.step_index == 1
    panel.pause()


def test_click_output_jumps_to_its_step(qtbot, panel):
    shown(qtbot, panel)
    output = child(panel, CellGrid, "playerOutputGrid")
    click_cell(qtbot, output, 2, 1)
    assert panel.step_index == 7
    assert steps(LECTURE_IMAGE, LECTURE_KERNEL)[7].expression in child(panel, QLabel, "stepReadout").text()


def test_click_input_marks_every_output_it_contributes_to(qtbot, panel, doc):
    shown(qtbot, panel)
    doc.apply(padding="same", stride=2)
    seq = steps(LECTURE_IMAGE, LECTURE_KERNEL, "same", stride=2)
    qtbot.waitUntil(lambda: panel.findChild(CellGrid, "playerInputGrid").shape() == (5, 5))  # event loop caught up
    grid = child(panel, CellGrid, "playerInputGrid")
    output = child(panel, CellGrid, "playerOutputGrid")
    click_cell(qtbot, grid, 4, 4)  # padding row that no stride-2 window reaches
    assert output.marked() == () and "contributes to 0 outputs" in child(panel, QLabel, "inspectLabel").text()
    click_cell(qtbot, grid, 4, 4)
    for gr, gc in [(1, 1), (2, 2), (3, 0), (0, 3)]:
        click_cell(qtbot, grid, gr, gc)
        # top/left padding is 0 here, so grid cell (gr, gc) is image pixel (gr, gc)
        want = sorted({s.out_index for s in seq if gr in s.rows.tolist() and gc in s.cols.tolist()})
        assert want
        assert sorted(output.marked()) == want
        assert grid.marked() == ((gr, gc),)
        assert f"contributes to {len(want)} output" in child(panel, QLabel, "inspectLabel").text()
        click_cell(qtbot, grid, gr, gc)  # a second click clears
        assert output.marked() == ()


def test_lecture_mode_reveals_one_product_at_a_time(qtbot, panel):
    shown(qtbot, panel)
    child(panel, QWidget, "lectureModeCheck").setChecked(True)
    assert panel.lecture_mode
    products = child(panel, CellGrid, "productsGrid")
    output = child(panel, CellGrid, "playerOutputGrid")
    readout = child(panel, QLabel, "stepReadout")
    s0 = steps(LECTURE_IMAGE, LECTURE_KERNEL)[0]
    assert panel.revealed_products == 0 and products.cell_text(0, 0) == ""
    assert output.cell_text(0, 0) == ""  # the output is written only after the sum
    for k in range(1, 4):
        qtbot.keyClick(panel, Qt.Key.Key_Right)
        assert panel.revealed_products == k
        assert products.cell_text((k - 1) // 2, (k - 1) % 2) == product_cell(s0, k - 1)
        assert "Sum so far" in child(panel, QLabel, "sumLabel").text()
        assert "cosine" not in readout.text()
    qtbot.keyClick(panel, Qt.Key.Key_Right)
    assert panel.revealed_products == 4 and s0.expression in readout.text()
    assert child(panel, QLabel, "sumLabel").text() == "Sum = 60"
    assert output.cell_text(0, 0) == "60"
    qtbot.keyClick(panel, Qt.Key.Key_Right)  # next step starts with nothing revealed
    assert panel.step_index == 1 and panel.revealed_products == 0
    qtbot.keyClick(panel, Qt.Key.Key_Left)
    assert panel.step_index == 0 and panel.revealed_products == 4
    qtbot.keyClick(panel, Qt.Key.Key_Left)
    assert panel.step_index == 0 and panel.revealed_products == 3
    panel.set_lecture_mode(False)
    assert not child(panel, QWidget, "lectureModeCheck").isChecked()
    assert panel.revealed_products == 4


def test_similarity_map_on_demand(qtbot, panel, doc):
    check = child(panel, QWidget, "similarityMapCheck")
    sim = child(panel, CellGrid, "similarityMapView")
    assert sim.isHidden()
    check.setChecked(True)
    assert not sim.isHidden()
    want = cosine_similarity_map(LECTURE_IMAGE, LECTURE_KERNEL)
    panel.set_step(8)
    for r in range(3):
        for c in range(3):
            assert sim.cell_text(r, c) == format_number(want[r, c], 2)
    doc.apply(image=np.zeros((4, 4)))
    panel.set_step(0)
    assert sim.cell_text(0, 0) == "–"  # undefined where the patch is all zeros
    assert "cosine similarity  (patch · kernel) / (|patch| |kernel|) = undefined" in \
        child(panel, QLabel, "stepReadout").text()
    check.setChecked(False)
    assert sim.isHidden()


def test_undefined_pearson_is_explained(panel, doc):
    doc.apply(image=np.full((4, 4), 7.0))
    panel.set_step(0)
    assert "Pearson correlation of patch and kernel = undefined (the patch is constant" in \
        panel.findChild(QLabel, "stepReadout").text()


def test_large_kernel_uses_condensed_expression(panel, doc):
    rng = np.random.default_rng(0)
    image = rng.integers(0, 9, size=(12, 12)).astype(float)
    kernel = rng.integers(-2, 3, size=(5, 5)).astype(float)
    doc.apply(image=image, kernel=kernel, preset=None)
    panel.set_step(3)
    s = steps(image, kernel)[3]
    text = panel.findChild(QLabel, "stepReadout").text()
    assert s.condensed_expression(9) in text and s.expression not in text
    assert panel.findChild(CellGrid, "productsGrid").cell_text(4, 4) == product_cell(s, 24)


def test_photo_region_default_click_and_set_region(qtbot, panel, doc):
    rng = np.random.default_rng(5)
    photo = rng.integers(0, 256, size=(120, 160, 3)).astype(float)
    doc.apply(image=photo, kernel=np.ones((3, 3)) / 9, preset=None, padding="same")
    gray = to_gray(photo)
    full = steps(gray, doc.kernel, "same")
    region = panel.region
    # nothing picked yet: the crop where the picture varies most
    assert region.crop == busiest_crop(gray, 16) and panel.step_count == region.step_count < len(full)
    assert 14 * 14 <= panel.step_count <= 15 * 15  # 15 where the crop touches the border (padding)
    assert "luminance" in panel.findChild(QLabel, "playerSourceLabel").text()
    style = panel.drawer.build.style        # the luminance has three decimals, the weights are ninths
    assert (style.mode, style.denominator, style.value_decimals) == ("fraction", 9, 3)
    for i in (0, 50, panel.step_count - 1):
        panel.set_step(i)
        step = full[region.global_index(i)]
        assert panel.current_step.value == step.value
        first = f"({style.value(step.patch[0, 0])}×1/9)"      # the exact luminance times a ninth
        assert panel.findChild(QLabel, "stepReadout").text().splitlines()[1].startswith(first)
    panel.set_region(0, 0, 8, 8)
    region = panel.region
    assert region.crop == (0, 0, 8, 8)
    assert panel.findChild(CellGrid, "playerInputGrid").is_padding(0, 0)  # the corner shows padding
    panel.set_step(0)
    assert panel.current_step.value == pytest.approx(correlate(gray, doc.kernel, "same")[0, 0])
    # a click on the overview centres the region there
    shown(qtbot, panel)
    overview = panel.findChild(QWidget, "regionOverview")
    assert overview.isVisible()
    target = overview._target()
    pos = QPoint(int(target.x() + target.width() * 0.75), int(target.y() + target.height() * 0.5))
    qtbot.mouseClick(overview, Qt.MouseButton.LeftButton, pos=pos)
    row, col, h, w = panel.region.crop
    assert (h, w) == (16, 16) and abs(row + 8 - 60) <= 2 and abs(col + 8 - 120) <= 2
    # a different region size
    panel.findChild(QWidget, "regionSizeSpin").setValue(8)
    assert panel.region.crop[2:] == (8, 8)


def test_colour_channel_choice(panel, doc):
    rng = np.random.default_rng(2)
    photo = rng.integers(0, 256, size=(10, 10, 3)).astype(float)
    doc.apply(image=photo, kernel=LECTURE_KERNEL)
    panel.set_channel(1)
    assert "green channel" in panel.findChild(QLabel, "playerSourceLabel").text()
    panel.set_step(5)
    assert panel.current_step.value == steps(photo[:, :, 1], LECTURE_KERNEL)[5].value
    doc.apply(gray=True)
    panel.set_step(5)
    assert panel.current_step.value == pytest.approx(steps(to_gray(photo), LECTURE_KERNEL)[5].value)
    assert not panel.findChild(QWidget, "channelBox").isEnabled()


def test_numeric_grid_editor_edits_the_document(qtbot, panel, doc):
    table = panel.findChild(QWidget, "numericGridEditor")
    assert table.isEnabled() and table.rowCount() == 4
    table.item(0, 0).setData(Qt.ItemDataRole.EditRole, "5")
    assert doc.image[0, 0] == 5
    panel.set_step(0)
    assert "(5×1)" in panel.findChild(QLabel, "stepReadout").text()
    table.item(0, 1).setData(Qt.ItemDataRole.EditRole, "abc")
    assert doc.image[0, 1] == 10
    assert "not a number" in panel.findChild(QLabel, "numericHint").text()
    assert table.item(0, 1).data(Qt.ItemDataRole.EditRole) == "10"
    table.item(0, 1).setData(Qt.ItemDataRole.EditRole, "1/0")
    assert doc.image[0, 1] == 10 and "cell (0, 1) keeps 10" in panel.findChild(QLabel, "numericHint").text().lower()
    table.item(0, 1).setData(Qt.ItemDataRole.EditRole, "25/2")
    assert doc.image[0, 1] == 12.5
    panel.findChild(QWidget, "numericRowsSpin").setValue(6)
    assert doc.image.shape == (6, 4) and doc.image[5, 0] == 0 and doc.image[0, 0] == 5
    assert panel.step_count == 15
    panel.findChild(QWidget, "numericColsSpin").setValue(1)  # kernel 2×2 no longer fits: refused
    assert doc.image.shape == (6, 4)
    assert "larger than" in panel.findChild(QLabel, "numericHint").text()


def test_numeric_editor_typing_in_a_cell(qtbot, panel, doc):
    shown(qtbot, panel)
    table = panel.findChild(QWidget, "numericGridEditor")
    table.setCurrentCell(1, 1)
    table.editItem(table.item(1, 1))
    editor = table.viewport().findChild(QLineEdit)
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, "-4.5")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: doc.image[1, 1] == -4.5)  # the view commits the editor's text later


def test_lecture_example_button_sets_the_document(qtbot, panel):
    doc = ConvDocument()
    p = PlayerPanel(doc)
    qtbot.addWidget(p)
    assert p.step_count == 14 * 14
    assert not p.findChild(QWidget, "numericGridEditor").isEnabled()
    qtbot.mouseClick(p.findChild(QPushButton, "lectureExampleButton"), Qt.MouseButton.LeftButton)
    np.testing.assert_array_equal(doc.image, LECTURE_IMAGE)
    np.testing.assert_array_equal(doc.kernel, LECTURE_KERNEL)
    assert doc.padding == "valid" and doc.preset is None and doc.image_name == "lecture 4×4 example"
    assert p.step_count == 9 and p.step_index == 0
    assert p.findChild(QWidget, "numericGridEditor").isEnabled()


def test_numbers_from_region(qtbot, doc):
    rng = np.random.default_rng(9)
    photo = rng.uniform(0, 255, size=(60, 60))
    doc.apply(image=photo)
    p = PlayerPanel(doc)
    qtbot.addWidget(p)
    p.set_region(10, 20, 16, 16)
    p.findChild(QWidget, "numericRowsSpin").setValue(5)
    p.findChild(QWidget, "numericColsSpin").setValue(6)
    qtbot.mouseClick(p.findChild(QPushButton, "cropToNumbersButton"), Qt.MouseButton.LeftButton)
    np.testing.assert_array_equal(doc.image, np.rint(photo[10:15, 20:26]))
    assert p.step_count == 4 * 5


def test_bad_settings_show_a_message_and_recover(panel, doc):
    doc.apply(image=np.arange(5.0)[None, :], kernel=np.ones((1, 3)), padding="same", padding_mode="reflect")
    assert panel.step_count == 5
    doc.apply(kernel=np.ones((3, 3)))  # reflect padding needs 2 rows
    assert panel.step_count == 0
    assert "Cannot step through" in panel.findChild(QLabel, "playerSourceLabel").text()
    assert not panel.findChild(QPushButton, "playButton").isEnabled()
    doc.apply(padding_mode="zeros")
    assert panel.step_count == 5 and panel.findChild(QPushButton, "playButton").isEnabled()


def test_document_changes_keep_the_step_when_possible(panel, doc):
    panel.set_step(4)
    doc.apply(kernel=LECTURE_KERNEL * 2)
    assert panel.step_index == 4
    assert panel.current_step.value == 140


def test_timers_stop_when_the_panel_closes_or_hides(qtbot, doc):
    p = PlayerPanel(doc)
    qtbot.addWidget(p)
    shown(qtbot, p)
    p.play()
    assert any(t.isActive() for t in p.findChildren(QTimer))
    p.hide()
    assert not p.is_playing()
    p.show()
    p.play()
    p.close()
    assert not any(t.isActive() for t in p.findChildren(QTimer))
    assert QThreadPool.globalInstance().activeThreadCount() == 0


def test_deleted_panel_no_longer_listens(qtbot, doc):
    p = PlayerPanel(doc)
    p.deleteLater()
    qtbot.wait(1)
    QApplication.sendPostedEvents(None, 0)
    doc.apply(kernel=np.eye(2))  # must not touch the deleted panel
    assert doc.kernel.shape == (2, 2)


def test_large_photo_is_prepared_in_a_worker(qtbot, panel, doc):
    from convviz.model.player_source import LARGE_PIXELS

    rng = np.random.default_rng(4)
    side = int(np.sqrt(LARGE_PIXELS)) + 20
    photo = rng.integers(0, 256, size=(side, side, 3)).astype(np.float64)
    doc.apply(image=photo, kernel=np.ones((3, 3)), preset=None, padding="same")
    panel.set_step(0)  # the document change reaches the panel; the worker starts
    assert panel.step_count == 0 and "Please wait" in panel.findChild(QLabel, "playerSourceLabel").text()
    assert not panel.findChild(QPushButton, "playButton").isEnabled()
    qtbot.waitUntil(lambda: panel.step_count > 0, timeout=20000)
    gray = to_gray(photo)
    assert panel.region.crop == busiest_crop(gray, 16)
    assert panel.current_step.value == pytest.approx(
        correlate(gray, np.ones((3, 3)), "same")[panel.region.output_position(0)])
    # a newer request supersedes an older one still running
    doc.apply(image=photo[:, :, ::-1].copy())
    panel.set_channel(0)
    qtbot.waitUntil(lambda: panel.step_count > 0, timeout=20000)
    assert "red channel" in panel.findChild(QLabel, "playerSourceLabel").text()
    assert panel.current_step.value == pytest.approx(
        steps(photo[:, :, 2], np.ones((3, 3)), "same")[panel.region.global_index(0)].value)
    # closing while the worker runs waits for it: no job is left running or pending
    doc.apply(image=photo[::-1].copy())
    panel.set_step(0)
    assert panel.source.pending and panel.runner.pending
    panel.close()
    assert QThreadPool.globalInstance().activeThreadCount() == 0
    assert not panel.source.pending and not panel.runner.pending and panel.runner.wait(0.5)




def test_products_cells_show_weights_as_typed():
    """A weight of 1/16 is written 0.0625 in a products cell and the product exactly, so the
    multiplication reads true; ninths are written as fractions over 9."""
    from convviz.model.step_texts import weight_number
    s = steps(np.full((3, 3), 191.0), np.array([[1 / 16, 1 / 8], [1 / 4, -2.0]]))[0]
    assert product_cell(s, 0) == "191\n×0.0625\n= 11.9375"
    assert product_cell(s, 1) == "191\n×0.125\n= 23.875"
    blur = steps(np.full((3, 3), 191.0), np.ones((3, 3)) / 9)[0]
    assert product_cell(blur, 0) == "191\n×1/9\n= 191/9"
    assert weight_number(1 / 9) == "1/9" and weight_number(-2.0) == "-2" and weight_number(0.0) == "0"
    assert weight_number(0.1111) == "0.1111"
