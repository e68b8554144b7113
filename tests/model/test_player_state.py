"""The step-through player's state (no Qt): checks, JSON form, how the position moves, what a
document change resets, and sessions through the workspace."""

from __future__ import annotations

import pytest

from convviz.model.player_region import DEFAULT_CROP_SIDE
from convviz.model.states import PANEL_STATES
from convviz.model.states.player import MAX_SPEED, MIN_SPEED, PlayerState
from convviz.model.workspace import Workspace

DEFAULTS = {"step": 0, "revealed": None, "lecture_mode": False, "speed": 4.0, "loop": False, "channel": None,
            "region": None, "region_side": DEFAULT_CROP_SIDE, "similarity_map": False, "inspected": None}


def test_registered_and_defaults():
    assert PANEL_STATES["player"] is PlayerState
    assert PlayerState().settings() == DEFAULTS
    assert Workspace().settings()["player"] == DEFAULTS


def test_json_round_trip_and_old_lesson_keys():
    s = PlayerState()
    s.apply(**s.changes_from({"step": 7, "lecture_mode": True, "similarity_map": True, "region": [3, 4, 16, 16],
                              "speed": 12.5, "loop": True, "channel": 2, "region_side": 8, "inspected": [1, 2],
                              "revealed": 2, "unknown key": "ignored"}))
    assert (s.step, s.revealed, s.region, s.inspected, s.channel) == (7, 2, (3, 4, 16, 16), (1, 2), 2)
    saved = s.settings()
    assert saved["region"] == [3, 4, 16, 16] and saved["inspected"] == [1, 2]
    other = PlayerState()
    other.apply(**other.changes_from(saved))
    assert other.settings() == saved


def test_a_slide_that_names_only_the_step_shows_it_whole():
    """Lesson files say {"step": 3} (and perhaps lecture_mode): the step is shown with its sum."""
    s = PlayerState(lecture_mode=True, revealed=1)
    assert s.changes_from({"step": 3}) == {"step": 3, "revealed": None}
    assert s.changes_from({"step": 0, "lecture_mode": True}) == {"step": 0, "lecture_mode": True, "revealed": None}
    assert s.changes_from({"step": 3, "revealed": 2}) == {"step": 3, "revealed": 2}
    assert s.changes_from({"similarity_map": True}) == {"similarity_map": True}


@pytest.mark.parametrize("bad", [
    {"step": "abc"}, {"step": [1, 2]}, {"step": -1}, {"step": 2.5}, {"step": True},
    {"revealed": -1}, {"speed": MIN_SPEED / 2}, {"speed": MAX_SPEED + 1}, {"speed": "fast"},
    {"channel": 3}, {"channel": "red"}, {"region": [1, 2, 3]}, {"region": [0, 0, 0, 4]}, {"region": "all"},
    {"region_side": 3}, {"region_side": 33}, {"inspected": [1]}, {"inspected": [-1, 0]},
])
def test_bad_values_are_refused_and_nothing_changes(bad):
    s = PlayerState()
    with pytest.raises(ValueError):
        s.apply(**s.changes_from({"step": 5, **bad}))
    assert s.settings() == DEFAULTS


def test_booleans_are_read_as_such_and_tuples_normalised():
    s = PlayerState()
    s.apply(**s.changes_from({"lecture_mode": 1, "loop": 0, "region": [1.0, 2, 3, 4], "speed": 60}))
    assert s.lecture_mode is True and s.loop is False and s.region == (1, 2, 3, 4) and s.speed == 60.0


def walk(state: PlayerState, count: int, taps: int, move: str) -> list[tuple[int, int]]:
    """Positions visited by pressing ``move`` until it refuses."""
    seen = [state.position(count, taps)]
    while (changes := getattr(state, move)(count, taps)) is not None:
        state.apply(**changes)
        seen.append(state.position(count, taps))
    return seen


def test_whole_steps_forward_and_back():
    s = PlayerState()
    assert walk(s, 4, 9, "forward") == [(0, 9), (1, 9), (2, 9), (3, 9)]
    assert s.at_end(4, 9)
    assert walk(s, 4, 9, "back") == [(3, 9), (2, 9), (1, 9), (0, 9)]
    assert s.forward(0, 9) is None and s.back(0, 9) is None


def test_lecture_mode_reveals_one_product_at_a_time():
    s = PlayerState()
    s.apply(**s.lecture_changes(True))
    assert (s.lecture_mode, s.revealed) == (True, 0)
    visited = walk(s, 2, 3, "forward")
    assert visited == [(0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (1, 1), (1, 2), (1, 3)]
    assert s.revealed is None and s.at_end(2, 3)       # the last sum is shown: playing stops or loops here
    back = walk(s, 2, 3, "back")
    # back from a whole step hides its last product; back from nothing revealed shows the previous step whole
    assert back == [(1, 3), (1, 2), (1, 1), (1, 0), (0, 3), (0, 2), (0, 1), (0, 0)]
    s.apply(**s.lecture_changes(False))
    assert s.position(2, 3) == (0, 3) and s.revealed is None


def test_go_to_first_last_and_clamping():
    s = PlayerState()
    assert s.go_to(50, 9, 4) == {"step": 8, "revealed": None}
    assert s.go_to(-3, 9, 4) == {"step": 0, "revealed": None}
    assert s.go_to(2, 9, 4, revealed=1) == {"step": 2, "revealed": None}      # not in lecture mode: whole
    s.apply(lecture_mode=True)
    assert s.go_to(2, 9, 4, revealed=1) == {"step": 2, "revealed": 1}
    assert s.go_to(2, 9, 4, revealed=9) == {"step": 2, "revealed": None}
    assert s.first(9, 4) == {"step": 0, "revealed": 0} and s.last(9, 4) == {"step": 8, "revealed": None}
    s.apply(step=45, revealed=None)                 # a slide for a larger image: shown clamped
    assert s.position(9, 4) == (8, 4) and s.at_end(9, 4)


def test_document_change_resets_the_inspection_and_a_new_size_the_region():
    s = PlayerState(step=5, region=(1, 2, 8, 8), inspected=(3, 3), lecture_mode=True, revealed=2)
    assert s.after_document_change((60, 60), (60, 60)) == {"inspected": None, "revealed": 0}
    assert s.after_document_change((60, 60), (4, 4)) == {"inspected": None, "revealed": 0, "region": None,
                                                           "step": 0}
    assert PlayerState().after_document_change((4, 4), (4, 4)) == {"inspected": None, "revealed": None}


def test_workspace_sessions_hold_the_player_without_qt():
    w = Workspace()
    w.apply_settings({"player": {"step": 3, "lecture_mode": True, "region": [0, 0, 8, 8]}, "nobody": {}})
    p = w.states["player"]
    assert (p.step, p.lecture_mode, p.region, p.revealed) == (3, True, (0, 0, 8, 8), None)
    with pytest.raises(ValueError):
        w.apply_settings({"player": {"step": 1}, "flip": {"example": "nope"}})
    assert p.step == 3                              # every panel is checked before any changes
