"""Runs a KernelTrainer in a thread and posts snapshots to the GUI at most 30 times a second."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QThread, Signal

from convviz.model.training import KernelTrainer

FRAME_SECONDS = 1 / 30
#: in "as fast as possible" mode, iterations are done in chunks this big between clock checks
FAST_CHUNK = 10


@dataclass(frozen=True)
class Snapshot:
    """A copy of everything the panel shows about a trainer at one moment."""

    generation: int
    phase: str
    phase_number: int
    iteration: int
    kernel: np.ndarray
    used_kernel: np.ndarray | None
    prediction: np.ndarray | None
    loss: float | None
    gradient: np.ndarray | None
    history: np.ndarray
    diverged: bool
    halted: bool
    converged: bool
    reason: str
    suggested_rate: float | None
    update_text: str
    rate: float
    kernel_error: float | None   # largest |kernel − reference kernel|, when there is a reference


def take_snapshot(trainer: KernelTrainer, generation: int, reference=None) -> Snapshot:
    """Copies of the trainer's state (the prediction is computed here, off the GUI thread);
    ``reference`` is the kernel the learned one is compared with (``None``: no comparison)."""
    ex = trainer.update_example()
    error = None
    if reference is not None and np.all(np.isfinite(trainer.kernel)):
        error = trainer.kernel_error(reference)
    grad = trainer.gradient
    return Snapshot(
        generation=generation, phase=trainer.phase, phase_number=trainer.phase_number,
        iteration=trainer.iteration, kernel=trainer.kernel.copy(),
        used_kernel=None if trainer.used_kernel is None else trainer.used_kernel.copy(),
        prediction=None if trainer.prediction is None else trainer.prediction.copy(),
        loss=trainer.loss, gradient=None if grad is None else grad.copy(),
        history=np.array(trainer.history, dtype=np.float64), diverged=trainer.diverged,
        halted=trainer.halted, converged=trainer.converged, reason=trainer.divergence_reason,
        suggested_rate=trainer.suggested_rate, update_text="" if ex is None else ex.expression(),
        rate=trainer.rate, kernel_error=error)


class TrainingWorker(QThread):
    """Iterates ``trainer`` until :meth:`stop`, divergence or convergence.

    ``iterations_per_second`` paces the run for watching (``None``: as fast as possible);
    a snapshot is emitted once per frame (≤ 30 Hz) and once more at the end.
    """

    snapshot = Signal(object)

    def __init__(self, trainer: KernelTrainer, generation: int, iterations_per_second: float | None,
                 reference=None, parent=None):
        super().__init__(parent)
        self._trainer = trainer
        self._reference = reference
        self._generation = generation
        self._rate = iterations_per_second
        self._stop = threading.Event()
        self.setObjectName("learnWorker")

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        trainer = self._trainer
        was_diverged = trainer.diverged
        credit = 0.0

        def finished() -> bool:
            return trainer.halted or trainer.converged or (trainer.diverged and not was_diverged)

        while not self._stop.is_set():
            start = time.perf_counter()
            if self._rate is None:
                while time.perf_counter() - start < 0.8 * FRAME_SECONDS and not self._stop.is_set():
                    trainer.run(FAST_CHUNK)
                    if finished():
                        break
            else:
                credit += self._rate * FRAME_SECONDS
                n = int(credit)
                credit -= n
                if n == 0:
                    self._stop.wait(FRAME_SECONDS)
                    continue
                trainer.run(n)
            self.snapshot.emit(take_snapshot(trainer, self._generation, self._reference))
            if finished():
                return
            self._stop.wait(max(0.0, FRAME_SECONDS - (time.perf_counter() - start)))
