"""LearningState (the Learned filters tab's evented state): checks, the JSON form that lessons and
sessions use, and "a new setup starts from the random kernel". No Qt."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from convviz.io.lessons import load_lesson
from convviz.model.states import PANEL_STATES
from convviz.model.states.learning import LearningState
from convviz.model.training_run import FILE_TARGET
from convviz.model.workspace import Workspace

LESSONS = Path(__file__).resolve().parents[2] / "resources" / "lessons"


def test_registered_and_defaults():
    assert PANEL_STATES["learning"] is LearningState
    assert Workspace().states["learning"].settings() == {
        "target": "sobel_x", "kernel_size": 3, "padding": "valid", "scale": "0-255", "rate": "auto", "seed": 0,
        "speed": 100.0, "iterations": 0, "phase": 1}


def test_json_round_trip_and_old_names():
    s = LearningState()
    s.apply(**s.changes_from({"target": "sobel_y", "kernel_size": 5, "rate": 2e-6, "seed": 7, "scale": "unit",
                              "iterations": 12, "phase": 3, "speed": "max", "no such key": 1}))
    got = s.settings()
    assert got == {"target": "sobel_y", "kernel_size": 5, "padding": "valid", "scale": "0-1", "seed": 7,
                   "rate": 2e-6, "speed": "max", "iterations": 12, "phase": 3}
    other = LearningState()
    other.apply(**other.changes_from(json.loads(json.dumps(got))))
    assert other.settings() == got


@pytest.mark.parametrize("bad", [{"target": "nope"}, {"kernel_size": 4}, {"kernel_size": True}, {"rate": -1},
                                 {"rate": "fast"}, {"rate": float("nan")}, {"seed": -3}, {"seed": 1.5},
                                 {"phase": 6}, {"phase": 0}, {"iterations": 10 ** 9}, {"iterations": 2.5},
                                 {"padding": "full"}, {"scale": "0-100"}, {"speed": 3}, {"target": FILE_TARGET}])
def test_bad_values_are_refused_and_change_nothing(bad):
    s = LearningState()
    before = s.settings()
    with pytest.raises(ValueError):
        s.apply(**s.changes_from(bad))
    assert s.settings() == before


def test_a_new_setup_starts_again_unless_a_position_is_given():
    s = LearningState()
    s.apply(iterations=40, phase=5)
    assert s.checked(kernel_size=5) == {"kernel_size": 5, "iterations": 0, "phase": 1}
    assert s.checked(kernel_size=3) == {"kernel_size": 3}               # not a change
    assert s.checked(seed=2, iterations=7) == {"seed": 2, "iterations": 7}
    assert s.checked(rate=1e-6) == {"rate": 1e-6}                       # the rate continues from here
    s.apply(seed=9)
    assert (s.iterations, s.phase) == (0, 1)


def test_a_target_image_is_state_but_not_saved():
    s = LearningState()
    with pytest.raises(ValueError, match="No target image"):
        s.apply(target=FILE_TARGET)
    image = np.arange(12.0).reshape(3, 4)
    s.apply(target=FILE_TARGET, target_image=image, target_name="edges.png")
    assert not s.target_image.flags.writeable and s.target_image is not image
    assert s.checked(target_image=s.target_image)["target_image"] is s.target_image   # undo keeps the same array
    assert "target" not in s.settings() and "target_image" not in s.settings()
    with pytest.raises(ValueError):
        s.apply(target_image=np.zeros((2, 2, 3)))
    with pytest.raises(ValueError):
        s.apply(target_image=np.array([[np.nan]]))


def test_events_fire_once_per_changed_field():
    s = LearningState()
    seen = []
    s.events.kernel_size.connect(lambda *a: seen.append("kernel_size"))
    s.events.iterations.connect(lambda *a: seen.append("iterations"))
    s.apply(iterations=4)
    s.apply(kernel_size=7)
    assert seen == ["iterations", "kernel_size", "iterations"]


def test_every_learning_slide_of_the_built_in_lessons_is_accepted():
    found = 0
    for path in sorted(LESSONS.glob("*.json")):
        lesson = load_lesson(path)
        state = LearningState()
        for slide in lesson.slides:
            if slide.panel == "learning":
                found += 1
                state.apply(**state.changes_from(slide.settings))
    assert found >= 5
