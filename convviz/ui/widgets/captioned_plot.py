"""An image plot with its caption above it as a label: a pyqtgraph title is cut off when the plot is narrower
than the title (small plots, presentation fonts); a label wraps between words and follows the font."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from .flow_layout import line_label
from .font_sized import font_sized
from .image_plot import ImagePlot
from .page_body import Body


class CaptionedPlot(Body):
    """``plot`` under a centred, word-wrapped ``caption``; ``plot`` keeps at least ``high`` text lines of height
    (and ``least`` pixels), and at most ``most`` lines when given, as the font grows. Like a :class:`Body` it
    reports no height-for-width (the plot's preferred height would become the layout's minimum)."""

    def __init__(self, plot: ImagePlot, caption: str = "", *, high: float = 5.0, least: int = 100,
                 most: float | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.plot = plot
        plot.plot.setTitle(None)      # no title row: the caption is the title
        self.caption = line_label(caption, f"{plot.objectName()}Caption" if plot.objectName() else None)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(font_sized(plot, high, least, most=most), 1)

    def set_caption(self, text: str) -> None:
        self.caption.setText(text)

    def caption_text(self) -> str:
        return self.caption.text()
