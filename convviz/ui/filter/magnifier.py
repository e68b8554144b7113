"""The magnifier: the kernel window of the output pixel under the cursor, large, as setosa's Image Kernels
shows it — each tap's input value (the cell coloured as the input draws it, padding hatched), × its weight,
= the product, and the sum, which is the output value. It sits in a strip under the two images. It only
draws: the numbers and words come from :func:`convviz.model.filter_output.output_window` and
:mod:`convviz.model.magnifier_texts`.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSignalBlocker, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from convviz.model.cell_layout import cell_geometry, text_pixel_size
from convviz.model.filter_output import OutputWindow
from convviz.model.magnifier_texts import (
    channel_names,
    header_text,
    sum_text,
    value_text,
    where_text,
    window_cell_texts,
    window_colours,
    window_exact_cell,
    window_product_texts,
)

from ..widgets import CellGrid, mark_editing_chrome, named, text_label
from ..widgets.cell_grid import MAX_TEXT_PX, MIN_TEXT_PX

#: the largest cell and the strip's usual height (pixels)
MAX_CELL = 90
STRIP_HEIGHT = 240
PLACEHOLDER = "Hover over the output (or the input) to see how one output pixel is made."


class WindowGrid(CellGrid):
    """The window's cells (square, as large as the height allows), with each tap's exact numbers in its
    tooltip."""

    def __init__(self, parent=None):
        super().__init__("", parent, max_cell=MAX_CELL)
        self.setCursor(Qt.CursorShape.ArrowCursor)
        self.setMinimumSize(60, 60)
        self.window: OutputWindow | None = None
        self.channel = 0
        self.compact = False       # the cells show the products only (too small for three lines)
        self._full: list[list[str]] = []
        self._products: list[list[str]] = []

    def show_window(self, window: OutputWindow, channel: int) -> None:
        """Draw ``window``'s cells with ``channel``'s numbers: value, weight and product when they fit
        the cells, else the products alone (:attr:`compact`), else colours only."""
        self.window, self.channel = window, channel
        self._full = window_cell_texts(window, channel)
        self._products = window_product_texts(window, channel)
        self._colours = window_colours(window)
        self._draw()

    def _draw(self) -> None:
        if self.window is None:
            return
        rows, cols = self.window.inside.shape
        side = cell_geometry(self.width(), self.height(), rows, cols, 0, MAX_CELL)[2]
        self.compact = text_pixel_size(self._full, side, MAX_TEXT_PX) < MIN_TEXT_PX
        self.set_cells(self._colours, self._products if self.compact else self._full, ~self.window.inside)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._geometry_key = None
        self._draw()

    def width_for(self, height: int) -> int:
        """The width square cells need at ``height`` (pixels)."""
        if self.window is None:
            return 0
        rows, cols = self.window.inside.shape
        side = min(MAX_CELL, max(6.0, (height - 8) / rows))
        return int(side * cols) + 10

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.window is not None:
            cell = self.cell_at(event.position() if hasattr(event, "position") else event.pos())
            if cell is not None:
                QToolTip.showText(event.globalPos(), window_exact_cell(self.window, *cell, self.channel), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


class Magnifier(QWidget):
    """One output pixel's window: the grid beside its words (the output value, the sum of the products and
    where the window lies; presentation mode keeps the value and the sum).

    ``channelChosen(i)``: the user picked the colour channel whose numbers the grid writes.
    """

    channelChosen = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        named(self, "magnifier", "The output pixel under the cursor, made step by step", "Magnifier")
        self.grid = named(WindowGrid(self), "magnifierGrid",
                          "The kernel window, magnified: input value, × weight, = product in each cell "
                          "(hatched cells lie on the padding); hover over a cell for its exact numbers",
                          "Magnified kernel window")
        self.header = named(text_label(PLACEHOLDER), "magnifierHeader",
                            "The output pixel under the cursor and its exact value", "Magnified output pixel")
        self.channel_box = named(QComboBox(self), "magnifierChannelBox",
                                 "Which colour channel's numbers the cells show", "Magnifier channel")
        self.channel_box.activated.connect(self.channelChosen)
        self.channel_label = QLabel("Channel", self)
        self.sum_label = named(text_label(), "magnifierSum", "The sum of the products: the output value",
                               "Sum of the products")
        font = self.sum_label.font()
        font.setBold(True)
        self.sum_label.setFont(font)
        self.where_label = mark_editing_chrome(named(text_label(), "magnifierWhere",
                                                     "Which input pixels the window covers",
                                                     "Where the window lies"))
        words = QWidget()
        column = QVBoxLayout(words)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.header)
        channel_row = QHBoxLayout()
        channel_row.addWidget(self.channel_label)
        channel_row.addWidget(self.channel_box)
        channel_row.addStretch(1)
        column.addLayout(channel_row)
        column.addWidget(self.sum_label)
        column.addWidget(self.where_label)
        column.addStretch(1)
        # a short strip (a small screen at presentation mode's ×3) scrolls its words, never draws them over
        # each other
        self.words = QScrollArea(self)
        self.words.setObjectName("magnifierWords")
        self.words.setWidget(words)
        self.words.setWidgetResizable(True)
        self.words.setFrameShape(QFrame.Shape.NoFrame)
        self.words.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.words.viewport().setAutoFillBackground(False)
        words.setAutoFillBackground(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.grid)
        layout.addWidget(self.words, 1)
        self.window: OutputWindow | None = None
        self.show_window(None)

    def sizeHint(self) -> QSize:
        """A strip about 240 px high at the normal font (taller with presentation mode's fonts)."""
        return QSize(480, max(STRIP_HEIGHT, 4 * self.fontMetrics().height() + 110))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_grid()

    def _fit_grid(self) -> None:
        height = self.height() - 8
        self.grid.setFixedWidth(max(60, min(self.grid.width_for(height), self.width() // 2)))

    def show_window(self, window: OutputWindow | None, channel: int = 0, *, flipped: bool = False) -> None:
        """Draw ``window`` (None: the placeholder), writing ``channel``'s numbers for a colour input."""
        self.window = window
        if window is None:
            self.grid.window = None
        has_channels = window is not None and window.channels > 1
        self.channel_box.setVisible(has_channels)
        self.channel_label.setVisible(has_channels)
        self.grid.setVisible(window is not None)
        if window is None:
            self.header.setText(PLACEHOLDER)
            self.sum_label.setText("")
            self.where_label.setText("")
            return
        channel = min(channel, window.channels - 1)
        if has_channels:
            names = channel_names(window.channels)
            with QSignalBlocker(self.channel_box):
                if [self.channel_box.itemText(i) for i in range(self.channel_box.count())] != list(names):
                    self.channel_box.clear()
                    self.channel_box.addItems(names)
                self.channel_box.setCurrentIndex(channel)
        self.header.setText(header_text(window))
        self.header.setToolTip(f"Exactly {value_text(window)}")
        self.grid.show_window(window, channel)
        self._fit_grid()
        self.sum_label.setText(sum_text(window, channel))
        where = where_text(window)
        if flipped:
            where += "; the weights are the kernel turned by 180° (true convolution)"
        self.where_label.setText(where + ".")

    def cell_texts(self) -> list[list[str]]:
        """The texts the grid draws, row by row (what a person reads)."""
        rows, cols = self.grid.shape()
        return [[self.grid.cell_text(r, c) for c in range(cols)] for r in range(rows)]
