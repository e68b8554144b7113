"""A strip of numbered phase chips (the current one highlighted) above a sentence saying what it means.

Reusable for any sequence of steps: ``PhaseStrip(["1. Random start", "2. Convolve", …])``.
The sentence is 1.25× the application font, which presentation mode scales.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ..widgets import named, text_label

CURRENT = "QLabel { background: #2d6cdf; color: white; font-weight: bold; border-radius: 4px; padding: 3px; }"
OTHER = "QLabel { background: #e6e6e6; color: #333; border-radius: 4px; padding: 3px; }"
SENTENCE_SCALE = 1.25


class PhaseStrip(QWidget):
    """``chips`` (one QLabel per phase) and ``label`` (the sentence); :meth:`show_phase` highlights one."""

    def __init__(self, titles: list[str], *, chip_name: str = "learnPhaseChip", label_name: str = "learnPhaseLabel",
                 parent=None):
        super().__init__(parent)
        self.chips: list[QLabel] = []
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for i, title in enumerate(titles, start=1):
            chip = named(QLabel(title), f"{chip_name}{i}", f"Phase {i} of the lecture's {len(titles)} steps",
                         f"Phase {title}")
            chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
            chip.setStyleSheet(OTHER)
            self.chips.append(chip)
            row.addWidget(chip)
        self.label = text_label("", label_name)
        self.label.setToolTip("What the phase just done means.")
        self.label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self._current = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
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

    def _fit_fonts(self) -> None:
        """The sentence 1.25× this widget's font (which follows the application font); the chips'
        style sheets are re-applied so they pick the new size up too."""
        font = QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * SENTENCE_SCALE)
        self.label.setFont(font)
        for chip in self.chips:
            chip.setFont(self.font())
            chip.setStyleSheet(chip.styleSheet())

    def event(self, event):
        result = super().event(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange) and hasattr(self, "label"):
            self._fit_fonts()
        return result
