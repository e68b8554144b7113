"""A log-scale axis labelled only at powers of ten (10², 10³, …), minor ticks unlabelled."""

from __future__ import annotations

from math import ceil, floor

import numpy as np
import pyqtgraph as pg

#: at most about this many labelled decades; wider ranges label every 2nd, 5th, … decade
MAX_LABELS = 7
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_of_ten_text(exponent: int) -> str:
    """``10`` with ``exponent`` as a superscript: 2 → "10²", -3 → "10⁻³"."""
    return "10" + str(int(exponent)).translate(SUPERSCRIPT)


def decade_range(values) -> tuple[int, int]:
    """Whole decades ``(low, high)`` (log10 units, high > low) around the finite positive ``values``;
    ``(0, 1)`` when there are none."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v) & (v > 0)]
    if v.size == 0:
        return 0, 1
    low, high = floor(np.log10(v.min())), ceil(np.log10(v.max()))
    return low, max(high, low + 1)


class DecadeAxis(pg.AxisItem):
    """In log mode: major ticks and labels at whole powers of ten, minor ticks (2…9) without labels."""

    def logTickValues(self, minVal, maxVal, size, stdTicks):
        low, high = sorted((minVal, maxVal))
        decades = list(range(ceil(low - 1e-9), floor(high + 1e-9) + 1))
        step = max(1, ceil(len(decades) / MAX_LABELS))
        major = [float(d) for d in decades if d % step == 0]
        minor: list[float] = []
        if step == 1:
            for d in range(floor(low), ceil(high)):
                minor.extend(float(x) for x in d + np.log10(np.arange(2, 10)) if low < x < high)
        return [(float(step), major), (None, minor)]

    def logTickStrings(self, values, scale, spacing):
        if spacing is None:
            return ["" for _ in values]
        return [power_of_ten_text(round(v)) for v in values]
