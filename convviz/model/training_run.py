"""A :class:`~convviz.model.training.KernelTrainer` as a view runs it (pure NumPy, no Qt).

What a trainer is built from (:class:`LearningSetup`), where it should be (:class:`Request`:
the setup, the rate and the iterations/phase done), and the trainer there with a
:class:`Snapshot` of what is shown (:class:`Progress`). Every function that moves a trainer
works on :meth:`KernelTrainer.copy` and returns a new :class:`Progress`, so a view may hand a
``Progress`` to a background thread and keep drawing the one it has::

    request = Request(LearningSetup(image, "sobel_x", None, 3, "valid", "0-255", 0), "auto", 150, 5)
    progress = prepare(request)                           # build, then 150 iterations
    progress = run_chunk(progress, iterations=10)         # ten more, as a paced run does
    progress.snapshot.kernel, progress.snapshot.history

A request's position ``(iterations, phase)`` means: ``iterations`` whole iterations from the
seed's random kernel, then the phases up to ``phase`` of the next one (phases 2–4), or, for
phase 5, the update that finishes the last one (``(0, 5)`` finishes the first iteration).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from .engine import correlate
from .filtering import to_gray
from .presets import PRESETS
from .training import (
    PHASES,
    SCALES,
    KernelTrainer,
    WorkingCopy,
    downsample,
    fit_target_image,
    hidden_kernel_target,
    working_copy,
)

#: the target choice that stands for a target image (instead of a hidden preset kernel)
FILE_TARGET = "__file__"
#: a run shows at most this many snapshots a second
FRAME_SECONDS = 1 / 30
#: iterations done between two checks of the clock or of cancellation
FAST_CHUNK = 10
#: the most iterations a run goes to (and a lesson or session may ask for)
MAX_ITERATIONS = 1_000_000

Cancelled = Callable[[], bool]


def _never() -> bool:
    return False


# -- what is shown -------------------------------------------------------------------------

@dataclass(frozen=True)
class Snapshot:
    """Everything a view shows about a trainer at one moment (arrays are the trainer's own,
    which it replaces and never edits).

    ``prediction`` is the feature map of ``kernel``, the learned kernel as shown, so the two
    always belong together (after an update: the new kernel's map); ``None`` before the first
    convolution or once the weights overflowed. ``kernel_error`` is the largest
    ``|kernel − hidden kernel|`` (``None`` without a hidden kernel).
    """

    phase: str
    phase_number: int
    iteration: int
    kernel: np.ndarray
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
    seed: int
    kernel_error: float | None


def take_snapshot(trainer: KernelTrainer, reference: np.ndarray | None = None) -> Snapshot:
    """What ``trainer`` shows now; ``reference`` is the kernel the learned one is compared with."""
    kernel = trainer.kernel
    finite = bool(np.all(np.isfinite(kernel)))
    prediction = None
    if trainer.phase != "random" and finite:
        if trainer.used_kernel is kernel:
            prediction = trainer.prediction
        else:   # after an update: the map of the updated kernel, not of the one before
            with np.errstate(all="ignore"):
                prediction = correlate(trainer.image, kernel, trainer.padding)
    example = trainer.update_example()
    return Snapshot(
        phase=trainer.phase, phase_number=trainer.phase_number, iteration=trainer.iteration, kernel=kernel,
        prediction=prediction, loss=trainer.loss, gradient=trainer.gradient,
        history=np.array(trainer.history, dtype=np.float64), diverged=trainer.diverged, halted=trainer.halted,
        converged=trainer.converged, reason=trainer.divergence_reason, suggested_rate=trainer.suggested_rate,
        update_text="" if example is None else example.expression(), rate=trainer.rate, seed=trainer.seed,
        kernel_error=trainer.kernel_error(reference) if reference is not None and finite else None)


# -- what a trainer is built from and where it should be --------------------------------------

@dataclass(frozen=True, eq=False)
class LearningSetup:
    """The input and the learning problem.

    ``image`` the document's image (H, W) or (H, W, 3), 0–255 (compared by identity: documents
    replace arrays); ``target`` a :data:`~convviz.model.PRESETS` key (the hidden kernel) or
    :data:`FILE_TARGET`, then ``target_image`` is the grey (H, W) target of the image's size;
    ``kernel_size`` the learned kernel's side; ``padding`` "valid" or "same"; ``scale`` a
    :data:`~convviz.model.training.SCALES` key; ``seed`` the random start's.
    """

    image: np.ndarray
    target: str
    target_image: np.ndarray | None
    kernel_size: int
    padding: str
    scale: str
    seed: int

    def same_as(self, other: LearningSetup | None) -> bool:
        return (other is not None and self.image is other.image and self.target_image is other.target_image
                and (self.target, self.kernel_size, self.padding, self.scale, self.seed)
                == (other.target, other.kernel_size, other.padding, other.scale, other.seed))

    @property
    def hidden_kernel(self) -> np.ndarray | None:
        """The preset kernel that makes the target (``None`` for a target image)."""
        return None if self.target == FILE_TARGET else PRESETS[self.target].kernel


@dataclass(frozen=True, eq=False)
class Request:
    """Where a trainer should be: ``setup``, ``rate`` ("auto" = 1/λ_max, or a number) and the
    position ``(iterations, phase)`` (see the module's docstring)."""

    setup: LearningSetup
    rate: float | str
    iterations: int
    phase: int

    def same_as(self, other: Request | None) -> bool:
        return (other is not None and self.setup.same_as(other.setup) and self.rate == other.rate
                and (self.iterations, self.phase) == (other.iterations, other.phase))

    def at(self, trainer: KernelTrainer) -> Request:
        """This request with ``trainer``'s position."""
        return replace(self, iterations=trainer.iteration, phase=trainer.phase_number)


@dataclass(frozen=True, eq=False)
class Progress:
    """A trainer that satisfies ``request``, the working copy it learns on, and what it shows."""

    request: Request
    copy: WorkingCopy
    trainer: KernelTrainer
    snapshot: Snapshot


def grey_target(image, input_shape) -> np.ndarray:
    """A loaded target image as a read-only grey (H, W) float64 array; ``ValueError`` unless it
    has the input's height and width (``input_shape``)."""
    grey = np.array(to_gray(np.asarray(image, dtype=np.float64)), dtype=np.float64)
    h, w = input_shape[:2]
    if grey.shape != (h, w):
        raise ValueError(f"The target image is {grey.shape[1]}×{grey.shape[0]} but the input is {w}×{h}: "
                         "they must be the same size.")
    grey.setflags(write=False)
    return grey


def build_trainer(setup: LearningSetup, copy: WorkingCopy, rate: float | str) -> KernelTrainer:
    """A trainer at its random start for ``setup`` on ``copy`` (``ValueError`` with a sentence if it cannot be)."""
    factor = SCALES[setup.scale][0]
    image = copy.image * factor
    if setup.target == FILE_TARGET:
        if setup.target_image is None:
            raise ValueError("No target image is loaded: load one or pick a hidden kernel.")
        if setup.target_image.shape != copy.source_shape:
            (th, tw), (h, w) = setup.target_image.shape, copy.source_shape
            raise ValueError(f"The target image is {tw}×{th} but the input is now {w}×{h}: pick a hidden "
                             "kernel, or load a target image of the input's size.")
        target = fit_target_image(downsample(setup.target_image, copy.factor) * factor, image.shape,
                                  setup.kernel_size, setup.padding)
    else:
        target = hidden_kernel_target(image, PRESETS[setup.target].kernel, setup.kernel_size, setup.padding)
    return KernelTrainer(image, target, setup.kernel_size, rate=None if rate == "auto" else float(rate),
                         seed=setup.seed, padding=setup.padding)


def replay_cost(request: Request, previous: Progress | None) -> int | None:
    """Iterations :func:`prepare` would compute to satisfy ``request`` from ``previous``;
    ``None`` when it must first make a new working copy of the input (costly on a large photo)."""
    if previous is None or request.setup.image is not previous.request.setup.image:
        return None
    old = previous.request
    if request.setup.same_as(old.setup) and (request.iterations, request.phase) == (old.iterations, old.phase):
        return 0
    return request.iterations + 1


def prepare(request: Request, previous: Progress | None = None, *, cancelled: Cancelled = _never) -> Progress:
    """A trainer that satisfies ``request``, starting from ``previous`` where it can.

    The same setup keeps ``previous``'s trainer (a copy): a new rate applies from its next
    update on, and a new position is replayed from the seed. A new setup builds a new
    trainer (reusing the working copy while the input is the same). ``cancelled()`` turning
    True stops a long replay early (the result is then incomplete; a newer request replaces it).
    """
    setup = request.setup
    if previous is not None and setup.same_as(previous.request.setup):
        copy, trainer = previous.copy, previous.trainer.copy()
        rate = trainer.advice.stable if request.rate == "auto" else float(request.rate)
        if request.rate != previous.request.rate and rate != trainer.rate:
            trainer.set_rate(rate)
        moved = (request.iterations, request.phase) != (previous.request.iterations, previous.request.phase)
    else:
        reuse = previous is not None and previous.request.setup.image is setup.image
        copy = previous.copy if reuse and previous is not None else working_copy(setup.image)
        trainer = build_trainer(setup, copy, request.rate)
        moved = True
    if moved:
        go_to(trainer, request.iterations, request.phase, cancelled)
    return Progress(request, copy, trainer, take_snapshot(trainer, setup.hidden_kernel))


def go_to(trainer: KernelTrainer, iterations: int, phase: int, cancelled: Cancelled = _never) -> None:
    """Replay ``trainer`` from its seed to the position ``(iterations, phase)`` (in place)."""
    trainer.reset()
    left = int(iterations)
    while left > 0 and not cancelled():
        n = min(left, 50)
        if trainer.run(n) < n:      # halted: the numbers overflowed
            return
        left -= n
    for _ in range(len(PHASES)):    # then on to the wanted phase of the next iteration (never back to 1)
        if trainer.phase_number == phase or trainer.halted or (phase == 1 and trainer.iteration):
            break
        trainer.advance()


# -- moving a trainer ----------------------------------------------------------------------

def moved(progress: Progress, action: str) -> Progress:
    """``progress`` after one action of the lecture: ``"phase"`` (the next of the five),
    ``"iteration"`` (finish the current iteration) or ``"reset"`` (back to the random start)."""
    trainer = progress.trainer.copy()
    if action == "phase":
        trainer.advance()
    elif action == "iteration":
        trainer.step()
    elif action == "reset":
        trainer.reset()
    else:
        raise ValueError(f"Unknown action {action!r}: use phase, iteration or reset.")
    return _progressed(progress, trainer)


def run_finished(trainer: KernelTrainer, stop_on_divergence: bool = True) -> bool:
    """True when a run should stop: the numbers overflowed, the kernel converged, the loss
    started to diverge (when ``stop_on_divergence``, so the warning can be read) or the run
    reached :data:`MAX_ITERATIONS`."""
    return (trainer.halted or trainer.converged or (stop_on_divergence and trainer.diverged)
            or trainer.iteration >= MAX_ITERATIONS)


def run_chunk(progress: Progress, *, iterations: int | None = None, seconds: float | None = None,
              stop_on_divergence: bool = True, cancelled: Cancelled = _never) -> Progress:
    """``progress`` after ``iterations`` more iterations, or as many as fit in ``seconds``
    (one frame of a run as fast as possible); stops early when :func:`run_finished` or
    ``cancelled()``. Exactly one of ``iterations`` and ``seconds`` is given."""
    if (iterations is None) == (seconds is None):
        raise ValueError("Give either a number of iterations or a time in seconds.")
    trainer = progress.trainer.copy()
    start = time.perf_counter()
    left = MAX_ITERATIONS if iterations is None else int(iterations)
    while left > 0 and not run_finished(trainer, stop_on_divergence) and not cancelled():
        if seconds is not None and time.perf_counter() - start >= seconds:
            break
        n = min(left, FAST_CHUNK, MAX_ITERATIONS - trainer.iteration)
        if trainer.run(n) < n:
            break
        left -= n
    return _progressed(progress, trainer)


def _progressed(progress: Progress, trainer: KernelTrainer) -> Progress:
    request = progress.request.at(trainer)
    return Progress(request, progress.copy, trainer, take_snapshot(trainer, request.setup.hidden_kernel))
