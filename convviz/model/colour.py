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


#: how levels are chosen: "auto" (an image-valued default: "input" for outputs within 0–255, else "full"),
#: "input" (0–255 as the input image, ±255 for signed), "full" (the whole range), "robust" (99.5th percentile of |v|)
SCALES = ("auto", "input", "full", "robust")
SCALE_LABELS = {"auto": "automatic", "input": "as the input (0–255)", "full": "full range",
                "robust": "robust (99.5 % of |values|)"}
#: a minimum below ``−SIGNED_TOLERANCE · max|v|`` makes values signed; smaller negatives are round-off
SIGNED_TOLERANCE = 1e-9
IMAGE_MAX = 255.0
ROBUST_PERCENTILE = 99.5


def _signed(lo: float, hi: float) -> bool:
    return lo < 0 and -lo > SIGNED_TOLERANCE * max(abs(lo), abs(hi))


def is_signed(values) -> bool:
    """True when a finite value is below 0 by more than round-off (relative to the largest magnitude)."""
    v = np.asarray(values)
    finite = v[np.isfinite(v)]
    return bool(finite.size) and _signed(float(finite.min()), float(finite.max()))


def display_levels(values, *, clip_to_image_range=False, scale: str = "full") -> tuple[float, float]:
    """Levels ``(low, high)`` for drawing ``values``.

    ``scale`` (see :data:`SCALES`): ``"full"`` gives ``(−m, m)`` with ``m = max|v|`` for signed values and
    ``(0, max)`` otherwise; ``"input"`` gives ``(0, 255)`` (``(−255, 255)`` when signed); ``"robust"`` uses the
    99.5th percentile of ``|v|`` instead of ``m``; ``"auto"`` is ``"input"`` for non-negative values up to 255
    (so the identity kernel shows the picture unchanged) and ``"full"`` otherwise. Negatives within
    round-off of 0 do not make values signed. ``clip_to_image_range`` gives ``(0, 255)``.
    """
    if clip_to_image_range:
        return 0.0, IMAGE_MAX
    if scale not in SCALES:
        raise ValueError(f"Unknown scale {scale!r}: use one of {', '.join(SCALES)}.")
    v = np.asarray(values, dtype=np.float64)
    if v.size and np.isfinite(lo := v.min()) and np.isfinite(hi := v.max()):
        finite = np.array([lo, hi])   # every value is finite (min/max would be NaN or ±inf otherwise)
        all_finite = True
    else:
        finite = v[np.isfinite(v)]
        all_finite = False
    if finite.size == 0:
        return 0.0, 1.0
    lo, hi = float(finite.min()), float(finite.max())
    if scale == "robust":
        mags = np.abs(v if all_finite else finite).ravel()
        m = float(np.percentile(mags, ROBUST_PERCENTILE)) if mags.size else 0.0
        if m <= 0:
            return levels_from_range(lo, hi)
        return (-m, m) if _signed(lo, hi) else (0.0, m)
    return levels_from_range(lo, hi, scale=scale)


def levels_from_range(lo: float, hi: float, *, scale: str = "full") -> tuple[float, float]:
    """The levels :func:`display_levels` gives finite values spanning ``lo..hi`` (``scale`` not "robust")."""
    if _signed(lo, hi):
        if scale == "input":
            return -IMAGE_MAX, IMAGE_MAX
        m = max(abs(lo), abs(hi))
        return -m, m
    if scale == "input" or (scale == "auto" and hi <= IMAGE_MAX * (1 + SIGNED_TOLERANCE)):
        return 0.0, IMAGE_MAX
    return 0.0, hi if hi > 0 else 1.0


def scale_to_bytes(values, levels) -> np.ndarray:
    """Map ``levels[0] → 0`` and ``levels[1] → 255`` linearly, clipped, as uint8 (NaN → 0); float32 values
    are worked in float32, everything else in float64."""
    lo, hi = float(levels[0]), float(levels[1])
    span = hi - lo if hi > lo else 1.0
    raw = np.asarray(values)
    work = np.float32 if raw.dtype == np.float32 else np.float64     # float32 values: float32 maths (half the bytes)
    v = np.subtract(raw, work(lo), dtype=work)                       # one scratch array, worked in place
    v *= work(255.0 / span)
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


def display_rgb_from_bytes(display: np.ndarray, colormap: str | None) -> np.ndarray:
    """:func:`display_rgb` of values already scaled to bytes at the levels wanted: ``(H, W, 3)`` uint8
    (2-D bytes through ``colormap``, grey when None)."""
    b = np.asarray(display, dtype=np.uint8)
    if b.ndim == 3 and b.shape[2] == 1:
        b = b[:, :, 0]
    if b.ndim == 3:
        return np.ascontiguousarray(b[:, :, :3])
    return lookup_table(colormap or DEFAULT_SEQUENTIAL)[b]
