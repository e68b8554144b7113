"""Small widgets every tab shares: naming for tests and screen readers, labels, image plots, number grids,
cell grids, shortcuts."""

from .cell_grid import CellGrid
from .chrome import mark_editing_chrome
from .image_plot import ImagePlot
from .naming import named, text_label
from .number_grid import NumberGrid
from .shortcuts import add_shortcut

__all__ = ["CellGrid", "ImagePlot", "mark_editing_chrome", "NumberGrid", "add_shortcut", "named", "text_label"]
