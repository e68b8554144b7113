"""Classroom features in the real window: sessions, autosave recovery, presentation keys, export, theme."""

from __future__ import annotations

import csv
import io
import json
import os

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication
from ui_support import make_window, temp_settings

from convviz.io.sessions import SESSION_VERSION
from convviz.model import ConvDocument
from convviz.model.codegen import convviz_snippet, pytorch_snippet
from convviz.ui.classroom.theme import ThemeController


@pytest.fixture
def window(qtbot, tmp_path):
    w = make_window(qtbot, tmp_path)
    w.resize(1200, 760)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def _state(doc: ConvDocument) -> dict:
    return {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in doc.state().items()}


def _same(a: dict, b: dict) -> bool:
    return all(np.array_equal(a[k], b[k]) if isinstance(a[k], np.ndarray) else a[k] == b[k] for k in a)


# ---------------------------------------------------------------- sessions
def test_session_round_trip_restores_document_panel_player_and_lesson(window, qtbot, tmp_path):
    c = window.classroom
    c.open_lesson("output_size_padding")
    c.lessons.go(3)                                       # reflect padding on the 5×5 grid, player step 0
    player = c.host.panel("player")
    player.apply_lesson_settings({"step": 7})
    before = _state(window.document)
    path = tmp_path / "class.convviz"
    assert c.save_session_to(path)
    data = json.loads(path.read_text())
    assert data["version"] == SESSION_VERSION and data["document"]["image"]["grid"][0][:2] == [10, 20]
    assert data["view"]["panel"] == "player" and data["view"]["player.step"] == 7
    assert data["lesson"]["slide"] == 4

    other = make_window(qtbot, tmp_path)
    other.show()
    assert other.classroom.open_session_from(path)
    QApplication.processEvents()
    assert _same(before, _state(other.document))
    oc = other.classroom
    assert oc.host.current_panel() == "player"
    assert oc.host.panel("player").lesson_settings()["step"] == 7
    assert oc.lessons.lesson.name == "03_output_size_padding" and oc.lessons.index == 3
    assert oc.dock.isVisible() and oc.navigator.counter.text() == "4 / 7"
    other.close()


def test_session_with_an_image_file_refers_to_the_file(window, qtbot, tmp_path):
    pixels = (np.arange(90 * 120) % 251).astype(np.uint8).reshape(90, 120)
    Image.fromarray(pixels).save(tmp_path / "photo.png")
    assert window.load_image(tmp_path / "photo.png")
    path = tmp_path / "s.convviz"
    assert window.classroom.save_session_to(path)
    assert json.loads(path.read_text())["document"]["image"] == {"path": str((tmp_path / "photo.png").resolve())}
    window.document.apply(image=np.zeros((10, 10)))
    assert window.classroom.open_session_from(path)
    np.testing.assert_array_equal(window.document.image, pixels.astype(float))
    # the bundled sample is stored by name
    window.samples_menu.actions()[0].trigger()
    qtbot.waitUntil(lambda: not getattr(window, "loading", False) and window.document.image_name == "shapes.png")
    assert window.classroom.save_session_to(path)
    assert json.loads(path.read_text())["document"]["image"] == {"sample": "shapes.png"}
    # a file opened the way File ▸ Open does it (decoded in a worker) is remembered too
    if hasattr(window, "open_image"):
        window.open_image(tmp_path / "photo.png")
        qtbot.waitUntil(lambda: not window.loading and window.document.image_name == "photo.png")
        assert window.classroom.save_session_to(path)
        assert json.loads(path.read_text())["document"]["image"] == {"path": str((tmp_path / "photo.png").resolve())}


@pytest.mark.parametrize("content,phrase", [
    ("{broken", "not valid JSON"),
    ('{"format": "convviz-session", "version": 99, "document": {}}', "newer convviz"),
    ('{"format": "convviz-session", "version": 1, "document": {"image": {"grid": [[1, 2]]}, "kernel": [[1, 1, 1]], '
     '"padding": "valid"}}', "larger than the padded input"),
    ('{"format": "something-else"}', "not a convviz session"),
])
def test_bad_session_files_are_refused_and_nothing_changes(window, tmp_path, content, phrase):
    c = window.classroom
    c.open_lesson("multiply_add")
    before = _state(window.document)
    path = tmp_path / "bad.convviz"
    path.write_text(content)
    assert not c.open_session_from(path)
    assert phrase in window.last_error
    assert _same(before, _state(window.document))
    assert c.lessons.lesson is not None and c.lessons.index == 0


def test_failed_save_keeps_the_old_session(window, tmp_path):
    path = tmp_path / "keep.convviz"
    assert window.classroom.save_session_to(path)
    old = path.read_bytes()
    window.document.apply(image=np.zeros((300, 300)))     # too large to store inline, and no file
    assert not window.classroom.save_session_to(path)
    assert "image file" in window.last_error
    assert path.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".convviz" or p.name.endswith(".tmp")) == \
        ["keep.convviz"]


# ---------------------------------------------------------------- autosave
# (crash recovery, the recovery prompt and failures: tests/ui/test_autosave_window.py, test_crash_recovery.py)
def test_autosave_goes_to_the_tests_own_data_folder(window, tmp_path_factory):
    """Tests isolate user data with CONVVIZ_DATA_DIR (tests/conftest.py), not with checks inside the app."""
    data_dir = os.environ["CONVVIZ_DATA_DIR"]
    assert data_dir.startswith(str(tmp_path_factory.getbasetemp()))
    assert window.classroom.autosave is not None


def test_a_window_made_without_autosave_never_autosaves(qtbot, tmp_path):
    """``--screenshot`` makes its window this way: nothing is written to the data folder."""
    from pathlib import Path

    w = make_window(qtbot, tmp_path, autosave=False)
    assert w.classroom.autosave is None
    w.close()
    data_dir = Path(os.environ["CONVVIZ_DATA_DIR"])
    assert not data_dir.exists() or not any(data_dir.iterdir())


# ---------------------------------------------------------------- presentation mode
def test_presentation_mode_keys(window, qtbot):
    c = window.classroom
    p = c.presentation
    c.open_lesson("multiply_add")
    base = QApplication.font().pointSizeF()
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert p.active and window.isFullScreen() and c.actions["presentation"].isChecked()
    assert QApplication.font().pointSizeF() == pytest.approx(base * p.scale)
    assert QApplication.palette().color(QPalette.ColorRole.Window).name() == "#000000"
    assert not window.menuBar().isVisible() and c.dock.isVisible()
    # clicker: Page Down / Page Up, then B (or .) blanks and any key brings the picture back
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    qtbot.keyClick(window, Qt.Key.Key_PageUp)
    assert c.lessons.index == 1
    qtbot.keyClick(window, Qt.Key.Key_B)
    assert p.overlay.isVisible()
    qtbot.keyClick(p.overlay, Qt.Key.Key_PageDown)
    assert not p.overlay.isVisible() and c.lessons.index == 1   # the key only lifted the blank
    qtbot.keyClick(window, Qt.Key.Key_Period)
    assert p.overlay.isVisible()
    qtbot.mouseClick(p.overlay, Qt.MouseButton.LeftButton)
    assert not p.overlay.isVisible()
    p.set_scale(3.0)
    assert QApplication.font().pointSizeF() == pytest.approx(base * 3.0)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not p.active and not window.isFullScreen() and window.menuBar().isVisible()
    assert QApplication.font().pointSizeF() == pytest.approx(base)
    assert QApplication.palette().color(QPalette.ColorRole.Window).name() != "#000000"
    with pytest.raises(ValueError):
        p.set_scale(5)


def test_presentation_hides_editing_chrome(window, qtbot):
    from PySide6.QtWidgets import QToolBar

    from convviz.ui.widgets.chrome import mark_editing_chrome

    bar = QToolBar("Tools", window)
    window.addToolBar(bar)
    keep = QToolBar("Keep", window)
    mark_editing_chrome(keep, False)
    window.addToolBar(keep)
    mark_editing_chrome(window.statusBar())
    for widget in (bar, keep, window.statusBar()):
        widget.show()
    assert bar.isVisible() and keep.isVisible()
    window.classroom.presentation.enter()
    assert not bar.isVisible() and keep.isVisible() and not window.statusBar().isVisible()
    window.classroom.presentation.leave()
    assert bar.isVisible() and window.statusBar().isVisible()


def test_presentation_screenshot(window, qtbot):
    c = window.classroom
    c.open_lesson("dot_product_similarity")
    c.lessons.go(4)
    c.presentation.enter()
    QApplication.processEvents()
    window.grab().save("/tmp/convviz-presentation.png")
    assert c.navigator.caption.font().pointSizeF() > 1.4 * c.presentation._font.pointSizeF()
    c.presentation.leave()


# ---------------------------------------------------------------- export
def test_gif_has_one_frame_per_player_step(window, qtbot, tmp_path):
    c = window.classroom
    c.open_lesson("multiply_add")
    player = c.host.panel("player")
    player.apply_lesson_settings({"step": 4})
    path = tmp_path / "steps.gif"
    assert c.export_animation_to(path, "gif", frame_ms=100)
    with Image.open(path) as gif:
        assert gif.n_frames == player.step_count == 9
    assert player.lesson_settings()["step"] == 4           # the player is left where it was
    seq = tmp_path / "frames"
    assert c.export_animation_to(seq, "png")
    assert sorted(p.name for p in seq.iterdir()) == [f"step_{i:04d}.png" for i in range(1, 10)]


def test_gif_export_can_be_cancelled(window, tmp_path):
    c = window.classroom
    c.open_lesson("stride_dilation")
    path = tmp_path / "steps.gif"
    from convviz.ui.classroom import export

    original = export.AnimationExporter.export

    def export_and_cancel(self, *args, **kwargs):
        self.frame_rendered.connect(lambda done: done == 3 and self.dialog.cancel())
        return original(self, *args, **kwargs)

    export.AnimationExporter.export = export_and_cancel
    try:
        assert not c.export_animation_to(path, "gif")
    finally:
        export.AnimationExporter.export = original
    assert not path.exists() and list(tmp_path.iterdir()) == []


def test_too_many_steps_are_refused(window, tmp_path):
    window.document.apply(image=np.zeros((64, 64)), kernel=np.ones((3, 3)), padding="same")
    c = window.classroom
    c.host.panel("player").set_region(0, 0, 64, 64)
    assert not c.export_animation_to(tmp_path / "x.gif")
    assert "at most 600" in window.last_error


def test_panel_png_at_a_chosen_scale(window, tmp_path):
    c = window.classroom
    c.host.show_panel("player")
    widget = c.current_panel_widget()
    assert c.export_panel_to(tmp_path / "p.png", 2.0)
    with Image.open(tmp_path / "p.png") as im:
        assert im.size == (widget.width() * 2, widget.height() * 2)
        assert np.asarray(im).std() > 10


def test_step_csv_holds_the_players_numbers(window, tmp_path):
    c = window.classroom
    c.open_lesson("multiply_add")
    c.lessons.go(4)                                       # the third position: step 3 of 9
    assert c.export_csv_to(tmp_path / "s.csv")
    rows = list(csv.reader(io.StringIO((tmp_path / "s.csv").read_text())))
    step = c.host.panel("player").current_step
    taps = rows[1:5]
    assert [float(r[8]) for r in taps] == step.products.ravel().tolist()
    summary = {r[0]: r[1] for r in rows[6:] if r}
    assert float(summary["sum_of_products"]) == step.value == 50
    assert summary["arithmetic"] == "(10×1) + (0×0) + (30×0) + (20×2) = 50"
    assert summary["step"] == "3 of 9"


def test_copy_as_code_dialog(window, qtbot):
    c = window.classroom
    c.open_lesson("correlation_vs_convolution")
    c.lessons.go(1)
    dialog = c.code_dialog()
    qtbot.addWidget(dialog)
    state = window.document.state()
    assert dialog.editors["convviz"].toPlainText() == convviz_snippet(state, c.host.image_source())
    assert dialog.editors["pytorch"].toPlainText() == pytorch_snippet(state, c.host.image_source())
    qtbot.mouseClick(dialog.findChild(type(dialog.findChildren(object)[0]).__mro__[0], "copyPytorchButton")
                     or dialog.findChild(object, "copyPytorchButton"), Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == dialog.editors["pytorch"].toPlainText()
    namespace: dict = {}
    exec(dialog.editors["convviz"].toPlainText(), namespace)  # noqa: S102
    np.testing.assert_array_equal(namespace["output"], window.document.compute())


def test_actions_have_tooltips_and_shortcuts_do_not_clash(window):
    from PySide6.QtGui import QAction

    c = window.classroom
    for key, action in c.actions.items():
        assert action.toolTip(), key
    shortcuts = [s.toString() for a in window.findChildren(QAction) for s in a.shortcuts()]
    mine = [s.toString() for a in c.actions.values() for s in a.shortcuts()]
    assert mine and all(shortcuts.count(s) == 1 for s in mine), [s for s in mine if shortcuts.count(s) > 1]
    for key, keys in (("presentation", "F11"), ("nextSlide", "PgDown"), ("previousSlide", "PgUp"),
                      ("blank", "B"), ("openSession", "Ctrl+Shift+O"), ("saveSession", "Ctrl+Shift+S")):
        assert keys in [s.toString() for s in c.actions[key].shortcuts()], key


# ---------------------------------------------------------------- theme
def test_theme_override_is_remembered_and_applied(qapp, tmp_path):
    settings = temp_settings(tmp_path)
    theme = ThemeController(settings)
    theme.set_choice("dark")
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert ThemeController(QSettings(settings.fileName(), QSettings.Format.IniFormat)).choice == "dark"
    theme.set_choice("light")
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() > 180
    theme.set_choice("system")
    expected = "dark" if qapp.styleHints().colorScheme() == Qt.ColorScheme.Dark else "light"
    assert theme.palette_kind() == expected
    with pytest.raises(ValueError):
        theme.set_choice("purple")


def test_theme_menu(window):
    c = window.classroom
    c.theme_actions["dark"].trigger()
    assert c.theme.choice == "dark" and window.settings.value("classroom/theme") == "dark"
    QApplication.processEvents()
    assert window.palette().color(QPalette.ColorRole.Window).lightness() < 80
    c.theme_actions["system"].trigger()
    assert c.theme.choice == "system"


def test_sample_image_source_is_decoded_once_per_image(monkeypatch):
    """Autosave asks where the image came from every 30 s; a sample is decoded to check it only once."""
    from types import SimpleNamespace

    import numpy as np

    from convviz.io import load_image
    from convviz.io.samples import sample_path
    from convviz.ui.classroom import host as host_module

    pixels = load_image(sample_path("checkerboard.png"))
    doc = SimpleNamespace(image=pixels, image_name="checkerboard.png")
    fake = SimpleNamespace(window=SimpleNamespace(image_path=None), document=doc, _image_source=None,
                           _image=None, _sample_checked=None)
    calls = []
    real = host_module.sample_source
    monkeypatch.setattr(host_module, "sample_source", lambda d: calls.append(1) or real(d))
    for _ in range(3):
        assert host_module.WindowHost.image_source(fake) == {"sample": "checkerboard.png"}
    assert len(calls) == 1
    doc.image = np.zeros_like(pixels)  # a different image under the same name is not the sample
    assert host_module.WindowHost.image_source(fake) is None
    assert len(calls) == 2
