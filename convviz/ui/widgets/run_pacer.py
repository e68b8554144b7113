"""The clock of a run that trains in chunks (Learn a kernel, Learn from labels): a frame timer and the
steps owed at a speed.

A speed is ``"max"`` (as fast as possible: the caller submits a chunk a frame long) or steps a second;
at a speed the steps owed since the last frame are counted as credit, and a slow machine catches up at
most a quarter of a second. The caller does the work (one chunk in flight at a time) in
``on_frame``, taking whole steps with :meth:`RunPacer.owed`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer

#: at most this many frames (chunks, redraws) a second
FRAME_SECONDS = 1 / 30
#: credit never exceeds the steps of this many seconds (nor one step, at slow speeds)
MOST_CATCH_UP = 0.25


class RunPacer(QObject):
    """Calls ``on_frame()`` every frame while started; ``speed()`` gives ``"max"`` or steps a second."""

    def __init__(self, speed: Callable[[], float | str], on_frame: Callable[[], None], parent: QObject | None = None,
                 *, frame_seconds: float = FRAME_SECONDS):
        super().__init__(parent)
        self._speed = speed
        self._on_frame = on_frame
        self._credit = 0.0
        self._last = 0.0
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(math.ceil(1000 * frame_seconds))   # 34 ms: at most 30 frames a second
        self._timer.timeout.connect(self.frame)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        """Start the frames with no credit (the caller submits its first chunk itself)."""
        self._credit = 0.0
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def frame(self) -> None:
        """Count the steps owed since the last frame, then call ``on_frame`` (the timer calls this; a caller may
        too, to submit the next chunk as soon as a result arrives)."""
        now = time.perf_counter()
        elapsed, self._last = now - self._last, now
        speed = self._speed()
        if speed != "max":
            rate = float(speed)
            self._credit = min(self._credit + rate * elapsed, max(1.0, MOST_CATCH_UP * rate))
        self._on_frame()

    def owed(self, *, at_least: int = 0) -> int:
        """Take the whole steps owed from the credit (at least ``at_least``; 0: nothing is owed yet)."""
        n = max(int(self._credit), at_least)
        self._credit = max(self._credit - n, 0.0)
        return n
