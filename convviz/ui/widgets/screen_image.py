"""An image drawn with no more pixels than the screen shows (pyqtgraph), however large the array.

pyqtgraph turns the whole array into a QImage on every repaint: 150–250 ms for a 12-megapixel
photo, on the GUI thread. :class:`ScreenImage` draws every ``step``-th pixel of a large array
(about :data:`BASE_PIXELS`, each sample covering its ``step × step`` block) and, once the view is
zoomed in further than that shows, every ``need``-th pixel (1 when each array pixel covers a screen
pixel or more) of the part in view on top, so what is seen is always the array's own pixels at the
screen's resolution. Values, levels and colour maps are the caller's: nothing is averaged or rescaled.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QTimer

from convviz.model.screen_sample import REDUCE_ABOVE, reduction_step
from convviz.model.view_geometry import Rect

__all__ = ["REDUCE_ABOVE", "ScreenImage", "reduction_step", "sample_rect"]

#: the part in view is drawn with this fraction of its size more on each side (small pans stay sharp)
DETAIL_MARGIN = 0.25
DETAIL_DELAY_MS = 40


def sample_rect(rect: Rect, hw, r0: int, c0: int, rows: int, cols: int, step: int) -> Rect:
    """Where ``array[r0::step, c0::step]`` (``rows × cols`` samples) is drawn when the whole ``(H, W)``
    array fills ``rect``: sample ``(i, j)`` covers array rows ``r0 + i·step … + step``, columns alike."""
    h, w = hw
    sy, sx = rect.height / h, rect.width / w
    return Rect(rect.x + c0 * sx, rect.y + r0 * sy, cols * step * sx, rows * step * sy)


class ScreenImage:
    """Draws one array into ``rect`` of ``view_box`` through ``base`` (the item the caller made and
    placed) and a detail item on top of it for the part in view when zoomed in."""

    def __init__(self, view_box: pg.ViewBox, base: pg.ImageItem):
        self.view_box, self.base = view_box, base
        self.detail = pg.ImageItem(axisOrder="row-major")
        self.detail.setZValue(base.zValue() + 1)
        self.detail.setVisible(False)
        view_box.addItem(self.detail)
        self.source: np.ndarray | None = None
        self.rect = Rect(0, 0, 1, 1)
        self.step = 1
        self.levels: tuple[float, float] = (0.0, 255.0)
        self._detail_key: tuple | None = None
        self._colormap: pg.ColorMap | None | bool = False      # False: none set yet
        self._timer = QTimer(view_box)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DETAIL_DELAY_MS)
        self._timer.timeout.connect(self.update_detail)
        view_box.sigRangeChanged.connect(lambda *_: self._timer.start())
        view_box.sigResized.connect(lambda *_: self._timer.start())

    @property
    def items(self) -> tuple[pg.ImageItem, pg.ImageItem]:
        return self.base, self.detail

    def show(self, source: np.ndarray, rect: Rect, levels, reduced: np.ndarray | None = None) -> None:
        """Draw ``source`` ((H, W) or (H, W, 3)) into ``rect`` at ``levels``; ``reduced`` is
        :func:`~convviz.model.screen_sample.screen_sample` of it when a worker made it already."""
        self.source, self.rect, self.levels = source, rect, (float(levels[0]), float(levels[1]))
        h, w = source.shape[:2]
        self.step = step = reduction_step(h, w)
        if step == 1:
            shown = source
        elif reduced is not None and reduced.shape[:2] == (-(-h // step), -(-w // step)):
            shown = reduced
        else:
            shown = np.ascontiguousarray(source[::step, ::step])
        self.base.setImage(shown, autoLevels=False, levels=self._item_levels())
        at = rect if step == 1 else sample_rect(rect, (h, w), 0, 0, shown.shape[0], shown.shape[1], step)
        self.base.setRect(QRectF(at.x, at.y, at.width, at.height))
        self._detail_key = None
        self.update_detail()

    def show_sample(self, sample: np.ndarray, step: int, full_hw, rect: Rect, levels) -> None:
        """Draw ``sample`` — every ``step``-th pixel of a ``full_hw`` array that is not at hand — into
        ``rect`` (each sample covering its block); nothing finer is drawn when zoomed in."""
        self.source, self.rect, self.levels = sample, rect, (float(levels[0]), float(levels[1]))
        self.step = 1
        self.base.setImage(sample, autoLevels=False, levels=self._item_levels())
        at = sample_rect(rect, full_hw, 0, 0, sample.shape[0], sample.shape[1], step)
        self.base.setRect(QRectF(at.x, at.y, at.width, at.height))
        self._detail_key = None
        self.update_detail()

    def set_levels(self, levels) -> None:
        self.levels = (float(levels[0]), float(levels[1]))
        for item in self.items:
            if item.image is not None:
                item.setLevels(self._item_levels())

    def _item_levels(self) -> tuple[float, float] | None:
        """The items' levels: None for bytes at 0–255 (pyqtgraph then draws them as they are, where
        levels (0, 255) cost a rescaling pass over every pixel on each repaint)."""
        if self.source is not None and self.source.dtype == np.uint8 and self.levels == (0.0, 255.0):
            return None
        return self.levels

    def set_colormap(self, colormap: pg.ColorMap | None) -> None:
        """``colormap`` for a 2-D array; None draws (H, W, 3) arrays as RGB. The same map object again
        changes nothing (its lookup table is not made again)."""
        if colormap is self._colormap:
            return
        self._colormap = colormap
        for item in self.items:
            if colormap is not None:
                item.setColorMap(colormap)
            else:
                item.setLookupTable(None)

    def update_detail(self) -> None:
        """Draw the part in view at the screen's resolution over the reduced image, when it needs more
        pixels than that has (called shortly after each zoom or pan)."""
        region = self.detail_region()
        if region is None:
            self.detail.setVisible(False)
            self._detail_key = None
            return
        key = (id(self.source), *region)
        if key == self._detail_key:
            return
        self._detail_key = key
        r0, r1, c0, c1, need = region
        assert self.source is not None
        part = np.ascontiguousarray(self.source[r0:r1:need, c0:c1:need])
        self.detail.setImage(part, autoLevels=False, levels=self._item_levels())
        at = sample_rect(self.rect, self.source.shape[:2], r0, c0, part.shape[0], part.shape[1], need)
        self.detail.setRect(QRectF(at.x, at.y, at.width, at.height))
        self.detail.setVisible(True)

    def detail_region(self) -> tuple[int, int, int, int, int] | None:
        """``(r0, r1, c0, c1, need)``: the array rows and columns in view (with a margin) and the step
        that gives about one sample per screen pixel; None when the reduced image is enough."""
        if self.source is None or self.step == 1:
            return None
        h, w = self.source.shape[:2]
        view = self.view_box.viewRect()
        screen_w = max(1.0, float(self.view_box.width()))
        rect = self.rect
        px_x = w / rect.width                       # array pixels per view unit
        need = max(1, int(view.width() * px_x / screen_w))
        if need >= self.step:
            return None
        mx, my = view.width() * DETAIL_MARGIN, view.height() * DETAIL_MARGIN
        c0 = max(0, math.floor((view.left() - mx - rect.x) * px_x))
        c1 = min(w, math.ceil((view.right() + mx - rect.x) * px_x))
        py = h / rect.height
        r0 = max(0, math.floor((view.top() - my - rect.y) * py))
        r1 = min(h, math.ceil((view.bottom() + my - rect.y) * py))
        if r0 >= r1 or c0 >= c1:
            return None
        return r0, r1, c0, c1, need
