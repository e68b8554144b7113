"""Moves the trainer a panel shows, in the background, with the project's one worker.

:class:`TrainerDriver` holds ``progress`` (a :class:`~convviz.model.training_run.Progress`: the
trainer the panel draws) and replaces it, never edits it:

- :meth:`~TrainerDriver.sync` builds or replays a trainer for a request, at once (small
  replays, up to :data:`SYNC_REPLAY` iterations) or in the worker (new inputs, long replays);
  a request that cannot be learned leaves no trainer and ``refusal`` says why;
- a run (:meth:`~TrainerDriver.start`) submits one chunk of iterations per frame (≤ 30 a
  second): when a chunk's result arrives and the run is still on, the next tick submits the
  next, from the result; :meth:`~TrainerDriver.stop` drops the chunk in flight, so what is
  drawn is where the run stopped;
- :meth:`~TrainerDriver.load` decodes a target image file off the GUI thread.

Every job gets a :class:`Progress` and returns a new one (``KernelTrainer.copy``), so no
thread ever changes what another reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal

from convviz.io import load_image
from convviz.model.training_run import (
    FRAME_SECONDS,
    Progress,
    Request,
    grey_target,
    prepare,
    replay_cost,
    run_chunk,
    run_finished,
)

from ..widgets.run_pacer import RunPacer
from ..worker import LatestResultRunner

#: a run as fast as possible computes for this share of each frame, so drawing and input get the rest
FAST_SHARE = 0.8
#: replays up to this many iterations happen at once (≈ 35 ms); longer ones in the worker
SYNC_REPLAY = 60


@dataclass(frozen=True)
class LoadedTarget:
    """A decoded target image: ``image`` grey (H, W) read-only, or ``None`` and ``error`` (a sentence)."""

    image: np.ndarray | None
    name: str
    error: str = ""


def read_target(path, input_shape) -> LoadedTarget:
    """Decode ``path`` as a grey target of ``input_shape``'s size (runs in the worker)."""
    name = Path(path).name
    try:
        return LoadedTarget(grey_target(load_image(path), input_shape), name)
    except ValueError as err:
        return LoadedTarget(None, name, str(err))


def _chunk(progress: Progress, iterations: int | None, seconds: float | None, stop_on_divergence: bool, *,
           cancelled) -> Progress:
    return run_chunk(progress, iterations=iterations, seconds=seconds, stop_on_divergence=stop_on_divergence,
                     cancelled=cancelled)


class TrainerDriver(QObject):
    """The panel's trainer and the work that moves it.

    Signals: ``changed`` (``progress`` was replaced, or is ``None`` with a ``refusal``: draw it),
    ``stopped(Request)`` (a run ended by itself — converged, diverged or overflowed — with the
    request it started from), ``targetLoaded(LoadedTarget)`` and ``problem(str)`` (decoding a
    target failed unexpectedly).
    """

    changed = Signal()
    stopped = Signal(object)
    targetLoaded = Signal(object)
    problem = Signal(str)

    def __init__(self, speed: Callable[[], float | str], parent: QObject | None = None):
        super().__init__(parent)
        self.runner = LatestResultRunner(self)
        self.runner.finished.connect(self._on_result)
        self.runner.failed.connect(self._on_failed)
        self.loader = LatestResultRunner(self)
        self.loader.finished.connect(self.targetLoaded)
        self.loader.failed.connect(self.problem)
        self.progress: Progress | None = None
        self.refusal = ""                         # why the newest request cannot be learned ("" if it can)
        self.run_start: Request | None = None     # the request a run started from (None: no run)
        self._submitted: Request | None = None    # the newest request sent to the worker
        self._refused: Request | None = None
        self.chunks = 0                           # chunks drawn in the current run
        self._speed = speed
        self._stop_on_divergence = True
        self.closed = False
        self.pacer = RunPacer(speed, self._tick, self, frame_seconds=FRAME_SECONDS)   # at most 30 chunks a second

    # -- state -------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.run_start is not None

    @property
    def preparing(self) -> bool:
        """True while a prepare submitted to the worker has not reported back."""
        return not self.running and self.runner.pending

    def cancel_prepare(self) -> None:
        """Drop the prepare in flight (the next :meth:`sync` submits it again)."""
        self.runner.cancel()

    def adopt(self, progress: Progress | None) -> None:
        self.progress = progress
        self.changed.emit()

    # -- preparing ---------------------------------------------------------------------------
    def sync(self, request: Request, *, now: bool) -> None:
        """Make ``progress`` satisfy ``request``: at once when ``now`` or cheap, else in the worker.
        A run that ``request`` no longer matches (an undo, a lesson slide) stops without a trace."""
        if self.closed:
            return
        if self.running:
            if request.same_as(self.run_start):
                return
            self.stop()
        if self._refused is not None and request.same_as(self._refused):
            return
        self._refused, self.refusal = None, ""
        p = self.progress
        if p is not None and request.same_as(p.request):
            if self.preparing:
                self.runner.cancel()
            return
        if not now and self.preparing and request.same_as(self._submitted):
            return
        cost = replay_cost(request, p)
        if now or (cost is not None and cost <= SYNC_REPLAY):
            self.runner.cancel()
            try:
                progress = prepare(request, p)
            except ValueError as err:
                self._refuse(request, str(err))
                return
            self.adopt(progress)
        else:
            self._submitted = request
            self.runner.submit(prepare, request, p, cancelled=True)

    def prepare_later(self, request: Request) -> None:
        """Prepare ``request`` in the worker whatever it costs (the newest submission wins)."""
        if self.closed:
            return
        self._submitted = request
        self.runner.submit(prepare, request, self.progress, cancelled=True)

    def _refuse(self, request: Request | None, message: str) -> None:
        self._refused, self.refusal = request, f"Cannot learn with these settings: {message}"
        self.stop()
        self.runner.cancel()
        self.adopt(None)

    # -- a run -------------------------------------------------------------------------------
    def start(self) -> bool:
        """Run from ``progress`` until :meth:`stop` or :func:`~convviz.model.training_run.run_finished`."""
        p = self.progress
        if self.closed or self.running or p is None or p.trainer.halted:
            return False
        self.runner.cancel()
        self.run_start = p.request
        self.chunks = 0
        self._stop_on_divergence = not p.trainer.diverged
        self.pacer.start()
        self.pacer.frame()
        return True

    def stop(self) -> Request | None:
        """End the run (the chunk in flight is dropped); returns the request it started from."""
        start, self.run_start = self.run_start, None
        if start is not None:
            self.pacer.stop()
            self.runner.cancel()
        return start

    def _tick(self) -> None:
        if not self.running or self.progress is None or self.runner.pending:
            return
        if self._speed() == "max":
            self.runner.submit(_chunk, self.progress, None, FAST_SHARE * FRAME_SECONDS, self._stop_on_divergence,
                               cancelled=True)
            return
        n = self.pacer.owed()   # the iterations owed at this speed
        if n >= 1:
            self.runner.submit(_chunk, self.progress, n, None, self._stop_on_divergence, cancelled=True)

    # -- results -----------------------------------------------------------------------------
    def _on_result(self, progress: Progress) -> None:
        self.progress = progress
        if self.running:
            self.chunks += 1
            if run_finished(progress.trainer, self._stop_on_divergence):
                start = self.stop()
                self.changed.emit()
                self.stopped.emit(start)
                return
        self.changed.emit()

    def _on_failed(self, message: str) -> None:
        start = self.stop()
        self._refuse(start or self._submitted, message)

    # -- target images -----------------------------------------------------------------------
    def load(self, path, input_shape) -> None:
        """Decode ``path`` in the background; ``targetLoaded`` brings the grey image or the reason it cannot be used."""
        if self.closed:
            return
        self.loader.submit(read_target, str(path), tuple(input_shape))

    def shutdown(self) -> None:
        """Stop for good: the job in flight stops at its next phase and nothing is computed afterwards."""
        if not self.closed:
            self.closed = True
            self.stop()
            self.runner.shutdown()
            self.loader.shutdown()
