"""Every slide of every built-in lesson shown in the window at 1280×800 (issue #12): the window and the
slide's tab are not blank, and every claim of the caption that a checker understands (lesson_claims.py,
lesson_tab_claims.py) is true of what the slide shows. Also: switching lessons from a late slide.

Set ``CONVVIZ_LESSON_SLIDES`` to a folder to keep a PNG of every slide there, to look at them.
"""

from __future__ import annotations

import os
from pathlib import Path

import lesson_tab_claims  # noqa: F401  (registers the tabs' checkers)
import numpy as np
import pytest
from lesson_claims import CHECKS, Shown, check_caption
from PySide6.QtWidgets import QApplication
from ui_support import wait_output

from convviz.io.lesson_state import panel_at
from convviz.io.lessons import builtin_lessons
from convviz.ui.classroom.export import qimage_to_rgb

SLIDES_DIR = os.environ.get("CONVVIZ_LESSON_SLIDES")
#: the twelve lessons of issue #12: every slide of these claims something a checker can check
ISSUE_LESSONS = [name for name in builtin_lessons() if int(name[:2]) <= 12]


def _blank(rgb: np.ndarray) -> bool:
    return rgb.std() < 5 or len(np.unique(rgb.reshape(-1, 3)[::7], axis=0)) <= 8


def _learning_shown(panel) -> bool:
    p, state = panel.driver.progress, panel.state
    return (p is not None and not panel.driver.runner.pending
            and (p.trainer.iteration, p.trainer.phase_number) == (state.iterations, state.phase))


def show_slide(window, qtbot, index: int) -> Shown:
    """Show slide ``index`` of the open lesson and wait until its tab has drawn it."""
    c = window.classroom
    assert c.lessons.go(index), getattr(window, "last_error", "")
    QApplication.processEvents()
    wait_output(qtbot, window)
    key = panel_at(c.lessons.lesson, index)
    panel = c.host.panel(key)
    if hasattr(panel, "wait_for_maps"):
        assert panel.wait_for_maps()
    if key == "learning":   # long replays run in the worker: wait until the tab draws the slide's iteration
        qtbot.waitUntil(lambda: _learning_shown(panel), timeout=30_000)
    QApplication.processEvents()
    assert not getattr(panel, "stale", False), f"the {key} tab has not drawn the slide"
    return Shown(window, key, panel, c.lessons.lesson.slides[index].caption)


@pytest.mark.parametrize("name", builtin_lessons())
def test_every_slide_shows_what_its_caption_says(window, qtbot, name):
    c = window.classroom
    assert c.open_lesson(name)
    lesson = c.lessons.lesson
    failures = []
    for i, slide in enumerate(lesson.slides):
        shown = show_slide(window, qtbot, i)
        where = f"{name} slide {i + 1} ({slide.title})"
        assert c.host.current_panel() == shown.key, where
        assert c.navigator.caption.text() == slide.caption, where
        picture = window.grab()
        assert (picture.width(), picture.height()) == (1280, 800), where
        rgb = qimage_to_rgb(picture.toImage())
        assert not _blank(rgb), f"{where}: the window is blank"
        assert not _blank(qimage_to_rgb(shown.panel.grab().toImage())), f"{where}: the tab is blank"
        claims, wrong = check_caption(shown)
        if SLIDES_DIR:
            folder = Path(SLIDES_DIR)
            folder.mkdir(parents=True, exist_ok=True)
            picture.save(str(folder / f"{name[:2]}-{i + 1}.png"))
            (folder / f"{name[:2]}-{i + 1}.txt").write_text("\n".join([slide.caption, "", *claims]), "utf-8")
        failures += [f"{where}: {text}" for text in wrong]
        if name in ISSUE_LESSONS:
            assert claims, f"{where}: no claim of the caption was checked"
    assert not failures, "\n".join(failures)


def test_the_checkers_refuse_a_caption_the_screen_contradicts(window, qtbot):
    """The same slide, with captions that say something else: every checker that matches objects."""
    assert window.classroom.open_lesson("multiply_add")
    shown = show_slide(window, qtbot, 2)      # step 0 whole: (0×1) + (10×0) + (20×0) + (30×2) = 60
    assert check_caption(shown) != ([], []) and not check_caption(shown)[1]
    for wrong in ["(0×1) + (10×0) + (20×0) + (30×2) = 61", "(10×1) + (10×0) + (30×0) + (30×2) = 70",
                  "The first output number is 70.", "a 4×4 input and a 2×2 kernel give a 4×4 output",
                  "the kernel [[1, 0], [0, 3]]", "With same padding", "Reflect mirrors", "no product is revealed",
                  "2 of the 4 products", "With stride 2", "the Sobel x kernel", "4 − 2 + 1 = 2", "3 × 4 = 11",
                  "the hatched cells", "output grid is still empty"]:
        claims, failures = check_caption(Shown(shown.window, shown.key, shown.panel, wrong))
        assert claims and failures, wrong
    window.document.apply(padding="same")
    shown = show_slide(window, qtbot, 0)      # the slide sets valid padding and no product revealed again
    assert not check_caption(shown)[1]
    window.classroom.host.panel("player").set_lecture_mode(False)
    assert check_caption(shown)[1]
    assert len(CHECKS) > 60


def test_opening_a_shorter_lesson_from_a_late_slide(window, qtbot):
    """Slide 6 of lesson 3, then lesson 11 (4 slides): the navigator shows 1 / 4, no IndexError."""
    c = window.classroom
    assert c.open_lesson("output_size_padding", slide=5)
    assert c.lessons.index == 5
    assert c.open_lesson("cost_savings")
    assert (c.lessons.index, c.navigator.counter.text()) == (0, "1 / 4")
    assert c.navigator.caption.text() == c.lessons.lesson.slides[0].caption
    assert c.open_lesson("output_size_padding", slide=6) and c.lessons.go(6)
    assert c.open_lesson("stride_dilation", slide=99)
    assert c.navigator.counter.text() == "5 / 5"
