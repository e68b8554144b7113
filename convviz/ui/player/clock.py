"""The player's clock: a QTimer that asks for one step at a time at a chosen speed."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer, Signal

from convviz.model.states.player import DEFAULT_SPEED, MAX_SPEED, MIN_SPEED

__all__ = ["MAX_SPEED", "MIN_SPEED", "StepClock"]


class StepClock(QObject):
    """Emits :attr:`tick` ``speed`` times per second while running, never twice for one timer event.

    The timer fires a little faster than the speed and a tick is emitted when a step is due, so
    60 steps per second are 60, not 58.8 (a 17 ms timer). When the GUI falls a whole step behind
    the clock does not race to catch up: it counts a dropped frame in :attr:`dropped` and resyncs.
    """

    tick = Signal()

    def __init__(self, parent: QObject | None = None, speed: float = DEFAULT_SPEED):
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setObjectName("playerClockTimer")
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_timeout)
        self._elapsed = QElapsedTimer()
        self._done = 0
        self.dropped = 0
        self._speed = DEFAULT_SPEED
        self.set_speed(speed)

    @property
    def speed(self) -> float:
        """Steps per second, between :data:`MIN_SPEED` and :data:`MAX_SPEED`."""
        return self._speed

    def set_speed(self, speed: float) -> None:
        self._speed = float(min(max(speed, MIN_SPEED), MAX_SPEED))
        self._timer.setInterval(max(1, int(1000.0 / self._speed) - 1))
        if self.is_running():
            self._restart_count()

    def is_running(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        self._restart_count()
        self.dropped = 0
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _restart_count(self) -> None:
        self._elapsed.start()
        self._done = 0

    def _on_timeout(self) -> None:
        due = int(self._elapsed.elapsed() * self._speed / 1000.0)
        if due <= self._done:
            return
        if due - self._done >= 2:
            self.dropped += due - self._done - 1
        self._done = due
        self.tick.emit()
