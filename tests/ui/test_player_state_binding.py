"""The player bound to its evented state: widgets show the state, settings and the numeric input are
undo steps, moving is not, lessons and sessions go through the state, and old photos are let go."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from convviz.model import ConvDocument
from convviz.model.numeric_input import LECTURE_IMAGE, LECTURE_KERNEL
from convviz.model.player_source import LARGE_PIXELS
from convviz.ui.player import PlayerPanel


@pytest.fixture
def doc():
    return ConvDocument(image=LECTURE_IMAGE, kernel=LECTURE_KERNEL, preset=None, padding="valid")


@pytest.fixture
def panel(qtbot, doc):
    p = PlayerPanel(doc)
    qtbot.addWidget(p)
    p.resize(1280, 760)
    p.show()
    qtbot.waitExposed(p)
    return p


def widget(panel, name):
    w = panel.findChild(QWidget, name)
    assert w is not None, name
    return w


def test_the_state_drives_the_widgets(panel):
    """A lesson or session sets the Qt-free state; the panel follows."""
    panel.state.apply(step=3, lecture_mode=True, revealed=1, similarity_map=True, loop=True, speed=12.5,
                      region_side=8, inspected=(1, 1))
    assert widget(panel, "lectureModeCheck").isChecked() and widget(panel, "loopCheck").isChecked()
    assert widget(panel, "similarityMapCheck").isChecked() and not widget(panel, "similarityMapView").isHidden()
    assert widget(panel, "speedSpin").value() == 12.5 and panel._clock.speed == 12.5
    assert widget(panel, "regionSizeSpin").value() == 8
    assert widget(panel, "stepSlider").value() == 3 and panel.revealed_products == 1
    assert panel.findChild(QLabel, "sumLabel").text() == "Sum so far = 20  (1 of 4 products)"
    assert "contributes to 4 outputs" in panel.findChild(QLabel, "inspectLabel").text()


def test_settings_are_undo_steps_and_moving_is_not(panel):
    stack = panel.editor.stack
    panel.step_forward()
    panel.set_step(5)
    widget(panel, "stepSlider").setValue(2)
    panel.inspect_input(0, 0)
    assert stack.count() == 0 and panel.step_index == 2
    widget(panel, "lectureModeCheck").setChecked(True)
    widget(panel, "similarityMapCheck").setChecked(True)
    widget(panel, "loopCheck").setChecked(True)
    widget(panel, "speedSpin").setValue(20)
    assert stack.count() == 4
    assert (panel.state.lecture_mode, panel.state.similarity_map, panel.state.loop, panel.state.speed) == \
        (True, True, True, 20.0)
    stack.undo()
    assert panel.state.speed == 4.0 and widget(panel, "speedSpin").value() == 4.0 and panel._clock.speed == 4.0
    stack.undo()
    stack.undo()
    assert not widget(panel, "loopCheck").isChecked() and widget(panel, "similarityMapView").isHidden()
    stack.undo()
    assert not panel.lecture_mode and not widget(panel, "lectureModeCheck").isChecked()
    assert panel.revealed_products == 4


def test_numeric_input_edits_are_undo_steps(panel, doc):
    table = widget(panel, "numericGridEditor")
    table.item(0, 0).setData(Qt.ItemDataRole.EditRole, "5")
    widget(panel, "numericRowsSpin").setValue(5)
    assert doc.image.shape == (5, 4) and doc.image[0, 0] == 5 and panel.editor.stack.count() == 2
    panel.editor.stack.undo()
    assert doc.image.shape == (4, 4) and table.rowCount() == 4 and widget(panel, "numericRowsSpin").value() == 4
    panel.editor.stack.undo()
    assert doc.image[0, 0] == 0 and table.item(0, 0).data(Qt.ItemDataRole.EditRole) == "0"
    table.item(0, 0).setData(Qt.ItemDataRole.EditRole, "abc")       # refused: no undo step
    assert panel.editor.stack.count() == 2 and panel.editor.stack.index() == 0


def test_lecture_example_is_one_undo_step(qtbot):
    doc = ConvDocument()
    p = PlayerPanel(doc)
    qtbot.addWidget(p)
    before = doc.state()
    qtbot.mouseClick(widget(p, "lectureExampleButton"), Qt.MouseButton.LeftButton)
    assert p.editor.stack.count() == 1 and p.step_count == 9
    p.editor.stack.undo()
    assert doc.image is before["image"] and doc.kernel is before["kernel"] and doc.padding == before["padding"]
    assert p.step_count == 14 * 14


def test_lesson_settings_round_trip_and_bad_values(panel):
    panel.apply_lesson_settings({"step": 4, "lecture_mode": True, "similarity_map": True, "no such key": 1})
    got = panel.lesson_settings()
    assert got["step"] == 4 and got["revealed"] is None and got["lecture_mode"] and got["similarity_map"]
    assert panel.revealed_products == 4 and panel.current_step.value == 70
    for bad in ({"step": "abc"}, {"step": [1, 2]}, {"speed": 1000}, {"channel": 7}, {"region": [1, 2]},
                {"step": 1, "region_side": 99}):
        with pytest.raises(ValueError):
            panel.apply_lesson_settings(bad)
        assert panel.lesson_settings() == got, bad


def test_a_step_beyond_the_image_is_shown_clamped(panel):
    panel.apply_lesson_settings({"step": 45})
    assert panel.step_index == 8 and panel.lesson_settings()["step"] == 8
    assert not panel.step_forward() and panel.step_back() and panel.step_index == 7


def test_another_image_size_forgets_the_region_and_the_step(panel, doc):
    rng = np.random.default_rng(3)
    photo = rng.integers(0, 256, size=(80, 90)).astype(float)
    doc.apply(image=photo)
    panel.set_region(20, 30, 16, 16)
    panel.set_step(12)
    panel.inspect_input(2, 2)
    doc.apply(kernel=np.eye(2))                         # same picture: region and step stay, inspection goes
    assert panel.region.crop == (20, 30, 16, 16) and panel.step_index == 12 and panel.state.inspected is None
    doc.apply(image=photo[:60])
    assert panel.state.region is None and panel.step_index == 0


def test_never_shown_panel_state_is_saved_and_restored_without_widgets(qtbot, doc):
    from convviz.model.workspace import Workspace

    workspace = Workspace(doc)
    workspace.apply_settings({"player": {"step": 6, "similarity_map": True}})
    p = PlayerPanel(workspace)                          # built later: it shows what the workspace holds
    qtbot.addWidget(p)
    assert p.step_index == 6 and widget(p, "similarityMapCheck").isChecked()
    assert workspace.settings()["player"]["step"] == 6


def test_old_photos_are_let_go(qtbot, doc):
    """Neither the panel nor its worker keeps a photo once the document has moved on."""
    p = PlayerPanel(doc)
    qtbot.addWidget(p)
    side = int(np.sqrt(LARGE_PIXELS)) + 8
    first = np.zeros((side, side))
    first[::7] = 255.0
    doc.apply(image=first, kernel=np.ones((3, 3)), preset=None, padding="same")
    qtbot.waitUntil(lambda: p.step_count > 0, timeout=20000)   # prepared in the worker
    gone = weakref.ref(first)
    del first
    doc.apply(image=np.zeros((side, side)))
    qtbot.waitUntil(lambda: p.step_count > 0, timeout=20000)
    doc.apply(image=LECTURE_IMAGE)
    assert p.step_count == 4 * 4
    gc.collect()
    assert gone() is None
