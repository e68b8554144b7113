"""A red message under a tab's controls (a refused value, a picture still being prepared)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from .naming import named


class ErrorLabel(QLabel):
    """A red, selectable, word-wrapped message that takes no room while it is empty."""

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        named(self, name)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet("color: #b00020;")
        self.setVisible(False)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        self.setVisible(bool(text))
