"""A grid of coloured cells with numbers in them, painted for projection, with highlights (shared by Step
through, Pooling, Transposed conv, 1-D and the Filter tab's magnifier).

The cells (colours and texts) are painted once into a cached pixmap; the highlights that
change every step (the kernel window with its weights, the cell being written, marked cells,
how many cells are filled in) are drawn over it, so a step costs one pixmap blit and a few
rectangles. Cells not filled in yet are hatched grey on the background, never a colour a value
could have.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QLineF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QPixmap, QRegion
from PySide6.QtWidgets import QSizePolicy, QWidget

from convviz.model.cell_layout import cell_geometry, filled_rectangles, text_pixel_size

from .cell_grid_painting import (
    ALIGN_CENTER,
    MAX_TEXT_PX,
    MIN_TEXT_PX,
    WINDOW_COLOUR,
    labels_readable,
    paint_marks,
    paint_title,
    paint_window,
    text_colour_for,
    title_font,
    title_height,
)

__all__ = ["CellGrid", "EMPTY_HATCH", "MAX_TEXT_PX", "MIN_TEXT_PX", "WINDOW_COLOUR", "text_colour_for"]

PADDING_HATCH = QColor(40, 90, 200, 120)
IMAGE_BORDER = QColor(20, 60, 160)
EMPTY_HATCH = QColor(128, 128, 128)
GRID_LINE = QColor(160, 160, 160)
#: below this size (pixels) a grid with short texts draws those instead
READABLE_PX = 12


class CellGrid(QWidget):
    """Cells ``(rows, cols)`` with a colour and an optional (multi-line) text each.

    ``cellClicked(row, col)`` is emitted on a left click. Padding cells (a mask) are hatched
    and the real image is framed, so the two are told apart at a glance.
    """

    cellClicked = Signal(int, int)

    def __init__(self, title: str = "", parent: QWidget | None = None, *, max_cell: int = 110):
        super().__init__(parent)
        self._title = title
        self._max_cell = max_cell
        self._colours = np.zeros((0, 0, 3), dtype=np.uint8)
        self._texts: list[list[str]] | None = None
        self._short_texts: list[list[str]] | None = None
        self._drawn: list[list[str]] | None = None
        self._padding: np.ndarray | None = None
        self._filled: int | None = None
        self._window: tuple[np.ndarray, np.ndarray] | None = None
        self._window_labels: list[list[str]] | None = None
        self._window_values: list[list[str]] | None = None
        self._current: tuple[int, int] | None = None
        self._accent: tuple[int, int] | None = None
        self._marked: tuple[tuple[int, int], ...] = ()
        self._base: QPixmap | None = None
        self._blank: QPixmap | None = None
        self._text_px = 0
        self._geometry_key: tuple | None = None
        self._geometry = (0.0, 0.0, 0.0)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(80, 80)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    # -- content ---------------------------------------------------------------------------
    def set_title(self, title: str) -> None:
        if title != self._title:
            self._title = title
            self._invalidate()

    def title(self) -> str:
        return self._title

    def set_cells(self, colours: np.ndarray, texts: list[list[str]] | None = None,
                  padding: np.ndarray | None = None, short_texts: list[list[str]] | None = None) -> None:
        """Colours ``(rows, cols, 3)`` uint8, texts (row lists, ``None`` for none), padding mask, and
        shorter texts drawn instead when the cells are too small to read the full ones."""
        padding = None if padding is None or not np.any(padding) else np.asarray(padding, dtype=bool)
        old = self._padding
        same_frame = (self._colours.shape[:2] == np.shape(colours)[:2] and
                      (padding is None) == (old is None) and
                      (padding is None or old is None or np.array_equal(padding, old)))
        self._colours = np.asarray(colours, dtype=np.uint8)
        self._texts = texts
        self._short_texts = short_texts
        self._padding = padding
        self._base = None
        if not same_frame:
            self._blank = None
        self.update()

    def shape(self) -> tuple[int, int]:
        return self._colours.shape[0], self._colours.shape[1]

    def texts(self) -> list[list[str]] | None:
        return self._texts

    def cell_text(self, row: int, col: int) -> str:
        """The text drawn in a cell ('' when there is none, or it is blank)."""
        if self._texts is None or not self.is_filled(row, col):
            return ""
        return self._texts[row][col]

    def cell_colour(self, row: int, col: int) -> tuple[int, int, int]:
        r, g, b = (int(v) for v in self._colours[row, col])
        return r, g, b

    def is_padding(self, row: int, col: int) -> bool:
        return bool(self._padding is not None and self._padding[row, col])

    def numbers_visible(self) -> bool:
        """True when the cells are big enough for their numbers to be drawn."""
        self._layout_text()
        return self._drawn is not None and self._text_px >= MIN_TEXT_PX

    def drawn_text(self, row: int, col: int) -> str:
        """The text actually drawn in a cell: its text, its short text on small cells, or ''."""
        self._layout_text()
        if self._drawn is None or self._text_px < MIN_TEXT_PX or not self.is_filled(row, col):
            return ""
        return self._drawn[row][col]

    # -- highlights ------------------------------------------------------------------------
    def set_filled(self, count: int | None) -> None:
        """Show only the first ``count`` cells (row-major); the rest are blank. ``None``: all."""
        if count == self._filled:
            return
        old, self._filled = self._filled, count
        rows, cols = self.shape()
        if old is None or count is None or cols == 0:
            self.update()
            return
        lo, hi = sorted((old, count))
        first, last = divmod(lo, cols), divmod(max(hi - 1, lo), cols)
        if first[0] == last[0]:
            self._update_cells(first, last)
        else:
            self._update_cells((first[0], 0), (last[0], cols - 1))

    def filled(self) -> int | None:
        return self._filled

    def is_filled(self, row: int, col: int) -> bool:
        return self._filled is None or row * self.shape()[1] + col < self._filled

    def set_window(self, rows, cols) -> None:
        """Outline the kernel taps at ``rows`` × ``cols`` (arrays); ``None`` clears."""
        old = self._window
        self._window = None if rows is None else (np.asarray(rows), np.asarray(cols))
        for window in (old, self._window):
            if window is not None and window[0].size and window[1].size:
                self._update_cells((int(window[0].min()), int(window[1].min())),
                                   (int(window[0].max()), int(window[1].max())))

    def window(self):
        return self._window

    def set_window_labels(self, labels: list[list[str]] | None, values: list[list[str]] | None = None) -> None:
        """Texts written small in the window's cells, one per tap (the kernel's shape; ``None``: none),
        and the values those cells show (the grid's shape; ``None``: their texts)."""
        self._window_labels, self._window_values = labels, values
        self.update()

    def window_value(self, row: int, col: int) -> str:
        """The value a labelled window cell shows (exact where the cells round)."""
        if self._window_values is not None and self.is_filled(row, col):
            return self._window_values[row][col]
        return self.cell_text(row, col)

    def window_values(self) -> list[list[str]] | None:
        return self._window_values if self._window_values is not None else self._texts

    def window_labels(self) -> list[list[str]] | None:
        return self._window_labels

    def window_label(self, row: int, col: int) -> str:
        """The label written in grid cell ``(row, col)`` under the window ('' outside it or when
        the cells are too small to carry one)."""
        if self._window is None or self._window_labels is None or not labels_readable(self):
            return ""
        rows, cols = (w.tolist() for w in self._window)
        if row not in rows or col not in cols:
            return ""
        return self._window_labels[rows.index(row)][cols.index(col)]

    def set_current(self, cell: tuple[int, int] | None) -> None:
        old, self._current = self._current, cell
        for c in (old, cell):
            if c is not None:
                self._update_cells(c, c)

    def current(self):
        return self._current

    def set_accent(self, cell: tuple[int, int] | None) -> None:
        old, self._accent = self._accent, cell
        for c in (old, cell):
            if c is not None:
                self._update_cells(c, c)

    def _update_cells(self, first: tuple[int, int], last: tuple[int, int]) -> None:
        """Repaint only the cells from ``first`` to ``last`` (a rectangle), with room for outlines."""
        rect = self.cell_rect(*first).united(self.cell_rect(*last))
        _, _, s = self._cell_size()
        pad = max(6.0, s / 5)
        self.update(rect.adjusted(-pad, -pad, pad, pad).toAlignedRect())

    def accent(self):
        return self._accent

    def set_marked(self, cells) -> None:
        self._marked = tuple(tuple(c) for c in cells)
        self.update()

    def marked(self) -> tuple[tuple[int, int], ...]:
        return self._marked

    # -- geometry --------------------------------------------------------------------------
    def _title_font(self) -> QFont:
        return title_font(self.font(), self._title, self.width())

    def _title_height(self) -> int:
        return title_height(self._title_font(), self._title, self.width())

    def _cell_size(self) -> tuple[float, float, float]:
        """``(x0, y0, side)`` of the square cells, centred in the widget under the title."""
        rows, cols = self.shape()
        key = (self.width(), self.height(), rows, cols, self._title)
        if self._geometry_key == key:
            return self._geometry
        geometry = cell_geometry(self.width(), self.height(), rows, cols, self._title_height(), self._max_cell)
        self._geometry_key, self._geometry = key, geometry
        return geometry

    def cell_rect(self, row: int, col: int) -> QRectF:
        x0, y0, s = self._cell_size()
        return QRectF(x0 + col * s, y0 + row * s, s, s)

    def cell_at(self, pos) -> tuple[int, int] | None:
        x0, y0, s = self._cell_size()
        rows, cols = self.shape()
        if s <= 0:
            return None
        c, r = int((pos.x() - x0) // s), int((pos.y() - y0) // s)
        return (r, c) if 0 <= r < rows and 0 <= c < cols else None

    def sizeHint(self) -> QSize:
        rows, cols = self.shape()
        s = 44
        return QSize(max(160, min(cols * s, 700)), max(140, min(rows * s, 600) + self._title_height()))

    def _layout_text(self) -> None:
        side = self._cell_size()[2]
        self._drawn, self._text_px = self._texts, text_pixel_size(self._texts, side, MAX_TEXT_PX)
        if self._short_texts is not None and self._text_px < READABLE_PX:
            short_px = text_pixel_size(self._short_texts, side, MAX_TEXT_PX)
            if short_px > self._text_px:
                self._drawn, self._text_px = self._short_texts, short_px

    # -- painting --------------------------------------------------------------------------
    def _invalidate(self) -> None:
        self._base = None
        self._blank = None
        self.update()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.FontChange:  # the title's height (presentation mode scales fonts)
            self._geometry_key = None
            self._invalidate()
        super().changeEvent(event)

    def resizeEvent(self, event) -> None:
        self._invalidate()
        super().resizeEvent(event)

    def _new_pixmap(self) -> QPixmap:
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(self.size() * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(self.palette().window().color())  # opaque: blits without blending
        return pixmap

    def _grid_lines(self) -> list[QLineF]:
        rows, cols = self.shape()
        x0, y0, s = self._cell_size()
        lines = [QLineF(x0, y0 + r * s, x0 + cols * s, y0 + r * s) for r in range(rows + 1)]
        lines += [QLineF(x0 + c * s, y0, x0 + c * s, y0 + rows * s) for c in range(cols + 1)]
        return lines

    def _paint_frame(self, painter: QPainter, lines: bool) -> None:
        """Title, grid lines and the frame around the real image (shared by both pixmaps)."""
        paint_title(painter, self._title_font(), self._title, self.width(), self._title_height(),
                    self.palette().windowText().color())
        if lines:
            painter.setPen(QPen(GRID_LINE, 1))
            painter.drawLines(self._grid_lines())
        rows, cols = self.shape()
        if self._padding is not None and rows and cols:
            inside = np.argwhere(~self._padding)
            if inside.size:
                x0, y0, s = self._cell_size()
                (r0, c0), (r1, c1) = inside.min(axis=0), inside.max(axis=0)
                painter.setPen(QPen(IMAGE_BORDER, max(2.0, s / 14)))
                painter.drawRect(QRectF(x0 + c0 * s, y0 + r0 * s, (c1 - c0 + 1) * s, (r1 - r0 + 1) * s))

    def _render(self) -> None:
        """Paint the cells into the cached pixmaps (the blank one only when the frame changed)."""
        self._layout_text()
        rows, cols = self.shape()
        x0, y0, s = self._cell_size()
        if self._blank is None:
            self._blank = self._new_pixmap()
            q = QPainter(self._blank)
            q.fillRect(QRectF(x0, y0, cols * s, rows * s), QBrush(EMPTY_HATCH, Qt.BrushStyle.FDiagPattern))
            self._paint_frame(q, lines=True)
            q.end()
        base = self._new_pixmap()
        p = QPainter(base)
        font = QFont(self.font())
        font.setPixelSize(max(self._text_px, 1))
        p.setFont(font)
        hatch = QBrush(PADDING_HATCH, Qt.BrushStyle.BDiagPattern)
        texts = self._drawn if self._drawn is not None and self._text_px >= MIN_TEXT_PX else None
        colours = self._colours.tolist()
        # cells 1 px apart on a grey ground: the ground between them is the grid
        p.fillRect(QRectF(x0, y0, cols * s + 1, rows * s + 1), GRID_LINE)
        gap = 1.0 if s >= 6 else 0.0
        for r in range(rows):
            for c in range(cols):
                rect = QRectF(x0 + c * s + gap, y0 + r * s + gap, s - gap, s - gap)
                rgb = colours[r][c]
                p.fillRect(rect, QColor(rgb[0], rgb[1], rgb[2]))
                padded = self._padding is not None and self._padding[r, c]
                if padded:
                    p.fillRect(rect, hatch)
                if texts is not None and texts[r][c]:
                    p.setPen(text_colour_for(rgb))
                    if padded != font.italic():
                        font.setItalic(bool(padded))
                        p.setFont(font)
                    p.drawText(rect, ALIGN_CENTER, texts[r][c])
        self._paint_frame(p, lines=False)
        p.end()
        self._base = base

    def _filled_region(self, filled: int) -> QRegion:
        region = QRegion()
        for rect in filled_rectangles(filled, *self.shape(), *self._cell_size()):
            region += QRegion(QRect(*rect))
        return region

    def paintEvent(self, event) -> None:
        if self._base is None or self._blank is None:
            self._render()
        base, blank = self._base, self._blank
        assert base is not None and blank is not None  # made by _render
        painter = QPainter(self)
        exposed = event.rect()
        ratio = base.devicePixelRatio()
        source = QRectF(exposed.x() * ratio, exposed.y() * ratio, exposed.width() * ratio, exposed.height() * ratio)
        if self._filled is None:
            painter.drawPixmap(QRectF(exposed), base, source)
        else:
            painter.drawPixmap(QRectF(exposed), blank, source)
            painter.setClipRegion(self._filled_region(self._filled).intersected(exposed))
            painter.drawPixmap(QRectF(exposed), base, source)
            painter.setClipping(False)
        _, _, s = self._cell_size()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if self._window is not None:
            paint_window(self, painter, s, *self._window)
        paint_marks(self, painter, s)
        painter.end()

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            cell = self.cell_at(event.position())
            if cell is not None:
                self.cellClicked.emit(*cell)
                event.accept()
                return
        super().mousePressEvent(event)
