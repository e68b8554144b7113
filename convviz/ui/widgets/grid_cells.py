"""Give a cell grid (:class:`~convviz.ui.widgets.cell_grid.CellGrid`) new cells only when they changed, so a step
that only moves a window or a filled count repaints nothing else."""

from __future__ import annotations

import numpy as np

from .font_sized import refit


def show_cells(grid, colours: np.ndarray, texts: list[list[str]], padding: np.ndarray | None = None) -> bool:
    """``grid.set_cells(colours, texts, padding)`` unless the grid already shows exactly these cells; True when
    it was redrawn. ``colours`` is ``(rows, cols, 3)`` uint8, ``padding`` a ``(rows, cols)`` mask or ``None``."""
    shown = getattr(grid, "_convviz_cells", None)
    if shown is not None and shown[1] == texts and np.array_equal(shown[0], colours) and (
            (shown[2] is None and padding is None) or
            (shown[2] is not None and padding is not None and np.array_equal(shown[2], padding))):
        return False
    grid._convviz_cells = (colours, texts, padding)
    grid.set_cells(colours, texts, padding)
    return True


def show_title(grid, title: str) -> None:
    """``grid.set_title(title)``, keeping a :func:`~convviz.ui.widgets.font_sized.font_sized` grid as wide as
    the title's longest word."""
    if title != grid.title():
        grid.set_title(title)
        refit(grid)
