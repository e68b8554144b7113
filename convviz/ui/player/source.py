"""The picture the player steps through, prepared off the GUI thread when the image is large.

:func:`~convviz.model.player_source.prepare` (luminance or one channel, and the busiest crop)
takes most of a second on a 12-megapixel photo, so images above
:data:`~convviz.model.player_source.LARGE_PIXELS` go to the panel's
:class:`~convviz.ui.worker.LatestResultRunner` (the newest request wins); small ones are
prepared at once, so tests and small lessons never wait.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from convviz.model.player_source import CHANNELS, LARGE_PIXELS, Prepared, is_large, prepare

from ..worker import LatestResultRunner

__all__ = ["CHANNELS", "LARGE_PIXELS", "Prepared", "SourceProvider", "prepare"]


class SourceProvider(QObject):
    """The newest :class:`Prepared` picture. ``ready`` when a background one arrives, ``failed(message)``
    when it could not be made."""

    ready = Signal()
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.runner = LatestResultRunner(self)
        self.runner.finished.connect(self._on_done)
        self.runner.failed.connect(self._on_failed)
        self._prepared: Prepared | None = None
        self._pending: tuple | None = None   # (image, gray, channel) being prepared

    def get(self, image: np.ndarray, gray: bool, channel: int | None, side: int) -> Prepared | None:
        """The prepared picture for these settings, or ``None`` while the worker makes it."""
        p = self._prepared
        if p is not None and p.matches(image, gray, channel):
            return p
        if not is_large(image):
            self._prepared = prepare(image, gray, channel, side)
            return self._prepared
        pending = self._pending
        if not (pending is not None and pending[0] is image and pending[1:] == (gray, channel)):
            self._pending = (image, gray, channel)
            self.runner.submit(prepare, image, gray, channel, side)
        return None

    @property
    def pending(self) -> bool:
        """True while a large picture is being prepared."""
        return self._pending is not None

    def stop(self, timeout_s: float = 10.0) -> bool:
        """Forget the job in progress and wait until the worker is idle (the panel closes)."""
        self._pending = None
        self.runner.cancel()
        return self.runner.wait(timeout_s)

    def _on_done(self, prepared: Prepared) -> None:
        self._pending = None
        self._prepared = prepared
        self.ready.emit()

    def _on_failed(self, message: str) -> None:
        self._pending = None
        self.failed.emit(message)
