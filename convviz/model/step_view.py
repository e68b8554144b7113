"""Small Qt-free helpers shared by the step-through tabs beside the player (pooling, transposed
convolution, 1-D convolution): moving a step position, colouring a grid of numbers, thumbnails.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .colour import display_levels, display_rgb
from .stepping import format_number

#: what the step keys and buttons do: first (Home), back (←), forward (→, Space), last (End)
STEP_ACTIONS = ("first", "back", "forward", "last")
#: colour of cells that hold no number (padding, inserted zeros, cells not reached yet)
BLANK_RGB = (236, 236, 236)
#: pictures up to this many pixels are prepared at once; larger ones in a panel's worker
SYNC_PIXELS = 1 << 18
#: largest side of the pictures drawn in a row of thumbnails
THUMB_SIDE = 256


def clamp_step(step: int, count: int) -> int:
    """``step`` moved into ``0 … count − 1`` (0 when there are no steps)."""
    return min(max(int(step), 0), max(int(count) - 1, 0))


def step_target(step: int, action: str, count: int) -> int | None:
    """The step that ``action`` (one of :data:`STEP_ACTIONS`) moves to from ``step``; ``None`` when it
    would not move (already at that end, or no steps)."""
    if action not in STEP_ACTIONS:
        raise ValueError(f"Unknown step action {action!r}: use one of {', '.join(STEP_ACTIONS)}.")
    if count <= 0:
        return None
    here = clamp_step(step, count)
    target = {"first": 0, "back": here - 1, "forward": here + 1, "last": count - 1}[action]
    if not 0 <= target < count or target == here:
        return None
    return target


def step_readout(index: int, count: int) -> str:
    """``step 5 / 36`` (1-based, as the player writes it)."""
    return f"step {index + 1} / {count}" if count else "no steps"


def cell_text(value: float) -> str:
    """A value rounded to fit a grid cell (3–4 significant figures; ``−∞`` for max-pool padding)."""
    v = float(value)
    if not np.isfinite(v):
        return format_number(v)
    a = abs(v)
    if a >= 1e5:
        return format_number(v, 2)
    return format_number(v, 0 if a >= 100 else 1 if a >= 10 else 2)


def cell_texts(values, blank: np.ndarray | None = None, blank_text: str = "") -> list[list[str]]:
    """:func:`cell_text` of every value of a 2-D array, as row lists; ``blank`` cells get ``blank_text``."""
    arr = np.atleast_2d(np.asarray(values, dtype=np.float64))
    mask = np.zeros(arr.shape, dtype=bool) if blank is None else np.asarray(blank, dtype=bool)
    return [[blank_text if mask[r, c] else cell_text(arr[r, c]) for c in range(arr.shape[1])]
            for r in range(arr.shape[0])]


def grid_rgb(values, levels: tuple[float, float] | None = None, blank: np.ndarray | None = None) -> np.ndarray:
    """``(rows, cols, 3)`` uint8 colours of a 2-D array as convviz colours values (grey, or the
    diverging map for signed numbers); ``blank`` cells (and non-finite values) get :data:`BLANK_RGB`."""
    arr = np.atleast_2d(np.asarray(values, dtype=np.float64))
    mask = ~np.isfinite(arr) if blank is None else (np.asarray(blank, dtype=bool) | ~np.isfinite(arr))
    shown = np.where(mask, np.nan, arr)
    finite = shown[np.isfinite(shown)]
    if levels is None:
        levels = display_levels(finite) if finite.size else (0.0, 1.0)
    rgb = display_rgb(np.nan_to_num(shown, nan=levels[0]), levels=levels)
    rgb[mask] = BLANK_RGB
    return rgb


def levels_of(*arrays) -> tuple[float, float]:
    """Display levels shared by several arrays (their finite values together)."""
    values = [np.ravel(np.asarray(a, dtype=np.float64)) for a in arrays]
    joined = np.concatenate(values) if values else np.zeros(1)
    finite = joined[np.isfinite(joined)]
    return display_levels(finite) if finite.size else (0.0, 1.0)


def thumbnail_step(hw, max_side: int) -> int:
    """The smallest ``s`` with every side of ``hw`` at most ``max_side`` after taking every ``s``-th pixel."""
    return max(1, -(-max(int(hw[0]), int(hw[1])) // max(1, int(max_side))))


def thumbnail(values, max_side: int = THUMB_SIDE) -> np.ndarray:
    """Every ``s``-th pixel of a 2-D array so that neither side exceeds ``max_side`` (for drawing only): a copy,
    so a thumbnail never keeps the whole array alive."""
    arr = np.asarray(values)
    s = thumbnail_step(arr.shape, max_side)
    return np.array(arr[::s, ::s])


def shape_text(shape: Sequence[int]) -> str:
    """``64×64`` or ``64×64×3``."""
    return "×".join(str(int(n)) for n in shape)
