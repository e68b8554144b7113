"""How many of a large array's pixels are drawn: about as many as a screen has (no Qt).

A view draws every ``step``-th pixel of an array over :data:`REDUCE_ABOVE` pixels (each sample covering
its ``step × step`` block) and the part in view at full resolution once zoomed in
(:class:`convviz.ui.widgets.screen_image.ScreenImage`). Workers make the reduced copy with
:func:`screen_sample` so the GUI thread never walks a whole photo.
"""

from __future__ import annotations

import math

import numpy as np

#: arrays larger than this many pixels are drawn reduced (a 1920×1080 screen shows about 2 MP)
REDUCE_ABOVE = 4_000_000
#: ... to about this many pixels
BASE_PIXELS = 2_000_000


def reduction_step(h: int, w: int) -> int:
    """1 for arrays up to :data:`REDUCE_ABOVE` pixels, else the step giving about :data:`BASE_PIXELS`."""
    n = int(h) * int(w)
    return 1 if n <= REDUCE_ABOVE else math.ceil(math.sqrt(n / BASE_PIXELS))


def screen_sample(array: np.ndarray) -> np.ndarray | None:
    """``array[::step, ::step]`` as a contiguous copy (what a view draws of it), or None when the
    array is drawn whole."""
    step = reduction_step(*array.shape[:2])
    return None if step == 1 else np.ascontiguousarray(array[::step, ::step])
