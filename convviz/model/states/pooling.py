"""State of the "Pooling" tab: what is pooled, how, which step is shown and how far the input is moved.

The step position (``step``) moves directly (stepping is not an undoable edit, as in the player);
every other field is a setting changed through the undo stack.
"""

from __future__ import annotations

from dataclasses import dataclass

from psygnal import evented

from ..panel_state import PanelState, choice, whole_number
from ..pooling import POOL_MODES

#: what is pooled: the image's luminance, or the document's output after ReLU (conv → ReLU → pool)
POOL_SOURCES = {"image": "the image (luminance)", "feature_map": "feature map: conv → ReLU"}
POOL_MODE_NAMES = {"max": "max pooling", "avg": "average pooling"}
MAX_WINDOW = 6
MAX_POOL_STRIDE = 6
MAX_POOL_PADDING = MAX_WINDOW // 2
#: side of the crop that is stepped through (a small part of the picture, so the numbers stay readable)
MIN_CROP, MAX_CROP, DEFAULT_CROP = 4, 24, 12
#: the input moves at most this many pixels each way (the invariance demonstration)
MAX_SHIFT = 4
_BIG = 2 ** 31 - 1


@evented
@dataclass
class PoolingState(PanelState):
    """``source``: a key of :data:`POOL_SOURCES`; ``mode``: ``"max" | "avg"``; ``kernel_size``,
    ``stride``, ``padding``: the square window, its step and the padding on each side (at most half
    the window); ``count_include_pad``: average pooling divides by the whole window; ``crop``: side of
    the crop stepped through; ``step``: the shown window position (clamped when shown); ``dy``/``dx``:
    rows down / columns right the input is moved (within ±:data:`MAX_SHIFT`)."""

    source: str = "image"
    mode: str = "max"
    kernel_size: int = 2
    stride: int = 2
    padding: int = 0
    count_include_pad: bool = True
    crop: int = DEFAULT_CROP
    step: int = 0
    dy: int = 0
    dx: int = 0

    def _check_source(self, value):
        return choice(value, tuple(POOL_SOURCES), "pooling source")

    def _check_mode(self, value):
        return choice(value, POOL_MODES, "pooling mode")

    def _check_kernel_size(self, value):
        return whole_number(value, "pooling window", 1, MAX_WINDOW)

    def _check_stride(self, value):
        return whole_number(value, "pooling stride", 1, MAX_POOL_STRIDE)

    def _check_padding(self, value):
        return whole_number(value, "pooling padding", 0, MAX_POOL_PADDING)

    def _check_count_include_pad(self, value):
        return bool(value)

    def _check_crop(self, value):
        return whole_number(value, "crop size", MIN_CROP, MAX_CROP)

    def _check_step(self, value):
        return whole_number(value, "step", 0, _BIG)

    def _check_dy(self, value):
        return whole_number(value, "shift down", -MAX_SHIFT, MAX_SHIFT)

    def _check_dx(self, value):
        return whole_number(value, "shift right", -MAX_SHIFT, MAX_SHIFT)

    def _check_all(self, new: dict) -> None:
        k, p = new["kernel_size"], new["padding"]
        if p > k // 2:
            raise ValueError(f"Pooling padding {p} is more than half the {k}×{k} window: use at most {k // 2}.")
        if k > new["crop"] + 2 * p:
            raise ValueError(f"The {k}×{k} window does not fit the {new['crop']}×{new['crop']} crop: use a smaller "
                             f"window or a larger crop.")

    def pool_kwargs(self) -> dict:
        """Keyword arguments for :func:`~convviz.model.pool` (besides ``kernel_size``)."""
        return dict(stride=self.stride, padding=self.padding, mode=self.mode,
                    count_include_pad=self.count_include_pad)

    def nudged(self, ddy: int, ddx: int) -> dict[str, int]:
        """The change moving the input ``(ddy, ddx)`` further, within ±:data:`MAX_SHIFT` (empty at the limit)."""
        dy = min(max(self.dy + int(ddy), -MAX_SHIFT), MAX_SHIFT)
        dx = min(max(self.dx + int(ddx), -MAX_SHIFT), MAX_SHIFT)
        return {name: v for name, v, old in (("dy", dy, self.dy), ("dx", dx, self.dx)) if v != old}
