"""Where the Learn from labels tab puts its pictures: Qt-free geometry in screen pixels.

- :func:`fit_mosaic` — many small maps (filters, feature maps) as large as a view allows, each with
  room for its number above it;
- :func:`plan_board` — the pictures (filters, one test image) and the curves (loss, accuracy,
  confusion matrix) on one page when the view is tall enough, else the pictures fill the view and the
  curves follow below it (side by side where the width allows, under each other otherwise);
- :func:`number_pixels` — the size of the numbers written in a table's square cells.

Sizes are in pixels; ``(row, column)`` / ``(y, x)`` order as everywhere in convviz.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["BoardPlan", "MosaicFit", "fit_mosaic", "number_pixels", "plan_board"]

#: a part of the board (the pictures, the curves) is comfortable from this many text lines high (the
#: confusion matrix: a title, its labels and ten rows of cells a line high)
PART_LINES = 16
#: a curve or the confusion matrix is comfortable from this many text lines wide
CURVE_LINES = 13
#: a curve is readable from this many text lines high
PLOT_LINES = 8
#: image pixels drawn at least this many screen pixels wide are drawn a whole number of screen pixels wide
CRISP_FROM = 3.0


@dataclass(frozen=True)
class MosaicFit:
    """``count`` tiles of ``tile_hw`` image pixels in ``columns`` × ``rows``, each image pixel ``side`` screen
    pixels; ``origins[i]`` is tile ``i``'s top-left corner ``(y, x)``, ``tile`` its drawn ``(height, width)``,
    and ``label_height`` pixels above each tile hold its number."""

    columns: int
    rows: int
    side: float
    tile: tuple[int, int]
    origins: tuple[tuple[int, int], ...]
    label_height: int

    def tile_at(self, y: float, x: float) -> int | None:
        """The tile under screen point ``(y, x)``, or None (between tiles, outside)."""
        h, w = self.tile
        for i, (top, left) in enumerate(self.origins):
            if top <= y < top + h and left <= x < left + w:
                return i
        return None


def fit_mosaic(count: int, tile_hw: tuple[int, int], width: float, height: float, *, label_height: int = 0,
               spacing: int = 4) -> MosaicFit:
    """The columns that draw ``count`` tiles of ``tile_hw`` largest in ``width`` × ``height`` pixels, with
    ``label_height`` pixels above each tile and ``spacing`` between tiles; the grid centred in the area.

    Image pixels drawn :data:`CRISP_FROM` screen pixels or more are rounded down to whole screen pixels
    (every image pixel the same size). A view too small for any tile gives ``side`` 0.
    """
    count, (h, w) = int(count), (int(tile_hw[0]), int(tile_hw[1]))
    if count < 1 or h < 1 or w < 1:
        raise ValueError(f"A mosaic needs at least one tile of at least 1×1 pixels, not {count} of {h}×{w}.")
    best: tuple[float, int] = (-1.0, 1)
    for columns in range(1, count + 1):
        rows = -(-count // columns)
        side = min((width - spacing * (columns - 1)) / (columns * w),
                   (height - rows * label_height - spacing * (rows - 1)) / (rows * h))
        if side > best[0] + 1e-9:
            best = (side, columns)
    side, columns = max(0.0, best[0]), best[1]
    if side >= CRISP_FROM:
        side = float(math.floor(side))
    rows = -(-count // columns)
    th, tw = int(round(h * side)), int(round(w * side))
    grid_w = columns * tw + spacing * (columns - 1)
    grid_h = rows * (label_height + th) + spacing * (rows - 1)
    left, top = max(0, int((width - grid_w) // 2)), max(0, int((height - grid_h) // 2))
    origins = tuple((top + r * (label_height + th + spacing) + label_height, left + c * (tw + spacing))
                    for r, c in (divmod(i, columns) for i in range(count)))
    return MosaicFit(columns, rows, side, (th, tw), origins, int(label_height))


@dataclass(frozen=True)
class BoardPlan:
    """How the board uses a view: the pictures ``top_height`` pixels high, the curves ``bottom_height`` below
    them. ``pages`` False: both on one page (halves of the view); True: the pictures fill the view (the first
    screen) and the curves follow. ``curves``: ``"row"`` (loss, accuracy, confusion side by side),
    ``"beside"`` (loss over accuracy, the confusion matrix beside them) or ``"stacked"`` (one under another)."""

    pages: bool
    top_height: int
    bottom_height: int
    curves: str


def plan_board(width: int, height: int, line: int, *, spacing: int = 6) -> BoardPlan:
    """The plan for a view of ``width`` × ``height`` pixels whose text lines are ``line`` pixels high.

    A part is comfortable from :data:`PART_LINES` lines high and a curve from :data:`CURVE_LINES` lines
    wide and :data:`PLOT_LINES` high: one page when three curves fit side by side and both parts fit the
    height; otherwise the pictures fill the view and the curves follow, a view high when they fit in it.
    """
    if width < 1 or height < 1 or line < 1:
        raise ValueError(f"plan_board needs a positive size and line height, not {width}×{height}, line {line}.")
    part, curve, plot = PART_LINES * line, CURVE_LINES * line, PLOT_LINES * line
    if width >= 3 * curve + 2 * spacing:
        curves = "row"
    elif width >= 2 * curve + spacing:
        curves = "beside"
    else:
        curves = "stacked"
    if curves == "row" and height >= 2 * part + spacing:
        top = (height - spacing) // 2
        return BoardPlan(False, top, height - spacing - top, curves)
    top = max(height, part)
    if curves == "stacked":
        each = max(plot, height // 2)
        bottom = 2 * each + min(width, max(part, height)) + 2 * spacing
    elif curves == "beside":
        bottom = max(height, 2 * plot + spacing)
    else:
        bottom = max(height, part)
    return BoardPlan(True, top, bottom, curves)


def number_pixels(cell: float, advance_per_pixel: float, *, share: float = 0.5, margin: float = 0.12,
                  smallest: int = 6) -> int:
    """Pixel size of the numbers written in square cells of side ``cell``: ``share`` of the cell high, and
    the widest number (``advance_per_pixel`` × size pixels wide) inside the cell less ``margin`` on each
    side; 0 (write none) when that is under ``smallest`` pixels, so a number is never cut."""
    if cell <= 0 or advance_per_pixel <= 0:
        return 0
    size = int(min(share * cell, cell * (1 - 2 * margin) / advance_per_pixel))
    return size if size >= smallest else 0
