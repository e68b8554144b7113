"""What the two tabs that train in the lecture's five phases do alike (Learned filters, Learn from labels):
Pause (the run's steps become one undo step; hiding the tab pauses, closing it stops its worker), the position
a lesson or session saves during a run, a redraw when the driver moves while shown, and words capped to a share
of a short panel's height (presentation fonts on a small projector), so the pictures keep their room."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from ..panel import Panel
from .phase_strip import capped_font

#: on a short panel the words are at most its height over this many (pixels)
LINES_PER_PANEL = 30


class TrainingPanel(Panel):
    """A :class:`~convviz.ui.panel.Panel` with ``self.driver`` (``running``, ``preparing``, ``progress`` whose
    ``request`` has ``iterations`` and ``phase``, ``stop()`` returning the stopped run's start request or None,
    ``cancel_prepare()``, ``shutdown()``), ``self.phases``
    (a :class:`.phase_strip.PhaseStrip`), ``self.board``, and the methods ``_commit_run(start)``, ``_draw()`` and
    :meth:`capped_widgets`. Build ``self.board`` last of the widgets :meth:`capped_widgets` names."""

    def capped_widgets(self) -> tuple[QWidget, ...]:
        """The widgets whose words are capped on a short panel (the phase strip caps its own)."""
        raise NotImplementedError

    def is_running(self) -> bool:
        return self.driver.running

    def pause(self) -> None:
        """Stop the run where it is drawn; the steps it did are one undo step."""
        start = self.driver.stop()
        if start is not None:
            self._commit_run(start)

    def lesson_settings(self) -> dict:
        """The state's JSON form; during a run, with the position the run has reached."""
        out = super().lesson_settings()
        p = self.driver.progress
        if self.driver.running and p is not None:
            out.update(iterations=p.request.iterations, phase=p.request.phase)
        return out

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.pause()
        if self.driver.preparing:    # finish it when shown again (or when asked)
            self.driver.cancel_prepare()
            self._stale = True
        super().hideEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Pause (the run so far is one undo step) and stop the worker; nothing is computed afterwards."""
        self.pause()
        self.driver.shutdown()

    def _on_driver_changed(self) -> None:
        if self.isVisible():
            self._draw()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._cap_fonts()

    def event(self, event) -> bool:
        result = super().event(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange) and hasattr(self, "board"):
            self._cap_fonts()
        return result

    def _cap_fonts(self) -> None:
        cap = self.height() / LINES_PER_PANEL if self.height() > 100 else 0.0
        self.phases.set_font_cap(cap)
        dpi = max(1, self.logicalDpiY())
        for widget in self.capped_widgets():
            font = capped_font(QFont(self.font()), cap, dpi)
            if font != widget.font():
                widget.setFont(font)
