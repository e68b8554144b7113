"""Learning a kernel by gradient descent, one lecture phase at a time (pure NumPy, no Qt).

The lecture's five steps are the five phases of :class:`KernelTrainer`:

1. ``random``   — every weight gets a random value (deterministic for a seed);
2. ``predict``  — correlate the input with the kernel: the predicted feature map;
3. ``loss``     — mean squared error between prediction and target;
4. ``gradient`` — backpropagate: ``∂loss/∂kernel`` from :func:`~convviz.model.mse_loss_grad`;
5. ``update``   — ``kernel ← kernel − rate × gradient``; then back to ``predict``.

The loss is a quadratic in the kernel with Hessian ``H = 2/N · XᵀX`` (``X`` the
N × taps patch matrix), so gradient descent is stable exactly when
``rate < 2/λ_max(H)``; :func:`rate_advice` computes ``λ_max`` from the input.
The input it learns on and its target: :mod:`convviz.model.training_inputs` (re-exported here).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import numpy as np

from ._args import as_pair
from .engine import correlate
from .learning import mse_loss_grad
from .shapes import output_shape, padding_amounts
from .stepping import format_number
from .training_inputs import (
    MAX_SIDE,
    WorkingCopy,
    crop_centre,
    downsample,
    embed_centre,
    fit_target_image,
    hidden_kernel_target,
    working_copy,
)

__all__ = ["LEARNING_PADDINGS", "MAX_SIDE", "PHASES", "RISING_STEPS", "SCALES", "KernelTrainer", "RateAdvice",
           "UpdateExample", "WorkingCopy", "crop_centre", "downsample", "embed_centre", "fit_target_image",
           "hidden_kernel_target", "patch_matrix", "rate_advice", "working_copy"]

PHASES = ("random", "predict", "loss", "gradient", "update")
#: the loss rising in this many consecutive iterations means the rate is too large
RISING_STEPS = 3
#: pixel scales the learner can use: name → (factor applied to 0–255 values, what the user reads)
SCALES = {
    "0-255": (1.0, "pixel values 0–255, as loaded"),
    "0-1": (1.0 / 255.0, "pixel values divided by 255 (0–1)"),
}
LEARNING_PADDINGS = ("valid", "same")


# -- the learning rate ---------------------------------------------------------------------

@dataclass(frozen=True)
class RateAdvice:
    """What the input's statistics say about the learning rate.

    ``lambda_max`` is the largest eigenvalue of the loss's Hessian ``2/N · XᵀX``;
    ``trace`` its trace (an upper bound on ``lambda_max``, about ``2 · taps · mean(x²)``);
    rates above ``limit = 2/λ_max`` diverge; ``stable = 1/λ_max`` is the automatic rate.
    """

    lambda_max: float
    lambda_min: float
    trace: float

    @property
    def limit(self) -> float:
        return 2.0 / self.lambda_max if self.lambda_max > 0 else math.inf

    @property
    def stable(self) -> float:
        return 1.0 / self.lambda_max if self.lambda_max > 0 else 1.0

    @property
    def condition(self) -> float:
        """``λ_max/λ_min``: how much slower the least-seen direction of the kernel learns."""
        return self.lambda_max / self.lambda_min if self.lambda_min > 0 else math.inf

    def describe(self) -> str:
        return (f"For this input, rates above 2/λ_max = {_rate(self.limit)} diverge "
                f"(λ_max = {_rate(self.lambda_max)}, the loss's largest curvature); "
                f"the automatic rate is 1/λ_max = {_rate(self.stable)}.")


def patch_matrix(image, kernel_size, padding="valid") -> np.ndarray:
    """``X`` with one row per output pixel and one column per kernel tap (zero padding),
    so that ``X @ kernel.ravel()`` is the correlation, raveled."""
    img = np.asarray(image, dtype=np.float64)
    kh, kw = as_pair(kernel_size, "kernel_size", minimum=1)
    oh, ow = output_shape(img.shape, (kh, kw), padding)
    top, bottom, left, right = padding_amounts((kh, kw), padding)
    padded = np.pad(img, ((top, bottom), (left, right)))
    cols = [padded[a:a + oh, b:b + ow].ravel() for a in range(kh) for b in range(kw)]
    return np.stack(cols, axis=1)


def rate_advice(image, kernel_size, padding="valid") -> RateAdvice:
    """The Hessian's extreme eigenvalues for learning a ``kernel_size`` kernel on ``image``."""
    x = patch_matrix(image, kernel_size, padding)
    hessian = (2.0 / x.shape[0]) * (x.T @ x)
    eig = np.linalg.eigvalsh(hessian)
    return RateAdvice(float(eig[-1]), float(max(eig[0], 0.0)), float(np.trace(hessian)))


def _rate(value: float) -> str:
    return f"{value:.3g}"


# -- the optimiser -------------------------------------------------------------------------

@dataclass(frozen=True)
class UpdateExample:
    """One weight's update written out: ``after = before − rate × gradient``."""

    index: tuple[int, int]
    before: float
    rate: float
    gradient: float
    after: float

    def expression(self) -> str:
        r, c = self.index
        return (f"w[{r},{c}]: {format_number(self.before)} − {_rate(self.rate)} × "
                f"{format_number(self.gradient)} = {format_number(self.after)}")


class KernelTrainer:
    """Gradient descent on one kernel so that ``correlate(image, kernel, padding)`` matches ``target``.

    ``image`` (H, W); ``target`` of the prediction's shape; ``kernel_size`` int or pair;
    ``rate`` the learning rate (``None``: the automatic stable rate ``1/λ_max``);
    ``seed`` makes the random start (uniform in [−1, 1]) and so the whole run reproducible.

    Lecture mode: :meth:`advance` performs one phase. Whole iterations: :meth:`step` and
    :meth:`run`. ``history`` holds the loss of every iteration, ``diverged`` and
    ``divergence_reason`` say when the rate is too large, ``suggested_rate`` what to try.
    """

    def __init__(self, image, target, kernel_size, *, rate=None, seed=0, padding="valid"):
        self.image = np.array(image, dtype=np.float64)
        if self.image.ndim != 2:
            raise ValueError(f"The trainer needs a grey (H, W) image, not shape {self.image.shape}.")
        if padding not in LEARNING_PADDINGS:
            raise ValueError(f"Learning padding must be one of {', '.join(LEARNING_PADDINGS)}, not {padding!r}.")
        self.kernel_shape = as_pair(kernel_size, "kernel_size", minimum=1)
        self.padding = padding
        out = output_shape(self.image.shape, self.kernel_shape, padding)
        self.target = np.array(target, dtype=np.float64)
        if self.target.shape != out:
            raise ValueError(f"The target has shape {self.target.shape} but the prediction has shape {out}.")
        if not np.all(np.isfinite(self.target)) or not np.all(np.isfinite(self.image)):
            raise ValueError("The image and the target must hold finite numbers.")
        self.advice = rate_advice(self.image, self.kernel_shape, padding)
        self.rate = self.advice.stable if rate is None else float(rate)
        if not (math.isfinite(self.rate) and self.rate > 0):
            raise ValueError(f"The learning rate must be a positive number, got {rate!r}.")
        self.seed = int(seed)
        self.image.setflags(write=False)    # shared by copies (see copy())
        self.target.setflags(write=False)
        self.reset()

    # -- state -------------------------------------------------------------------------
    def copy(self) -> KernelTrainer:
        """An independent trainer at the same point: moving one never changes the other.

        Cheap (no array is copied): the trainer replaces its arrays, never edits them in
        place, so the copy shares them; only the loss history (a list) is duplicated.
        A view hands copies to a background thread and keeps the original.
        """
        other = copy.copy(self)
        other.history = list(self.history)
        return other

    def reset(self) -> None:
        """Back to phase 1: a fresh random kernel from the seed, no history."""
        rng = np.random.default_rng(self.seed)
        self.kernel = rng.uniform(-1.0, 1.0, self.kernel_shape)
        self.used_kernel: np.ndarray | None = None   # the kernel the prediction/loss/gradient belong to
        self._prediction: np.ndarray | None = None
        self.loss: float | None = None
        self.gradient: np.ndarray | None = None
        self.phase = "random"
        self.iteration = 0
        self.history: list[float] = []
        self.diverged = False
        self.divergence_reason = ""
        self.halted = False   # numbers overflowed: no further step is possible

    def set_rate(self, rate: float) -> None:
        """Change the learning rate from the next update on (a new rate clears the divergence flag)."""
        rate = float(rate)
        if not (math.isfinite(rate) and rate > 0):
            raise ValueError(f"The learning rate must be a positive number, got {rate!r}.")
        self.rate = rate
        if not self.halted:
            self.diverged, self.divergence_reason = False, ""

    @property
    def phase_number(self) -> int:
        """1–5, the lecture's step number of the phase just done."""
        return PHASES.index(self.phase) + 1

    @property
    def prediction(self) -> np.ndarray | None:
        """The feature map of ``used_kernel`` (computed on demand after fast runs)."""
        if self._prediction is None and self.used_kernel is not None and np.all(np.isfinite(self.used_kernel)):
            with np.errstate(all="ignore"):
                self._prediction = correlate(self.image, self.used_kernel, self.padding)
        return self._prediction

    @property
    def suggested_rate(self) -> float | None:
        """After divergence: the automatic stable rate, or a tenth of the rate if that is no smaller."""
        if not self.diverged:
            return None
        stable = self.advice.stable
        return stable if stable < self.rate else self.rate / 10.0

    @property
    def converged(self) -> bool:
        """True when the last update moved no weight by more than 1e-12 of the kernel's size."""
        if self.phase != "update" or self.gradient is None or self.halted:
            return False
        moved = float(np.max(np.abs(self.rate * self.gradient)))
        return moved <= 1e-12 * max(1.0, float(np.max(np.abs(self.kernel))))

    def kernel_error(self, reference) -> float:
        """Largest ``|kernel − reference|`` with ``reference`` centred in (or cut to) the kernel's shape."""
        return float(np.max(np.abs(self.kernel - embed_centre(reference, self.kernel_shape))))

    def update_example(self) -> UpdateExample | None:
        """The last update of the weight with the largest |gradient|, written out."""
        if self.phase != "update" or self.gradient is None or self.used_kernel is None:
            return None
        g = np.nan_to_num(np.abs(self.gradient), nan=np.inf)
        r, c = np.unravel_index(int(np.argmax(g)), g.shape)
        return UpdateExample((int(r), int(c)), float(self.used_kernel[r, c]), self.rate,
                             float(self.gradient[r, c]), float(self.kernel[r, c]))

    # -- lecture mode: one phase at a time -------------------------------------------------
    def advance(self) -> str:
        """Do the next phase and return its name (nothing happens once the numbers overflowed)."""
        if self.halted:
            return self.phase
        nxt = "predict" if self.phase in ("random", "update") else PHASES[PHASES.index(self.phase) + 1]
        with np.errstate(all="ignore"):
            if nxt == "predict":
                self.used_kernel = self.kernel
                self._prediction = correlate(self.image, self.kernel, self.padding)
                self.loss, self.gradient = None, None
            elif nxt == "loss":
                prediction = self.prediction
                assert prediction is not None   # set by the predict phase
                residual = prediction - self.target
                self.loss = float(np.mean(residual * residual))
                self.history.append(self.loss)
                self._check_loss()
            elif nxt == "gradient":
                _, self.gradient = mse_loss_grad(self.image, self.target, self.used_kernel, self.padding)
            else:
                used, gradient = self.used_kernel, self.gradient
                assert used is not None and gradient is not None   # set by the predict and gradient phases
                self.kernel = used - self.rate * gradient
                self.iteration += 1
                self._check_kernel()
        self.phase = nxt
        return nxt

    # -- whole iterations ----------------------------------------------------------------
    def step(self) -> bool:
        """Finish the current iteration (all of it when at its start); False when no step was possible."""
        if self.halted:
            return False
        if self.phase in ("random", "update"):
            return self.run(1) == 1
        while self.phase != "update" and not self.halted:
            self.advance()
        return True

    def run(self, iterations: int) -> int:
        """Up to ``iterations`` whole iterations from an iteration boundary; returns how many were done."""
        done = 0
        if self.phase not in ("random", "update") and iterations > 0:
            done = int(self.step())
            iterations -= 1
        with np.errstate(all="ignore"):
            for _ in range(max(0, int(iterations))):
                if self.halted:
                    break
                used = self.kernel
                loss, grad = mse_loss_grad(self.image, self.target, used, self.padding)
                self.used_kernel, self._prediction, self.loss, self.gradient = used, None, loss, grad
                self.history.append(loss)
                self.phase = "loss"
                self._check_loss()
                if self.halted:
                    break
                self.kernel = used - self.rate * grad
                self.iteration += 1
                self.phase = "update"
                self._check_kernel()
                done += 1
        return done

    # -- divergence ----------------------------------------------------------------------
    def _check_loss(self) -> None:
        loss = self.history[-1]
        if not math.isfinite(loss):
            what = "NaN (not a number)" if math.isnan(loss) else "infinite"
            self._diverge(f"The loss became {what}: the weights grew so large that the numbers overflowed.",
                          halt=True)
            return
        h = self.history
        if self.diverged or len(h) <= RISING_STEPS:
            return
        recent = h[-RISING_STEPS - 1:]
        rising = all(b > a * (1 + 1e-9) for a, b in zip(recent, recent[1:]))
        if rising and loss > 1e-9 * h[0]:
            growth = h[-1] / h[-2] if h[-2] > 0 else math.inf
            self._diverge(f"The loss rose in {RISING_STEPS} iterations in a row (×{format_number(growth, 3)} "
                          f"in the last of them, at iteration {len(h)}): each update overshoots the "
                          f"minimum and lands higher up on the other side.")

    def _check_kernel(self) -> None:
        if not np.all(np.isfinite(self.kernel)):
            self._diverge("The weights overflowed to infinity or NaN.", halt=True)

    def _diverge(self, what: str, *, halt: bool = False) -> None:
        self.diverged = True
        self.halted = self.halted or halt
        advice, suggested = self.advice, self.suggested_rate
        assert suggested is not None   # diverged
        self.divergence_reason = (
            f"{what} The learning rate {_rate(self.rate)} is too large: for this input, rates above "
            f"2/λ_max = {_rate(advice.limit)} diverge. Try {_rate(suggested)}.")
