"""Small pieces the cost, matrix, equivariance and flip panels share.

Number formatting for people (thousands separators, KB/MB/GB), naming widgets for
tests and screen readers, image plots drawn the way convviz draws images, and a
link to the document that redraws a panel only while it is visible.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsRectItem, QLabel, QWidget

from convviz.model import display_rgb, format_number

BYTE_UNITS = ((10 ** 12, "TB"), (10 ** 9, "GB"), (10 ** 6, "MB"), (10 ** 3, "KB"))


def count_text(n: int) -> str:
    """``154140672`` → ``154,140,672``."""
    return f"{int(n):,}"


def bytes_text(n: int) -> str:
    """Memory as a person reads it: ``19,200`` → ``19.2 KB``; ``616,562,688`` → ``616.6 MB`` (1 KB = 1,000 bytes)."""
    n = int(n)
    for size, unit in BYTE_UNITS:
        if n >= size:
            return f"{n / size:,.1f} {unit}"
    return f"{n:,} bytes"


def ratio_text(ratio: float) -> str:
    """``32113.4`` → ``≈ 32,113×``; ratios below 10 keep one decimal (``≈ 2.5×``)."""
    if ratio >= 10:
        return f"≈ {ratio:,.0f}×"
    return f"≈ {ratio:,.1f}×"


def short_count(n: float) -> str:
    """Bar labels: ``4800`` → ``4.8K``, ``154140672`` → ``154M``."""
    n = float(n)
    for size, unit in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "K")):
        if n >= size:
            v = n / size
            return f"{v:.3g}{unit}"
    return format_number(n)


def named(widget: QWidget, name: str, tooltip: str | None = None, accessible: str | None = None) -> QWidget:
    """Give ``widget`` a stable objectName, an accessible name and (optionally) a tooltip."""
    widget.setObjectName(name)
    widget.setAccessibleName(accessible or name)
    if tooltip:
        widget.setToolTip(tooltip)
    return widget


def text_label(text: str = "", name: str | None = None, *, wrap: bool = True, selectable: bool = True) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(label.textInteractionFlags() | pg.QtCore.Qt.TextSelectableByMouse)
    if name:
        named(label, name)
    return label


class ImagePlot(pg.GraphicsLayoutWidget):
    """One image in a locked-aspect view with row 0 at the top; ``show_values`` colours it as convviz does."""

    def __init__(self, title: str = "", parent=None):
        super().__init__(parent)
        self.setBackground("w")
        self.plot = self.addPlot(title=title)
        self.plot.setAspectLocked(True)
        self.plot.invertY(True)
        self.plot.hideAxis("bottom")
        self.plot.hideAxis("left")
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.image = pg.ImageItem()
        self.plot.addItem(self.image)
        # a thin frame, so a white image still shows its edges on the white background
        self.frame = QGraphicsRectItem(0, 0, 1, 1)
        pen = pg.mkPen((150, 150, 150), width=1)
        pen.setCosmetic(True)
        self.frame.setPen(pen)
        self.plot.addItem(self.frame)
        self.values: np.ndarray | None = None

    def show_values(self, values, *, levels=None) -> None:
        """Draw ``values`` (2-D) with the diverging map for signed data, grey otherwise."""
        self.values = np.asarray(values)
        self.show_rgb(display_rgb(self.values, levels=levels))

    def show_rgb(self, rgb: np.ndarray) -> None:
        self.image.setImage(np.ascontiguousarray(rgb), autoLevels=False, levels=(0, 255))
        h, w = rgb.shape[:2]
        self.frame.setRect(0, 0, w, h)
        self.plot.setRange(xRange=(0, w), yRange=(0, h), padding=0.02)

    def set_title(self, text: str) -> None:
        self.plot.setTitle(text)


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
