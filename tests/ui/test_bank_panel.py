"""The Filter bank panel, offscreen: controls both ways, every number against the model."""

from __future__ import annotations

import json

import numpy as np
import pytest
from bank_support import shown_bank_panel
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFontDatabase

from convviz.model import ConvDocument, conv_layer, correlate, format_number
from convviz.model.bank import decompose
from convviz.ui.bank.panel import BankPanel


def colour_image(h=40, w=48) -> np.ndarray:
    y, x = np.mgrid[0:h, 0:w]
    img = np.zeros((h, w, 3))
    img[..., 0] = np.where(x > w // 2, 220.0, 30.0)
    img[..., 1] = np.where(y > h // 2, 200.0, 10.0)
    img[..., 2] = (x * 3 + y * 2) % 256
    return img


@pytest.fixture
def doc():
    return ConvDocument(image=colour_image(), padding="same")


@pytest.fixture
def panel(qtbot, doc):
    p = shown_bank_panel(qtbot, doc)
    assert p.wait_for_maps()
    yield p
    p.close()


def maps_of(panel, layer=0) -> np.ndarray:
    return panel.result.stages[layer].stacked()


def expected(panel, layer_index=0) -> np.ndarray:
    x = panel.document.input_image()
    for i in range(layer_index + 1):
        layer = panel.network[i]
        x = conv_layer(x, layer.weights(), layer.biases(), activation=layer.conv_activation,
                       **panel.network.settings_for(i, panel.first_settings()).kwargs())
    return x


def edit_cell(grid, r, c, value):
    grid.item(r, c).setData(Qt.ItemDataRole.EditRole, value)


def test_fonts_exist(qapp):
    assert QFontDatabase.families()


def test_opens_with_a_meaningful_default_bank(panel):
    assert panel.objectName() == "bankPanel"
    layer = panel.network[0]
    assert layer.names == ["sobel_x", "sobel_y", "red minus green", "blur"]
    assert layer.activation == "relu" and layer.in_channels == 3
    shown = ["Sobel x", "Sobel y", "Red minus green", "Blur"]                 # display names, not keys
    assert [panel.filter_editor.list.item(i).text() for i in range(4)] == shown
    assert len(panel.grid.tiles) == 4 and panel.grid.objectName() == "featureMapGrid"
    assert [t.title for t in panel.grid.tiles] == [f"{i + 1}. {n}" for i, n in enumerate(shown)]
    assert np.allclose(maps_of(panel), expected(panel), rtol=1e-12, atol=1e-9)
    text = panel.shapes_label.text()
    assert "input <b>40×48×3</b>" in text and "bank <b>3×3×3×4</b> (H, W, C_in, C_out)" in text
    assert "PyTorch weight (4, 3, 3, 3)" in text
    assert "output <b>40×48×4</b>" in text
    assert panel.filter_editor.same_box.isChecked()                     # sobel_x: same slice on every channel
    assert len(panel.filter_editor.grids()) == 3


def test_editing_one_filter_changes_only_its_map(panel):
    before = [m.copy() for m in panel.result.stages[0].maps]
    panel.filter_editor.list.setCurrentRow(2)
    assert panel.filter_editor.current == 2 and not panel.filter_editor.same_box.isChecked()
    edit_cell(panel.filter_editor.grids()[2], 0, 0, 4.0)                # blue slice of "red minus green"
    assert panel.wait_for_maps()
    assert panel.network[0].filters[2].weights[0, 0, 2] == 4.0
    assert panel.network[0].filters[2].weights[0, 0, 0] != 4.0
    assert panel.result.recomputed == [2]
    after = panel.result.stages[0].maps
    for i in (0, 1, 3):
        assert np.array_equal(after[i], before[i])
    assert not np.array_equal(after[2], before[2])
    assert np.allclose(maps_of(panel), expected(panel), rtol=1e-12, atol=1e-9)


def test_same_slice_for_every_channel(panel):
    panel.filter_editor.list.setCurrentRow(0)
    assert panel.filter_editor.same_box.isChecked()
    edit_cell(panel.filter_editor.grids()[1], 1, 1, 3.0)
    w = panel.network[0].filters[0].weights
    assert np.all(w[1, 1, :] == 3.0)
    panel.filter_editor.same_box.setChecked(False)
    edit_cell(panel.filter_editor.grids()[0], 1, 1, -1.0)
    w = panel.network[0].filters[0].weights
    assert w[1, 1, 0] == -1.0 and w[1, 1, 1] == 3.0
    panel.filter_editor.same_box.setChecked(True)                        # copies R to every channel
    w = panel.network[0].filters[0].weights
    assert np.all(w[:, :, 1] == w[:, :, 0]) and np.all(w[:, :, 2] == w[:, :, 0])
    assert "Copied" in panel.status.text()
    # the grid shows the model's numbers
    for c, grid in enumerate(panel.filter_editor.grids()):
        assert np.array_equal(grid.values(), w[:, :, c])
        assert grid.item(1, 1).text() == format_number(w[1, 1, c], 3)


def test_non_numeric_weight_is_refused(panel):
    grid = panel.filter_editor.grids()[0]
    old = panel.network[0].filters[0].weights.copy()
    grid.item(0, 0).setText("abc")
    assert np.array_equal(panel.network[0].filters[0].weights, old)
    assert grid.item(0, 0).text() == format_number(old[0, 0, 0], 3)
    assert "not a number" in panel.status.text()
    for bad in ("1/0", "inf", ""):
        edit_cell(grid, 0, 0, bad)
        assert np.array_equal(panel.network[0].filters[0].weights, old)
        assert grid.item(0, 0).text() == format_number(old[0, 0, 0], 3)
        assert f"stays {format_number(old[0, 0, 0])}" in panel.status.text()
    edit_cell(grid, 0, 0, "1/4")
    assert panel.network[0].filters[0].weights[0, 0, 0] == 0.25
    edit_cell(grid, 0, 1, "−0,5")
    assert panel.network[0].filters[0].weights[0, 1, 0] == -0.5


@pytest.mark.parametrize("activation", ["none", "relu", "sigmoid", "tanh"])
def test_bias_and_each_activation(panel, activation):
    box = panel.filter_editor.activation_box
    box.setCurrentIndex(box.findData(activation))
    assert panel.network[0].activation == activation
    panel.filter_editor.list.setCurrentRow(1)
    panel.filter_editor.bias_spin.setValue(-25.5)
    assert panel.network[0].filters[1].bias == -25.5
    assert panel.wait_for_maps()
    assert panel.result.recomputed == []                          # bias and activation: no convolution
    assert np.allclose(maps_of(panel), expected(panel), rtol=1e-12, atol=1e-12)
    # and the editor shows the model back
    panel.filter_editor.set_layer(panel.network[0], 1)
    assert panel.filter_editor.bias_spin.value() == -25.5 and box.currentData() == activation


def test_list_buttons_and_rename(panel, qtbot):
    ed = panel.filter_editor
    ed.list.setCurrentRow(1)
    qtbot.mouseClick(ed.duplicate_button, Qt.MouseButton.LeftButton)
    assert panel.network[0].names == ["sobel_x", "sobel_y", "sobel_y copy", "red minus green", "blur"]
    assert ed.current == 2
    qtbot.mouseClick(ed.up_button, Qt.MouseButton.LeftButton)
    assert panel.network[0].names[1] == "sobel_y copy" and ed.current == 1
    qtbot.mouseClick(ed.down_button, Qt.MouseButton.LeftButton)
    assert panel.network[0].names[2] == "sobel_y copy"
    qtbot.mouseClick(ed.remove_button, Qt.MouseButton.LeftButton)
    assert panel.network[0].names == ["sobel_x", "sobel_y", "red minus green", "blur"]
    ed.list.item(3).setText("soft")
    assert panel.network[0].names[3] == "soft"
    ed.add_preset("laplacian")
    assert panel.network[0].names[-1] == "laplacian" or "laplacian" in panel.network[0].names
    n = panel.network[0].out_channels
    ed.random_action.trigger()
    assert panel.network[0].out_channels == n + 1
    assert panel.wait_for_maps()
    assert len(panel.grid.tiles) == n + 1
    assert "→ 6 maps" in panel.layer_box.currentText()
    assert np.allclose(maps_of(panel), expected(panel), rtol=1e-12, atol=1e-9)


def test_kernel_size_and_slice_preset(panel):
    panel.filter_editor.kernel_spin.setValue(5)
    layer = panel.network[0]
    assert layer.kernel_hw == (5, 5) and layer.filters[0].weights[0].sum() == 0
    assert "bank <b>5×5×3×4</b> (H, W, C_in, C_out) — PyTorch weight (4, 3, 5, 5)" in panel.shapes_label.text()
    panel.filter_editor.list.setCurrentRow(3)
    box = panel.filter_editor.preset_box
    box.activated.emit(box.findData("sharpen"))
    f = panel.network[0].filters[3]
    assert f.same_on_every_channel and f.slice(0)[2, 2] == 5
    assert panel.wait_for_maps()
    assert np.allclose(maps_of(panel), expected(panel), rtol=1e-12, atol=1e-9)


def test_shapes_follow_padding_and_stride(panel, doc):
    doc.apply(padding="valid", stride=(2, 2))
    assert panel.wait_for_maps()
    text = panel.shapes_label.text()
    assert "output <b>19×23×4</b>" in text and "stride 2×2" in text
    assert panel.result.stages[0].maps[0].shape == (19, 23)
    assert np.allclose(maps_of(panel), expected(panel), rtol=1e-12, atol=1e-9)
    assert panel.row_spin.maximum() == 18 and panel.col_spin.maximum() == 22


def test_untouched_default_bank_follows_the_kind_of_image(panel, doc):
    doc.apply(image=colour_image()[..., 0])
    assert panel.network[0].names == ["sobel_x", "sobel_y", "blur"] and panel.network[0].in_channels == 1
    assert "Default bank for a grey image" in panel.status.text()
    doc.apply(image=colour_image())
    assert panel.network[0].names == ["sobel_x", "sobel_y", "red minus green", "blur"]
    assert np.array_equal(panel.network[0].filters[0].slice(2), [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])


def test_hidden_panel_follows_the_document_only_when_shown(panel, doc):
    panel.hide()
    shapes = panel.shapes_label.text()
    doc.apply(image=colour_image()[..., 0])
    doc.apply(padding="valid")
    assert panel.stale                                                      # marked, nothing computed while hidden
    assert panel.maps.wait() and panel.maps.last is None and panel.result is None   # the old maps are dropped
    assert panel.shapes_label.text() == shapes and not panel.grid.tiles
    panel.show()                                                            # catches up once
    assert not panel.stale and "input <b>40×48×1</b>" in panel.shapes_label.text()
    assert panel.wait_for_maps()
    assert panel.network[0].in_channels == 1 and panel.result.input.ndim == 2
    assert np.allclose(maps_of(panel), expected(panel), rtol=1e-12, atol=1e-9)
    assert panel.row_spin.maximum() == 37 and panel.col_spin.maximum() == 45   # valid padding: 38×46
    panel.hide()
    doc.apply(image=colour_image())
    assert panel.wait_for_maps()               # a public call while hidden catches up first
    assert panel.network[0].in_channels == 3 and panel.result.input.ndim == 3
    assert np.allclose(maps_of(panel), expected(panel), rtol=1e-12, atol=1e-9)
    panel.hide()
    doc.apply(image=colour_image()[..., 1])
    from convviz.io.banks import network_from_json
    assert network_from_json(panel.bank_json())[0].in_channels == 1   # a session saved meanwhile fits the image


def test_receptive_field_of_a_large_image_shows_a_thumbnail_in_image_pixels(panel, doc):
    from convviz.ui.bank.panel import RECEPTIVE_THUMB_SIDE

    doc.apply(image=np.random.default_rng(1).uniform(0, 255, (1000, 1600, 3)))
    assert panel.wait_for_maps(60_000)
    panel.receptive.zoom_box.setChecked(False)                  # the whole image
    assert panel.state.zoom_field is False and "The whole 1000×1600 image" in panel.receptive.text.text()
    image = panel.receptive.image
    assert max(image.image.shape[:2]) <= RECEPTIVE_THUMB_SIDE
    rect = image.mapRectToParent(image.boundingRect())
    assert (rect.width(), rect.height()) == (1600, 1000)


def test_grey_image_adapts_the_bank_and_says_so(panel, doc):
    panel.filter_editor.bias_spin.setValue(1.0)                   # an edited bank is adapted, not replaced
    colour_bank = panel.state.network
    doc.apply(image=colour_image()[..., 0])
    assert panel.network[0].in_channels == 1
    assert "summed" in panel.status.text()
    assert len(panel.filter_editor.grids()) == 1 and not panel.filter_editor.same_box.isEnabled()
    assert panel.wait_for_maps()
    assert np.allclose(maps_of(panel), expected(panel), rtol=1e-12, atol=1e-9)
    assert panel.state.network is colour_bank                      # only shown adapted: the bank stays as made
    doc.apply(gray=False, image=colour_image())
    assert panel.network == colour_bank and "back as it was made" in panel.status.text()
    doc.apply(gray=True)
    assert panel.network[0].in_channels == 1
    panel.filter_editor.bias_spin.setValue(2.0)                   # edited while grey: the grey bank is kept
    assert panel.state.network[0].in_channels == 1
    doc.apply(gray=False)
    assert panel.network[0].in_channels == 3 and "divided by 3" in panel.status.text()
    assert panel.wait_for_maps()
    assert np.allclose(maps_of(panel), expected(panel), rtol=1e-12, atol=1e-9)


def test_decomposition_numbers_equal_the_model(panel):
    panel.filter_editor.list.setCurrentRow(2)
    panel.filter_editor.bias_spin.setValue(-3.0)
    assert panel.wait_for_maps()
    panel.row_spin.setValue(20)
    panel.col_spin.setValue(24)
    assert panel.pixel == (20, 24)
    f = panel.network[0].filters[2]
    img = panel.document.image
    partial = [correlate(img[..., c], f.slice(c), padding="same")[20, 24] for c in range(3)]
    text = panel.decomposition.text
    for name, v in zip("RGB", partial):
        assert f"{name}: " in text and f"= {format_number(v)}" in text
    total = sum(partial)
    z = total - 3.0
    assert "Σ = " in text and f"= {format_number(total)}" in text
    assert f"z = Σ + b = {format_number(total)} + (-3) = {format_number(z)}" in text
    assert f"ReLU(z) = ReLU({format_number(z)}) = {format_number(max(z, 0))}" in text
    assert format_number(max(z, 0)) == format_number(maps_of(panel)[20, 24, 2])
    d = decompose(img, panel.network[0], 2, (20, 24), panel.first_settings())
    assert panel.decomposition.findChild(type(panel.status), "bankSumBox").text().endswith(format_number(d.total))
    assert len(panel.decomposition.maps) == 3


def test_pixel_controls_both_ways_and_enlarge(panel, qtbot):
    panel.select_pixel(5, 7)
    assert (panel.row_spin.value(), panel.col_spin.value()) == (5, 7) and panel.pixel == (5, 7)
    panel.select_pixel(500, 7)                                   # outside: ignored
    assert panel.pixel == (5, 7)
    tile = panel.grid.tiles[3]
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton, pos=QPoint(40, 40))
    assert panel.filter_index == 3 and panel.filter_editor.current == 3 and panel.tabs.currentIndex() == 1
    assert panel.wait_for_maps()
    assert np.array_equal(panel.enlarged.image.image, panel.result.stages[0].maps[3])
    assert "<b>Blur</b>" in panel.enlarged.title.text()


def test_shared_or_own_colour_scale(panel):
    from convviz.model.colour import display_levels

    assert not panel.shared_box.isChecked() and panel.scale_box.currentData() == "auto"   # each map its own
    assert not panel.views.colour_bar.isVisibleTo(panel)
    for m, lv in zip(panel.result.shown.maps, panel.result.levels):
        assert lv == display_levels(m, scale="auto")
    assert panel.result.levels[3] == (0.0, 255.0) or panel.result.ranges[3][1] > 255          # blur: as the input
    panel.shared_box.setChecked(True)
    assert panel.wait_for_maps()
    levels = panel.result.levels
    assert len(set(levels)) == 1 and panel.views.colour_bar.isVisibleTo(panel)
    lo = min(r[0] for r in panel.result.ranges)
    hi = max(r[1] for r in panel.result.ranges)
    assert levels[0] == ((0.0, hi) if lo >= 0 else (-max(-lo, hi), max(-lo, hi)))
    for scale in ("full", "input", "robust"):
        panel.scale_box.setCurrentIndex(panel.scale_box.findData(scale))
        assert panel.state.scale == scale and panel.wait_for_maps()
        both = np.concatenate([m.ravel() for m in panel.result.shown.maps])
        assert set(panel.result.levels) == {display_levels(both, scale=scale)}


def test_chained_layer_shapes_maps_and_receptive_field(panel):
    panel.add_layer()
    assert len(panel.network) == 2 and panel.layer_index == 1
    assert panel.network[1].in_channels == 4 and panel.layer_box.count() == 2
    assert panel.wait_for_maps()
    text = panel.shapes_label.text()
    assert "Layer 2: input <b>40×48×4</b>" in text and "bank <b>3×3×4×3</b>" in text
    assert "output <b>38×46×3</b>" in text
    assert np.allclose(maps_of(panel, 1), expected(panel, 1), rtol=1e-10, atol=1e-8)
    assert len(panel.grid.tiles) == 3
    panel.select_pixel(10, 11)
    rf = panel.receptive.text.text()
    assert "<b>5×5</b>" in rf and "rows 9…13" in rf and "columns 10…14" in rf
    # layer 2's decomposition is over layer 1's maps
    assert "1. Sobel x" in panel.decomposition.text
    # its own stride
    panel.layer_stride.setValue(2)
    assert panel.network[1].settings.stride == (2, 2)
    assert panel.wait_for_maps()
    assert "output <b>19×23×3</b>" in panel.shapes_label.text()
    # removing a filter of layer 1 adapts layer 2
    panel.layer_box.setCurrentIndex(0)
    assert panel.layer_index == 0
    panel.filter_editor.list.setCurrentRow(3)
    panel.filter_editor.remove_button.click()
    assert panel.network[1].in_channels == 3 and "Layer 2" in panel.status.text()
    assert panel.wait_for_maps()
    panel.layer_box.setCurrentIndex(1)
    panel.remove_layer()
    assert len(panel.network) == 1


def test_save_load_and_bad_files(panel, tmp_path):
    panel.filter_editor.list.setCurrentRow(1)
    panel.filter_editor.bias_spin.setValue(2.0)
    panel.add_layer()
    path = tmp_path / "bank.json"
    assert panel.save_bank(path)
    saved = panel.network
    panel.reset_bank()
    assert len(panel.network) == 1
    assert panel.load_bank(path)
    assert len(panel.network) == 2
    for a, b in zip(saved.layers, panel.network.layers):
        assert a.names == b.names and np.array_equal(a.weights(), b.weights())
        assert np.array_equal(a.biases(), b.biases())
    before = panel.network
    bad = tmp_path / "bad.json"
    data = json.loads(path.read_text())
    data["layers"][0]["filters"][0]["slices"][0][0][0] = "x"
    bad.write_text(json.dumps(data))
    assert not panel.load_bank(bad)
    assert panel.network is before
    assert "not a number" in panel.status.text() and "current bank stays" in panel.status.text()
    assert not panel.load_bank(tmp_path / "missing.json")
    assert panel.network is before


def test_exports(panel, tmp_path):
    folder = tmp_path / "maps"
    folder.mkdir()
    assert panel.export_pngs(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["01_sobel_x.png", "02_sobel_y.png",
                                                         "03_red_minus_green.png", "04_blur.png"]
    assert panel.export_npy(tmp_path / "maps.npy")
    arr = np.load(tmp_path / "maps.npy", allow_pickle=False)
    assert arr.shape == (40, 48, 4) and np.allclose(arr, expected(panel), rtol=1e-12, atol=1e-9)
    assert not panel.export_pngs(tmp_path / "nope")
    assert "nope" in panel.status.text()


def test_open_image(panel, tmp_path, doc):
    from convviz.io.images import save_png
    path = tmp_path / "photo.png"
    save_png(path, colour_image(30, 20).astype(np.uint8))
    before = doc.image
    panel.open_image(path)                      # returns at once: decoded in the worker
    assert doc.image is before and panel.image_loader.pending
    assert panel.wait_for_image()
    assert doc.image.shape == (30, 20, 3)
    assert panel.wait_for_maps()
    assert panel.result.stages[0].maps[0].shape == (30, 20)
    panel.editor.stack.undo()                   # one undo step
    assert doc.image is before
    panel.editor.stack.redo()
    bad = tmp_path / "bad.png"
    bad.write_text("not an image")
    panel.open_image(bad)
    assert panel.wait_for_image()
    assert doc.image.shape == (30, 20, 3)
    assert "bad.png" in panel.status.text()


def test_stack_view_renders_offscreen(panel, tmp_path):
    panel.tabs.setCurrentWidget(panel.stack)
    stack = panel.stack
    assert stack.shape_text == "40×48×4"
    assert stack.labels == ["Blur", "Red minus green", "Sobel y", "Sobel x"]
    image = stack.grab().toImage()
    assert image.width() > 100
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 5
    panel.grab().save(str(tmp_path / "panel.png"))


def test_many_filters_stay_usable(panel, qtbot):
    for _ in range(60):
        panel.filter_editor.random_action.trigger()
    assert panel.wait_for_maps()
    assert panel.network[0].out_channels == 64
    assert len(panel.grid.tiles) == 64
    from convviz.ui.bank.map_grid import MIN_SIDE_LINES

    grid, line = panel.grid, panel.grid.fontMetrics().height()
    assert grid.fit.side >= MIN_SIDE_LINES * line                  # never smaller than this: the grid scrolls
    panel.resize(700, 500)
    qtbot.waitUntil(lambda: grid.verticalScrollBar().maximum() > 0)
    assert grid.fit.side >= MIN_SIDE_LINES * line
    assert all(t.geometry().right() <= grid.viewport().width() for t in grid.tiles)   # never sideways
    assert np.allclose(maps_of(panel), expected(panel), rtol=1e-10, atol=1e-8)


def test_close_stops_the_worker(qtbot, doc):
    p = BankPanel(doc)
    qtbot.addWidget(p)
    p.show()
    p.close()
    assert not p.maps.pending
    with pytest.raises(RuntimeError):
        p.maps.runner.submit(lambda: None)                      # the worker is shut down
    doc.apply(image=colour_image(20, 20)[..., 0])                 # no longer followed: nothing happens
    p.refresh_now()
    assert not p.maps.pending and p.maps.last is None


def test_tab_in_main_window(qtbot):
    main_window = pytest.importorskip("convviz.ui.main_window")
    window = main_window.MainWindow()
    qtbot.addWidget(window)
    try:
        assert window.panel("bank", create=False) is None   # built when first shown or asked for
        panel = window.panel("bank")
        assert isinstance(panel, BankPanel) and window.panels["bank"] is panel
        assert panel.wait_for_maps()
        assert panel.network[0].in_channels == (3 if window.document.image.ndim == 3 else 1)
    finally:
        window.close()


def test_filter_shortcuts_act_while_the_list_has_focus(panel, qtbot):
    names = list(panel.network[0].names)
    panel.filter_editor.list.setCurrentRow(0)
    panel.activateWindow()
    panel.filter_editor.list.setFocus()
    qtbot.waitUntil(lambda: panel.filter_editor.list.hasFocus())
    qtbot.keyClick(panel.filter_editor.list, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)   # duplicate
    assert len(panel.network[0].names) == len(names) + 1
    after_duplicate = [n for n in panel.network[0].names]
    assert len(after_duplicate) == len(names) + 1 and f"{names[0]} copy" in after_duplicate
    qtbot.keyClick(panel.filter_editor.list, Qt.Key.Key_Insert)                                    # random filter
    added = [i for i, n in enumerate(panel.network[0].names) if n not in after_duplicate]
    assert len(panel.network[0].names) == len(names) + 2 and len(added) == 1
    panel.filter_editor.list.setCurrentRow(added[0])
    qtbot.keyClick(panel.filter_editor.list, Qt.Key.Key_Delete)                                    # remove it
    assert panel.network[0].names == after_duplicate


def test_every_bank_edit_is_one_undo_step(panel, qtbot, tmp_path):
    """Weights, bias, activation, kernel size, the filter list, layers, a loaded bank and the default bank:
    each is one step of the undo stack, and undoing it gives back the bank before it exactly."""
    from convviz.io.banks import bank_to_json
    ed, stack = panel.filter_editor, panel.editor.stack
    saved = tmp_path / "saved.json"
    assert panel.save_bank(saved)
    edits = [
        lambda: edit_cell(ed.grids()[0], 0, 0, 7.0),
        lambda: ed.bias_spin.setValue(-4.0),
        lambda: ed.activation_box.setCurrentIndex(ed.activation_box.findData("tanh")),
        lambda: ed.kernel_spin.setValue(5),
        lambda: ed.add_preset("laplacian"),
        lambda: qtbot.mouseClick(ed.duplicate_button, Qt.MouseButton.LeftButton),
        lambda: qtbot.mouseClick(ed.up_button, Qt.MouseButton.LeftButton),
        lambda: ed.list.item(0).setText("renamed"),
        lambda: qtbot.mouseClick(ed.remove_button, Qt.MouseButton.LeftButton),
        lambda: ed.same_box.setChecked(False) or edit_cell(ed.grids()[1], 1, 1, 9.0),
        panel.add_layer,
        lambda: panel.layer_stride.setValue(2),
        lambda: panel.layer_padding.setCurrentIndex(panel.layer_padding.findData("same")),
        panel.remove_layer,
        lambda: panel.load_bank(saved),
        panel.reset_bank,
    ]
    banks = [bank_to_json(panel.network)]
    for i, edit in enumerate(edits):
        before = stack.count()
        edit()
        assert stack.count() == before + 1, i
        banks.append(bank_to_json(panel.network))
        assert banks[-1] != banks[-2] or i == len(edits) - 1, i     # the default bank after loading the saved one
    assert panel.state.network is None                              # "Default bank": the default again
    for i in reversed(range(len(edits))):
        stack.undo()
        assert bank_to_json(panel.network) == banks[i], i
    assert panel.wait_for_maps()
    assert np.allclose(maps_of(panel), expected(panel), rtol=1e-12, atol=1e-9)
    for i in range(len(edits)):
        stack.redo()
        assert bank_to_json(panel.network) == banks[i + 1], i


def test_selection_view_and_scale_are_undoable_state(panel, qtbot):
    stack = panel.editor.stack
    panel.filter_editor.list.setCurrentRow(2)
    panel.tabs.setCurrentIndex(3)
    panel.shared_box.setChecked(True)
    panel.scale_box.setCurrentIndex(panel.scale_box.findData("robust"))
    panel.receptive.zoom_box.setChecked(False)
    panel.select_pixel(6, 9)
    assert stack.count() == 6
    assert (panel.state.filter_index, panel.state.view, panel.state.shared_scale, panel.state.scale,
            panel.state.zoom_field, panel.state.pixel) == (2, "channel sums", True, "robust", False, (6, 9))
    for _ in range(6):
        stack.undo()
    assert (panel.state.filter_index, panel.state.view, panel.state.shared_scale, panel.state.scale,
            panel.state.zoom_field) == (0, "maps", False, "auto", True)
    assert panel.filter_editor.current == 0 and panel.tabs.currentIndex() == 0 and not panel.shared_box.isChecked()
    assert panel.scale_box.currentData() == "auto" and panel.receptive.zoom_box.isChecked()


def test_state_drives_the_widgets_without_qt_in_between(panel):
    """A lesson or session sets the Qt-free state; the panel follows."""
    from convviz.model.bank import default_next_layer
    network = panel.network
    two, _ = network.appended(default_next_layer(4))
    panel.state.apply(network=two, layer_index=1, filter_index=2, view="receptive field", shared_scale=False,
                      pixel=(3, 4))
    assert panel.layer_box.count() == 2 and panel.layer_box.currentIndex() == 1
    assert panel.filter_editor.current == 2 and panel.tabs.currentWidget() is panel.receptive
    assert not panel.shared_box.isChecked() and "Layer 2: input <b>40×48×4</b>" in panel.shapes_label.text()
    assert panel.wait_for_maps()
    shown = panel.result
    panel.refresh_now()                                           # nothing changed: nothing computed again
    assert not panel.maps.pending and panel.result is shown
    assert (panel.row_spin.value(), panel.col_spin.value()) == (3, 4)
    assert "Output pixel (row 3, col 4) of layer 2" in panel.receptive.text.text()
    assert np.allclose(maps_of(panel, 1), expected(panel, 1), rtol=1e-10, atol=1e-8)


def test_the_maps_choose_the_pixel_until_one_is_chosen(panel, doc):
    """No pixel chosen: the strongest response of the chosen filter (away from the border) is explained,
    and stays while weights are edited; a chosen pixel that no longer fits the map is replaced."""
    from convviz.model.bank import strongest_pixel
    m = panel.result.shown.maps[0]
    assert panel.pixel == strongest_pixel(m, margin=3) == panel.state.pixel
    edit_cell(panel.filter_editor.grids()[0], 1, 1, 5.0)
    assert panel.wait_for_maps() and panel.state.pixel == strongest_pixel(m, margin=3)
    panel.select_pixel(39, 47)
    doc.apply(padding="valid")                                   # 38×46: (39, 47) is outside now
    assert panel.wait_for_maps()
    assert panel.state.pixel == strongest_pixel(panel.result.shown.maps[0], margin=3)


def test_session_keeps_the_bank_of_a_tab_never_built(window, qtbot, tmp_path):
    """The bank lives in the workspace: a session saves and restores it without the tab being built."""
    from ui_support import make_window

    from convviz.io.banks import bank_to_json
    from convviz.model.bank import BankLayer, LayerSettings, Network, random_filter
    assert window.panel("bank", create=False) is None
    state = window.workspace.states["bank"]
    c_in = 1 if window.document.image.ndim == 2 else 3
    layer = BankLayer(tuple(random_filter(np.random.default_rng(3), (3, 3), c_in, name=f"r{i}") for i in range(5)),
                      "tanh", LayerSettings())
    state.apply(network=Network((layer,)), filter_index=4, view="stack")
    path = tmp_path / "unbuilt.convviz"
    assert window.classroom.save_session_to(path)
    assert window.panel("bank", create=False) is None
    saved = json.loads(path.read_text())
    assert saved["bank"] == bank_to_json(state.network)
    assert saved["view"]["bank.selected_filter"] == 4 and saved["view"]["bank.view"] == "stack"
    other = make_window(qtbot, tmp_path)
    try:
        assert other.classroom.open_session_from(path)
        restored = other.workspace.states["bank"]
        assert restored.network == state.network and restored.filter_index == 4 and restored.view == "stack"
        panel = other.panel("bank")
        assert panel.wait_for_maps() and panel.filter_editor.current == 4
        assert np.allclose(maps_of(panel), expected(panel), rtol=1e-12, atol=1e-9)
    finally:
        other.close()


def test_edit_undo_in_the_window_undoes_a_bank_edit(window, qtbot):
    assert window.show_panel("bank")
    panel = window.panel("bank")
    qtbot.waitUntil(panel.isVisible)
    before = panel.network
    panel.filter_editor.bias_spin.setValue(3.0)
    assert panel.network[0].filters[0].bias == 3.0
    window.undo_action.trigger()
    assert panel.network == before and panel.filter_editor.bias_spin.value() == 0.0
    window.redo_action.trigger()
    assert panel.network[0].filters[0].bias == 3.0
    assert panel.wait_for_maps()
    assert np.allclose(maps_of(panel), expected(panel), rtol=1e-12, atol=1e-9)
