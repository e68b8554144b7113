"""What the receptive-field view shows when it zooms onto the field of one output pixel (no Qt).

A 3×3 field on a 4000-pixel photo is invisible on the whole picture, so the view shows a window
of image pixels around it (:func:`zoom_window`) at full resolution (:func:`zoom_picture`).
Regions are :class:`~convviz.model.bank.network.Region` (rows and columns inclusive, in image pixels).
"""

from __future__ import annotations

import numpy as np

from ..colour import display_rgb
from .network import Region

#: the zoomed view shows at least this many image pixels a side
MIN_ZOOM_SIDE = 24
#: and the field with room around it: the window is this many times the field's size
ZOOM_CONTEXT = 4


def zoom_window(field: Region, image_hw, *, min_side: int = MIN_ZOOM_SIDE, context: int = ZOOM_CONTEXT) -> Region:
    """The image pixels shown around ``field``: a square ``context`` times the field's larger side (at
    least ``min_side``, at most the image), centred on the field and moved inside the image.

    ``field`` may reach into the padding (negative rows, rows past the image); the window never does.
    """
    h, w = int(image_hw[0]), int(image_hw[1])
    if h < 1 or w < 1:
        raise ValueError(f"The image must have at least one pixel, not {h}×{w}.")
    side = max(min_side, context * max(field.size))
    rows, cols = min(h, side), min(w, side)
    top = _inside((field.top + field.bottom - rows + 1) // 2, rows, h)
    left = _inside((field.left + field.right - cols + 1) // 2, cols, w)
    return Region(top, top + rows - 1, left, left + cols - 1)


def _inside(start: int, length: int, total: int) -> int:
    return max(0, min(start, total - length))


def zoom_picture(image, window: Region) -> np.ndarray:
    """The colours of ``image`` ((H, W) or (H, W, 3), values 0–255; an array or anything sliced like one,
    such as an :class:`~convviz.model.player_plane.ImagePlane`) inside ``window``, ``(h, w, 3)`` uint8,
    drawn as the input is (0–255, no stretching)."""
    crop = np.asarray(image[window.top:window.bottom + 1, window.left:window.right + 1])   # only the window read
    return display_rgb(crop, clip_to_image_range=True)


__all__ = ["MIN_ZOOM_SIDE", "ZOOM_CONTEXT", "zoom_picture", "zoom_window"]
