"""Plot titles that fit their plot: pyqtgraph draws a title at a fixed size (scaled by presentation
mode, :mod:`convviz.ui.plot_fonts`) and cuts what is wider than the plot; this shrinks it instead."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QWidget

from ..plot_fonts import set_plot_title

#: a title's size before presentation mode scales it (pyqtgraph's own), and the least share kept
TITLE_POINTS, SMALLEST = 11.0, 0.4


def fit_title(view: QWidget, plot: pg.PlotItem, text: str) -> None:
    """Title ``plot`` (inside ``view``) with ``text`` at the scaled size, or smaller when wider than ``view``."""
    set_plot_title(plot, text, TITLE_POINTS)
    # the title sits over the plot's view box, beside the left axis when one shows (the view box
    # itself cannot say: a title wider than it pushes the layout past the view's edge)
    left = plot.getAxis("left")
    axis = left.width() if left.isVisible() else 0
    room = (view.width() - axis - 16) * 0.94
    wide = plot.titleLabel.item.boundingRect().width()
    if wide > room > 0:
        set_plot_title(plot, text, TITLE_POINTS * max(SMALLEST, room / wide))
    if isinstance(view, pg.GraphicsView):   # lay the plot out again in the view (a wide title widened it)
        QTimer.singleShot(0, view, lambda: pg.GraphicsView.resizeEvent(view, None))


class TitleFitter:
    """Fits ``plot``'s title to ``view`` now and after every resize or font change (call :meth:`refit`
    from the view's ``resizeEvent`` and ``event``, as :class:`RefitsTitle` does); a font change refits
    once the plot fonts have followed it."""

    def __init__(self, view: QWidget, plot: pg.PlotItem, text: str):
        self.view, self.plot, self.text = view, plot, text
        fit_title(view, plot, text)

    def set_text(self, text: str) -> None:
        if text != self.text:
            self.text = text
            fit_title(self.view, self.plot, text)

    def refit(self, later: bool = False) -> None:
        if later:
            QTimer.singleShot(0, self.view, lambda: fit_title(self.view, self.plot, self.text))
        else:
            fit_title(self.view, self.plot, self.text)


class RefitsTitle:
    """Mixin for a plot view (listed before the Qt class): refits ``self._fitter`` (a :class:`TitleFitter`,
    set in ``__init__``) after every resize and font change, once the plot has laid itself out again."""

    _fitter: TitleFitter | None = None

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)  # type: ignore[misc]
        if self._fitter is not None:
            self._fitter.refit(later=True)   # once the plot has laid its view box out

    def event(self, event):
        result = super().event(event)  # type: ignore[misc]
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange) and self._fitter is not None:
            self._fitter.refit(later=True)   # after the plot fonts follow the new size
        return result
