"""State of the Filter tab: how the output is coloured (the convolution itself is the document)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from psygnal import evented

from ..colour import COLORMAP_STOPS, SCALES
from ..panel_state import PanelState, choice, whole_number


@evented
@dataclass
class FilterState(PanelState):
    """``colormap``: a name of :data:`~convviz.model.COLORMAP_STOPS` or None (automatic: diverging for
    signed outputs, grey otherwise); ``clip``: show 0–255 as an image editor would; ``levels``: manual
    ``(low, high)`` or None (automatic); ``scale``: how automatic levels are chosen (a key of
    :data:`~convviz.model.colour.SCALES`: by default outputs within 0–255 use the input's scale);
    ``magnifier_channel``: the colour channel (0 R, 1 G, 2 B, 3 A) whose numbers the magnifier writes."""

    colormap: str | None = None
    scale: str = "auto"
    clip: bool = False
    levels: tuple[float, float] | None = None
    magnifier_channel: int = 0

    def _check_colormap(self, value):
        return None if value is None else choice(value, tuple(COLORMAP_STOPS), "colour map")

    def _check_scale(self, value):
        return choice(value, SCALES, "scale")

    def _check_clip(self, value):
        return bool(value)

    def _check_magnifier_channel(self, value):
        return whole_number(value, "magnifier channel", 0, 3)

    def _check_levels(self, value):
        if value is None:
            return None
        try:
            low, high = (float(v) for v in value)
        except (TypeError, ValueError):
            raise ValueError(f"The levels must be two numbers (low, high), not {value!r}.") from None
        if not (np.isfinite(low) and np.isfinite(high) and low < high):
            raise ValueError(f"The levels must be finite with low < high, not ({low:g}, {high:g}).")
        return (low, high)
