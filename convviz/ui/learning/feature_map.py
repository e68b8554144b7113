"""A feature map drawn as an image with a title, or an empty view while there is none yet."""

from __future__ import annotations

import numpy as np

from ..widgets import ImagePlot, named
from .plot_titles import RefitsTitle, TitleFitter


class FeatureMapView(RefitsTitle, ImagePlot):
    """:class:`~convviz.ui.widgets.ImagePlot` that can be empty: ``show_map(None)`` clears it."""

    def __init__(self, title: str, name: str, tooltip: str, parent=None):
        super().__init__(title, parent)
        named(self, name, tooltip, title)
        self.setMinimumSize(120, 110)
        self._title = title
        self._fitter = TitleFitter(self, self.plot, title)

    def show_map(self, values: np.ndarray | None, levels=None) -> None:
        """Draw ``values`` (2-D) on ``levels``; ``None`` empties the view."""
        if values is None:
            self.values = None
            self.image.clear()
            return
        self.show_values(values, levels=levels)

    def set_title(self, text: str) -> None:
        if text != self._title:   # a new title re-lays the plot out: only on a change
            self._title = text
            self._fitter.set_text(text)

    def title(self) -> str:
        return self._title
