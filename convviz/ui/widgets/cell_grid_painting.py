"""Painting helpers of :class:`~.cell_grid.CellGrid`: the kernel window with the weights written
under it, and titles that shrink to two lines. Only drawing; the sizes come from
:mod:`convviz.model.cell_layout`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen

from convviz.model.cell_layout import dark_text_on, text_pixel_size

from .font_fit import bold_within

if TYPE_CHECKING:
    from .cell_grid import CellGrid

WINDOW_COLOUR = QColor(255, 140, 0)
CURRENT_COLOUR = QColor(214, 39, 40)
MARK_COLOUR = QColor(0, 170, 230)
ACCENT_COLOUR = QColor(200, 0, 200)
LABEL_TEXT = QColor(0, 0, 0)
ALIGN_CENTER = Qt.AlignmentFlag.AlignCenter
#: numbers smaller than this (pixels) are not drawn; the cells are too small to read them
MIN_TEXT_PX = 8
MAX_TEXT_PX = 30
#: a title too long for two lines is drawn down to this share of the font
SMALLEST_TITLE = 0.6
#: the weights on the window are written in cells at least this large (pixels)
MIN_LABEL_CELL = 24
#: the weight's strip takes this share of a window cell's height; the value keeps the rest
LABEL_SHARE = 0.45


def text_colour_for(rgb) -> QColor:
    """Black on light cells, white on dark ones (perceived luminance)."""
    return QColor(0, 0, 0) if dark_text_on(rgb) else QColor(255, 255, 255)


def title_font(font: QFont, title: str, width: int) -> QFont:
    """``font`` bold, smaller (to :data:`SMALLEST_TITLE`) when two lines of ``width`` cannot hold ``title``."""
    return bold_within(font, title, 2 * (width - 8) * 0.9, SMALLEST_TITLE)


def paint_title(painter: QPainter, font: QFont, title: str, width: int, height: int, colour: QColor) -> None:
    """``title`` centred (wrapped to two lines when it must) in the top ``height`` pixels."""
    if title:
        painter.setFont(font)
        painter.setPen(colour)
        painter.drawText(QRect(4, 0, width - 8, height), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                         title)


def title_height(font: QFont, title: str, width: int) -> int:
    """Pixels a title needs above the cells: one line and a half, or two and a half when it wraps."""
    if not title:
        return 0
    lines = 1 if QFontMetrics(font).horizontalAdvance(title) <= width - 8 else 2
    return int(QFontMetrics(font).height() * (lines + 0.5))


def label_fonts(grid: CellGrid, s: float) -> tuple[QFont, QFont]:
    """Fonts of a window cell ``s`` pixels wide: its value above, its weight in the strip below."""
    labels = grid.window_labels() or [[""]]
    value_texts = [[t] for row in (grid.window_values() or [[""]]) for t in row]
    value_px = text_pixel_size(value_texts, s, MAX_TEXT_PX, s * (1 - LABEL_SHARE))
    label_px = text_pixel_size([[t] for row in labels for t in row], s, MAX_TEXT_PX, s * LABEL_SHARE)
    value_font, label_font = QFont(grid.font()), QFont(grid.font())
    value_font.setPixelSize(max(value_px, 1))
    label_font.setPixelSize(max(label_px, 1))
    label_font.setBold(True)
    return value_font, label_font


def labels_readable(grid: CellGrid) -> bool:
    """True when the grid's cells are large enough to write the weights under the window."""
    s = grid.cell_rect(0, 0).width()
    return s >= MIN_LABEL_CELL and label_fonts(grid, s)[1].pixelSize() >= MIN_TEXT_PX


def paint_window(grid: CellGrid, painter: QPainter, s: float, rows: np.ndarray, cols: np.ndarray) -> None:
    """The kernel's taps at ``rows`` × ``cols`` of ``grid`` (cells ``s`` wide): each tinted, or, when
    they are large enough, with its weight written in an orange strip under its value; the window's
    outline (dashed when dilation spaces the taps)."""
    if rows.size == 0 or cols.size == 0:
        return
    tap_fill = QColor(WINDOW_COLOUR)
    tap_fill.setAlpha(55)
    labels = grid.window_labels() if grid.window_labels() is not None and labels_readable(grid) else None
    fonts = label_fonts(grid, s) if labels is not None else None
    pen = QPen(WINDOW_COLOUR, max(2.0, s / 14))
    for a, r in enumerate(rows.tolist()):
        for b, c in enumerate(cols.tolist()):
            rect = grid.cell_rect(r, c)
            if labels is not None and fonts is not None:
                _paint_labelled_cell(grid, painter, rect, r, c, labels[a][b], fonts)
            else:
                painter.fillRect(rect, tap_fill)
            painter.setPen(pen)
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
    top_left = grid.cell_rect(int(rows.min()), int(cols.min())).topLeft()
    bottom_right = grid.cell_rect(int(rows.max()), int(cols.max())).bottomRight()
    outline = QPen(WINDOW_COLOUR, max(3.0, s / 9))
    outline.setStyle(Qt.PenStyle.DashLine if (rows.size > 1 and np.any(np.diff(rows) > 1))
                     or (cols.size > 1 and np.any(np.diff(cols) > 1)) else Qt.PenStyle.SolidLine)
    painter.setPen(outline)
    painter.drawRect(QRectF(top_left, bottom_right))


def _paint_labelled_cell(grid: CellGrid, painter: QPainter, rect: QRectF, r: int, c: int, label: str,
                         fonts: tuple[QFont, QFont]) -> None:
    """A window cell: its colour and value in the upper part, ``label`` (the weight) in an orange
    strip along the bottom."""
    rows, cols = grid.shape()
    rgb = grid.cell_colour(r, c) if 0 <= r < rows and 0 <= c < cols else (0, 0, 0)
    top = QRectF(rect.x(), rect.y(), rect.width(), rect.height() * (1 - LABEL_SHARE))
    strip = QRectF(rect.x(), top.bottom(), rect.width(), rect.height() - top.height())
    painter.fillRect(rect, QColor(*rgb))
    value = grid.window_value(r, c)
    value_font, label_font = fonts
    if value and value_font.pixelSize() >= MIN_TEXT_PX:
        value_font.setItalic(grid.is_padding(r, c))
        painter.setFont(value_font)
        painter.setPen(text_colour_for(rgb))
        painter.drawText(top, ALIGN_CENTER, value)
    painter.fillRect(strip, WINDOW_COLOUR)
    painter.setFont(label_font)
    painter.setPen(LABEL_TEXT)
    painter.drawText(strip, ALIGN_CENTER, label)


def paint_marks(grid: CellGrid, painter: QPainter, s: float) -> None:
    """The marked cells (blue), the accented tap (magenta) and the cell being written (red on white)."""
    # frames sit on the cell's edge, so in a small cell they never cover its number ("177" must not read "7")
    for cell in grid.marked():
        painter.fillRect(grid.cell_rect(*cell), QColor(0, 170, 230, 60))
        painter.setPen(QPen(MARK_COLOUR, max(2.5, s / 10)))
        painter.drawRect(grid.cell_rect(*cell))
    if grid.accent() is not None:
        painter.setPen(QPen(ACCENT_COLOUR, max(3.0, s / 9)))
        painter.drawRect(grid.cell_rect(*grid.accent()))
    if grid.current() is not None:
        rect = grid.cell_rect(*grid.current())
        painter.setPen(QPen(QColor(255, 255, 255), max(5.0, s / 6)))
        painter.drawRect(rect)
        painter.setPen(QPen(CURRENT_COLOUR, max(3.0, s / 10)))
        painter.drawRect(rect)
