"""State of the "Correlation vs convolution" tab."""

from __future__ import annotations

from dataclasses import dataclass

from psygnal import evented

from ..panel_state import PanelState, choice

#: the examples the tab compares, by key: (A, W) as described
FLIP_EXAMPLES = {
    "lecture": "2-D: the lecture's A (4×4) and W (2×2)",
    "one_d": "1-D: a = [1, 2, 3, 4], w = [1, 2]",
    "current": "2-D: the lecture's A with the current kernel",
}


@evented
@dataclass
class FlipState(PanelState):
    """``example``: a key of :data:`FLIP_EXAMPLES`; ``show_flipped``: the flipped kernel is shown."""

    example: str = "lecture"
    show_flipped: bool = False

    def _check_example(self, value):
        return choice(value, tuple(FLIP_EXAMPLES), "example")

    def _check_show_flipped(self, value):
        return bool(value)
