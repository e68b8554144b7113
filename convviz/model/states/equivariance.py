"""State of the "Equivariance" tab: how far the input is moved, how much of it, and the dense layer's seed."""

from __future__ import annotations

from dataclasses import dataclass

from psygnal import evented

from ..panel_state import PanelState, whole_number

MAX_SHIFT = 64
MIN_CROP, MAX_CROP = 8, 256
MAX_SEED = 9999
#: odd on purpose: with stride 2 the default shift shows equivariance breaking
DEFAULT_SHIFT = (15, 25)
DEFAULT_CROP = 256


@evented
@dataclass
class EquivarianceState(PanelState):
    """``dy``/``dx``: rows down / columns right the input moves (negative: up / left), each within
    ±``MAX_SHIFT``; ``crop``: side of the centre crop that is filtered; ``seed``: the dense layer's weights."""

    dy: int = DEFAULT_SHIFT[0]
    dx: int = DEFAULT_SHIFT[1]
    crop: int = DEFAULT_CROP
    seed: int = 0

    def _check_dy(self, value):
        return whole_number(value, "shift down", -MAX_SHIFT, MAX_SHIFT)

    def _check_dx(self, value):
        return whole_number(value, "shift right", -MAX_SHIFT, MAX_SHIFT)

    def _check_crop(self, value):
        return whole_number(value, "crop size", MIN_CROP, MAX_CROP)

    def _check_seed(self, value):
        return whole_number(value, "dense layer seed", 0, MAX_SEED)

    def nudged(self, ddy: int, ddx: int) -> dict[str, int]:
        """The change that moves the shift by ``(ddy, ddx)``, kept within ±``MAX_SHIFT`` (empty at the limit)."""
        dy = min(max(self.dy + int(ddy), -MAX_SHIFT), MAX_SHIFT)
        dx = min(max(self.dx + int(ddx), -MAX_SHIFT), MAX_SHIFT)
        return {name: v for name, v, old in (("dy", dy, self.dy), ("dx", dx, self.dx)) if v != old}
