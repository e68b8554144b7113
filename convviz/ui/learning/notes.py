"""The red box that says why learning went wrong (or a setting was refused), with the fix as a button."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton

from ..widgets import named, text_label

WARNING_STYLE = ("QLabel { background: #fde2e1; color: #7a0b0b; border: 1px solid #c0392b; border-radius: 4px;"
                 " padding: 6px; }")


class WarningBox(QFrame):
    """``label`` (the sentence) and ``suggest_button`` (e.g. "Use rate 3.3e-06"); hidden while empty."""

    def __init__(self, parent=None):
        super().__init__(parent)
        named(self, "learnWarningBox", None, "Warning")
        self.label = text_label("", "learnWarningLabel")
        self.label.setToolTip("Why the learning went wrong and what to do.")
        self.label.setStyleSheet(WARNING_STYLE)
        self.suggest_button = named(QPushButton(), "learnUseSuggestedButton",
                                    "Use the suggested smaller learning rate.", "Use the suggested rate")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.suggest_button)
        self.setVisible(False)

    def show_warning(self, text: str, suggestion: str = "") -> None:
        """Show ``text`` (``""`` hides the box) and, when given, a button labelled ``suggestion``."""
        self.label.setText(text)
        self.suggest_button.setText(suggestion)
        self.suggest_button.setVisible(bool(suggestion))
        self.setVisible(bool(text))
