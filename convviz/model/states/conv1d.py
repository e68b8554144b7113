"""State of the "1-D" tab: a 1-D signal ``a`` and kernel ``w``, the padding, the flip and the shown step.

The step position (``step``) moves directly (stepping is not an undoable edit, as in the player);
every other field is a setting changed through the undo stack.
"""

from __future__ import annotations

from dataclasses import dataclass

from psygnal import evented

from ..flipping import EXAMPLE_1D_A, EXAMPLE_1D_W
from ..panel_state import PanelState, choice, real_number, whole_number

PADDINGS_1D = ("valid", "same", "full")
MAX_SIGNAL = 16
MAX_KERNEL_1D = 7
MAX_VALUE = 1e6
_BIG = 2 ** 31 - 1
#: the lecture's 1-D example (as on the Correlation vs convolution tab): a = [1, 2, 3, 4], w = [1, 2]
LECTURE_SIGNAL = tuple(float(v) for v in EXAMPLE_1D_A.ravel())
LECTURE_KERNEL = tuple(float(v) for v in EXAMPLE_1D_W.ravel())


def _numbers(value, what: str, longest: int) -> tuple[float, ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise ValueError(f"The {what} must be a list of numbers, not {value!r}.")
    if not 1 <= len(value) <= longest:
        raise ValueError(f"The {what} must have 1 to {longest} numbers, not {len(value)}.")
    return tuple(real_number(v, f"{what}'s numbers", -MAX_VALUE, MAX_VALUE) for v in value)


@evented
@dataclass
class Conv1dState(PanelState):
    """``signal``: the input ``a`` (1–:data:`MAX_SIGNAL` numbers); ``kernel``: ``w`` (1–:data:`MAX_KERNEL_1D`
    numbers); ``padding``: ``"valid" | "same" | "full"``; ``flip``: true convolution (the kernel reversed)
    instead of cross-correlation; ``step``: the shown output position (clamped when shown)."""

    signal: tuple[float, ...] = LECTURE_SIGNAL
    kernel: tuple[float, ...] = LECTURE_KERNEL
    padding: str = "valid"
    flip: bool = False
    step: int = 0

    def _check_signal(self, value):
        return _numbers(value, "signal", MAX_SIGNAL)

    def _check_kernel(self, value):
        return _numbers(value, "kernel", MAX_KERNEL_1D)

    def _check_padding(self, value):
        return choice(value, PADDINGS_1D, "padding")

    def _check_flip(self, value):
        return bool(value)

    def _check_step(self, value):
        return whole_number(value, "step", 0, _BIG)

    def _check_all(self, new: dict) -> None:
        n, k = len(new["signal"]), len(new["kernel"])
        if new["padding"] == "valid" and k > n:
            raise ValueError(f"With valid padding the kernel ({k} numbers) cannot be longer than the signal "
                             f"({n}): use same or full padding, or a shorter kernel.")
