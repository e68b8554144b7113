"""σ(W * x + b) made visible: each input channel's partial map → Σ → + bias → activation, with the numbers."""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from ...model import format_number
from ...model.bank import ACTIVATION_LABELS, Decomposition
from ...model.bank.texts import decomposition_lines, decomposition_title, plain
from ..widgets import named
from .qimages import pixmap_from_rgb

SIDE = 100


class MarkedMap(QWidget):
    """A small map with a ring on one output pixel; as large as six lines of text (at least :data:`SIDE`)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.side = max(SIDE, 6 * self.fontMetrics().height())
        self.setFixedSize(self.side, self.side)
        self._pixmap = QPixmap()
        self._mark = (0.5, 0.5)

    def set_map(self, rgb: np.ndarray, pixel, map_hw) -> None:
        self._pixmap = pixmap_from_rgb(rgb)
        self._mark = ((pixel[0] + 0.5) / map_hw[0], (pixel[1] + 0.5) / map_hw[1])
        self.update()

    def paintEvent(self, event):
        p = QPainter(self)
        if not self._pixmap.isNull():
            side = self.side
            size = self._pixmap.size().scaled(QSize(side, side), Qt.AspectRatioMode.KeepAspectRatio)
            r = QRect((side - size.width()) // 2, (side - size.height()) // 2, size.width(), size.height())
            p.drawPixmap(r, self._pixmap)
            x = r.left() + self._mark[1] * r.width()
            y = r.top() + self._mark[0] * r.height()
            ring = max(5, side // 20)
            p.setPen(QPen(QColor(255, 200, 0), 2))
            p.drawEllipse(int(x) - ring, int(y) - ring, 2 * ring, 2 * ring)
            p.setPen(QPen(QColor(0, 0, 0), 1))
            p.drawEllipse(int(x) - ring - 2, int(y) - ring - 2, 2 * ring + 4, 2 * ring + 4)
        p.end()


def _box(text: str, name: str) -> QLabel:
    label = QLabel(text)
    named(label, name)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setStyleSheet("QLabel { border: 1px solid palette(mid); padding: 6px; font-size: 13pt; }")
    return label


class DecompositionView(QWidget):
    """``bankDecomposition``: how the chosen filter makes the chosen output pixel, channel by channel."""

    def __init__(self, parent=None):
        super().__init__(parent)
        named(self, "bankDecomposition", "How one output pixel is made: each input channel's slice gives a partial "
              "sum; they are added, the bias is added, and the activation is applied.", "Per-channel decomposition")
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.flow = QWidget()
        self.flow_layout = QGridLayout(self.flow)
        self.flow_layout.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.numbers = QLabel()
        named(self.numbers, "bankDecompositionText", None, "Decomposition numbers")
        self.numbers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.numbers.setWordWrap(True)
        self.numbers.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        host = QWidget()
        inner = QVBoxLayout(host)
        inner.addWidget(self.title)
        inner.addWidget(self.flow)
        inner.addWidget(self.numbers, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(host)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.maps: list[MarkedMap] = []
        self.text = ""

    def clear(self, message: str) -> None:
        self.title.setText(message)
        self.numbers.setText("")
        self._clear_flow()

    def _clear_flow(self) -> None:
        while self.flow_layout.count():
            w = self.flow_layout.takeAt(0).widget()
            if w is not None:
                w.setParent(None)
                w.deleteLater()
        self.maps = []

    def show_decomposition(self, d: Decomposition, *, filter_name: str, channel_names, partial_thumbs,
                           map_hw, output_thumb, map_value: float | None, map_dtype: str) -> None:
        """Draw ``d`` (numbers from the model, float64) with the partial maps of its first channels."""
        r, c = d.out_index
        act = ACTIVATION_LABELS[d.activation]
        self.title.setText(decomposition_title(d, filter_name))
        self._clear_flow()
        col = 0
        n = len(partial_thumbs)
        for i, rgb in enumerate(partial_thumbs):
            tile = MarkedMap()
            tile.set_map(rgb, (r, c), map_hw)
            tile.setToolTip(f"Partial map of channel {channel_names[i]}: W_{channel_names[i]} * x_{channel_names[i]}")
            self.maps.append(tile)
            caption = QLabel(f"{html.escape(channel_names[i])}: <b>{format_number(d.channel_values[i])}</b>")
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.flow_layout.addWidget(tile, 0, col)
            self.flow_layout.addWidget(caption, 1, col)
            col += 1
            if i < n - 1:
                self.flow_layout.addWidget(self._op("+"), 0, col)
                col += 1
        if len(d.channel_values) > n:
            self.flow_layout.addWidget(self._op(f"+ … ({len(d.channel_values) - n} more)"), 0, col)
        # second row: the sum, the bias, the activation and the map it lands in
        result_row = QWidget()
        rr = QHBoxLayout(result_row)
        rr.setContentsMargins(0, 8, 0, 0)
        rr.addWidget(self._op("="))
        rr.addWidget(_box(f"Σ\n{format_number(d.total)}", "bankSumBox"))
        rr.addWidget(self._op(f"+ b\n({format_number(d.bias)})"))
        rr.addWidget(_box(f"z\n{format_number(d.pre_activation)}", "bankPreActivationBox"))
        rr.addWidget(self._op(f"→ {act} →"))
        rr.addWidget(_box(format_number(d.value), "bankOutputBox"))
        rr.addWidget(self._op("in"))
        out = MarkedMap()
        out.set_map(output_thumb, (r, c), map_hw)
        out.setToolTip("The feature map: every pixel is made this way")
        rr.addWidget(out)
        rr.addStretch(1)
        self.flow_layout.addWidget(result_row, 2, 0, 1, max(1, col + 1))

        lines = decomposition_lines(d, channel_names, map_value, map_dtype)
        self.text = "\n".join(plain(line) for line in lines)
        self.numbers.setText("<br>".join(f"<span style='font-family: monospace'>{line}</span>" for line in lines))

    @staticmethod
    def _op(text: str) -> QLabel:
        label = QLabel(text)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("QLabel { font-size: 14pt; padding: 0 4px; }")
        return label

