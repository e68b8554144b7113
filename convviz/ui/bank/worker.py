"""One background thread per panel; only the newest request's result comes back."""

from __future__ import annotations

import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Carrier(QObject):
    done = Signal(int, object)
    error = Signal(int, str)


class _Job(QRunnable):
    def __init__(self, token: int, fn: Callable, args: tuple, carrier: _Carrier, latest: Callable[[], int]):
        super().__init__()
        self.setAutoDelete(False)  # the worker keeps a reference until the job reports
        self.token, self.fn, self.args, self.carrier, self.latest = token, fn, args, carrier, latest

    def run(self):
        if self.token != self.latest():  # superseded before it started
            return
        try:
            result = self.fn(*self.args)
        except Exception as exc:  # shown to the user as one line
            traceback.print_exc()
            self.carrier.error.emit(self.token, str(exc) or type(exc).__name__)
            return
        self.carrier.done.emit(self.token, result)


class NewestWorker(QObject):
    """Runs ``fn(*args)`` in a private one-thread pool; emits ``finished`` only for the newest submission.

    ``fn`` must not touch widgets. Call :meth:`shutdown` when the owner closes.
    """

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._carrier = _Carrier()
        self._carrier.done.connect(self._on_done)
        self._carrier.error.connect(self._on_error)
        self._latest = 0
        self._closed = False
        self._jobs: list[_Job] = []
        self.dropped = 0

    @property
    def pending(self) -> bool:
        return self._pending

    _pending = False

    def submit(self, fn: Callable, *args: Any) -> int:
        if self._closed:
            return self._latest
        self._latest += 1
        self._pending = True
        self._pool.clear()  # jobs still waiting are superseded
        job = _Job(self._latest, fn, args, self._carrier, lambda: self._latest)
        self._jobs.append(job)
        self._pool.start(job)
        return self._latest

    def wait(self, timeout_ms: int = 10_000) -> bool:
        """Block until the pool is idle (tests and exports)."""
        return self._pool.waitForDone(timeout_ms)

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        self._closed = True
        self._pool.clear()
        self._pool.waitForDone(timeout_ms)
        self._pending = False
        self._jobs.clear()

    def _forget(self, token: int) -> None:
        """Drop references to this job and every older one (run, superseded or cleared from the queue)."""
        self._jobs = [j for j in self._jobs if j.token > token]

    @Slot(int, object)
    def _on_done(self, token: int, result: object) -> None:
        self._forget(token)
        if self._closed or token != self._latest:
            self.dropped += 1
            return
        self._pending = False
        self.finished.emit(result)

    @Slot(int, str)
    def _on_error(self, token: int, message: str) -> None:
        self._forget(token)
        if self._closed or token != self._latest:
            return
        self._pending = False
        self.failed.emit(message)
