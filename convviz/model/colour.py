"""How values become colours, shared by the window and exported PNGs (pure NumPy).

Signed values (edges) use a diverging map centred on 0 with symmetric levels;
non-negative values use grey from 0 to their maximum. Each colour map is a list
of ``(position, (r, g, b))`` stops, so pyqtgraph can build the same map.
"""

from __future__ import annotations

import numpy as np

COLORMAP_STOPS: dict[str, list[tuple[float, tuple[int, int, int]]]] = {
    "coolwarm": [(0.0, (59, 76, 192)), (0.25, (141, 176, 254)), (0.5, (221, 221, 221)),
                 (0.75, (244, 154, 123)), (1.0, (180, 4, 38))],
    "blue_white_red": [(0.0, (5, 48, 97)), (0.25, (67, 147, 195)), (0.5, (255, 255, 255)),
                       (0.75, (214, 96, 77)), (1.0, (103, 0, 31))],
    "purple_green": [(0.0, (64, 0, 75)), (0.25, (153, 112, 171)), (0.5, (247, 247, 247)),
                     (0.75, (90, 174, 97)), (1.0, (0, 68, 27))],
    "grey": [(0.0, (0, 0, 0)), (1.0, (255, 255, 255))],
    "viridis": [(0.0, (68, 1, 84)), (0.125, (71, 44, 122)), (0.25, (59, 81, 139)), (0.375, (44, 113, 142)),
                (0.5, (33, 144, 141)), (0.625, (39, 173, 129)), (0.75, (92, 200, 99)),
                (0.875, (170, 220, 50)), (1.0, (253, 231, 37))],
    "inferno": [(0.0, (0, 0, 4)), (0.25, (87, 16, 110)), (0.5, (188, 55, 84)), (0.75, (249, 142, 9)),
                (1.0, (252, 255, 164))],
}
DIVERGING = ("coolwarm", "blue_white_red", "purple_green")
SEQUENTIAL = ("grey", "viridis", "inferno")
DEFAULT_DIVERGING = "coolwarm"
DEFAULT_SEQUENTIAL = "grey"


def lookup_table(name: str, n: int = 256) -> np.ndarray:
    """``(n, 3)`` uint8 colours of the map ``name``, from low to high."""
    try:
        stops = COLORMAP_STOPS[name]
    except KeyError:
        raise ValueError(f"Unknown colour map {name!r}: use one of {', '.join(COLORMAP_STOPS)}.") from None
    pos = np.array([p for p, _ in stops])
    rgb = np.array([c for _, c in stops], dtype=np.float64)
    t = np.linspace(0.0, 1.0, n)
    return np.stack([np.rint(np.interp(t, pos, rgb[:, i])) for i in range(3)], axis=1).astype(np.uint8)


def is_signed(values) -> bool:
    """True when any finite value is below 0."""
    v = np.asarray(values)
    finite = v[np.isfinite(v)]
    return bool(finite.size and finite.min() < 0)


def display_levels(values, *, clip_to_image_range=False) -> tuple[float, float]:
    """Levels ``(low, high)`` the window uses: ``(−m, m)`` with ``m = max|v|`` for signed values,
    ``(0, max)`` otherwise, ``(0, 255)`` when clipping as an image editor would."""
    if clip_to_image_range:
        return 0.0, 255.0
    v = np.asarray(values, dtype=np.float64)
    if v.size and np.isfinite(lo := v.min()) and np.isfinite(hi := v.max()):
        finite = np.array([lo, hi])   # every value is finite (min/max would be NaN or ±inf otherwise)
    else:
        finite = v[np.isfinite(v)]
    if finite.size == 0:
        return 0.0, 1.0
    return levels_from_range(float(finite.min()), float(finite.max()))


def levels_from_range(lo: float, hi: float) -> tuple[float, float]:
    """The levels :func:`display_levels` gives finite values spanning ``lo..hi``."""
    if lo < 0:
        m = max(abs(lo), abs(hi))
        return -m, m
    return 0.0, hi if hi > 0 else 1.0


def scale_to_bytes(values, levels) -> np.ndarray:
    """Map ``levels[0] → 0`` and ``levels[1] → 255`` linearly, clipped, as uint8 (NaN → 0)."""
    lo, hi = float(levels[0]), float(levels[1])
    span = hi - lo if hi > lo else 1.0
    v = np.subtract(np.asarray(values, dtype=np.float64), lo)  # one scratch array, worked in place
    v *= 255.0 / span
    np.clip(v, 0, 255, out=v)  # ±∞ end up at 0 or 255; NaN stays NaN
    np.rint(v, out=v)
    if np.isnan(v.max() if v.size else 0.0):
        np.nan_to_num(v, copy=False, nan=0.0)
    return v.astype(np.uint8)


def display_rgb(values, *, colormap=None, levels=None, clip_to_image_range=False) -> np.ndarray:
    """The colours the window shows for ``values``, as ``(H, W, 3)`` uint8.

    2-D values go through a colour map (diverging for signed values unless
    ``colormap`` says otherwise). ``(H, W, 3)`` values are shown as RGB scaled by
    ``levels`` (symmetric levels put 0 at mid grey).
    """
    v = np.asarray(values, dtype=np.float64)
    if levels is None:
        levels = display_levels(v, clip_to_image_range=clip_to_image_range)
    scaled = scale_to_bytes(v, levels)
    if v.ndim == 3:
        if v.shape[2] == 1:
            scaled = scaled[:, :, 0]
        else:
            return np.ascontiguousarray(scaled[:, :, :3])
    if colormap is None:
        colormap = DEFAULT_DIVERGING if levels[0] < 0 else DEFAULT_SEQUENTIAL
    return lookup_table(colormap)[scaled]
