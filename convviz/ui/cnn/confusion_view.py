"""A confusion matrix drawn as a table of coloured cells with the counts written in them.

The labels follow the widget's font; the counts are as large as their cells allow and never cut
(:func:`~convviz.model.cnn_layout.number_pixels`: none are written in cells too small for them).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from convviz.model.cnn_layout import number_pixels
from convviz.model.cnn_view import confusion_colours

from ..learning.heatmap import paint_number_cell
from ..widgets import named


class ConfusionView(QWidget):
    """``show_counts(counts, classes)``: row = true label, column = the network's answer; the colours come
    from :func:`~convviz.model.cnn_view.confusion_colours` (green right, red wrong)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        named(self, "cnnConfusionMatrix", "How the test images were classified: row = the true digit, column = "
              "the network's answer. The diagonal (green) counts the right answers; red cells are mistakes.",
              "Confusion matrix")
        self.setMinimumSize(200, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._counts: np.ndarray | None = None
        self._colours: np.ndarray | None = None
        self._classes: tuple[str, ...] = ()
        self._title = "Confusion matrix (test images)"
        self.cell = 0.0                      # the side of a cell as last drawn (pixels)
        self.number_font = QFont(self.font())   # the counts' font as last drawn (pixel size 0: none written)

    def show_counts(self, counts: np.ndarray, classes: tuple[str, ...], title: str) -> None:
        c = np.asarray(counts)
        if self._counts is not None and np.array_equal(c, self._counts) and title == self._title:
            return
        self._counts, self._classes, self._title = c.copy(), tuple(classes), title
        self._colours = confusion_colours(c)
        rows = [f"true {classes[i]}: " + " ".join(str(int(v)) for v in row) for i, row in enumerate(c)]
        self.setAccessibleDescription(f"{title}. " + "; ".join(rows))
        self.update()

    def counts(self) -> np.ndarray | None:
        return None if self._counts is None else self._counts.copy()

    def cell_texts(self) -> list[list[str]]:
        return [] if self._counts is None else [[str(int(v)) for v in row] for row in self._counts]

    def title(self) -> str:
        return self._title

    def sizeHint(self) -> QSize:
        return QSize(300, 300)

    def _label_geometry(self, font: QFont, title_h: int) -> tuple[QFontMetricsF, float, float, QRectF]:
        """The labels' metrics, the row labels' width, the column labels' height and the cells' area."""
        fm = QFontMetricsF(font)
        label_w = fm.height() + 4 + fm.horizontalAdvance("00") + 8     # "true digit" turned, then the digits
        label_h = fm.height() + 2
        area = QRectF(label_w, title_h + label_h, self.width() - label_w - 4,
                      self.height() - title_h - 2 * label_h - 4)
        return fm, label_w, label_h, area

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        text = self.palette().windowText().color()
        bold = QFont(self.font())
        bold.setBold(True)
        p.setFont(bold)
        wrap = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        title_h = p.fontMetrics().boundingRect(0, 0, self.width(), 1000, wrap, self._title).height() + 4
        p.setPen(text)
        p.drawText(QRectF(0, 0, self.width(), title_h), wrap, self._title)
        if self._counts is None or self._colours is None:
            p.end()
            return
        n = self._counts.shape[0]
        labels = QFont(self.font())
        fm, label_w, label_h, area = self._label_geometry(labels, title_h)
        cell = max(4.0, min(area.width() / n, area.height() / n))
        if fm.height() > 0.9 * cell:          # small cells: labels as small as the cells (never overlapping)
            labels.setPixelSize(max(6, int(0.75 * cell)))
            fm, label_w, label_h, area = self._label_geometry(labels, title_h)
            cell = max(4.0, min(area.width() / n, area.height() / n))
        left, top = area.left() + max(0.0, (area.width() - cell * n) / 2), area.top()
        p.setFont(labels)
        p.drawText(QRectF(0, title_h, self.width(), label_h), Qt.AlignmentFlag.AlignCenter, "the network's answer")
        p.save()
        p.translate(left - fm.horizontalAdvance("00") - 8 - fm.height() / 2 - 2, top + cell * n / 2)
        p.rotate(-90)
        p.drawText(QRectF(-cell * n / 2, -fm.height() / 2, cell * n, fm.height()), Qt.AlignmentFlag.AlignCenter,
                   "true digit")
        p.restore()
        digit_w = fm.horizontalAdvance("00")
        for i, name in enumerate(self._classes[:n]):
            p.drawText(QRectF(left + i * cell, top + n * cell, cell, label_h), Qt.AlignmentFlag.AlignCenter, name)
            p.drawText(QRectF(left - digit_w - 6, top + i * cell, digit_w, cell),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name)
        self.cell = cell
        numbers = QFont(self.font())
        numbers.setPixelSize(100)
        widest = max(QFontMetricsF(numbers).horizontalAdvance(t) for row in self.cell_texts() for t in row)
        pixels = number_pixels(cell, widest / 100)
        numbers.setPixelSize(max(1, pixels))
        self.number_font = numbers
        p.setFont(numbers)
        grid = QPen(QColor(200, 200, 200))
        for r in range(n):
            for c in range(n):
                count = int(self._counts[r, c])
                paint_number_cell(p, QRectF(left + c * cell, top + r * cell, cell, cell), self._colours[r, c],
                                  str(count) if count and pixels else "", grid)
        p.end()
