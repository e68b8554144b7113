"""Where the cells of a number grid go and how large their numbers can be (no Qt).

The player's grids draw square cells centred under a title; these functions decide the
geometry in pixels, so the widget only paints.
"""

from __future__ import annotations

from collections.abc import Sequence

#: room (pixels) kept free beside and below the cells
SIDE_MARGIN, BOTTOM_MARGIN, TOP_GAP = 8, 6, 2.0
#: a cell's text fills at most this fraction of its height and width
TEXT_HEIGHT, TEXT_WIDTH, LINE_SPACING, CHAR_WIDTH = 0.78, 0.9, 1.25, 0.62
#: text is black on cells lighter than this perceived luminance (0–255), white on darker ones
LIGHT_CELL = 140


def cell_geometry(width: int, height: int, rows: int, cols: int, top: int,
                  max_cell: float) -> tuple[float, float, float]:
    """``(x0, y0, side)``: the corner and side of square cells filling a ``width``×``height``
    widget under a title ``top`` pixels high (side at least 2, at most ``max_cell``)."""
    if rows == 0 or cols == 0:
        return 0.0, float(top), 0.0
    side = max(2.0, min((width - SIDE_MARGIN) / cols, (height - top - BOTTOM_MARGIN) / rows, float(max_cell)))
    return (width - side * cols) / 2, top + TOP_GAP, side


def text_pixel_size(texts: Sequence[Sequence[str]] | None, side: float, max_px: int,
                    height: float | None = None) -> int:
    """The pixel size of a font whose longest line and line count fit every cell ``side`` wide
    and ``height`` high (default: square)."""
    if not texts:
        return 0
    lines = [t.split("\n") for row in texts for t in row]
    n_lines = max((len(ls) for ls in lines), default=1)
    longest = max((len(x) for ls in lines for x in ls), default=1)
    by_height = (side if height is None else height) * TEXT_HEIGHT / (n_lines * LINE_SPACING)
    by_width = side * TEXT_WIDTH / (CHAR_WIDTH * max(longest, 1))
    return int(min(by_height, by_width, max_px))


def dark_text_on(rgb: Sequence[int]) -> bool:
    """True when black text reads better than white on the colour ``rgb`` (perceived luminance)."""
    r, g, b = (int(v) for v in rgb[:3])
    return 0.299 * r + 0.587 * g + 0.114 * b > LIGHT_CELL


def filled_rectangles(filled: int, rows: int, cols: int, x0: float, y0: float,
                      side: float) -> list[tuple[int, int, int, int]]:
    """``(x, y, w, h)`` pixel rectangles covering the first ``filled`` cells (row-major): the full
    rows, then the start of the next one."""
    full_rows, partial = divmod(max(0, filled), max(cols, 1))
    out = []
    if full_rows:
        out.append((int(x0), int(y0), int(cols * side) + 1, int(round(y0 + full_rows * side)) - int(y0)))
    if partial and full_rows < rows:
        top = int(round(y0 + full_rows * side))
        out.append((int(x0), top, int(round(x0 + partial * side)) - int(x0),
                    int(round(y0 + (full_rows + 1) * side)) - top))
    return out
