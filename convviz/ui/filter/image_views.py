"""The input and output images: pyqtgraph plots, row 0 at the top, aspect locked, linked.

Both views use input-pixel coordinates (see :mod:`convviz.model.view_geometry`):
the output image is placed over the input so each output pixel sits on the
centre of the kernel window that produced it, and the two views can share
zoom and pan. The input view draws the padding as a dashed, tinted border and, while the
magnifier shows an output pixel, that pixel's kernel window (its taps when dilated);
the output view marks the pixel itself. Titles are light on the dark plot (readable
in every theme), elided to the view's width with the whole title in their tooltip.
"""

from __future__ import annotations

import functools

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

import convviz.ui  # noqa: F401  (row-major pyqtgraph before any item is made)
from convviz.model.colour import lookup_table
from convviz.model.view_geometry import Rect, pixel_at

from ..plot_fonts import set_plot_title
from ..widgets.screen_image import ScreenImage
from .colour_bar import LevelsBar

PADDING_FILL = QColor(255, 170, 0, 70)
PADDING_EDGE = QColor(255, 140, 0)
PLOT_BACKGROUND = "#202124"
#: titles and tick labels on the dark plot: contrast 14:1 and 11:1 with PLOT_BACKGROUND
TITLE_COLOUR = "#f2f2f2"
AXIS_TEXT_COLOUR = "#d6d6d6"
#: the magnified window and output pixel: yellow over a dark outline, seen on any picture
MARK_EDGE = QColor(255, 216, 0)
MARK_FILL = QColor(255, 216, 0, 50)
MARK_SHADOW = QColor(0, 0, 0, 170)


@functools.cache
def make_colormap(name: str) -> pg.ColorMap:
    """The pyqtgraph colour map for one of :data:`convviz.model.colour.COLORMAP_STOPS`: its 256 colours are
    the model's :func:`~convviz.model.colour.lookup_table`, so the screen, the colour bar and exported PNGs
    give a value the same colour (pyqtgraph's own interpolation of the stops differs by 1 here and there).
    One shared object per name, so a view can tell an unchanged map by identity; never modify it."""
    return pg.ColorMap(np.linspace(0.0, 1.0, 256), lookup_table(name), name=name)


def _elide_words(text: str, metrics: QFontMetrics, room: int) -> str:
    """``text`` if it fits ``room`` pixels, else its longest run of whole words that fits, with "…"
    ("Input 512×512…", not "Input 512×5…"); Qt's elision when not even the first word fits."""
    if metrics.horizontalAdvance(text) <= room:
        return text
    words = text.split(" ")
    for n in range(len(words) - 1, 0, -1):
        shorter = " ".join(words[:n]).rstrip(" ×(,:;") + "…"
        if metrics.horizontalAdvance(shorter) <= room:
            return shorter
    return metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)


class ImagePane(pg.PlotWidget):
    """One image in a plot with pixel axes; reports the point under the mouse.

    ``hovered`` carries the view point ``(x, y)`` in input-pixel coordinates, or
    ``None`` when the mouse leaves the plot; :meth:`pixel_at` turns a point into
    ``(row, col)`` of the shown array.
    """

    hovered = Signal(object)

    def __init__(self, object_name: str, title: str, parent=None):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setAccessibleName(title)
        self.setBackground(PLOT_BACKGROUND)
        self.setMinimumSize(160, 160)
        plot = self.getPlotItem()
        plot.titleLabel.opts["color"] = TITLE_COLOUR
        for name in ("left", "bottom"):
            plot.getAxis(name).setTextPen(AXIS_TEXT_COLOUR)
        self.full_title = title
        set_plot_title(plot, title, 10)
        plot.showGrid(False, False)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        self.view_box = plot.getViewBox()
        self.view_box.invertY(True)
        self.view_box.setAspectLocked(True)
        self.image_item = pg.ImageItem(axisOrder="row-major")
        plot.addItem(self.image_item)
        self.screen_image = ScreenImage(self.view_box, self.image_item)   # a photo: at the screen's pixels
        self.rect = Rect(0, 0, 1, 1)
        self.values: np.ndarray | None = None
        self.shape: tuple = (1, 1)         # (H, W) of the array drawn (``values`` may hold every s-th pixel)
        self.sample_step = 1
        self.drawn_bytes = False  # the item shows bytes made in a worker, not ``values``
        self.scene().sigMouseMoved.connect(self._mouse_moved)

    def _add_colour_bar(self, *, interactive: bool, tip: str) -> LevelsBar:
        """A horizontal colour bar below the plot; both views get one so their plots stay the same size."""
        bar = LevelsBar(interactive=interactive, tip=tip)
        bar.getAxis("bottom").setTextPen(AXIS_TEXT_COLOUR)
        bar.set_levels((0.0, 255.0), make_colormap("grey"), span=(0.0, 255.0))
        plot = self.getPlotItem()
        plot.layout.addItem(bar, 5, 1)
        plot.layout.setRowFixedHeight(4, 10)
        return bar

    def set_title(self, text: str, tooltip: str | None = None) -> None:
        """The title (10 pt, scaled with the application font), elided to the view's width; the whole
        text is :attr:`full_title`, and ``tooltip`` (default: the whole text) the title's tooltip."""
        if (text, tooltip) == getattr(self, "_title_set", None):
            return          # the same title (every edit of a kernel value): no relayout, no repaint
        self._title_set = (text, tooltip)
        self.full_title = text
        set_plot_title(self, text, 10)
        self.getPlotItem().titleLabel.setToolTip(tooltip or text)
        self._elide_title()

    def shown_title(self) -> str:
        """The title as drawn (elided when the view is too narrow for :attr:`full_title`)."""
        return self.getPlotItem().titleLabel.text

    def _elide_title(self) -> None:
        if not hasattr(self, "full_title"):   # pyqtgraph resizes the view while it is being made
            return
        label = self.getPlotItem().titleLabel
        font = QFont(self.font())
        size = str(label.opts.get("size", ""))
        if size.endswith("pt"):
            font.setPointSizeF(float(size[:-2]))
        axis = self.getPlotItem().getAxis("left")       # the title sits over the image column only
        room = max(40, self.width() - int(axis.width() if axis.isVisible() else 0) - 24)
        text = _elide_words(self.full_title, QFontMetrics(font), room)
        if text != label.text:
            label.setText(text)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide_title()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:   # presentation mode: the title is re-sized first
            QTimer.singleShot(0, self, self._elide_title)

    def show_values(self, values: np.ndarray, rect: Rect, *, levels, colormap: pg.ColorMap | None,
                    display: np.ndarray | None = None, reduced: np.ndarray | None = None,
                    sample_step: int = 1, full_hw=None) -> None:
        """Draw ``values`` ((H, W) through ``colormap`` or (H, W, 3) RGB) scaled by ``levels`` into ``rect``.

        ``display``: the array's bytes at ``levels`` (made in a worker), drawn as is; :attr:`values`
        (the readout) stays ``values``. A photo-sized array is drawn at the screen's resolution
        (:class:`~convviz.ui.widgets.screen_image.ScreenImage`); ``reduced`` is what it draws of
        ``display`` (or ``values``) when a worker made it already. ``sample_step > 1``: ``values`` holds
        every s-th pixel of a ``full_hw`` array (``display``, if given, is whole).
        """
        self.values = values
        self.rect = rect
        self.sample_step = sample_step
        self.shape = tuple(full_hw) if full_hw is not None else tuple(values.shape[:2])
        self.drawn_bytes = display is not None
        self.screen_image.set_colormap(colormap if values.ndim == 2 else None)
        if display is not None:
            self.screen_image.show(display, rect, (0.0, 255.0), reduced)
        else:
            self._draw_values(levels)

    def _draw_values(self, levels) -> None:
        if self.sample_step > 1:
            self.screen_image.show_sample(self.values, self.sample_step, self.shape, self.rect, levels)
        else:
            self.screen_image.show(self.values, self.rect, levels)

    def set_levels(self, levels, colormap: pg.ColorMap | None) -> None:
        """Change levels (and for 2-D values the colour map) without new data."""
        if self.values is None:
            return
        if self.values.ndim == 2 and colormap is not None:
            self.screen_image.set_colormap(colormap)
        if self.drawn_bytes:  # the bytes were scaled for other levels: draw the values themselves
            self.drawn_bytes = False
            self._draw_values(levels)
        else:
            self.screen_image.set_levels(levels)

    def pixel_at(self, x: float, y: float) -> tuple[int, int] | None:
        """``(row, col)`` of the shown array under view point ``(x, y)``."""
        if self.values is None:
            return None
        return pixel_at(x, y, self.rect, self.shape)

    def _mouse_moved(self, scene_pos: QPointF) -> None:
        if not self.view_box.sceneBoundingRect().contains(scene_pos):
            self.hovered.emit(None)
            return
        point = self.view_box.mapSceneToView(scene_pos)
        self.hovered.emit((point.x(), point.y()))

    def leaveEvent(self, event):
        self.hovered.emit(None)
        super().leaveEvent(event)


class InputView(ImagePane):
    """The input image with its padding drawn as a tinted, dashed border."""

    def __init__(self, parent=None):
        super().__init__("inputView", "Input", parent)
        self.padding_item = QGraphicsPathItem()
        pen = QPen(PADDING_EDGE)
        pen.setStyle(Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        pen.setWidthF(1.5)
        self.padding_item.setPen(pen)
        self.padding_item.setBrush(QBrush(PADDING_FILL))
        self.padding_item.setZValue(10)
        self.getPlotItem().addItem(self.padding_item)
        self.padding_label = pg.TextItem(color=PADDING_EDGE, anchor=(0, 1))
        self.padding_label.setZValue(11)
        self.getPlotItem().addItem(self.padding_label)
        self.padded = Rect(0, 0, 1, 1)
        self.colour_bar = self._add_colour_bar(interactive=False, tip="Input values 0 (black) to 255 (white)")
        self.window_mark = _Mark(self.getPlotItem())

    def set_padding(self, padded: Rect, image_hw, label: str) -> None:
        """Tint the area between the image ``(H, W)`` and ``padded`` and write ``label`` above it."""
        if (padded, tuple(image_hw), label) == getattr(self, "_padding_shown", None):
            return  # e.g. a kernel edit of the same size: nothing to redraw
        self._padding_shown = (padded, tuple(image_hw), label)
        self.padded = padded
        h, w = image_hw
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.OddEvenFill)
        path.addRect(QRectF(padded.x, padded.y, padded.width, padded.height))
        path.addRect(QRectF(0, 0, w, h))
        self.padding_item.setPath(path)
        self.padding_item.setVisible(padded != Rect(0, 0, w, h))
        self.padding_label.setText(label)
        self.padding_label.setPos(padded.x, padded.y)

    def fit(self) -> None:
        """Zoom so the padded image fills the view."""
        p = self.padded
        self.view_box.setRange(QRectF(p.x, p.y, p.width, p.height), padding=0.02)


class OutputView(ImagePane):
    """The output image with a colour bar whose handles are the levels (drag one to change it)."""

    levelsDragged = Signal(float, float)

    def __init__(self, parent=None):
        super().__init__("outputView", "Output", parent)
        self.colour_bar = self._add_colour_bar(
            interactive=True, tip="Colours of the output; the handles are the levels: drag one to change it")
        self.colour_bar.levelsDragged.connect(self.levelsDragged)
        self.value_range: tuple[float, float] | None = None
        self.pixel_mark = _Mark(self.getPlotItem())

    def show_output(self, values, rect: Rect, *, levels, colormap_name: str, display=None, value_range=None,
                    reduced=None, sample_step: int = 1, full_hw=None) -> None:
        """Draw ``values`` as :meth:`show_values` does; ``value_range`` (smallest, largest) widens the bar."""
        cmap = make_colormap(colormap_name)
        self.value_range = value_range
        self.show_values(values, rect, levels=levels, colormap=cmap, display=display, reduced=reduced,
                         sample_step=sample_step, full_hw=full_hw)
        self._sync_bar(levels, cmap)

    def set_output_levels(self, levels, colormap_name: str) -> None:
        cmap = make_colormap(colormap_name)
        self.set_levels(levels, cmap)
        self._sync_bar(levels, cmap)

    def _sync_bar(self, levels, cmap) -> None:
        grey = self.values is not None and self.values.ndim == 3      # RGB: the bar shows each channel's scale
        self.colour_bar.set_levels(levels, make_colormap("grey") if grey else cmap, self.value_range)


class _Mark:
    """A yellow outline over a dark one (seen on any picture) with a light fill: the magnified kernel
    window on the input (its taps outlined and filled when dilated), or the output pixel on the output."""

    def __init__(self, plot: pg.PlotItem):
        self.fill = QGraphicsPathItem()
        self.fill.setPen(QPen(Qt.PenStyle.NoPen))
        self.fill.setBrush(QBrush(MARK_FILL))
        self.fill.setZValue(19)
        self.lines = []
        for colour, width, z in ((MARK_SHADOW, 4.0, 20), (MARK_EDGE, 2.0, 21)):
            item = QGraphicsPathItem()
            pen = QPen(colour)
            pen.setCosmetic(True)
            pen.setWidthF(width)
            item.setPen(pen)
            item.setZValue(z)
            self.lines.append(item)
        for item in (self.fill, *self.lines):
            item.setVisible(False)
            plot.addItem(item)
        self.outline: Rect | None = None
        self.cells: tuple[Rect, ...] = ()

    def show(self, outline: Rect | None, cells=()) -> None:
        """Outline ``outline`` and ``cells`` (:class:`Rect` in view coordinates) and fill the cells (the
        outline when there are none); ``None`` hides the mark."""
        cells = tuple(cells) if outline is not None else ()
        if (outline, cells) == (self.outline, self.cells):
            return
        self.outline, self.cells = outline, cells
        lines, filled = QPainterPath(), QPainterPath()
        filled.setFillRule(Qt.FillRule.WindingFill)
        for r in ((outline,) if outline is not None else ()) + cells:
            lines.addRect(QRectF(r.x, r.y, r.width, r.height))
        for r in cells or ((outline,) if outline is not None else ()):
            filled.addRect(QRectF(r.x, r.y, r.width, r.height))
        for item in self.lines:
            item.setPath(lines)
        self.fill.setPath(filled)
        for item in (self.fill, *self.lines):
            item.setVisible(outline is not None)

    @property
    def visible(self) -> bool:
        return self.outline is not None
