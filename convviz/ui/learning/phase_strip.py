"""A strip of numbered phase chips (the current one highlighted) above a sentence saying what it means.

Reusable for any sequence of steps: ``PhaseStrip(["1. Random start", "2. Convolve", …])``.
The sentence is 1.25× the application font, which presentation mode scales.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from ..widgets import named, text_label
from ..widgets.flow_layout import flow_row

CURRENT = "QLabel { background: #2d6cdf; color: white; font-weight: bold; border-radius: 4px; padding: 3px; }"
OTHER = "QLabel { background: #e6e6e6; color: #333; border-radius: 4px; padding: 3px; }"
SENTENCE_SCALE = 1.25


def capped_font(font: QFont, pixels: float, dpi: float) -> QFont:
    """``font``, or at most ``pixels`` high on a ``dpi`` screen (``pixels`` 0: no cap)."""
    out = QFont(font)
    if pixels > 0 and out.pointSizeF() > 0:
        out.setPointSizeF(min(out.pointSizeF(), pixels * 72 / dpi))
    elif pixels > 0 and out.pixelSize() > 0:
        out.setPixelSize(min(out.pixelSize(), max(1, int(pixels))))
    return out


class PhaseStrip(QWidget):
    """``chips`` (one QLabel per phase) and ``label`` (the sentence); :meth:`show_phase` highlights one."""

    def __init__(self, titles: list[str], *, chip_name: str = "learnPhaseChip", label_name: str = "learnPhaseLabel",
                 parent=None):
        super().__init__(parent)
        self.chips: list[QLabel] = []
        for i, title in enumerate(titles, start=1):
            chip = named(QLabel(title), f"{chip_name}{i}", f"Phase {i} of the lecture's {len(titles)} steps",
                         f"Phase {title}")
            chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
            chip.setStyleSheet(OTHER)
            self.chips.append(chip)
        row = flow_row(*self.chips, stretch=True)   # the chips wrap onto two rows on a narrow screen
        self.label = text_label("", label_name)
        self.label.setToolTip("What the phase just done means.")
        self.label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self._current = 0
        self._cap = 0.0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(row)
        layout.addWidget(self.label)
        self._fit_fonts()

    def show_phase(self, number: int, sentence: str) -> None:
        """Highlight chip ``number`` (1-based; 0 highlights none) and show ``sentence``."""
        if number != self._current:   # style sheets are slow to apply: only on a change
            self._current = number
            for i, chip in enumerate(self.chips, start=1):
                chip.setStyleSheet(CURRENT if i == number else OTHER)
        if self.label.text() != sentence:
            self.label.setText(sentence)

    def set_font_cap(self, pixels: float) -> None:
        """Draw the chips at most ``pixels`` high and the sentence at most 1.25× that (0: no cap), so
        a short view with presentation fonts keeps room for the pictures."""
        if round(pixels) != round(self._cap):
            self._cap = pixels
            self._fit_fonts()

    def _fit_fonts(self) -> None:
        """The sentence 1.25× this widget's font (which follows the application font); the chips'
        style sheets are re-applied so they pick the new size up too."""
        dpi = max(1, self.logicalDpiY())
        font = QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * SENTENCE_SCALE)
        self.label.setFont(capped_font(font, self._cap * SENTENCE_SCALE, dpi))
        for chip in self.chips:
            chip.setFont(capped_font(self.font(), self._cap, dpi))
            chip.setStyleSheet(chip.styleSheet())

    def event(self, event):
        result = super().event(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange) and hasattr(self, "label"):
            self._fit_fonts()
        return result
