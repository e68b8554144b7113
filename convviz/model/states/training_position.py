"""What the states of the two tabs that train in the lecture's five phases share (Learned filters,
Learn from labels): the seed, the run's pace, where the training is (``iterations``, ``phase``) and the
rule that a new setup starts again from the random start."""

from __future__ import annotations

from typing import Any, ClassVar

from ..panel_state import PanelState, numeric_choice, same_value, whole_number

#: the largest seed of the random start
SEED_MAX = 999_999
#: the fields that say where the training is
POSITION_FIELDS = ("iterations", "phase")


class TrainingPosition(PanelState):
    """Mixin for an ``@evented @dataclass`` with the fields ``seed``, ``speed``, ``iterations`` and ``phase``
    (1 random start … ``phase_count``). The class sets ``setup_fields`` (changing one of them without saying
    where to be goes back to ``iterations`` 0, ``phase`` 1), ``speeds`` (the paces: steps a second or
    ``"max"``) and ``max_iterations``."""

    setup_fields: ClassVar[tuple[str, ...]] = ()
    speeds: ClassVar[tuple[float | str, ...]] = ()
    max_iterations: ClassVar[int] = 0
    phase_count: ClassVar[int] = 5

    def checked(self, **changes: Any) -> dict[str, Any]:
        setup_changes = any(name in changes and not same_value(changes[name], getattr(self, name))
                            for name in self.setup_fields)
        if setup_changes and not any(name in changes for name in POSITION_FIELDS):
            changes = {**changes, "iterations": 0, "phase": 1}
        return super().checked(**changes)

    def _check_seed(self, value: Any) -> int:
        return whole_number(value, "seed", 0, SEED_MAX)

    def _check_speed(self, value: Any) -> Any:
        return numeric_choice(value, self.speeds, "speed")

    def _check_iterations(self, value: Any) -> int:
        return whole_number(value, "number of iterations", 0, self.max_iterations)

    def _check_phase(self, value: Any) -> int:
        return whole_number(value, "phase", 1, self.phase_count)
