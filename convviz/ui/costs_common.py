"""Transitional: the pieces the cost, matrix and equivariance panels shared, now in
``convviz.ui.widgets`` and ``convviz.model.units``; :class:`DocumentLink` until every panel
is a :class:`convviz.ui.panel.Panel`."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from convviz.model.units import BYTE_UNITS, bytes_text, count_text, ratio_text, short_count

from .widgets import ImagePlot, named, text_label

__all__ = ["BYTE_UNITS", "DocumentLink", "ImagePlot", "bytes_text", "count_text", "named", "ratio_text",
           "short_count", "text_label"]

class DocumentLink:
    """Calls ``refresh`` when the document's ``fields`` change, now if the panel is visible, else when shown.

    The panel calls :meth:`shown` from its ``showEvent``. Signals are disconnected when
    the panel is destroyed, so a closed panel is never called back.
    """

    def __init__(self, widget: QWidget, document, fields, refresh):
        self.widget = widget
        self.document = document
        self.refresh = refresh
        self.dirty = True
        self.signals = [getattr(document.events, name) for name in fields]
        for signal in self.signals:
            signal.connect(self._changed)
        widget.destroyed.connect(self.disconnect)

    def _changed(self, *args) -> None:
        self.dirty = True
        try:
            visible = self.widget.isVisible()
        except RuntimeError:          # the C++ widget is gone
            self.disconnect()
            return
        if visible:
            self.update_now()

    def shown(self) -> None:
        if self.dirty:
            self.update_now()

    def update_now(self) -> None:
        self.dirty = False
        self.refresh()

    def disconnect(self, *args) -> None:
        for signal in self.signals:
            try:
                signal.disconnect(self._changed)
            except (ValueError, RuntimeError):
                pass
        self.signals = []
