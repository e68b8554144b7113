"""The main window: defaults, live output, settings both ways, files, drop, undo, exports, settings memory."""

import argparse
import struct
import zlib

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent, QFontDatabase, QImage
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox, QTableView, QTabWidget
from ui_support import event_loop_gaps, make_window, temp_settings, wait_output

from convviz.io import load_image
from convviz.io.samples import DEFAULT_SAMPLE, sample_path
from convviz.model import PRESETS, correlate, display_rgb, filter_image, output_size_formula, padding_amounts


@pytest.fixture
def window(qtbot, tmp_path):
    w = make_window(qtbot, tmp_path)
    w.resize(1280, 800)
    w.show()
    yield w
    w.close()


def _save_png(path, array):
    from PIL import Image

    Image.fromarray(np.asarray(array, dtype=np.uint8)).save(path)
    return path


def _huge_png_header(path, width=9000, height=9000):
    """A PNG whose header claims width × height pixels (never decoded: refused from its size)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b""))
                     + chunk(b"IEND", b""))
    return path


def test_fonts_exist(qapp):
    assert QFontDatabase.families()


def test_window_opens_on_the_sample_with_named_widgets(window):
    assert window.objectName() == "mainWindow"
    assert np.array_equal(window.document.image, load_image(sample_path(DEFAULT_SAMPLE)))
    for name, cls in [("inputView", None), ("outputView", None), ("kernelEditor", QTableView),
                      ("presetBox", QComboBox), ("paddingBox", QComboBox), ("strideSpin", QSpinBox),
                      ("dilationSpin", QSpinBox), ("panelTabs", QTabWidget)]:
        widget = window.findChild(cls or object, name) if cls else getattr(window, name[:-4] + "_view")
        assert widget is not None and widget.objectName() == name, name
        assert widget.accessibleName(), name
    assert window.tabs.tabText(0) == "Filter"
    expected = filter_image(window.document.image, window.document.kernel, **window.document.conv_kwargs())
    assert np.array_equal(window.output_view.image_item.image, expected)
    assert "256×256" in window.output_info.text()


def test_cell_edit_changes_displayed_output_to_correlate(window, qtbot):
    table = window.findChild(QTableView, "kernelEditor")
    table.edit(window.kernel_editor.model.index(1, 1))
    line = table.viewport().findChild(QLineEdit)
    line.setText("1/9")
    table.itemDelegate().commitData.emit(line)
    wait_output(qtbot, window)
    doc = window.document
    assert doc.kernel[1, 1] == 1 / 9
    assert np.allclose(window.output_view.image_item.image, correlate(doc.image, doc.kernel, "same"), atol=1e-12)


def test_the_table_redraws_only_the_cells_that_changed(window):
    model = window.kernel_editor.model
    window.document.apply(kernel=np.zeros((3, 4)), preset=None)
    changed = []
    model.dataChanged.connect(lambda a, b, *_: changed.append(((a.row(), a.column()), (b.row(), b.column()))))
    assert model.setData(model.index(1, 2), "5")
    assert changed == [((1, 2), (1, 2))]                       # a typed weight: its cell
    window.undo_stack.undo()
    assert changed[-1] == ((1, 2), (1, 2))
    kernel = np.zeros((3, 4))
    kernel[0, 1] = kernel[2, 3] = 1.0
    window.document.apply(kernel=kernel)
    assert changed[-1] == ((0, 1), (2, 3))                      # the box around every changed cell
    count = len(changed)
    window.document.apply(kernel=kernel.copy())
    assert len(changed) == count                                # the same numbers: nothing to redraw


def test_bad_cell_text_keeps_the_value_and_says_so(window):
    before = np.array(window.document.kernel)
    assert not window.kernel_editor.model.setData(window.kernel_editor.model.index(0, 0), "two")
    assert np.array_equal(window.document.kernel, before)
    assert "not a number" in window.statusBar().currentMessage()


def test_preset_and_padding_change_output_shape(window, qtbot):
    box = window.findChild(QComboBox, "presetBox")
    i = box.findData("motion_blur")
    box.setCurrentIndex(i)
    box.activated.emit(i)
    pad = window.findChild(QComboBox, "paddingBox")
    for name, shape in (("valid", (252, 252)), ("full", (260, 260)), ("same", (256, 256))):
        j = pad.findData(name)
        pad.setCurrentIndex(j)
        pad.activated.emit(j)
        wait_output(qtbot, window)
        assert window.document.padding == name
        assert window.output.values.shape == shape
        assert window.output_view.image_item.image.shape == shape
        assert np.allclose(window.output.values, correlate(window.document.image, PRESETS["motion_blur"].kernel, name))


def test_settings_controls_both_ways(window, qtbot):
    doc, sp = window.document, window.settings_panel
    doc.apply(padding="valid", stride=2, dilation=3, padding_mode="reflect", flip=True)
    assert sp.padding_box.currentData() == "valid"
    assert sp.stride_spin.value() == 2 and sp.dilation_spin.value() == 3
    assert sp.mode_box.currentData() == "reflect" and sp.operation_box.currentData() is True
    sp.stride_spin.setValue(3)
    sp.dilation_spin.setValue(1)
    assert doc.stride == (3, 3) and doc.dilation == (1, 1)
    i = sp.mode_box.findData("circular")
    sp.mode_box.setCurrentIndex(i)
    sp.mode_box.activated.emit(i)
    sp.operation_box.setCurrentIndex(0)
    sp.operation_box.activated.emit(0)
    assert doc.padding_mode == "circular" and doc.flip is False
    j = sp.padding_box.findData("explicit")
    sp.padding_box.setCurrentIndex(j)
    sp.padding_box.activated.emit(j)
    sp.pad_rows.setValue(4)
    sp.pad_cols.setValue(2)
    assert doc.padding == (4, 2)
    doc.apply(padding=(1, 5))
    assert sp.pad_rows.value() == 1 and sp.pad_cols.value() == 5 and sp.padding_box.currentData() == "explicit"
    wait_output(qtbot, window)
    assert window.output.values.shape == doc.output_shape()
    top, bottom, left, right = padding_amounts(doc.kernel.shape, doc.padding, dilation=doc.dilation)
    text = sp.size_label.text()
    assert output_size_formula(256, 3, top + bottom, 3, 1) in text
    assert output_size_formula(256, 3, left + right, 3, 1) in text
    assert window.input_view.padded.width == 256 + left + right


def test_refused_setting_reverts_the_widget(window):
    window.document.apply(image=np.zeros((40, 40)), kernel=np.ones((15, 15)), padding="valid", dilation=1)
    window.settings_panel.dilation_spin.setValue(3)   # 3·14 + 1 = 43 > 40: does not fit
    assert window.document.dilation == (1, 1)
    assert window.settings_panel.dilation_spin.value() == 1
    assert "kernel" in window.statusBar().currentMessage().lower()


def test_colour_image_per_channel_and_grey_switch(window, qtbot):
    sp = window.settings_panel
    assert not window.document.is_colour  # the grey sample: nothing to choose, no colour mode claimed
    assert not sp.colour_box.isEnabled() and sp.colour_box.currentIndex() == -1
    assert sp.colour_box.placeholderText() == "grey image: one channel"
    assert window.load_image(sample_path("colour_blocks.png"))
    wait_output(qtbot, window)
    sp = window.settings_panel
    assert sp.colour_box.isEnabled() and sp.colour_box.currentData() is False
    assert window.output.values.shape == (256, 256, 3)
    assert "3 channels" in window.output_view.getPlotItem().titleLabel.text
    sp.colour_box.setCurrentIndex(1)
    sp.colour_box.activated.emit(1)
    wait_output(qtbot, window)
    assert window.document.gray and window.output.values.shape == (256, 256)
    assert "grey" in window.input_view.getPlotItem().titleLabel.text


def test_colour_controls_levels_and_clip(window, qtbot):
    cc = window.colour_controls
    values = window.output.values
    m = float(np.abs(values).max())
    assert values.min() < 0 and window.output_levels == (-m, m)
    assert window.output_colormap == "coolwarm"
    assert cc.low_spin.value() == pytest.approx(-m) and cc.high_spin.value() == pytest.approx(m)
    cc.clip_check.setChecked(True)
    assert window.output_levels == (0.0, 255.0) and window.output_colormap == "grey"
    assert tuple(window.output_view.image_item.levels) == (0.0, 255.0)
    cc.clip_check.setChecked(False)
    cc.high_spin.setValue(100.0)
    assert window.output_levels == (pytest.approx(-m), 100.0)
    i = cc.map_box.findData("viridis")
    cc.map_box.setCurrentIndex(i)
    cc.map_box.activated.emit(i)
    assert window.output_colormap == "viridis"
    cc.auto_button.click()
    assert window.output_levels == (-m, m)
    assert np.array_equal(window.displayed_output_rgb(),
                          display_rgb(values, colormap="viridis", levels=(-m, m)))


def test_good_and_bad_files(window, tmp_path):
    good = _save_png(tmp_path / "ramp.png", np.tile(np.arange(0, 200, 2), (40, 1)))
    assert window.load_image(good)
    assert window.document.image.shape == (40, 100) and window.document.image_name == "ramp.png"
    kept = np.array(window.document.image)
    for bad in (tmp_path / "missing.png", tmp_path / "text.png", _huge_png_header(tmp_path / "huge.png")):
        if bad.name == "text.png":
            bad.write_text("not an image")
        assert not window.load_image(bad)
        assert np.array_equal(window.document.image, kept)
        assert bad.name in window.statusBar().currentMessage()
    assert "megapixels" in window.last_error
    tiny = _save_png(tmp_path / "tiny.png", np.zeros((2, 2)))
    window.document.apply(padding="valid")
    assert not window.load_image(tiny)     # a 3×3 kernel does not fit a 2×2 image without padding
    assert np.array_equal(window.document.image, kept)


def _drop(window, path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(100, 100), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    return event


def _wait_loaded(qtbot, window):
    qtbot.waitUntil(lambda: not window.loading, timeout=20000)


def test_image_path_and_status_follow_the_image(window, tmp_path, qtbot):
    assert window.image_path == sample_path(DEFAULT_SAMPLE).resolve()
    good = _save_png(tmp_path / "pic.png", np.full((30, 50), 90))
    assert window.load_image(good)
    assert window.image_path == good.resolve()
    assert window.statusBar().currentMessage().startswith("Opened pic.png")
    assert not window.load_image(tmp_path / "missing.png")          # refused: the path stays
    assert window.image_path == good.resolve()
    window.open_image(sample_path("landscape.png"))                  # decoded in the worker
    _wait_loaded(qtbot, window)
    assert window.image_path == sample_path("landscape.png").resolve()
    window.document.apply(image=np.zeros((20, 20)), image_name="made here")
    assert window.image_path is None
    assert window.statusBar().currentMessage() == "Image: made here (20×20 grey)"
    wait_output(qtbot, window)


def test_drop_opens_good_files_and_refuses_bad(window, tmp_path, qtbot):
    good = _save_png(tmp_path / "dropped.png", np.full((30, 50, 3), 90))
    used, original = [], window.load_image      # a wrapper (as the classroom installs) sees every image used
    window.load_image = lambda path, **kw: used.append((str(path), "decoded" in kw)) or original(path, **kw)
    _drop(window, good)
    _wait_loaded(qtbot, window)
    assert window.document.image.shape == (30, 50, 3)
    assert used == [(str(good), True)]
    wait_output(qtbot, window)
    assert window.output.values.shape == (30, 50, 3)
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n broken")
    _drop(window, bad)
    _wait_loaded(qtbot, window)
    assert window.document.image.shape == (30, 50, 3)
    assert "bad.png" in window.statusBar().currentMessage()


def test_undo_redo_of_kernel_preset_and_settings(window, qtbot):
    doc = window.document
    window.kernel_editor.model.setData(window.kernel_editor.model.index(0, 0), "3")
    window.kernel_editor.preset_box.activated.emit(window.kernel_editor.preset_box.findData("sharpen"))
    window.settings_panel.stride_spin.setValue(2)
    assert window.undo_stack.count() == 3
    window.undo_action.trigger()
    assert doc.stride == (1, 1) and doc.preset == "sharpen"
    window.undo_action.trigger()
    assert doc.kernel[0, 0] == 3 and doc.preset is None
    window.undo_action.trigger()
    assert np.array_equal(doc.kernel, PRESETS["sobel_x"].kernel) and doc.preset == "sobel_x"
    window.redo_action.trigger()
    window.redo_action.trigger()
    assert doc.preset == "sharpen" and window.kernel_editor.preset_box.currentData() == "sharpen"
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert "Ctrl+Shift+Z" in [s.toString() for s in window.redo_action.shortcuts()]
    wait_output(qtbot, window)
    assert np.allclose(window.output.values, correlate(doc.image, PRESETS["sharpen"].kernel, "same"))


def test_newest_edit_wins_over_a_slower_older_result(window, qtbot):
    doc = window.document
    for key in ("box_blur", "laplacian", "emboss"):
        doc.apply(kernel=PRESETS[key].kernel, preset=key)
        window.recompute()                  # three submissions in a row
    wait_output(qtbot, window)
    qtbot.wait(50)
    assert np.array_equal(window.output.values, correlate(doc.image, PRESETS["emboss"].kernel, "same"))


def test_kernel_files_and_exports(window, tmp_path):
    doc = window.document
    doc.apply(kernel=[[1 / 9, 2.0], [-0.5, 0.0]], preset=None)
    for name in ("k.json", "k.npy"):
        assert window.save_kernel_to(tmp_path / name)
    doc.apply(kernel=PRESETS["identity"].kernel, preset="identity")
    assert window.load_kernel_from(tmp_path / "k.json")
    assert np.array_equal(doc.kernel, [[1 / 9, 2.0], [-0.5, 0.0]])
    doc.apply(kernel=PRESETS["identity"].kernel, preset="identity")
    assert window.load_kernel_from(tmp_path / "k.npy")
    assert np.array_equal(doc.kernel, [[1 / 9, 2.0], [-0.5, 0.0]])
    (tmp_path / "bad.json").write_text("{nope")
    assert not window.load_kernel_from(tmp_path / "bad.json")
    assert np.array_equal(doc.kernel, [[1 / 9, 2.0], [-0.5, 0.0]])
    assert "bad.json" in window.last_error and "not valid JSON" in window.last_error
    assert not window.save_kernel_to(tmp_path / "no-such-folder" / "k.npy")
    assert "no-such-folder" in window.last_error


def test_export_png_as_displayed_and_npy_raw(window, tmp_path):
    assert window.export_output(tmp_path / "out.npy")
    assert np.array_equal(np.load(tmp_path / "out.npy"), window.output.values)
    assert window.export_output(tmp_path / "out.png")
    from PIL import Image

    saved = np.asarray(Image.open(tmp_path / "out.png").convert("RGB"))
    assert np.array_equal(saved, display_rgb(window.output.values, colormap=window.output_colormap,
                                             levels=window.output_levels))
    assert not window.export_output(tmp_path / "no-such-folder" / "x.png")
    assert not window.export_output(tmp_path / "no-such-folder" / "x.npy")
    assert "no-such-folder" in window.last_error
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".ini") == ["out.npy", "out.png"]  # no temp files


def test_cursor_readout_for_input_and_output(window):
    doc = window.document
    window.filter._hovered((10.5, 20.5))
    assert window.input_readout.text() == f"Input (row 20, col 10) = {int(doc.image[20, 10])}"
    value = window.output.values[20, 10]
    from convviz.model import format_number

    assert window.output_readout.text() == f"Output (row 20, col 10) = {format_number(value)}"
    window.filter._hovered((-5.0, 3.0))
    assert window.input_readout.text() == "Input: –"
    window.filter._hovered(None)
    assert window.input_readout.text() == ""


def test_views_are_linked_and_row_zero_is_at_the_top(window):
    assert window.input_view.view_box.yInverted() and window.input_view.view_box.state["aspectLocked"]
    window.input_view.view_box.setRange(xRange=(10, 60), yRange=(10, 60), padding=0)
    out_range = window.output_view.view_box.viewRange()
    in_range = window.input_view.view_box.viewRange()
    centre = [(lo + hi) / 2 for lo, hi in in_range]
    assert [(lo + hi) / 2 for lo, hi in out_range] == pytest.approx(centre, abs=0.05)
    assert in_range[0][0] < 10.1 and in_range[0][1] > 59.9


def test_settings_remember_kernel_recent_files_and_geometry(qtbot, tmp_path):
    from convviz.ui import MainWindow

    good = _save_png(tmp_path / "remember.png", np.full((20, 20), 7))
    w = MainWindow(settings=temp_settings(tmp_path))
    qtbot.addWidget(w)
    w.load_image(good)
    w.document.apply(kernel=[[0.5, 0.5]], preset=None)
    w.resize(700, 500)
    w.close()
    w2 = MainWindow(settings=temp_settings(tmp_path))
    qtbot.addWidget(w2)
    assert np.array_equal(w2.document.kernel, [[0.5, 0.5]])
    assert w2.recent_files()[0] == str(good.resolve())
    assert w2.settings.value("lastFolder") == str(tmp_path.resolve())
    assert (w2.width(), w2.height()) == (700, 500)
    w2.reset_layout_action.trigger()
    screen = w2.screen().availableGeometry()
    assert (w2.width(), w2.height()) == (min(1280, screen.width()), min(800, screen.height()))
    w2.files.fill_recent_menu(w2.recent_menu)
    first = w2.recent_menu.actions()[0]
    assert first.text() == "&1 remember.png" and first.toolTip() == str(good.resolve())
    w2.load_image(sample_path("text.png"), remember=False)
    first.trigger()
    qtbot.waitUntil(lambda: not w2.loading, timeout=20000)
    assert w2.document.image_name == "remember.png"
    w2.close()


def test_every_action_has_a_shortcut_and_tooltip(window):
    names = ["openAction", "loadKernelAction", "saveKernelAction", "exportPngAction", "exportNpyAction",
             "quitAction", "showFilterAction", "fitAction", "resetLayoutAction", "aboutAction", "gaussianAction"]
    for name in names:
        action = getattr(window, {"openAction": "open_action"}.get(name, "_"), None) or \
            next(a for a in window.findChildren(type(window.open_action)) if a.objectName() == name)
        assert not action.shortcut().isEmpty(), name
        assert action.toolTip(), name
    for action in window.kernel_editor.actions_by_name.values():
        assert not action.shortcut().isEmpty() and action.toolTip()
    assert [a.text() for a in window.samples_menu.actions()][:2] == ["Shapes", "Checkerboard"]


def test_samples_menu_opens_a_sample(window, qtbot):
    action = next(a for a in window.samples_menu.actions() if a.objectName() == "sample_landscape")
    action.trigger()
    _wait_loaded(qtbot, window)
    assert window.document.image_name == "landscape.png" and window.document.image.ndim == 3


def test_the_tab_list_holds_panel_classes_and_an_empty_list_leaves_the_filter_tab(qtbot, tmp_path, monkeypatch):
    import convviz.ui.main_window as mw
    from convviz.ui.panel import Panel
    from convviz.ui.panels import PANELS

    assert all(issubclass(cls, Panel) and cls.key and cls.title for cls in PANELS)
    assert len({cls.key for cls in PANELS}) == len(PANELS)
    monkeypatch.setattr(mw, "panel_classes", list)
    w = make_window(qtbot, tmp_path)
    assert w.tabs.count() == 1 and w.panels == {} and w.panel_keys() == []
    w.close()


def test_panel_that_fails_to_build_leaves_a_note_in_its_tab(qtbot, tmp_path, monkeypatch, caplog):
    import convviz.ui.main_window as mw
    from convviz.ui.panel import Panel

    class PanelThatFails(Panel):
        key, title, shortcut = "fails", "Fails", ""

        def __init__(self, workspace, parent=None, **kwargs):
            raise RuntimeError("cannot build")

    monkeypatch.setattr(mw, "panel_classes", lambda: [PanelThatFails])
    w = make_window(qtbot, tmp_path)
    assert w.tabs.count() == 2 and w.panel_keys() == ["fails"]
    w.show()
    assert w.show_panel("fails")                      # building raises: logged, a note instead of the panel
    assert w.panel("fails") is None and w.panels == {}
    assert "could not be built" in caplog.text
    assert w.findChild(QLabel, "failsPanelError").isVisible()
    w.close()


def test_registered_panels_become_tabs_with_view_actions(window):
    from convviz.ui.panels import PANELS

    assert window.panel_keys() == [spec.key for spec in PANELS]
    for spec in PANELS:
        page = window.panel_pages[spec.key]
        assert window.tabs.indexOf(page) > 0
        window.view_actions[spec.key].trigger()
        assert window.tabs.currentWidget() is page and window.current_panel_key() == spec.key
        panel = window.panels[spec.key]            # built when its tab was shown
        assert page.isAncestorOf(panel) and panel.isVisible()
    window.view_actions["filter"].trigger()
    assert window.tabs.currentIndex() == 0 and window.current_panel_key() == "filter"


def test_panels_are_built_when_first_shown_or_asked_for(qtbot, tmp_path):
    w = make_window(qtbot, tmp_path)
    assert w.panels == {}                          # startup builds no panel
    assert w.panel("costs", create=False) is None
    costs = w.panel("costs")                       # built on demand (lessons, sessions, code)
    assert w.panels == {"costs": costs} and w.panel("costs") is costs
    assert w.panel("no_such_panel") is None
    w.show()
    w.show_panel("matrix")
    assert set(w.panels) == {"costs", "matrix"} and w.panels["matrix"].isVisible()
    w.close()


def test_closing_stops_timers_and_worker(qtbot, tmp_path):
    w = make_window(qtbot, tmp_path)
    w.kernel_editor.model.setData(w.kernel_editor.model.index(0, 0), "x")   # starts the flash timer
    w.document.apply(stride=2)                                              # starts the compute timer
    w.close()
    running = [t for t in w.findChildren(QTimer) if t.isActive()]
    assert running == []
    assert not w.runner.pending


def test_screenshot_is_not_blank(tmp_path, qtbot):
    from convviz.ui.app import run_app

    out = tmp_path / "shot.png"
    args = argparse.Namespace(image=str(sample_path("landscape.png")), kernel="sobel_y", padding="valid",
                              lesson=None, screenshot=str(out))
    assert run_app(args) == 0
    image = QImage(str(out))
    assert image.width() >= 800 and image.height() >= 500
    colours = {image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 29)}
    assert len(colours) > 50


def test_run_app_refuses_bad_arguments(tmp_path, capsys):
    from convviz.ui.app import run_app

    base = dict(image=None, kernel=None, padding=None, lesson=None, screenshot=str(tmp_path / "s.png"))
    assert run_app(argparse.Namespace(**{**base, "image": str(tmp_path / "nope.png")})) == 2
    assert run_app(argparse.Namespace(**{**base, "kernel": "no_such_preset"})) == 2
    err = capsys.readouterr().err
    assert "nope.png" in err and "no_such_preset" in err


def test_event_loop_runs_while_a_large_colour_image_is_computed(window, qtbot):
    rng = np.random.default_rng(0)
    window.document.apply(image=rng.uniform(0, 255, (3000, 3000, 3)), kernel=np.ones((3, 3)) / 9, preset=None)
    window.recompute()
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(window.runner.pending))
    timer.start(1)
    wait_output(qtbot, window, timeout=120000)
    timer.stop()
    assert ticks.count(True) >= 3          # the GUI thread kept handling events during the computation
    out = window.output
    assert out.values_hw == (3000, 3000) and out.display.shape == (3000, 3000, 3)   # a screen's worth of values kept
    assert out.sample_step > 1 and out.values.shape == out.display[::out.sample_step, ::out.sample_step].shape


def test_a_large_input_is_prepared_in_a_worker_and_drawn_as_bytes(window, qtbot):
    from convviz.model import to_gray
    from convviz.model.colour import scale_to_bytes
    from convviz.model.filter_output import LARGE_PIXELS as LARGE_INPUT_PIXELS

    rng = np.random.default_rng(4)
    first = rng.uniform(0, 255, (1100, 1000, 3))
    assert first.shape[0] * first.shape[1] > LARGE_INPUT_PIXELS
    second = rng.uniform(0, 255, (1000, 1100, 3))
    window.document.apply(image=first)
    window.document.apply(image=second, gray=True)       # newest wins: the first is never drawn
    qtbot.waitUntil(lambda: window.input_view.values is not None and window.input_view.values.shape == (1000, 1100),
                    timeout=60000)
    assert np.array_equal(window.input_view.values, to_gray(window.document.image))   # the readout's values
    drawn = window.input_view.image_item.image
    assert drawn.dtype == np.uint8 and np.array_equal(drawn, scale_to_bytes(window.input_view.values, (0, 255)))
    assert window.input_view.pixel_at(5.5, 3.5) == (3, 5)
    assert window.input_view.full_title == "Input 1100×1000 grey (luminance)"          # short for a projector
    assert "luminance of a colour image" in window.input_view.getPlotItem().titleLabel.toolTip()
    wait_output(qtbot, window, timeout=60000)
    out = window.output                                              # a large output: drawn as worker-made bytes
    drawn = window.output_view.image_item.image
    assert window.output_view.values is out.values and window.output_levels == out.auto_levels
    assert drawn.dtype == np.uint8 and np.array_equal(drawn, scale_to_bytes(out.values, out.auto_levels))
    window.colour_controls.set_manual_levels(-10.0, 10.0)           # other levels: the values themselves
    shown = window.output_view.image_item.image
    assert shown.dtype == out.values.dtype == np.float32 and np.array_equal(shown, out.values)  # a display copy
    assert tuple(window.output_view.image_item.levels) == (-10.0, 10.0)
    window.document.apply(image=np.full((20, 30), 7.0), gray=False)  # small: drawn at once, as values
    assert window.input_view.values.shape == (20, 30) and window.input_view.image_item.image.dtype == np.float64
    wait_output(qtbot, window, timeout=60000)


@pytest.mark.wallclock
def test_window_never_freezes_while_a_large_colour_photo_is_opened(qtbot, tmp_path):
    """Every panel registered, some shown once and hidden: opening a 3000×3000 colour file leaves the
    event loop running (the longest gap between 5 ms timer ticks stays far below a freeze)."""
    from PIL import Image

    y, x = np.mgrid[0:3000, 0:3000]
    photo = np.stack([x % 256, y % 256, (x + y) % 256], axis=2).astype(np.uint8)
    path = tmp_path / "big.png"
    Image.fromarray(photo).save(path, compress_level=1)
    w = make_window(qtbot, tmp_path)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    for key in ("player", "bank", "learning", "costs", "equivariance"):   # shown once, then hidden
        assert w.show_panel(key)
        qtbot.wait(20)
    assert w.panel("bank").wait_for_maps()
    w.panel("flip")                                                      # built, never shown
    w.show_panel("filter")
    with event_loop_gaps(5) as gaps:
        w.open_image(path)
        qtbot.waitUntil(lambda: w.document.image.shape == (3000, 3000, 3) and not w.computing, timeout=120000)
        qtbot.wait(100)                              # the frames right after the output is drawn
    assert w.output.values.shape == (3000, 3000, 3) and w.image_path == path.resolve()
    assert w.panel("bank").stale                     # hidden panels only marked themselves stale
    assert len(gaps) >= 10 and max(gaps) < 0.3, f"longest event-loop gap {max(gaps) * 1000:.0f} ms"
    w.close()


def test_every_filter_control_has_a_tooltip_and_accessible_name(window):
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QCheckBox

    controls = [w for cls in (QAbstractButton, QComboBox, QAbstractSpinBox, QCheckBox, QTableView)
                for w in window.filter_splitter.findChildren(cls)
                if not isinstance(w.parent(), QTableView) and w.objectName() not in ("", "qt_spinbox_lineedit")]
    assert len(controls) >= 25
    for w in controls:
        assert w.toolTip() or (isinstance(w, QAbstractButton) and w.defaultAction() is not None
                               and w.defaultAction().toolTip()), w.objectName()
        assert w.accessibleName(), w.objectName()
