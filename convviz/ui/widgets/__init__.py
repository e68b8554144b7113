"""Small widgets every tab shares: naming for tests and screen readers, labels, image plots, number grids."""

from .image_plot import ImagePlot
from .naming import named, text_label
from .number_grid import NumberGrid

__all__ = ["ImagePlot", "NumberGrid", "named", "text_label"]
