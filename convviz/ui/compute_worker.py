"""Run slow functions off the GUI thread and keep only the newest result.

:class:`LatestResultRunner` is the one way convviz panels compute in the
background. Each panel owns one::

    self.runner = LatestResultRunner(self)
    self.runner.finished.connect(self.show_result)     # GUI thread, newest submission only
    self.runner.failed.connect(self.show_error)        # a one-line message
    self.runner.busyChanged.connect(spinner.setVisible)  # after 200 ms without a result
    ...
    self.runner.submit(doc.compute)                    # or submit(fn, *args)
    ...
    self.runner.shutdown()                             # in closeEvent: waits for the running job

Rules it keeps:

- ``fn(*args)`` runs in a private ``QThreadPool`` with one thread, so at most one
  job computes at a time; a job still waiting when a newer one is submitted is
  taken out of the queue and never runs.
- A job that finishes after a newer one was submitted is stale: its result is
  dropped (counted in :attr:`dropped`), never emitted.
- ``finished``/``failed`` are emitted in the thread that owns the runner (the GUI
  thread), so slots may touch widgets. ``last_elapsed`` is how long the newest
  job took, in seconds, measured in the worker.
- A ``ValueError`` (the project's "bad input, here is a sentence" error) is
  reported through ``failed`` as its message; any other exception too, with
  its traceback printed for developers.
- ``fn`` must not touch Qt widgets; pass it immutable data (the document's arrays
  are read-only), so a later edit cannot change what a running job reads.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

BUSY_DELAY_MS = 200


class _JobSignals(QObject):
    """Carries a job's outcome from the worker thread to the runner's thread (queued)."""

    done = Signal(int, object, float)
    error = Signal(int, str)


class _Job(QRunnable):
    def __init__(self, token: int, fn: Callable, args: tuple, signals: _JobSignals):
        super().__init__()
        self.setAutoDelete(False)  # Python keeps the reference until the outcome arrives
        self.token, self.fn, self.args, self.signals = token, fn, args, signals

    def run(self):
        start = time.perf_counter()
        try:
            result = self.fn(*self.args)
        except Exception as exc:  # the message goes to the GUI; a traceback helps developers
            message = str(exc) or exc.__class__.__name__
            if not isinstance(exc, ValueError):
                traceback.print_exc()
            self.signals.error.emit(self.token, message)
            return
        self.signals.done.emit(self.token, result, time.perf_counter() - start)


class LatestResultRunner(QObject):
    """Runs ``fn(*args)`` in a worker thread; emits only the newest submission's outcome."""

    finished = Signal(object)
    failed = Signal(str)
    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, busy_delay_ms: int = BUSY_DELAY_MS):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _JobSignals()
        self._signals.done.connect(self._on_done)
        self._signals.error.connect(self._on_error)
        self._jobs: dict[int, _Job] = {}
        self._latest = 0
        self._waiting: _Job | None = None
        self._closed = False
        self._busy = False
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(busy_delay_ms)
        self._busy_timer.timeout.connect(lambda: self._set_busy(True))
        self.dropped = 0
        self.last_elapsed = 0.0

    # -- public -------------------------------------------------------------------
    def submit(self, fn: Callable, *args: Any) -> int:
        """Queue ``fn(*args)``; returns its token. Any older, not yet started job is cancelled."""
        if self._closed:
            raise RuntimeError("This runner was shut down; make a new one.")
        self._latest += 1
        if self._waiting is not None and self._pool.tryTake(self._waiting):
            self._jobs.pop(self._waiting.token, None)
            self.dropped += 1
        job = _Job(self._latest, fn, args, self._signals)
        self._jobs[job.token] = job
        self._waiting = job
        self._pool.start(job)
        if not self._busy and not self._busy_timer.isActive():
            self._busy_timer.start()
        return job.token

    @property
    def pending(self) -> bool:
        """True while the newest submission has not reported back."""
        return self._latest in self._jobs

    @property
    def busy(self) -> bool:
        """True once the newest submission has taken longer than the busy delay."""
        return self._busy

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """Cancel waiting jobs, wait for the running one and ignore every later outcome."""
        self._closed = True
        self._busy_timer.stop()
        self._pool.clear()
        self._pool.waitForDone(timeout_ms)
        self._jobs.clear()
        self._waiting = None
        self._set_busy(False)

    # -- outcomes (runner's thread) ------------------------------------------------
    @Slot(int, object, float)
    def _on_done(self, token: int, result: object, elapsed: float) -> None:
        if not self._finish(token):
            return
        self.last_elapsed = elapsed
        self.finished.emit(result)

    @Slot(int, str)
    def _on_error(self, token: int, message: str) -> None:
        if self._finish(token):
            self.failed.emit(message)

    def _finish(self, token: int) -> bool:
        """Forget the job; True when its outcome is the newest and should be emitted."""
        self._jobs.pop(token, None)
        if self._closed:
            return False
        if token != self._latest:
            self.dropped += 1
            return False
        self._waiting = None
        self._busy_timer.stop()
        self._set_busy(False)
        return True

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit(busy)
