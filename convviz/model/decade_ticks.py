"""Ticks of a log-scale axis labelled only at powers of ten (10², 10³, …), e.g. a loss curve's.

Values are in log10 units, as pyqtgraph's log mode passes them.
"""

from __future__ import annotations

from math import ceil, floor

import numpy as np

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


def decade_ticks(low: float, high: float) -> tuple[int, list[float], list[float]]:
    """``(step, major, minor)`` for an axis showing ``low..high`` (log10 units, either order):
    major ticks at every ``step``-th whole decade (at most about :data:`MAX_LABELS`), minor
    ticks at 2…9 × each power of ten inside the range when every decade is labelled."""
    low, high = sorted((float(low), float(high)))
    decades = list(range(ceil(low - 1e-9), floor(high + 1e-9) + 1))
    step = max(1, ceil(len(decades) / MAX_LABELS))
    major = [float(d) for d in decades if d % step == 0]
    minor: list[float] = []
    if step == 1:
        for d in range(floor(low), ceil(high)):
            minor.extend(float(x) for x in d + np.log10(np.arange(2, 10)) if low < x < high)
    return step, major, minor
