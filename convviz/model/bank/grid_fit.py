"""How the feature-map grid lays out its maps (no Qt): as large as the view allows, every map seen at
once when it can be, and scrolling down only when even small pictures do not fit."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class GridFit:
    """``columns``×``rows`` tiles; each map's picture is ``picture`` ``(h, w)`` pixels, each tile ``tile``
    ``(h, w)`` (the picture and its text, as wide as a column); ``height`` is what the grid needs (more
    than the view: it scrolls)."""

    columns: int
    rows: int
    picture: tuple[int, int]
    tile: tuple[int, int]
    height: int

    @property
    def side(self) -> int:
        """The picture's longer side in pixels (how large the thumbnails should be)."""
        return max(self.picture)


def fit_grid(count: int, width: int, height: int, map_hw, *, text_height: int, gap: int, min_side: int) -> GridFit:
    """Tiles for ``count`` maps of ``map_hw`` ``(H', W')`` in a ``width``×``height`` view.

    Tries every number of columns and keeps the one with the largest pictures that fit both ways (keeping
    the maps' aspect ratio; ``text_height`` under each picture, ``gap`` around every tile). When the best
    picture's longer side is below ``min_side``, pictures are ``min_side`` long and as many columns as fit
    the width are used (the view scrolls down).
    """
    if count < 1:
        return GridFit(1, 0, (0, 0), (0, 0), 0)
    mh, mw = max(1, int(map_hw[0])), max(1, int(map_hw[1]))
    aspect = mh / mw
    best_cols, best_w = 1, 0.0
    for cols in range(1, count + 1):
        rows = math.ceil(count / cols)
        w = (width - gap * (cols + 1)) / cols
        h = (height - gap * (rows + 1)) / rows - text_height
        w = min(w, h / aspect)
        if w > best_w:
            best_cols, best_w = cols, w
    if max(best_w, best_w * aspect) < min_side:
        best_w = min_side / max(1.0, aspect)
        best_cols = max(1, min(count, int((width - gap) // (best_w + gap))))
    pw = max(1, int(best_w))
    ph = max(1, int(best_w * aspect))
    rows = math.ceil(count / best_cols)
    column = int((width - gap * (best_cols + 1)) / best_cols)   # tiles take the column, so names have room
    tile = (ph + text_height, max(pw, column))
    return GridFit(best_cols, rows, (ph, pw), tile, rows * tile[0] + gap * (rows + 1))


__all__ = ["GridFit", "fit_grid"]
