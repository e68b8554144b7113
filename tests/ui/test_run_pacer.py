"""RunPacer: the steps owed at a speed, the quarter-second catch-up limit, "max" owes nothing."""

from __future__ import annotations

import pytest

from convviz.ui.widgets import run_pacer
from convviz.ui.widgets.run_pacer import RunPacer


@pytest.fixture
def clock(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(run_pacer.time, "perf_counter", lambda: now[0])
    return now


def test_owed_steps_follow_the_speed(qtbot, clock):
    frames = []
    pacer = RunPacer(lambda: 20.0, lambda: frames.append(pacer.owed()))
    pacer.start()
    assert pacer.active
    clock[0] += 0.01                     # 0.2 of a step: nothing owed yet
    pacer.frame()
    clock[0] += 0.1                      # 2.2 steps: two owed, 0.2 kept
    pacer.frame()
    clock[0] += 0.04                     # 0.2 + 0.8 = one step
    pacer.frame()
    assert frames == [0, 2, 1]
    pacer.stop()
    assert not pacer.active


def test_catch_up_is_at_most_a_quarter_second_and_first_chunks_take_one(qtbot, clock):
    pacer = RunPacer(lambda: 40.0, lambda: None)
    pacer.start()
    assert pacer.owed(at_least=1) == 1 and pacer.owed() == 0
    clock[0] += 5.0                      # a stalled machine: 200 steps late, but only 10 are owed
    pacer.frame()
    assert pacer.owed() == 10
    slow = RunPacer(lambda: 0.5, lambda: None)
    slow.start()
    clock[0] += 10.0
    slow.frame()
    assert slow.owed() == 1              # slow speeds still owe a whole step


def test_as_fast_as_possible_owes_nothing(qtbot, clock):
    calls = []
    pacer = RunPacer(lambda: "max", lambda: calls.append(1))
    pacer.start()
    clock[0] += 1.0
    pacer.frame()
    assert calls == [1] and pacer.owed() == 0
