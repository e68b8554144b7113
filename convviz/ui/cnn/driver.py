"""Moves the small CNN the "Learn from labels" tab shows, in the background, with the project's one worker.

:class:`CNNDriver` holds ``progress`` (a :class:`~convviz.model.cnn_view.CNNProgress`, the network
the panel draws) and replaces it, never edits it:

- :meth:`~CNNDriver.prepare` brings a network to a requested position in the worker (continuing
  from the current progress when it can, replaying from the random start otherwise);
- a run (:meth:`~CNNDriver.start`) submits one chunk of mini-batches at a time with
  ``cancelled=True``. As fast as possible, each chunk trains for a frame and the next one is
  submitted when a result arrives, before it is drawn; at a set speed a frame timer submits the
  mini-batches owed. Either way at most 30 results (redraws) a second, and the window never waits;
  :meth:`~CNNDriver.stop` drops the chunk in flight, so the run ends where it is drawn.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from convviz.model.cnn_view import CNNProgress, CNNRequest, prepare, run_chunk

from ..widgets.run_pacer import FRAME_SECONDS, RunPacer
from ..worker import LatestResultRunner


def _prepare_then_chunk(request: CNNRequest, progress: CNNProgress | None, until: int | None,
                        batches: int | None, seconds: float | None, *, cancelled) -> CNNProgress | None:
    """The worker's job: reach ``request`` (from ``progress`` if it can), then train on when ``until`` is given."""
    p = prepare(request, progress, cancelled=cancelled)
    if p is None or until is None or cancelled():
        return p
    return run_chunk(p, until, batches=batches, seconds=seconds, cancelled=cancelled)


class CNNDriver(QObject):
    """The panel's network and the work that moves it.

    Signals: ``changed`` (``progress`` was replaced: draw it), ``finished(CNNRequest)`` (a run reached
    where it should stop; the position it started from), ``failed(str)`` (a job failed: a sentence).
    """

    changed = Signal()
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, speed: Callable[[], float | str], parent: QObject | None = None):
        super().__init__(parent)
        self.runner = LatestResultRunner(self)
        self.runner.finished.connect(self._on_result)
        self.runner.failed.connect(self._on_failed)
        self.progress: CNNProgress | None = None
        self.requested: CNNRequest | None = None  # what the newest prepare asked for
        self.run_start: CNNRequest | None = None  # the position a run started from (None: no run)
        self.until = 0                            # updates at which the run stops
        self.chunks = 0                           # chunks drawn in the current run
        self.closed = False
        self._speed = speed
        self.pacer = RunPacer(speed, self._tick, self)   # a chunk as fast as possible trains a frame long

    # -- state -------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.run_start is not None

    @property
    def busy(self) -> bool:
        """True while a job has not reported back."""
        return self.runner.pending

    @property
    def preparing(self) -> bool:
        """True while a prepare (no run) has not reported back."""
        return not self.running and self.runner.pending

    def cancel_prepare(self) -> None:
        """Drop the prepare in flight (the next :meth:`prepare` submits it again)."""
        self.runner.cancel()
        self.requested = None

    def shows(self, request: CNNRequest) -> bool:
        """True when the drawn progress is at ``request``."""
        return self.progress is not None and self.progress.request == request

    # -- preparing ---------------------------------------------------------------------------
    def prepare(self, request: CNNRequest) -> None:
        """Make ``progress`` the network at ``request`` (in the worker; ``changed`` when drawn)."""
        if self.closed:
            return
        if self.shows(request):
            if self.preparing:
                self.runner.cancel()
            self.requested = request
            return
        if self.preparing and self.requested == request:
            return
        self.requested = request
        self.runner.submit(_prepare_then_chunk, request, self.progress, None, None, None, cancelled=True)

    # -- a run -------------------------------------------------------------------------------
    def start(self, request: CNNRequest, until: int) -> bool:
        """Train from ``request``'s position until ``until`` updates are made (or :meth:`stop`)."""
        if self.closed or self.running or request.iterations >= until:
            return False
        self.run_start, self.until, self.requested = request, until, request
        self.chunks = 0
        self.pacer.start()
        self._submit_chunk(request, first=True)
        return True

    def stop(self) -> CNNRequest | None:
        """End the run (the chunk in flight is dropped); returns the position it started from."""
        start, self.run_start = self.run_start, None
        if start is not None:
            self.pacer.stop()
            self.runner.cancel()
            if self.progress is not None:
                self.requested = self.progress.request
        return start

    def _tick(self) -> None:
        if not self.running or self.progress is None or self.busy:
            return
        self._submit_chunk(self.progress.request)

    def _submit_chunk(self, request: CNNRequest, *, first: bool = False) -> None:
        speed = self._speed()
        if speed == "max":
            batches, seconds = None, FRAME_SECONDS
        else:   # the mini-batches owed at this speed (the first chunk trains one at least)
            n = self.pacer.owed(at_least=1 if first else 0)
            if n < 1:
                return
            batches, seconds = n, None
        self.runner.submit(_prepare_then_chunk, request, self.progress, self.until, batches, seconds, cancelled=True)

    # -- results -----------------------------------------------------------------------------
    def _on_result(self, progress: CNNProgress | None) -> None:
        if progress is None:
            return
        self.progress = progress
        if self.running:
            self.chunks += 1
            if progress.request.iterations >= self.until:
                start = self.stop()
                self.changed.emit()
                self.finished.emit(start)
                return
            if self._speed() == "max":
                self.pacer.frame()   # the next chunk (a frame long) computes while this one is drawn
        self.changed.emit()

    def _on_failed(self, message: str) -> None:
        self.stop()
        self.failed.emit(message)

    def shutdown(self) -> None:
        """Stop for good: the job in flight stops at its next phase and nothing is computed afterwards."""
        if not self.closed:
            self.closed = True
            self.stop()
            self.runner.shutdown()
