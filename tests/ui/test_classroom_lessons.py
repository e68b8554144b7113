"""Every built-in lesson in the real window: each slide applies, shows its panel and is not blank;
the navigator, its keys and bad lesson files."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QMenu

from convviz.io.lesson_state import document_at, panel_at, settings_at
from convviz.io.lessons import builtin_lessons, load_lesson
from convviz.model import ConvDocument
from convviz.ui.classroom.export import qimage_to_rgb, render_widget


def _not_blank(widget) -> bool:
    rgb = qimage_to_rgb(render_widget(widget, 0.5))
    colours = np.unique(rgb.reshape(-1, 3)[::7], axis=0)
    return rgb.std() > 5 and len(colours) > 8


def test_fonts_exist(qapp):
    assert QFontDatabase.families()


@pytest.mark.parametrize("name", builtin_lessons())
def test_every_slide_applies_and_its_panel_is_not_blank(window, qtbot, name):
    c = window.classroom
    assert c.open_lesson(name)
    lesson = c.lessons.lesson
    assert c.dock.isVisible()
    for i in range(len(lesson.slides)):
        assert c.lessons.go(i)
        QApplication.processEvents()
        expected = ConvDocument()
        expected.apply(**document_at(lesson, i))
        for key, value in expected.state().items():
            if key == "image_name":
                continue
            got = getattr(window.document, key)
            if isinstance(value, np.ndarray):
                np.testing.assert_array_equal(got, value, err_msg=f"{name} slide {i + 1} {key}")
            else:
                assert got == value, (name, i, key)
        panel = panel_at(lesson, i)
        if panel in c.host.panel_keys():
            assert c.host.current_panel() == panel, (name, i)
        widget = c.host.panel(panel)
        if widget is not None and hasattr(widget, "lesson_settings"):
            wanted = settings_at(lesson, i, panel)
            got = widget.lesson_settings()
            shared = [k for k in wanted if k in got]
            assert shared or not wanted, (name, i, "the panel ignores every setting", wanted, got)
            assert all(got[k] == wanted[k] or list(np.atleast_1d(got[k])) == list(np.atleast_1d(wanted[k]))
                       for k in shared), (name, i, wanted, got)
        assert c.navigator.counter.text() == f"{i + 1} / {len(lesson.slides)}"
        assert c.navigator.caption.text() == lesson.slides[i].caption
        assert _not_blank(c.current_panel_widget()), (name, i)


def test_navigator_buttons_and_clicker_keys(window, qtbot):
    c = window.classroom
    assert not c.actions["nextSlide"].isEnabled()          # no lesson: Page Down is the widgets' own
    c.open_lesson("stride_dilation")
    nav = c.navigator
    assert nav.counter.text() == "1 / 5" and not nav.prev_button.isEnabled()
    qtbot.mouseClick(nav.next_button, Qt.MouseButton.LeftButton)
    assert c.lessons.index == 1 and window.document.stride == (2, 2)
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    assert nav.counter.text() == "4 / 5" and window.document.dilation == (2, 2)
    qtbot.keyClick(window, Qt.Key.Key_PageUp)
    assert c.lessons.index == 2 and window.document.stride == (1, 2) and window.document.dilation == (1, 1)
    c.lessons.last()
    assert not nav.next_button.isEnabled() and not c.lessons.next()
    qtbot.mouseClick(nav.close_button, Qt.MouseButton.LeftButton)
    assert c.lessons.lesson is None and not c.dock.isVisible() and not c.actions["nextSlide"].isEnabled()


def test_jumping_back_restores_the_earlier_slide(window):
    c = window.classroom
    c.open_lesson("multiply_add")
    c.lessons.go(5)
    window.document.apply(padding="same")          # the teacher plays around
    c.lessons.go(1)
    assert window.document.padding == "valid"
    assert c.host.panel("player").lesson_settings()["step"] == 0


def test_lessons_menu_lists_every_builtin(window):
    menu = window.findChild(QMenu, "lessonsMenu")
    names = [a.objectName() for a in menu.actions() if a.objectName().startswith("lesson_")]
    assert names == [f"lesson_{n}" for n in builtin_lessons()]
    next(a for a in menu.actions() if a.objectName() == "lesson_05_correlation_vs_convolution").trigger()
    assert window.classroom.lessons.lesson.title == load_lesson("correlation_vs_convolution").title


@pytest.mark.parametrize("content,phrase", [
    ("{not json", "not valid JSON"),
    (json.dumps({"format": "convviz-lesson", "version": 1, "title": "T",
                 "slides": [{"caption": "ok"}, {"caption": "c", "document": {"stride": 0}}]}), "slide 2"),
    (json.dumps({"format": "convviz-lesson", "version": 7, "title": "T", "slides": [{"caption": "c"}]}), "newer"),
])
def test_bad_lesson_file_is_refused_and_nothing_changes(window, tmp_path, content, phrase):
    c = window.classroom
    c.open_lesson("cost_savings")
    before = window.document.state()
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert not c.open_lesson(path)
    assert phrase in window.last_error
    assert c.lessons.lesson.name == "11_cost_savings"
    after = window.document.state()
    assert all(np.array_equal(before[k], after[k]) if isinstance(before[k], np.ndarray) else before[k] == after[k]
               for k in before)


@pytest.mark.parametrize("step", ["abc", [1, 2]])
def test_slide_with_bad_panel_settings_gives_a_message_not_a_traceback(window, tmp_path, step):
    c = window.classroom
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"format": "convviz-lesson", "version": 1, "title": "T", "slides": [
        {"caption": "a", "document": {"stride": 2}, "panel": "player", "settings": {"step": 0}},
        {"caption": "b", "panel": "player", "settings": {"step": step}}]}))
    assert c.open_lesson(path)
    assert getattr(window, "last_error", "") == ""   # slide 1 is fine
    assert c.lessons.next()                  # the slide shows; only its panel settings are refused
    assert c.lessons.index == 1 and window.document.stride == (2, 2)
    assert window.last_error.startswith("Slide 2: the player panel's settings were not applied")
    assert window.classroom.host.current_panel() == "player"


def test_lesson_from_the_command_line(tmp_path, qtbot):
    import argparse

    from PySide6.QtGui import QImage

    from convviz.ui.app import run_app

    out = tmp_path / "shot.png"
    args = argparse.Namespace(image=None, kernel=None, padding=None, lesson="conv_as_matrix", screenshot=str(out))
    assert run_app(args) == 0
    assert QImage(str(out)).width() > 500
    bad = argparse.Namespace(image=None, kernel=None, padding=None, lesson=str(tmp_path / "no.json"),
                             screenshot=str(out))
    assert run_app(bad) == 2
