"""The one way convviz works in the background: run a function off the GUI thread and keep
only the newest result.

Every panel that computes something slow owns one :class:`LatestResultRunner`::

    self.runner = LatestResultRunner(self)
    self.runner.finished.connect(self.show_result)      # GUI thread, newest submission only
    self.runner.failed.connect(self.show_error)         # a one-line message
    self.runner.busyChanged.connect(spinner.setVisible)  # after 200 ms without a result
    ...
    self.runner.submit(compute, image, kernel)          # fn(*args) runs in the worker thread
    self.runner.submit(compute, image, cancelled=True)  # fn(*args, cancelled=callable): a long job
                                                        # may stop early once a newer one is submitted
    ...
    self.runner.shutdown()                              # when the panel closes

Rules it keeps:

- One worker thread per runner, so at most one job computes at a time; a job still waiting
  when a newer one is submitted never runs.
- A job that finishes after a newer one was submitted is stale: its result is dropped
  (counted in :attr:`dropped`), never emitted.
- Nothing of a finished job is kept: its function, arguments and result are released as soon
  as the outcome has been delivered (a test holds weak references to prove it).
- ``finished``/``failed`` are emitted in the thread that owns the runner (the GUI thread),
  so slots may touch widgets. ``last_elapsed`` is how long the newest job took, in seconds.
- A ``ValueError`` (the project's "bad input, here is a sentence") is reported through
  ``failed`` as its message; any other exception too, with its traceback printed.
- ``fn`` must not touch Qt widgets; pass it immutable data (the document's arrays are
  read-only), so a later edit cannot change what a running job reads.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

BUSY_DELAY_MS = 200


class _Outcome(QObject):
    """Carries a job's outcome from the worker thread to the runner's thread (queued connection)."""

    done = Signal(int, object, float)
    error = Signal(int, str)


class LatestResultRunner(QObject):
    """Runs ``fn(*args)`` in a worker thread; emits only the newest submission's outcome."""

    finished = Signal(object)
    failed = Signal(str)
    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, busy_delay_ms: int = BUSY_DELAY_MS):
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="convviz-worker")
        self._outcome = _Outcome()
        self._outcome.done.connect(self._on_done)
        self._outcome.error.connect(self._on_error)
        self._latest = 0
        self._latest_lock = threading.Lock()
        self._waiting: Future | None = None
        self._pending_token = 0            # the newest token not yet reported back (0: none)
        self._closed = False
        self._busy = False
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(busy_delay_ms)
        self._busy_timer.timeout.connect(lambda: self._set_busy(True))
        self.dropped = 0
        self.last_elapsed = 0.0
        executor = self._executor
        self.destroyed.connect(lambda *_: executor.shutdown(wait=False))

    # -- public -------------------------------------------------------------------
    def submit(self, fn: Callable, *args: Any, cancelled: bool = False) -> int:
        """Queue ``fn(*args)``; returns its token. An older job not yet started is cancelled.

        With ``cancelled=True`` the job is called as ``fn(*args, cancelled=check)``; ``check()``
        turns True once a newer job has been submitted, so a long job can stop early.
        """
        if self._closed:
            raise RuntimeError("This runner was shut down; make a new one.")
        with self._latest_lock:
            self._latest += 1
            token = self._latest
        if self._waiting is not None and self._waiting.cancel():
            self.dropped += 1
        self._pending_token = token
        self._waiting = self._executor.submit(_run, self, token, fn, args, cancelled)
        if not self._busy and not self._busy_timer.isActive():
            self._busy_timer.start()
        return token

    def is_stale(self, token: int) -> bool:
        """True once a newer job than ``token`` was submitted (safe from any thread)."""
        with self._latest_lock:
            return token != self._latest or self._closed

    @property
    def pending(self) -> bool:
        """True while the newest submission has not reported back."""
        return self._pending_token != 0

    @property
    def busy(self) -> bool:
        """True once the newest submission has taken longer than the busy delay."""
        return self._busy

    def cancel(self) -> None:
        """Forget the newest job: it is not started if still waiting, and its outcome is dropped."""
        with self._latest_lock:
            self._latest += 1
        if self._waiting is not None and self._waiting.cancel():
            self.dropped += 1
        self._waiting = None
        self._pending_token = 0
        self._busy_timer.stop()
        self._set_busy(False)

    def wait(self, timeout_s: float = 10.0) -> bool:
        """Block until the worker is idle (tests, closing); True if it is."""
        try:
            marker = self._executor.submit(lambda: None)
        except RuntimeError:      # shut down already: nothing runs any more
            return True
        try:
            marker.result(timeout=timeout_s)
        except Exception:
            return False
        return True

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """Cancel waiting jobs, wait for the running one and ignore every later outcome."""
        with self._latest_lock:
            self._closed = True
        self._busy_timer.stop()
        if self._waiting is not None:
            self._waiting.cancel()
        self._waiting = None
        self.wait(timeout_ms / 1000)
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._pending_token = 0
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
        """True when this outcome is the newest and should be emitted."""
        if self._closed:
            return False
        if token != self._pending_token:
            self.dropped += 1
            return False
        self._pending_token = 0
        self._waiting = None
        self._busy_timer.stop()
        self._set_busy(False)
        return True

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit(busy)


def _run(runner: LatestResultRunner, token: int, fn: Callable, args: tuple, cancellable: bool) -> None:
    """The worker thread's side: run, then post the outcome (nothing is kept after this returns)."""
    outcome = runner._outcome
    if runner.is_stale(token):      # superseded while waiting: skip the work
        outcome.error.emit(token, "superseded")
        return
    start = time.perf_counter()
    try:
        if cancellable:
            result = fn(*args, cancelled=lambda: runner.is_stale(token))
        else:
            result = fn(*args)
    except Exception as exc:  # the message goes to the GUI; a traceback helps developers
        message = str(exc) or exc.__class__.__name__
        if not isinstance(exc, ValueError):
            traceback.print_exc()
        del fn, args
        outcome.error.emit(token, message)
        return
    del fn, args
    outcome.done.emit(token, result, time.perf_counter() - start)
