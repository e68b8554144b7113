"""A label and its control(s) held together on one line: one item of a wrapping row (:func:`.flow_layout.flow_row`)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget


def labelled(label: str | None, *widgets: QWidget) -> QWidget:
    """A widget holding ``label`` (when given) and then ``widgets`` side by side, with no margins, so a
    flow row never wraps between a label and the control it names."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    if label:
        row.addWidget(QLabel(label))
    for widget in widgets:
        row.addWidget(widget)
    return holder
