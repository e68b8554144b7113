"""What the pointer is over on the Filter tab: the status bar's readouts, the magnifier and the marks.

Hovering either view (they share input-pixel coordinates) picks the output pixel drawn there; the
magnifier shows its kernel window (:func:`convviz.model.filter_output.output_window`, read from the
document: only the window, so a 12-megapixel photo costs microseconds), the input view outlines the
window and the output view the pixel. When the pointer leaves, the last pixel stays magnified (a
lecturer can point elsewhere while talking about it); a document change redraws it for the new numbers.
"""

from __future__ import annotations

import numpy as np

from convviz.model.filter_output import describe_exact, describe_values, output_value_at, output_window
from convviz.model.view_geometry import output_rect, pixel_at


class FilterHover:
    """Hover handling for a :class:`~convviz.ui.filter.panel.FilterPanel` (its views, readouts, magnifier)."""

    def __init__(self, panel):
        self.panel = panel
        self.index: tuple[int, int] | None = None   # the magnified output pixel (transient, not state)
        self.window = None
        self._shown: tuple | None = None             # what the magnifier shows now (arrays by identity)

    # -- the pointer ------------------------------------------------------------------------
    def hovered(self, point) -> None:
        """``point`` ``(x, y)`` in view coordinates, or None when the pointer left the views."""
        p = self.panel
        if point is None:
            p.input_readout.setText("")
            p.output_readout.setText("")
            return
        x, y = point
        for view, label, name in ((p.input_view, p.input_readout, "Input"),
                                  (p.output_view, p.output_readout, "Output")):
            index = view.pixel_at(x, y)
            if index is None or view.values is None:
                label.setText(f"{name}: –")
            elif view is p.input_view and p._input_preview:
                label.setText(f"{name}: opening the image…")
            elif view is p.output_view and p.output is not None and p.output.preview and p.output.source is None:
                label.setText(f"{name}: computing the exact values…")
            else:
                if view is p.output_view and p.output is not None and p.output.preview:   # the whole output's pixel
                    index = pixel_at(x, y, view.rect, p.output.full_hw)
                label.setText(f"{name} (row {index[0]}, col {index[1]}) = {self.value_text(view, index)}")
        index = self.output_index_at(x, y)
        if index is not None and not p._input_preview:
            self.magnify(index)

    def value_text(self, view, index) -> str:
        """The exact value under the cursor: a float32 display copy (or a preview) is never what a person reads;
        ``index`` is the whole output's pixel."""
        out = self.panel.output
        if (view is self.panel.output_view and out is not None and out.source
                and (out.preview or out.values.dtype != np.float64)):
            return describe_exact(output_value_at(*out.source, index))
        return describe_values(view.values, index)

    def output_index_at(self, x: float, y: float) -> tuple[int, int] | None:
        """The document's output pixel drawn at view point ``(x, y)`` (whether or not it is drawn yet)."""
        doc = self.panel.document
        try:
            rect = output_rect(doc.image.shape[:2], doc.kernel.shape, doc.padding, stride=doc.stride,
                               dilation=doc.dilation)
        except ValueError:
            return None
        return pixel_at(x, y, rect, doc.output_shape())

    # -- the magnifier ----------------------------------------------------------------------
    def magnify(self, index: tuple[int, int] | None) -> None:
        """Magnify output pixel ``index`` of the document (None: nothing) and mark it on both views."""
        p = self.panel
        doc = p.document
        key = (index, doc.image, doc.kernel, tuple(doc.conv_kwargs().values()), p.state.magnifier_channel)
        if self._shown is not None and _same(key, self._shown):
            return          # e.g. the second field of one document change: already drawn
        self._shown = key
        window = None
        if index is not None:
            try:
                window = output_window(doc.image, doc.kernel, doc.conv_kwargs(), index)
            except ValueError:           # the output shrank under it
                window = None
        self.index = index if window is not None else None
        self.window = window
        p.magnifier.show_window(window, p.state.magnifier_channel, flipped=bool(doc.flip))
        if window is None:
            self._shown = None      # nothing shown: keep no reference to the picture
            p.input_view.window_mark.show(None)
            p.output_view.pixel_mark.show(None)
            return
        dilated = window.dilation != (1, 1)
        p.input_view.window_mark.show(window.rect, window.tap_rects() if dilated else ())
        p.output_view.pixel_mark.show(window.output_square)

    def refresh(self) -> None:
        """The document or the channel changed: the magnified pixel again, with today's numbers."""
        if self.index is not None:
            self.magnify(self.index)


def _same(a: tuple, b: tuple) -> bool:
    """Equal keys: arrays by identity (the document replaces, never edits, them), the rest by value."""
    return all((x is y) if isinstance(x, np.ndarray) else (x == y) for x, y in zip(a, b))
