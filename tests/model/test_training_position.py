"""The rules the two training tabs' states share (model/states/training_position.py), on both states: a new
setup goes back to the random start unless a position is given; seed, speed, iterations and phase refused
outside their ranges with a sentence, nothing changed."""

import pytest

from convviz.model.states.cnn import CNNState
from convviz.model.states.learning import LearningState
from convviz.model.states.training_position import SEED_MAX

STATES = [(LearningState, "kernel_size", 5), (CNNState, "filters", 4)]


@pytest.mark.parametrize("state_class, setup_field, new_value", STATES)
def test_a_new_setup_starts_again_unless_a_position_is_given(state_class, setup_field, new_value):
    state = state_class()
    state.apply(iterations=3, phase=5)
    state.apply(speed="max")                                    # the pace is not the setup
    assert (state.iterations, state.phase) == (3, 5)
    state.apply(**{setup_field: getattr(state, setup_field)})   # the same value: no new setup
    assert (state.iterations, state.phase) == (3, 5)
    state.apply(**{setup_field: new_value})
    assert (state.iterations, state.phase) == (0, 1)
    state.apply(seed=7, iterations=2, phase=3)                  # a setup change with a position: kept
    assert (state.seed, state.iterations, state.phase) == (7, 2, 3)


@pytest.mark.parametrize("state_class", [LearningState, CNNState])
@pytest.mark.parametrize("change", [dict(seed=-1), dict(seed=SEED_MAX + 1), dict(speed=3.5), dict(speed="fast"),
                                    dict(iterations=-1), dict(iterations=10 ** 9), dict(phase=0), dict(phase=6)])
def test_seed_speed_and_position_out_of_range_are_refused(state_class, change):
    state = state_class()
    before = state.values()
    with pytest.raises(ValueError, match=next(iter(change)).replace("iterations", "iteration")):
        state.apply(**change)
    assert state.values() == before


@pytest.mark.parametrize("state_class", [LearningState, CNNState])
def test_every_speed_and_the_largest_seed_are_taken(state_class):
    state = state_class()
    for speed in state_class.speeds:
        state.apply(speed=speed)
        assert state.speed == speed
    state.apply(seed=SEED_MAX)
    assert state.seed == SEED_MAX
